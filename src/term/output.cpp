#include <blogen/core/paths.hpp>
#include <blogen/term/output.hpp>
#include <blogen/term/sanitize.hpp>

#include <iostream>
#include <sys/ioctl.h>
#include <unistd.h>

namespace blogen::term {
namespace {

constexpr std::size_t k_unlimited_width = 100'000;

bool colour_allowed(ColorMode mode, bool is_tty) {
  if (mode == ColorMode::always) return true;
  if (mode == ColorMode::never) return false;
  if (paths::env("NO_COLOR")) return false;
  if (auto term = paths::env("TERM"); term && *term == "dumb") return false;
  return is_tty;
}

std::size_t terminal_width(bool is_tty) {
  if (!is_tty) return k_unlimited_width;
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (auto columns = paths::env("COLUMNS")) {
    try {
      return std::stoul(*columns);
    } catch (const std::exception&) { // NOLINT(bugprone-empty-catch): fall back to 80 columns
    }
  }
  return 80;
}

} // namespace

Output::Output(OutputOptions options, std::ostream& out, std::ostream& err, bool stdout_is_tty, bool stderr_is_tty,
               std::size_t width)
    : m_options(options), m_out(out), m_err(err), m_stdout_tty(stdout_is_tty), m_stderr_tty(stderr_is_tty),
      m_color_out(colour_allowed(options.color, stdout_is_tty)),
      m_color_err(colour_allowed(options.color, stderr_is_tty)), m_width(width) {}

Output Output::for_process(OutputOptions options) {
  const bool out_tty = ::isatty(STDOUT_FILENO) == 1;
  const bool err_tty = ::isatty(STDERR_FILENO) == 1;
  return Output(options, std::cout, std::cerr, out_tty, err_tty, terminal_width(out_tty));
}

bool Output::live_progress() const { return m_stderr_tty && !m_options.no_progress && !m_options.json; }

bool Output::stdin_is_tty() { return ::isatty(STDIN_FILENO) == 1; }

void Output::print_json(const nlohmann::json& document) {
  m_out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  m_out.flush();
}

void Output::print_json_line(const nlohmann::json& document) {
  m_out << document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  m_out.flush();
}

void Output::line(std::string_view text) { m_out << text << '\n'; }

void Output::untrusted(std::string_view text) { m_out << sanitize_for_terminal(text); }

void Output::document(std::string_view text) {
  if (m_stdout_tty) {
    untrusted(text);
  } else {
    m_out << text;
  }
  m_out.flush();
}

void Output::table(const Table& table) { m_out << table.render(m_width, m_color_out); }

void Output::note(std::string_view text) {
  if (m_options.quiet || m_options.json) return;
  m_err << text << '\n';
}

void Output::warn(std::string_view text) { m_err << styled_err("warning: ", Style::yellow) << text << '\n'; }

void Output::error(std::string_view text) {
  m_err << "blogen: " << styled_err("error: ", Style::red) << sanitize_for_terminal(text) << '\n';
}

std::string apply_style(std::string_view text, Style style) {
  const char* code = "";
  switch (style) {
  case Style::bold:
    code = "1";
    break;
  case Style::dim:
    code = "2";
    break;
  case Style::green:
    code = "32";
    break;
  case Style::red:
    code = "31";
    break;
  case Style::yellow:
    code = "33";
    break;
  case Style::cyan:
    code = "36";
    break;
  }
  return std::string("\x1b[") + code + "m" + std::string(text) + "\x1b[0m";
}

std::string Output::styled(std::string_view text, Style style) const {
  return m_color_out ? apply_style(text, style) : std::string(text);
}

std::string Output::styled_err(std::string_view text, Style style) const {
  return m_color_err ? apply_style(text, style) : std::string(text);
}

} // namespace blogen::term
