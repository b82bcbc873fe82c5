#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/CMakeLists.txt, clang, ASan + UBSan) and runs each for a few seconds
# from its committed corpus (tests/fuzz/corpus/<target>/, read-only: new inputs go to a scratch folder), two at a
# time. Fails when a target crashes (the input is kept in build/fuzz/artifacts/). Prints the executions in all.
#   tests/fuzz/run.sh [SECONDS_PER_TARGET]    (default 7: seven targets, two at a time, about 30 s)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-7}"
build=build/fuzz
targets=(sse csv batch_json cron template answer sanitize)

echo "==> fuzz: build (clang, libFuzzer)"
cmake -S tests/fuzz -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -- -j2 >/dev/null

mkdir -p "$build/artifacts" "$build/logs"
run_one() {
  local target="$1" seconds="$2" build="$3"
  local scratch
  scratch="$(mktemp -d)"
  # The first folder collects new inputs (scratch); the committed corpus is only read.
  if "$build/fuzz_$target" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=1024 -print_final_stats=1 \
      -artifact_prefix="$build/artifacts/$target-" "$scratch" "tests/fuzz/corpus/$target" \
      >"$build/logs/$target.log" 2>&1; then
    rm -rf "$scratch"
  else
    rm -rf "$scratch"
    echo "fuzz: $target FAILED; see $build/logs/$target.log and $build/artifacts/" >&2
    tail -30 "$build/logs/$target.log" >&2
    return 1
  fi
}
export -f run_one
printf '%s\n' "${targets[@]}" | xargs -P 2 -I{} bash -c "run_one {} $seconds $build"

total=0
for target in "${targets[@]}"; do
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/logs/$target.log" | tail -1)
  echo "fuzz: $target ${runs:-0} executions"
  total=$((total + ${runs:-0}))
done
echo "==> fuzz: ${#targets[@]} targets, $total executions, no crash"
