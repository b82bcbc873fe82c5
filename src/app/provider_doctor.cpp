#include "stored_providers.hpp"

#include <blogen/app/provider_doctor.hpp>
#include <blogen/app/providers.hpp>
#include <blogen/core/error.hpp>
#include <blogen/gen/credentials.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace blogen::app {
namespace {

std::string describe(const gen::ProviderConfig& config) {
  std::string detail = config.kind;
  if (!config.base_url.empty()) detail += " at " + config.base_url;
  if (!config.api_key_env.empty()) detail += ", key in $" + config.api_key_env;
  for (const auto& [header, variable] : config.header_env)
    detail += fmt::format(", {} in ${}", header, variable);
  if (config.api_key_env.empty() && config.header_env.empty()) detail += ", no key";
  return detail;
}

DoctorCheck check_one(const gen::ProviderConfig& config, bool in_use) {
  DoctorCheck check{"provider " + config.name, true, false, describe(config) + (in_use ? " (in use)" : "")};
  std::vector<std::string> problems;
  for (const auto& problem : gen::provider_problems(config))
    problems.push_back(problem.message);
  // Stored by a blogen from before --header-env: it still works, but the value sits in the store in the clear.
  std::vector<std::string> stored_credentials;
  for (const auto& header : config.extra_headers)
    if (gen::is_credential_header(header.first)) stored_credentials.push_back(header.first);
  if (!stored_credentials.empty()) {
    problems.push_back(fmt::format("the store holds the value of {} in the clear: add the provider again with "
                                   "--header-env 'NAME: VARIABLE'",
                                   fmt::join(stored_credentials, ", ")));
  }
  if (problems.empty()) return check;
  check.ok = !in_use;
  check.warning = !in_use;
  check.detail = fmt::format("{}", fmt::join(problems, "; "));
  return check;
}

} // namespace

void check_providers(Context& context, DoctorReport& report) {
  std::string in_use;
  std::optional<gen::ProviderConfig> current;
  try {
    current = resolve_provider_config(context, std::nullopt);
    in_use = current->name;
  } catch (const Error& error) {
    report.checks.push_back({"provider", false, false, error.what()});
  }
  const auto stored = list_stored_providers(context.db());
  for (const auto& config : stored)
    report.checks.push_back(check_one(config, config.name == in_use));
  // The provider in use may be a ready-made one (builtin, or openai through OPENAI_API_KEY).
  const bool listed =
      std::any_of(stored.begin(), stored.end(), [&](const auto& config) { return config.name == in_use; });
  if (current && !listed) report.checks.push_back(check_one(*current, true));
}

} // namespace blogen::app
