#pragma once
// Questions asked on the terminal (prompt on stderr, answer on stdin), secrets without echo, and reading
// secrets piped on stdin for scripts.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::term {

/// Whether typed characters are shown.
enum class Echo { on, off };
/// A yes/no answer.
enum class Answer { no, yes };

/// Asks on the terminal and returns the line typed (without its newline). With Echo::off the terminal shows nothing
/// while typing and is restored afterwards, also when interrupted. Throws Error{usage} when stdin ends.
std::string ask(std::string_view prompt, Echo echo = Echo::on);
/// Asks a yes/no question on the terminal; anything but y/yes is no.
Answer confirm(std::string_view question);
/// Reads up to `count` lines from stdin; each loses its trailing "\n" or "\r\n" (a last line may lack one).
std::vector<std::string> read_stdin_lines(std::size_t count);

} // namespace blogen::term
