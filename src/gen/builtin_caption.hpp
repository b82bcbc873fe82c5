#pragma once
// The builtin caption writer: a social post for one platform, within its character limit, ending with a line
// of 3-8 hashtags derived from the brand, the keywords and the topic.

#include <blogen/gen/provider.hpp>

#include <string>
#include <vector>

namespace blogen::gen::builtin {

/// Hashtags for a brief ("#AcmeCoffee", "#ColdBrew", ...): brand first, then keywords and topic, then audience
/// and generic ones until there are at least 3; at most `max_tags` (3..8). ASCII letters and digits only.
std::vector<std::string> caption_hashtags(const Brief& brief, std::size_t max_tags);

/// A caption for `brief.platform` (twitter 280, linkedin 3000, instagram/generic 2200 bytes at most, so the
/// limit holds whether a platform counts bytes or characters), mentioning the brand, speaking to the audience,
/// shaped by `brief.brief` and the tone, with the hashtags on the last line. Deterministic per seed.
std::string write_caption(const Brief& brief);

} // namespace blogen::gen::builtin
