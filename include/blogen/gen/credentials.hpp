#pragma once
// What a provider sends from the environment (its API key, credential headers) and what makes a configuration
// unusable before any request: a variable that is not set, a base URL that is not one. Keys and credential header
// values live only in environment variables: the store keeps their names, never their values.

#include <blogen/gen/provider.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace blogen::gen {

/// Whether a header carries a credential, whose value must come from the environment (`--header-env`): names such
/// as Authorization, Proxy-Authorization, api-key, X-Api-Key, X-Auth-Token, Cookie, or any with key, token, secret,
/// auth, password, cookie or credential in it.
bool is_credential_header(std::string_view name);

/// Whether `name` is an HTTP header name (RFC 9110 token: letters, digits and !#$%&'*+-.^_`|~).
bool is_header_name(std::string_view name);

/// Whether `name` can name an environment variable we read (letters, digits, '_', not starting with a digit).
bool is_env_var_name(std::string_view name);

/// The credentials a provider sends, read from the environment at the moment of a call (so a rotated key is taken
/// up and none is cached).
struct Credentials {
  std::string api_key;                                      ///< empty: no Authorization header is sent
  std::vector<std::pair<std::string, std::string>> headers; ///< from ProviderConfig::header_env, as "Name", value
  std::string problem; ///< non-empty: a variable is missing or unusable; the call must not be made (names no secret)
  /// Every secret value read (to redact from anything a server echoes back).
  [[nodiscard]] std::vector<std::string> secrets() const;
};

/// Reads `config`'s key and credential headers from the environment. A variable named but unset or empty is a
/// problem: "NAME is not set: provider P reads its API key from it (export NAME=...)".
Credentials read_credentials(const ProviderConfig& config);

/// Why a provider cannot work, found without a request.
struct ProviderProblem {
  ErrorKind kind = ErrorKind::bad_request; ///< auth for a missing variable, bad_request for a broken configuration
  std::string message;
};

/// Every reason `config` cannot be used as it is: its kind's checks (an openai provider needs a well-formed http(s)
/// base URL and a model) and each variable it reads. Empty when it is ready. `doctor` and `provider test` use it.
std::vector<ProviderProblem> provider_problems(const ProviderConfig& config);

/// Why `url` is not a usable API root (scheme http or https, a host, no user:password, no query or fragment), as
/// words to follow "--base-url: " (never quoting the URL, which may hold a password), or nullopt when it is one.
/// Throws Error (failed) when libcurl, which parses the URL, cannot be loaded.
std::optional<std::string> base_url_problem(const std::string& url);

} // namespace blogen::gen
