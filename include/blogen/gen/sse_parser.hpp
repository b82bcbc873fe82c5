#pragma once
// Server-sent events, parsed incrementally: a network read can end anywhere (mid-line, mid-CRLF, mid-UTF-8), so the
// parser keeps the partial line between feeds and only hands out complete events.

#include <functional>
#include <string>
#include <string_view>

namespace blogen::gen {

/// One complete server-sent event.
struct SseEvent {
  std::string event; ///< the `event:` field ("" when the server sent none)
  std::string data;  ///< the `data:` lines joined by '\n'
};

/// Incremental parser for a `text/event-stream` body (WHATWG rules: LF, CRLF or CR line ends; `:` comments).
class SseParser {
public:
  /// Receives each complete event.
  using EventCallback = std::function<void(const SseEvent& event)>;

  explicit SseParser(EventCallback on_event);
  /// Consumes the next bytes of the stream; they may split lines and events at any byte.
  void feed(std::string_view bytes);
  /// Ends the stream: an event whose closing blank line never came is still delivered, because some servers end
  /// with `data: [DONE]` and no blank line.
  void finish();

private:
  void process_line(std::string_view line);
  void dispatch();

  EventCallback m_on_event;
  std::string m_line;      // the unfinished line carried over from the previous feed
  SseEvent m_pending;      // fields seen since the last blank line
  bool m_has_data = false; // a data field arrived (an event with an empty data line is still an event)
  bool m_skip_lf = false;  // the previous feed ended on '\r': a leading '\n' belongs to that line end
  bool m_at_start = true;  // a UTF-8 byte order mark may open the stream
};

} // namespace blogen::gen
