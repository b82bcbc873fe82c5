#!/usr/bin/env bash
# Fails when a tracked C++ file differs from what .clang-format makes of it (`tests/format-check.sh --fix`, or the
# `format` target, rewrites them). Fast: the test command runs it first.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
if ((${#files[@]} == 0)); then
  echo "format-check: no C++ files tracked" >&2
  exit 1
fi
if [[ "${1:-}" == "--fix" ]]; then
  clang-format -i "${files[@]}"
  echo "format: ${#files[@]} files formatted"
  exit 0
fi
clang-format --dry-run -Werror "${files[@]}"
echo "format-check: ${#files[@]} files formatted"
