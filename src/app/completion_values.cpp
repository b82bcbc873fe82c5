#include <blogen/app/batches.hpp>
#include <blogen/app/campaigns.hpp>
#include <blogen/app/completion_values.hpp>
#include <blogen/app/configuration.hpp>
#include <blogen/app/jobs_service.hpp>
#include <blogen/app/posts.hpp>
#include <blogen/core/time_zone.hpp>

#include <fmt/format.h>

#include <exception>

namespace blogen::app {
namespace {

// A shell shows a few screens of candidates at most; the newest are the ones people name.
constexpr int k_recent = 200;

std::vector<CompletionValue> posts(Context& context) {
  ListPostsRequest request;
  request.limit = k_recent;
  request.kind = "blog";
  std::vector<CompletionValue> values;
  for (const store::Post& post : list_posts(context, request).posts) {
    values.push_back({std::to_string(post.id), fmt::format("{} ({})", post.title, to_string(post.status))});
  }
  return values;
}

std::vector<CompletionValue> campaigns(Context& context) {
  std::vector<CompletionValue> values;
  for (const store::Campaign& campaign : list_campaigns(context)) {
    values.push_back({std::to_string(campaign.id), campaign.name});
  }
  return values;
}

std::vector<CompletionValue> batches(Context& context) {
  std::vector<CompletionValue> values;
  for (const store::Campaign& campaign : list_campaigns(context)) {
    for (const BatchView& view : campaign_batches(context, campaign.id)) {
      values.push_back({std::to_string(view.batch.id), fmt::format("{} ({})", view.batch.name, campaign.name)});
    }
  }
  return values;
}

std::vector<CompletionValue> jobs(Context& context) {
  JobListQuery query;
  query.limit = k_recent;
  std::vector<CompletionValue> values;
  for (const store::Job& job : list_jobs(context, query)) {
    values.push_back({std::to_string(job.id), fmt::format("{} {}", job.kind, to_string(job.status))});
  }
  return values;
}

std::vector<CompletionValue> providers(Context& context) {
  std::vector<CompletionValue> values;
  for (const ProviderView& view : list_providers(context)) {
    values.push_back({view.config.name, view.config.kind});
  }
  return values;
}

std::vector<CompletionValue> templates(Context& context) {
  std::vector<CompletionValue> values;
  for (const gen::Template& found : list_templates(context)) {
    values.push_back({found.name, found.builtin ? "built in" : "yours"});
  }
  return values;
}

std::vector<CompletionValue> time_zones() {
  std::vector<CompletionValue> values;
  for (std::string& name : time_zone_names())
    values.push_back({std::move(name), {}});
  return values;
}

} // namespace

std::vector<CompletionValue> completion_values(Context& context, CompletionSource source) {
  try {
    switch (source) {
    case CompletionSource::posts:
      return posts(context);
    case CompletionSource::campaigns:
      return campaigns(context);
    case CompletionSource::batches:
      return batches(context);
    case CompletionSource::jobs:
      return jobs(context);
    case CompletionSource::providers:
      return providers(context);
    case CompletionSource::templates:
      return templates(context);
    case CompletionSource::time_zones:
      return time_zones();
    }
  } catch (const std::exception&) {
    // Not logged in, store busy or damaged: the shell simply offers nothing.
  }
  return {};
}

} // namespace blogen::app
