// The fake OpenAI-compatible server as a standalone process, for CLI tests and benchmarks.
//
//   fake_openai [--port 0] [--latency-ms N] [--api-key KEY] [--model M] [--models a,b,c] [--strict-models]
//               [--image-url] [--stream-chunk-chars N] [--stream-chunk-delay-ms N] [--threads N] [--keep-alive]
//               [--fail-when-contains MARKER]... [--fail-status N] [--script FILE]
//               [--fault-rate P] [--fault-seed N] [--fault-kinds a,b,...] [--fault-hang-ms N]
//
// --fault-rate P (0-1) makes that share of chat requests fail, the kinds taken in turn (all of them by default:
// 429_retry_after_seconds, 429_retry_after_date, 429_bare, 500, 502, 503, reset, hang, truncated_json,
// invalid_json, error_in_ok, empty_choices, and for streams stall and sse_cut); `GET /_stats` counts them in "faults".
//
// Prints `PORT <n>` as its first stdout line once it accepts connections, then serves until SIGTERM/SIGINT, or
// until stdin reaches EOF when stdin is a pipe or socket (so a test harness that dies takes the server with it;
// a shell's `fake_openai &` gets /dev/null as stdin and keeps serving).
//
// A script file (also accepted at runtime by `POST /_script`) looks like:
//   {"latency_ms": 50, "api_key": "sk-test",
//    "responses": [{"status": 500}, {"status": 429, "retry_after": 1}, {"kind": "truncated", "endpoint": "chat"}],
//    "rules": [{"contains": "FAIL-ME", "status": 400, "message": "rejected"}]}
// Reply kinds: ok (with "delay_ms" a hang), error, raw ("body"), error_in_ok, empty_choices, empty_content,
// truncated, invalid_json, drop_connection, stall (streams: half the answer, then silence). `GET /_stats` returns the
// counters; `POST /_reset` clears them.

#include "fake_openai.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace {

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "fake_openai: " << message << "\n";
  std::exit(2);
}

int to_int(const std::string& flag, const std::string& value) {
  try {
    std::size_t used = 0;
    const int number = std::stoi(value, &used);
    if (used != value.size()) throw std::invalid_argument(value);
    return number;
  } catch (const std::exception&) {
    usage_error(flag + " needs a number, got '" + value + "'");
  }
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, ','))
    if (!part.empty()) parts.push_back(part);
  return parts;
}

bool stdin_is_pipe() {
  struct stat info {};
  return fstat(STDIN_FILENO, &info) == 0 && (S_ISFIFO(info.st_mode) || S_ISSOCK(info.st_mode));
}

} // namespace

int main(int argc, char** argv) {
  using blogen::testing::ScriptedReply;
  blogen::testing::FakeOpenAiOptions options;
  int port = 0;
  int fail_status = 400;
  std::vector<std::string> fail_markers;
  std::string script_path;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage_error(flag + " needs a value");
      return argv[++i];
    };
    if (flag == "--port")
      port = to_int(flag, value());
    else if (flag == "--latency-ms")
      options.latency = std::chrono::milliseconds(to_int(flag, value()));
    else if (flag == "--api-key")
      options.required_api_key = value();
    else if (flag == "--model")
      options.model = value();
    else if (flag == "--models")
      options.models = split_commas(value());
    else if (flag == "--strict-models")
      options.strict_models = true;
    else if (flag == "--image-url")
      options.image_as_url = true;
    else if (flag == "--stream-chunk-chars")
      options.stream_chunk_chars = static_cast<std::size_t>(to_int(flag, value()));
    else if (flag == "--stream-chunk-delay-ms")
      options.stream_chunk_delay = std::chrono::milliseconds(to_int(flag, value()));
    else if (flag == "--threads")
      options.threads = to_int(flag, value());
    else if (flag == "--keep-alive")
      options.keep_alive = true;
    else if (flag == "--fail-when-contains")
      fail_markers.push_back(value());
    else if (flag == "--fail-status")
      fail_status = to_int(flag, value());
    else if (flag == "--script")
      script_path = value();
    else if (flag == "--fault-rate") {
      const std::string rate = value();
      char* end = nullptr;
      options.fault_rate = std::strtod(rate.c_str(), &end);
      if (end == rate.c_str() || *end != '\0' || options.fault_rate < 0.0 || options.fault_rate > 1.0)
        usage_error("--fault-rate needs a number from 0 to 1, got '" + rate + "'");
    } else if (flag == "--fault-seed")
      options.fault_seed = static_cast<std::uint64_t>(to_int(flag, value()));
    else if (flag == "--fault-kinds")
      options.fault_kinds = split_commas(value());
    else if (flag == "--fault-hang-ms")
      options.fault_hang = std::chrono::milliseconds(to_int(flag, value()));
    else if (flag == "-h" || flag == "--help") {
      std::cout << "usage: fake_openai [--port N] [--latency-ms N] [--api-key KEY] [--model M] [--models a,b]\n"
                   "                   [--strict-models] [--image-url] [--stream-chunk-chars N]\n"
                   "                   [--stream-chunk-delay-ms N] [--threads N] [--keep-alive]\n"
                   "                   [--fail-when-contains MARKER]... [--fail-status N] [--script FILE]\n"
                   "                   [--fault-rate P] [--fault-seed N] [--fault-kinds a,b] [--fault-hang-ms N]\n";
      return 0;
    } else
      usage_error("unknown option " + flag);
  }

  // Block the stop signals in every thread (the server threads inherit this mask) and take them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::unique_ptr<blogen::testing::FakeOpenAi> made;
  try {
    made = std::make_unique<blogen::testing::FakeOpenAi>(options); // refuses unknown fault kinds
  } catch (const std::exception& error) {
    usage_error(error.what());
  }
  blogen::testing::FakeOpenAi& server = *made;
  try {
    for (const auto& marker : fail_markers)
      server.fail_when_prompt_contains(
          marker, ScriptedReply::error_reply(fail_status, "prompt rejected: contains " + marker,
                                             fail_status == 400 ? "invalid_request_error" : "server_error"));
    if (!script_path.empty()) {
      std::ifstream in(script_path);
      if (!in) usage_error("cannot read script " + script_path);
      server.apply_script(nlohmann::json::parse(in));
    }
    server.start(port);
  } catch (const std::exception& error) {
    usage_error(error.what());
  }
  std::cout << "PORT " << server.port() << std::endl;

  if (stdin_is_pipe()) {
    std::thread([] {
      char buffer[256];
      while (::read(STDIN_FILENO, buffer, sizeof buffer) > 0) {}
      ::kill(::getpid(), SIGTERM);
    }).detach();
  }
  int received = 0;
  sigwait(&stop_signals, &received);
  server.stop();
  return 0;
}
