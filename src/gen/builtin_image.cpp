#include "builtin_image.hpp"

#include <blogen/core/text.hpp>

#include <blogen/core/markup.hpp>
#include <blogen/gen/templates.hpp>

#include "builtin_random.hpp"
#include "builtin_text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

namespace blogen::gen::builtin {
namespace {

struct Size {
  int width = 1024;
  int height = 1024;
};

Size parse_size(std::string_view size) {
  Size parsed;
  const auto x = size.find('x');
  if (x == std::string_view::npos) return parsed;
  int width = 0;
  int height = 0;
  const auto w = std::from_chars(size.data(), size.data() + x, width);
  const auto h = std::from_chars(size.data() + x + 1, size.data() + size.size(), height);
  if (w.ec != std::errc{} || h.ec != std::errc{} || width <= 0 || height <= 0) return parsed;
  parsed.width = std::clamp(width, 64, 4096);
  parsed.height = std::clamp(height, 64, 4096);
  return parsed;
}

/// A colour from hue/saturation/lightness (0-360, 0-1, 0-1) as #rrggbb.
std::string hsl(double hue, double saturation, double lightness) {
  auto channel = [&](double n) {
    const double k = std::fmod(n + hue / 30.0, 12.0);
    const double a = saturation * std::min(lightness, 1 - lightness);
    const double value = lightness - a * std::max(-1.0, std::min({k - 3, 9 - k, 1.0}));
    return static_cast<int>(std::lround(value * 255));
  };
  std::array<char, 8> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "#%02x%02x%02x", channel(0), channel(8), channel(4));
  return std::string(buffer.data());
}

/// Greedy word wrap at roughly `width` characters, at most `max_lines` lines (the last one ellipsised).
std::vector<std::string> wrap(std::string_view text, std::size_t width, std::size_t max_lines) {
  std::vector<std::string> lines;
  std::string current;
  std::size_t start = 0;
  const std::string collapsed = collapse_spaces(text);
  const std::string_view all(collapsed);
  while (start < all.size()) {
    auto end = all.find(' ', start);
    if (end == std::string_view::npos) end = all.size();
    const std::string_view word = all.substr(start, end - start);
    if (!current.empty() && text::utf8_length(current) + 1 + text::utf8_length(word) > width) {
      lines.push_back(current);
      current.clear();
    }
    if (!current.empty()) current += ' ';
    current += word;
    start = end + 1;
  }
  if (!current.empty()) lines.push_back(current);
  if (lines.size() > max_lines) {
    lines.resize(max_lines);
    lines.back() += "\xE2\x80\xA6";
  }
  return lines;
}

} // namespace

std::string render_title_card(const ImageRequest& request) {
  const Brief& brief = request.brief;
  std::string title = collapse_spaces(brief.title);
  if (title.empty() && (!text::trim(brief.topic).empty() || !text::trim(brief.prompt).empty()))
    title = brief_topic(brief);
  if (title.empty()) title = collapse_spaces(request.prompt);
  if (title.empty()) title = "Untitled";
  title = capitalize_first(title);
  const std::string brand = collapse_spaces(brief.brand);

  Rng rng(brief.seed ^ stable_hash(title));
  const double hue = static_cast<double>(rng.below(360));
  const double shift = 30.0 + static_cast<double>(rng.below(120));
  const std::string from = hsl(hue, 0.65, 0.42);
  const std::string to = hsl(std::fmod(hue + shift, 360.0), 0.70, 0.28);
  const std::string accent = hsl(std::fmod(hue + 180.0, 360.0), 0.80, 0.70);

  const Size size = parse_size(request.size);
  const int font = std::max(12, std::min(size.width, size.height) / 14);
  const auto chars_per_line = static_cast<std::size_t>(std::max(8, size.width * 16 / (font * 10)));
  const auto lines = wrap(title, chars_per_line, 5);
  const int line_height = font * 6 / 5;
  const int block = line_height * static_cast<int>(lines.size());
  int y = (size.height - block) / 2 + font;

  std::string svg;
  svg += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(size.width) + "\" height=\"" +
         std::to_string(size.height) + "\" viewBox=\"0 0 " + std::to_string(size.width) + " " +
         std::to_string(size.height) + "\" role=\"img\" aria-label=\"" + markup::escape(title) + "\">\n";
  svg += "  <title>" + markup::escape(title) + "</title>\n";
  svg += "  <defs>\n    <linearGradient id=\"bg\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"1\">\n";
  svg += "      <stop offset=\"0\" stop-color=\"" + from + "\"/>\n";
  svg += "      <stop offset=\"1\" stop-color=\"" + to + "\"/>\n    </linearGradient>\n  </defs>\n";
  svg += "  <rect width=\"100%\" height=\"100%\" fill=\"url(#bg)\"/>\n";
  const int margin = size.width / 12;
  svg += "  <rect x=\"" + std::to_string(margin) + "\" y=\"" + std::to_string(y - font - font / 2) + "\" width=\"" +
         std::to_string(size.width / 8) + "\" height=\"" + std::to_string(std::max(4, font / 8)) + "\" fill=\"" +
         accent + "\"/>\n";
  svg += "  <g font-family=\"Helvetica, Arial, sans-serif\" font-weight=\"700\" fill=\"#ffffff\" font-size=\"" +
         std::to_string(font) + "\" text-anchor=\"middle\">\n";
  for (const auto& text_line : lines) {
    svg += "    <text x=\"" + std::to_string(size.width / 2) + "\" y=\"" + std::to_string(y) + "\">" +
           markup::escape(text_line) + "</text>\n";
    y += line_height;
  }
  svg += "  </g>\n";
  if (!brand.empty()) {
    svg += "  <text x=\"" + std::to_string(size.width / 2) + "\" y=\"" + std::to_string(size.height - margin) +
           "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"" + std::to_string(std::max(10, font / 2)) +
           "\" fill=\"" + accent + "\" text-anchor=\"middle\">" + markup::escape(brand) + "</text>\n";
  }
  svg += "</svg>\n";
  return svg;
}

} // namespace blogen::gen::builtin
