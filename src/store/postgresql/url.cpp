#include "url.hpp"

#include <blogen/core/paths.hpp>

#include "connection.hpp"

#include <vector>

namespace blogen::store::pg {
namespace {

// The parts of `postgresql://[user[:password]@][host][/dbname][?name=value&...]` a password can hide in.
struct UrlParts {
  std::string_view scheme;   // "postgresql://"
  std::string_view userinfo; // "user:password", without the '@' ("" when there is none)
  std::string_view rest;     // hosts and database name
  std::string_view query;    // after the '?', without it
};

UrlParts split(std::string_view url) {
  UrlParts parts;
  const std::size_t scheme_end = url.find("://");
  const std::size_t after_scheme = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  parts.scheme = url.substr(0, after_scheme);
  std::string_view body = url.substr(after_scheme);
  // Where the user part ends: libpq reads it up to the first '@' before any '/', so a '?' may be part of a password
  // ("ann:pa?ss@host"); the last '@' before the first '?' also covers a password written with an unescaped '/' or
  // '@'. The later of the two cuts the password out whole in every case.
  const auto last_at_before = [&](std::size_t end) {
    const std::size_t at = body.substr(0, end).rfind('@');
    return at == std::string_view::npos ? std::string_view::npos : at;
  };
  const std::size_t by_slash = last_at_before(body.find('/'));
  const std::size_t by_question = last_at_before(body.find('?'));
  std::size_t at = std::string_view::npos;
  if (by_slash != std::string_view::npos) at = by_slash;
  if (by_question != std::string_view::npos && (at == std::string_view::npos || by_question > at)) at = by_question;
  if (at != std::string_view::npos) {
    parts.userinfo = body.substr(0, at);
    body = body.substr(at + 1);
  }
  if (const std::size_t question = body.find('?'); question != std::string_view::npos) {
    parts.query = body.substr(question + 1);
    body = body.substr(0, question);
  }
  parts.rest = body;
  return parts;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// `text` with its %XX escapes decoded, as libpq decodes every part of a URL.
std::string percent_decoded(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (text[at] == '%' && at + 2 < text.size() && hex_value(text[at + 1]) >= 0 && hex_value(text[at + 2]) >= 0) {
      decoded.push_back(static_cast<char>(hex_value(text[at + 1]) * 16 + hex_value(text[at + 2])));
      at += 2;
    } else {
      decoded.push_back(text[at]);
    }
  }
  return decoded;
}

/// The query parameters a secret is given in: the server's password, and the one of a client certificate's key.
bool is_secret_parameter(std::string_view parameter) {
  const std::string name = percent_decoded(parameter.substr(0, parameter.find('=')));
  return name == "password" || name == "sslpassword";
}

std::vector<std::string_view> query_parameters(std::string_view query) {
  std::vector<std::string_view> parameters;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    parameters.push_back(query.substr(0, amp));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return parameters;
}

/// Every password `url` holds, as written and percent-decoded.
std::vector<std::string> passwords_in(std::string_view url) {
  std::vector<std::string> passwords;
  const UrlParts parts = split(url);
  if (const std::size_t colon = parts.userinfo.find(':'); colon != std::string_view::npos) {
    passwords.emplace_back(parts.userinfo.substr(colon + 1));
  }
  for (const std::string_view parameter : query_parameters(parts.query)) {
    const std::size_t equals = parameter.find('=');
    if (is_secret_parameter(parameter) && equals != std::string_view::npos) {
      passwords.emplace_back(parameter.substr(equals + 1));
    }
  }
  const std::size_t written = passwords.size();
  for (std::size_t i = 0; i < written; ++i)
    passwords.push_back(percent_decoded(passwords[i]));
  return passwords;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

} // namespace

bool is_url(std::string_view location) { return paths::is_server_url(location); }

std::string redact_url(std::string_view url) {
  const UrlParts parts = split(url);
  std::string redacted(parts.scheme);
  const std::string_view user = parts.userinfo.substr(0, parts.userinfo.find(':'));
  if (!user.empty()) redacted.append(user).append("@");
  redacted.append(parts.rest);
  std::string query;
  for (const std::string_view parameter : query_parameters(parts.query)) {
    if (is_secret_parameter(parameter)) continue;
    query.append(query.empty() ? "?" : "&").append(parameter);
  }
  return redacted + query;
}

std::string without_password(std::string_view text, std::string_view url) {
  std::string cleaned(text);
  replace_all(cleaned, url, redact_url(url));
  for (const std::string& password : passwords_in(url))
    replace_all(cleaned, password, "***");
  return cleaned;
}

} // namespace blogen::store::pg
