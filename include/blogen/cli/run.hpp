#pragma once
// The command line: parses arguments, calls one use case, prints, and maps every error to an exit code.

namespace blogen::cli {

/// Runs blogen with the process arguments and returns the exit code (see CLI.md "Exit codes").
int run(int argc, char** argv);

} // namespace blogen::cli
