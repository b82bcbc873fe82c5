#!/usr/bin/env bash
# The whole test suite: installs what it needs, then builds and runs every test twice,
# once in the dev build (warnings as errors) and once under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/install-deps.sh --dev

echo "==> format-check"
tests/format-check.sh

for preset in dev asan; do
  echo "==> ${preset}: configure, build, test"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  # The long multi-process scenarios (label `slow`) run once, in the dev build: under the sanitizers they take
  # minutes and find nothing more (each process is sanitized in the other tests), and CI has 30 minutes.
  if [[ "$preset" == asan ]]; then ctest --preset "$preset" -LE slow; else ctest --preset "$preset"; fi
done
tests/fuzz/run.sh
echo "==> all tests passed (dev and asan builds)"
