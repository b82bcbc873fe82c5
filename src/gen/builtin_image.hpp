#pragma once
// The builtin "image": an SVG title card, so `--images` works offline and without a key.

#include <blogen/gen/provider.hpp>

#include <string>
#include <string_view>

namespace blogen::gen::builtin {

/// An SVG title card for an image request: the title (brief title, topic, or the prompt) and the brand, wrapped
/// to fit, on a two-colour gradient chosen from the seed. `request.size` ("1024x1024") sets the dimensions.
std::string render_title_card(const ImageRequest& request);

} // namespace blogen::gen::builtin
