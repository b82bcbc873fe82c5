#include <blogen/gen/credentials.hpp>

#include <blogen/core/error.hpp>
#include <blogen/core/text.hpp>
#include <blogen/gen/provider_kinds.hpp>

#include "curl_library.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <memory>

namespace blogen::gen {
namespace {

// The environment as it is now. getenv races only with setenv, which blogen never calls while providers run.
std::string env_value(const std::string& name) {
  const char* raw = std::getenv(name.c_str()); // NOLINT(concurrency-mt-unsafe)
  return raw ? std::string(text::trim(raw)) : std::string();
}

// "" when `value` can be sent, else why not (never quoting the value).
std::string read_problem(const ProviderConfig& config, const std::string& variable, const std::string& what,
                         const std::string& value) {
  if (value.empty()) {
    return variable + " is not set: provider " + config.name + " reads " + what + " from it (export " + variable +
           "=...)";
  }
  if (value.find_first_of("\r\n") != std::string::npos) {
    return variable + " contains a line break: provider " + config.name + " cannot send " + what + " from it";
  }
  // A header value is visible ASCII, spaces and tabs (RFC 9110): a control character (ESC, BEL, DEL, ...) is never
  // part of a key, and libcurl would send it as it is.
  const bool control = std::any_of(value.begin(), value.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && byte != '\t') || byte == 0x7F;
  });
  if (control) {
    return variable + " contains a control character: provider " + config.name + " cannot send " + what +
           " from it (check how the variable was exported)";
  }
  return {};
}

struct CurlUrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

// One URL part, or "" when absent.
std::string url_part(CURLU* url, CURLUPart part) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, 0) != CURLUE_OK || value == nullptr) return {};
  std::string copy(value);
  curl_free(value);
  return copy;
}

} // namespace

bool is_credential_header(std::string_view name) {
  const std::string lower = text::lower(text::trim(name));
  static constexpr std::array k_marks{"key", "token", "secret", "auth", "password", "cookie", "credential"};
  return std::any_of(k_marks.begin(), k_marks.end(),
                     [&](const char* mark) { return lower.find(mark) != std::string::npos; });
}

bool is_header_name(std::string_view name) {
  static constexpr std::string_view k_symbols = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || k_symbols.find(static_cast<char>(c)) != std::string_view::npos;
  });
}

bool is_env_var_name(std::string_view name) {
  return !name.empty() && std::isdigit(static_cast<unsigned char>(name.front())) == 0 &&
         std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isalnum(c) != 0 || c == '_'; });
}

std::vector<std::string> Credentials::secrets() const {
  std::vector<std::string> values;
  if (!api_key.empty()) values.push_back(api_key);
  for (const auto& header : headers)
    if (!header.second.empty()) values.push_back(header.second);
  return values;
}

Credentials read_credentials(const ProviderConfig& config) {
  Credentials credentials;
  if (!config.api_key_env.empty()) {
    auto value = env_value(config.api_key_env);
    credentials.problem = read_problem(config, config.api_key_env, "its API key", value);
    if (!credentials.problem.empty()) return credentials;
    credentials.api_key = std::move(value);
  }
  for (const auto& [header, variable] : config.header_env) {
    auto value = env_value(variable);
    credentials.problem = read_problem(config, variable, "its " + header + " header", value);
    if (!credentials.problem.empty()) {
      credentials.api_key.clear();
      credentials.headers.clear();
      return credentials;
    }
    credentials.headers.emplace_back(header, std::move(value));
  }
  return credentials;
}

std::vector<ProviderProblem> provider_problems(const ProviderConfig& config) {
  std::vector<ProviderProblem> problems;
  if (const ProviderKind* kind = find_provider_kind(config.kind)) {
    try {
      kind->validate(config);
    } catch (const Error& error) {
      problems.push_back({ErrorKind::bad_request, error.what()});
    }
  } else {
    problems.push_back({ErrorKind::bad_request, "unknown kind '" + config.kind + "'"});
  }
  // Every variable, not just the first missing one: doctor should list all there is to fix.
  ProviderConfig one = config;
  one.header_env.clear();
  if (auto key = read_credentials(one); !key.problem.empty()) problems.push_back({ErrorKind::auth, key.problem});
  for (const auto& header : config.header_env) {
    one.api_key_env.clear();
    one.header_env = {header};
    if (auto read = read_credentials(one); !read.problem.empty()) problems.push_back({ErrorKind::auth, read.problem});
  }
  return problems;
}

std::optional<std::string> base_url_problem(const std::string& url) {
  // libcurl parses the URL as it will when it sends the requests; loading it is the first use of it in a command.
  if (const std::string& problem = curl_library_problem(); !problem.empty()) throw Error(ErrorCode::failed, problem);
  // The messages never quote the URL: it may hold a password.
  const std::unique_ptr<CURLU, CurlUrlDeleter> parsed(curl_url());
  if (!parsed) return std::string("cannot be checked (out of memory)");
  if (url.find_first_of(" \t\r\n") != std::string::npos ||
      curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return std::string("is not a well-formed URL (e.g. http://localhost:11434/v1)");
  }
  const std::string scheme = text::lower(url_part(parsed.get(), CURLUPART_SCHEME));
  if (scheme != "http" && scheme != "https") {
    return std::string("must start with http:// or https:// (e.g. http://localhost:11434/v1)");
  }
  // libcurl reads "http:///v1" as the host "v1"; a typo of that shape should not become a host name.
  const auto authority = url.find("://");
  if (url_part(parsed.get(), CURLUPART_HOST).empty() || authority == std::string::npos ||
      url.compare(authority + 3, 1, "/") == 0) {
    return std::string("names no host (e.g. http://localhost:11434/v1)");
  }
  // A password in the URL would be stored in clear and sent along everywhere: keys belong in --api-key-env.
  if (!url_part(parsed.get(), CURLUPART_USER).empty()) {
    return std::string("must not hold a user name or password (name the key's variable with --api-key-env)");
  }
  if (!url_part(parsed.get(), CURLUPART_QUERY).empty() || !url_part(parsed.get(), CURLUPART_FRAGMENT).empty()) {
    return std::string("must be the API root, without a query or fragment");
  }
  return std::nullopt;
}

} // namespace blogen::gen
