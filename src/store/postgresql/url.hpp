#pragma once
// What the PostgreSQL engine does with a connection URL beyond connection.hpp's is_url and redact_url.

#include <string>
#include <string_view>

namespace blogen::store::pg {

/// `text` (a message of libpq's, which may quote parts of the URL) with `url` replaced by its redacted form and any
/// password the URL holds, as written or percent-decoded, replaced by "***".
std::string without_password(std::string_view text, std::string_view url);

} // namespace blogen::store::pg
