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

} // namespace

std::string SchedulePayload::to_json() const {
  nlohmann::json json = nlohmann::json::object();
  json["topics"] = topics;
  if (!topics_file.empty()) json["topics_file"] = topics_file;
  put(json, "campaign_id", campaign_id);
  put(json, "file", file);
  put(json, "count", count);
  put(json, "category", category);
  put(json, "tone", tone);
  put(json, "words", words);
  if (!keywords.empty()) json["keywords"] = keywords;
  put(json, "template", template_name);
  put(json, "provider", provider);
  put(json, "model", model);
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
    payload.category = take<std::string>(json, "category");
    payload.tone = take<std::string>(json, "tone");
    payload.words = take<int>(json, "words");
    payload.keywords = json.value("keywords", std::vector<std::string>{});
    payload.template_name = take<std::string>(json, "template");
    payload.provider = take<std::string>(json, "provider");
    payload.model = take<std::string>(json, "model");
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
  request.category = category;
  request.tone = tone;
  request.words = words;
  request.keywords = keywords;
  request.template_name = template_name;
  request.provider = provider;
  request.model = model;
  return request;
}

StartBatchRequest SchedulePayload::batch_request(const std::string& name) const {
  StartBatchRequest request;
  request.campaign_id = campaign_id.value_or(0);
  request.file = file;
  request.count = count;
  request.name = name;
  request.platform = platform;
  request.provider = provider;
  request.model = model;
  return request;
}

} // namespace blogen::app::detail
