#include <blogen/gen/openai_wire.hpp>
#include <blogen/gen/sse_parser.hpp>

#include "support/fake_openai.hpp"

#include <catch2/catch.hpp>
#include <httplib.h>

#include <string>
#include <vector>

using blogen::gen::ChatResult;
using blogen::gen::ChatStreamAssembler;
using blogen::gen::SseEvent;
using blogen::gen::SseParser;
using blogen::testing::FakeOpenAi;

namespace {

std::vector<SseEvent> parse_in_pieces(std::string_view stream, const std::vector<std::size_t>& cuts) {
  std::vector<SseEvent> events;
  SseParser parser([&](const SseEvent& event) { events.push_back(event); });
  std::size_t at = 0;
  for (const auto cut : cuts) {
    parser.feed(stream.substr(at, cut - at));
    at = cut;
  }
  parser.feed(stream.substr(at));
  parser.finish();
  return events;
}

std::vector<std::string> data_of(const std::vector<SseEvent>& events) {
  std::vector<std::string> data;
  for (const auto& event : events)
    data.push_back(event.data);
  return data;
}

// A stream exactly as the fake server sends it over a socket.
std::string real_stream(FakeOpenAi& fake, const std::string& prompt) {
  httplib::Client client("127.0.0.1", fake.port());
  const nlohmann::json body{{"model", "fake-gpt"},
                            {"messages", {{{"role", "user"}, {"content", prompt}}}},
                            {"stream", true},
                            {"stream_options", {{"include_usage", true}}}};
  const auto result = client.Post("/v1/chat/completions", body.dump(), "application/json");
  REQUIRE(result);
  REQUIRE(result->status == 200);
  return result->body;
}

// Fewer, larger deltas keep the stream short, so trying every split point stays quick in a Debug build.
blogen::testing::FakeOpenAiOptions short_stream_options() {
  blogen::testing::FakeOpenAiOptions options;
  options.stream_chunk_chars = 64;
  return options;
}

} // namespace

TEST_CASE("SSE: data lines, comments and blank keep-alives", "[sse]") {
  const auto events = parse_in_pieces(": hello\n\ndata: one\n\n\n\n: ping\ndata: two\n\n", {});
  CHECK(data_of(events) == std::vector<std::string>{"one", "two"});
}

TEST_CASE("SSE: multi-line data is joined with newlines and the event name kept", "[sse]") {
  const auto events = parse_in_pieces("event: delta\ndata: a\ndata:b\ndata:  c\n\n", {});
  REQUIRE(events.size() == 1);
  CHECK(events[0].event == "delta");
  CHECK(events[0].data == "a\nb\n c"); // only one space after the colon is syntax
}

TEST_CASE("SSE: CRLF, CR and LF line ends, a byte order mark, and fields without values", "[sse]") {
  CHECK(data_of(parse_in_pieces("\xEF\xBB\xBF"
                                "data: x\r\n\r\ndata: y\r\rdata: z\n\n",
                                {})) == std::vector<std::string>{"x", "y", "z"});
  const auto empty = parse_in_pieces("data\n\n", {});
  REQUIRE(empty.size() == 1);
  CHECK(empty[0].data.empty());
  CHECK(parse_in_pieces("id: 7\nretry: 100\n\n", {}).empty()); // no data: no event
}

TEST_CASE("SSE: a CRLF split across two feeds is one line end", "[sse]") {
  const std::string stream = "data: a\r\n\r\ndata: b\r\n\r\n";
  for (std::size_t cut = 1; cut < stream.size(); ++cut)
    CHECK(data_of(parse_in_pieces(stream, {cut})) == std::vector<std::string>{"a", "b"});
}

TEST_CASE("SSE: finish delivers a last event that lacks its blank line", "[sse]") {
  CHECK(data_of(parse_in_pieces("data: one\n\ndata: [DONE]", {})) == std::vector<std::string>{"one", "[DONE]"});
  CHECK(data_of(parse_in_pieces("data: one\n\ndata: [DONE]\n", {})) == std::vector<std::string>{"one", "[DONE]"});
}

