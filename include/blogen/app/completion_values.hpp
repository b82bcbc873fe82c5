#pragma once
// The values shell completion offers that live in the store or the system: the user's post, campaign, batch and
// job ids with a word about each, provider and template names, time zones. Read only, never an error: completion
// must stay quiet when nobody is logged in or the store is missing.

#include <blogen/app/context.hpp>

#include <string>
#include <vector>

namespace blogen::app {

/// One candidate: the word to insert and a few words about it (a post's title, a job's kind and status).
struct CompletionValue {
  std::string value;
  std::string description;
};

/// What a completed word names.
enum class CompletionSource { posts, campaigns, batches, jobs, providers, templates, time_zones };

/// The candidates of `source` the logged-in user may name, newest first. Empty when nobody is logged in or anything
/// goes wrong: a failing completion must never print an error into the user's command line.
std::vector<CompletionValue> completion_values(Context& context, CompletionSource source);

} // namespace blogen::app
