#pragma once
// The command line: parses arguments, calls one use case, prints, and maps every error to an exit code.

namespace blogen::cli {

/// Runs blogen with the process arguments and returns the exit code (see "Exit codes" in README.md and EXIT STATUS in
/// man/blogen.1).
int run(int argc, char** argv);

} // namespace blogen::cli