TEST_CASE("SSE: a real stream parses identically at every split point and byte by byte", "[sse]") {
  FakeOpenAi fake(short_stream_options());
  fake.start();
  const auto stream = real_stream(fake, "Topic: Split streams\nKeep it short.");
  const auto whole = parse_in_pieces(stream, {});
  REQUIRE(whole.size() > 5);
  CHECK(whole.back().data == "[DONE]");

  for (std::size_t cut = 1; cut < stream.size(); ++cut) {
    INFO("split at byte " << cut);
    REQUIRE(data_of(parse_in_pieces(stream, {cut})) == data_of(whole));
  }
  for (std::size_t cut = 1; cut + 7 < stream.size(); cut += 7) {
    INFO("split at bytes " << cut << " and " << cut + 5);
    REQUIRE(data_of(parse_in_pieces(stream, {cut, cut + 5})) == data_of(whole));
  }
  std::vector<std::size_t> every_byte;
  for (std::size_t cut = 1; cut < stream.size(); ++cut)
    every_byte.push_back(cut);
  CHECK(data_of(parse_in_pieces(stream, every_byte)) == data_of(whole));
}

TEST_CASE("SSE + assembler: the streamed text, deltas and usage survive any split", "[sse]") {
  FakeOpenAi fake(short_stream_options());
  fake.start();
  const std::string prompt = "Topic: Assembling streams";
  const auto stream = real_stream(fake, prompt);
  const auto expected = FakeOpenAi::answer_for(prompt);
  for (std::size_t cut = 1; cut < stream.size(); cut += 2) {
    INFO("split at byte " << cut);
    ChatResult result;
    std::string deltas;
    int delta_count = 0;
    const blogen::gen::DeltaCallback on_delta = [&](std::string_view piece) {
      deltas += piece;
      ++delta_count;
    };
    ChatStreamAssembler assembler(result, on_delta);
    SseParser parser([&](const SseEvent& event) { assembler.on_data(event.data); });
    parser.feed(std::string_view(stream).substr(0, cut));
    parser.feed(std::string_view(stream).substr(cut));
    parser.finish();
    assembler.finish();
    REQUIRE(result.ok);
    REQUIRE(result.text == expected);
    REQUIRE(deltas == expected);
    REQUIRE(delta_count > 1);
    REQUIRE(result.finish_reason == "stop");
    REQUIRE(result.usage.prompt_tokens == 3);
    REQUIRE(result.usage.completion_tokens > 10);
  }
}

TEST_CASE("SSE assembler: broken streams are malformed responses", "[sse]") {
  const blogen::gen::DeltaCallback none;
  const auto run = [&](std::string_view stream) {
    ChatResult result;
    ChatStreamAssembler assembler(result, none);
    SseParser parser([&](const SseEvent& event) { assembler.on_data(event.data); });
    parser.feed(stream);
    parser.finish();
    assembler.finish();
    return result;
  };
  const std::string piece = R"(data: {"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]})"
                            "\n\n";
  CHECK(run(piece + "data: [DONE]\n\n").ok);
  const auto cut = run(piece); // no finish_reason, no [DONE]
  CHECK_FALSE(cut.ok);
  CHECK(cut.error == blogen::gen::ErrorKind::malformed_response);
  CHECK(cut.retryable());
  const auto not_json = run(piece + "data: {oops\n\n");
  CHECK(not_json.error == blogen::gen::ErrorKind::malformed_response);
  CHECK_THAT(not_json.error_message, Catch::Contains("not JSON"));
  const auto error = run(piece + R"(data: {"error":{"message":"overloaded"}})"
                                 "\n\n");
  CHECK(error.error == blogen::gen::ErrorKind::malformed_response);
  CHECK_THAT(error.error_message, Catch::Contains("overloaded"));
  CHECK(run("data: [DONE]\n\n").error == blogen::gen::ErrorKind::malformed_response); // no text at all
}
