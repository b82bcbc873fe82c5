#!/usr/bin/env bash
# bench/one-batch.sh BINARY N: one campaign run of N posts at latency 0, concurrency 8, with a given binary: prints wall, CPU, RSS.
set -euo pipefail
B=$(cd "$(dirname "$0")/.." && pwd)/build/bench; bin=$1; n=$2; d=$(mktemp -d /tmp/ab.XXXX)
export HOME=$d XDG_DATA_HOME=$d/data XDG_CONFIG_HOME=$d/config XDG_CACHE_HOME=$d/cache BLOGEN_DB=$d/blogen.db
coproc F { exec $B/tests/fake_openai --port 0 --latency-ms 100 --threads 160 --keep-alive; }
read -r line <&"${F[0]}"; port=${line#PORT }
$bin init --username bench >/dev/null 2>&1
$bin -q provider add fake --base-url http://127.0.0.1:$port/v1 --model fake-gpt --no-key --concurrency 50 --max-attempts 1 >/dev/null
$bin -q provider use fake
$bin -q campaign create --name B --brand Z --audience u --description "Folding e-bikes." >/dev/null
/usr/bin/time -f "$(basename $bin) N=$n wall %e s, user %U s, sys %S s, peak RSS %M KB" $bin --no-progress -q campaign run 1 --count $n >/dev/null
kill $F_PID; rm -rf $d
