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
  ctest --preset "$preset"
done
echo "==> all tests passed (dev and asan builds)"
