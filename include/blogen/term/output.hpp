#pragma once
// Where a command's results go: human text and tables on stdout, diagnostics on stderr, or one JSON document.
// Decides colour (TTY, --color, NO_COLOR) and width once, so commands never ask the terminal themselves.

#include <blogen/term/table.hpp>

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <string>
#include <string_view>

namespace blogen::term {

/// `--color` values.
enum class ColorMode { automatic, always, never };
/// Text styles used by commands; they map to ANSI SGR codes only when colour is on.
enum class Style { bold, dim, green, red, yellow, cyan };

/// Output settings from the global options.
struct OutputOptions {
  bool json = false;
  bool quiet = false;
  bool no_progress = false;
  ColorMode color = ColorMode::automatic;
};

/// The printing side of a command.
class Output {
public:
  Output(OutputOptions options, std::ostream& out, std::ostream& err, bool stdout_is_tty, bool stderr_is_tty,
         std::size_t width);
  /// An Output bound to std::cout/std::cerr, detecting TTYs, terminal width and NO_COLOR.
  static Output for_process(OutputOptions options);

  [[nodiscard]] bool json() const { return m_options.json; }
  [[nodiscard]] bool quiet() const { return m_options.quiet; }
  /// Whether --no-progress was given (no bars, spinners or progress lines at all).
  [[nodiscard]] bool no_progress() const { return m_options.no_progress; }
  /// Whether stdout gets colour.
  [[nodiscard]] bool color() const { return m_color_out; }
  /// Whether progress bars and spinners may be drawn on stderr (a TTY, no --no-progress, no --json).
  [[nodiscard]] bool live_progress() const;
  /// Whether stderr is a terminal.
  [[nodiscard]] bool stderr_is_tty() const { return m_stderr_tty; }
  /// Whether stdin is a terminal (prompts and confirmations are allowed).
  [[nodiscard]] static bool stdin_is_tty();
  /// Columns available on stdout (very wide when stdout is not a terminal, so pipes get whole lines).
  [[nodiscard]] std::size_t width() const { return m_width; }

  /// Writes one JSON document (pretty-printed, invalid UTF-8 replaced) and a newline to stdout.
  void print_json(const nlohmann::json& document);
  /// Writes one compact JSON line to stdout (NDJSON streams) and flushes.
  void print_json_line(const nlohmann::json& document);
  /// Writes trusted text (built by blogen) and a newline to stdout.
  void line(std::string_view text);
  /// Writes text that came from a user or a model, neutralised, without adding a newline.
  void untrusted(std::string_view text);
  /// Writes a document that is the command's whole output (an export): byte for byte into a file or a pipe, and
  /// neutralised like untrusted() when stdout is a terminal, where its text could otherwise drive the terminal.
  void document(std::string_view text);
  /// Writes a table to stdout.
  void table(const Table& table);
  /// A success or progress note on stderr; silent with --quiet or --json.
  void note(std::string_view text);
  /// A warning on stderr (always shown).
  void warn(std::string_view text);
  /// An error line on stderr: `blogen: error: ...` (always shown).
  void error(std::string_view text);
  /// `text` wrapped in the style when stdout has colour.
  [[nodiscard]] std::string styled(std::string_view text, Style style) const;
  /// `text` wrapped in the style when stderr has colour.
  [[nodiscard]] std::string styled_err(std::string_view text, Style style) const;
  /// The raw error stream (progress drawing).
  [[nodiscard]] std::ostream& err_stream() { return m_err; }
  /// The raw output stream.
  [[nodiscard]] std::ostream& out_stream() { return m_out; }

private:
  OutputOptions m_options;
  std::ostream& m_out;
  std::ostream& m_err;
  bool m_stdout_tty;
  bool m_stderr_tty;
  bool m_color_out;
  bool m_color_err;
  std::size_t m_width;
};

/// Wraps text in an ANSI style.
std::string apply_style(std::string_view text, Style style);

} // namespace blogen::term
