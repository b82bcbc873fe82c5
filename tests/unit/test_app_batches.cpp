#include <blogen/app/batches.hpp>
#include <blogen/app/social_generation.hpp>

#include <catch2/catch.hpp>

using namespace blogen::app;

namespace {

blogen::store::BatchCounts counts(std::int64_t pending, std::int64_t running, std::int64_t completed,
                                  std::int64_t failed, std::int64_t cancelled) {
  blogen::store::BatchCounts c;
  c.pending = pending;
  c.running = running;
  c.completed = completed;
  c.failed = failed;
  c.cancelled = cancelled;
  c.total = pending + running + completed + failed + cancelled;
  return c;
}

} // namespace

TEST_CASE("batch status is derived from its job counts", "[batches]") {
  CHECK(derive_batch_status(counts(5, 0, 0, 0, 0)) == BatchStatus::pending);
  CHECK(derive_batch_status(counts(4, 1, 0, 0, 0)) == BatchStatus::running);
  CHECK(derive_batch_status(counts(3, 0, 2, 0, 0)) == BatchStatus::running); // some done, the rest queued
  CHECK(derive_batch_status(counts(0, 0, 5, 0, 0)) == BatchStatus::completed);
  CHECK(derive_batch_status(counts(0, 0, 7, 3, 0)) == BatchStatus::completed_with_errors);
  CHECK(derive_batch_status(counts(0, 0, 0, 4, 0)) == BatchStatus::failed);
  CHECK(derive_batch_status(counts(0, 0, 2, 0, 3)) == BatchStatus::cancelled);
  CHECK(to_string(BatchStatus::completed_with_errors) == "completed_with_errors");
}

TEST_CASE("image extensions come from the MIME type, else from the bytes", "[batches]") {
  CHECK(image_extension("image/png", "") == "png");
  CHECK(image_extension("image/jpeg", "") == "jpg");
  CHECK(image_extension("image/webp", "") == "webp");
  CHECK(image_extension("image/svg+xml; charset=utf-8", "") == "svg");
  CHECK(image_extension("", "\x89PNG\r\n") == "png");
  CHECK(image_extension("application/octet-stream", "\xFF\xD8\xFF\xE0") == "jpg");
  CHECK(image_extension("", std::string_view("RIFF\x10\x00\x00\x00WEBPVP8 ", 16)) == "webp"); // NULs inside
  CHECK(image_extension("", "<svg xmlns='http://www.w3.org/2000/svg'/>") == "svg");
  CHECK(image_extension("text/html", "<html>") == "");
}

TEST_CASE("social payloads round-trip and tolerate junk", "[batches]") {
  CHECK(SocialPayload::parse(SocialPayload{Images::yes}.to_json()).images == Images::yes);
  CHECK(SocialPayload::parse(SocialPayload{Images::no}.to_json()).images == Images::no);
  CHECK(SocialPayload::parse("not json").images == Images::no);
  CHECK(SocialPayload::parse(R"({"images": "yes"})").images == Images::no);
}

TEST_CASE("a caption answer becomes content with its hashtags", "[batches]") {
  blogen::store::Post post;
  post.topic = "Rainy commutes";
  blogen::gen::ChatResult answer;
  answer.ok = true;
  answer.text = "```\nStay dry on two wheels! Fold, ride, smile.\n\n#ebike #Commute #ebike\n```";
  answer.model = "m";
  const auto generated = social_answer_to_post(post, answer);
  CHECK(generated.title == "Rainy commutes");
  CHECK(generated.content == "Stay dry on two wheels! Fold, ride, smile.\n\n#ebike #Commute #ebike");
  CHECK(generated.hashtags == std::vector<std::string>{"#ebike", "#Commute"});
  CHECK(generated.model == "m");
}

TEST_CASE("the image prompt carries the post's brand, platform, tone and audience", "[batches]") {
  blogen::store::Post post;
  post.topic = "Rainy commutes";
  post.brand = "Zephyr";
  post.platform = "instagram";
  post.tone = "witty";
  post.audience = "cyclists";
  const std::string prompt = image_prompt(post);
  CHECK(prompt.find("Zephyr") != std::string::npos);
  CHECK(prompt.find("instagram") != std::string::npos);
  CHECK(prompt.find("Rainy commutes") != std::string::npos);
  CHECK(prompt.find("witty") != std::string::npos);
  CHECK(prompt.find("cyclists") != std::string::npos);
}
