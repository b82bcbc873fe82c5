#!/usr/bin/env bash
# The whole test suite: installs what it needs, checks formatting, then builds once and runs every test once, in a
# Debug build under AddressSanitizer + UndefinedBehaviorSanitizer with warnings as errors (the `asan` preset).
# One build, not two: an uninstrumented build would run the very same tests again and cost a third of CI's
# 30 minutes on 2 cores. The `dev` preset (no sanitizers) stays for quick local work.
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/install-deps.sh --dev

echo "==> format-check"
tests/format-check.sh

echo "==> asan: configure, build, test"
cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --preset asan
echo "==> all tests passed (ASan + UBSan build, warnings as errors)"
