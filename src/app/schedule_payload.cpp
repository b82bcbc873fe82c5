#include "schedule_payload.hpp"

#include <blogen/core/error.hpp>

#include <nlohmann/json.hpp>

namespace blogen::app::detail {
namespace {

template <typename T> void put(nlohmann::json& json, const char* key, const std::optional<T>& value) {
  if (value) json[key] = *value;
}

template <typename T> std::optional<T> take(const nlohmann::json& json, const char* key) {
  if (!json.contains(key) || json[key].is_null()) return std::nullopt;
  return json[key].get<T>();
}

void put_post_options(nlohmann::json& json, const PostOptions& post) {
  put(json, "category", post.category);
  put(json, "tone", post.tone);
  put(json, "words", post.words);
  if (!post.keywords.empty()) json["keywords"] = post.keywords;
  put(json, "template", post.template_name);
  put(json, "provider", post.provider);
  put(json, "model", post.model);
  put(json, "max_cost", post.max_cost);
}

PostOptions take_post_options(const nlohmann::json& json) {
  PostOptions post;
  post.category = take<std::string>(json, "category");
  post.tone = take<std::string>(json, "tone");
  post.words = take<int>(json, "words");
  post.keywords = json.value("keywords", std::vector<std::string>{});
  post.template_name = take<std::string>(json, "template");
  post.provider = take<std::string>(json, "provider");
  post.model = take<std::string>(json, "model");
  post.max_cost = take<std::string>(json, "max_cost");
  return post;
}

} // namespace

std::string SchedulePayload::to_json() const {
  nlohmann::json json = nlohmann::json::object();
  json["topics"] = topics;
  if (!topics_file.empty()) json["topics_file"] = topics_file;
  put(json, "campaign_id", campaign_id);
  put(json, "file", file);
  put(json, "count", count);
  put_post_options(json, post);
  put(json, "platform", platform);
  return json.dump();
}

SchedulePayload SchedulePayload::parse(std::string_view text, std::int64_t schedule_id) {
  try {
    const nlohmann::json json = nlohmann::json::parse(text);
    SchedulePayload payload;
    payload.topics = json.value("topics", std::vector<std::string>{});
    payload.topics_file = json.value("topics_file", std::string());
    payload.campaign_id = take<std::int64_t>(json, "campaign_id");
    payload.file = take<std::string>(json, "file");
    payload.count = take<int>(json, "count");
    payload.post = take_post_options(json);
    payload.platform = take<std::string>(json, "platform");
    return payload;
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::failed,
                "schedule " + std::to_string(schedule_id) + " has a damaged payload (" + e.what() + ")");
  }
}

CreatePostRequest SchedulePayload::post_request(std::int64_t cursor) const {
  CreatePostRequest request;
  if (!topics.empty()) {
    const auto size = static_cast<std::int64_t>(topics.size());
    request.topic = topics.at(static_cast<std::size_t>(((cursor % size) + size) % size));
  }
  request.options = post;
  return request;
}

StartBatchRequest SchedulePayload::batch_request(const std::string& name) const {
  StartBatchRequest request;
  request.campaign_id = campaign_id.value_or(0);
  request.file = file;
  request.count = count;
  request.name = name;
  request.platform = platform;
  request.provider = post.provider;
  request.model = post.model;
  request.max_cost = post.max_cost;
  return request;
}

} // namespace blogen::app::detail
