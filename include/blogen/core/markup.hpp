#pragma once
// Escaping text for XML and HTML (SVG title cards, exported HTML pages).

#include <string>
#include <string_view>

namespace blogen::markup {

/// Text made safe inside XML or HTML text and attributes: & < > " ' escaped, control characters that XML forbids
/// and invalid UTF-8 dropped.
std::string escape(std::string_view text);

} // namespace blogen::markup
