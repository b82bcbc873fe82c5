#include <blogen/gen/sse_parser.hpp>

#include <utility>

namespace blogen::gen {

SseParser::SseParser(EventCallback on_event) : m_on_event(std::move(on_event)) {}

void SseParser::feed(std::string_view bytes) {
  for (const char c : bytes) {
    if (m_skip_lf) {
      m_skip_lf = false;
      if (c == '\n') continue;
    }
    if (c == '\r' || c == '\n') {
      m_skip_lf = c == '\r';
      process_line(m_line);
      m_line.clear();
      continue;
    }
    m_line += c;
    if (m_at_start && m_line.size() == 3) {
      if (m_line == "\xEF\xBB\xBF") m_line.clear();
      m_at_start = false;
    }
  }
}

void SseParser::finish() {
  if (!m_line.empty()) process_line(m_line);
  m_line.clear();
  dispatch();
}

void SseParser::process_line(std::string_view line) {
  m_at_start = false;
  if (line.empty()) {
    dispatch();
    return;
  }
  if (line.front() == ':') return; // a comment, often a keep-alive
  const auto colon = line.find(':');
  const auto field = line.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (m_has_data) m_pending.data += '\n';
    m_pending.data += value;
    m_has_data = true;
  } else if (field == "event") {
    m_pending.event = value;
  }
  // id and retry are about reconnecting, which a one-shot completion never does.
}

void SseParser::dispatch() {
  if (m_has_data && m_on_event) m_on_event(m_pending);
  m_pending = {};
  m_has_data = false;
}

} // namespace blogen::gen
