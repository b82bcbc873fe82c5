#include "field_checks.hpp"
#include "posts_common.hpp"

#include <blogen/app/providers.hpp>
#include <blogen/core/error.hpp>

#include <fmt/format.h>

namespace blogen::app::detail {
namespace {

constexpr std::size_t k_max_model_chars = 200;

} // namespace

gen::ProviderConfig checked_provider(Context& context, const std::optional<std::string>& name) {
  try {
    return resolve_provider_config(context, name);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::not_found || !name) throw;
    throw Error(ErrorCode::usage, fmt::format("--provider: {} (see 'blogen provider list')", e.what()));
  }
}

std::string checked_model(const std::string& model) {
  check_storable(model, "--model");
  std::string trimmed(text::trim(model));
  if (trimmed.empty() || text::utf8_length(trimmed) > k_max_model_chars ||
      trimmed.find_first_of(" \t\r\n") != std::string::npos) {
    throw Error(ErrorCode::usage, "--model must be a model name without spaces");
  }
  return trimmed;
}

} // namespace blogen::app::detail
