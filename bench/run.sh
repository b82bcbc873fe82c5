#!/usr/bin/env bash
# The benchmarks of issue #18: batch wall time against the ideal and against `xargs -P C curl`, durable posts per
# second, scaling with N, reads on a generated 100 000-post store next to `sqlite3`, start-up next to `curl`, and
# peak memory. Everything runs against the fake OpenAI server of the tests, built in Release with blogen.
#
#   bench/run.sh [--json] [--runs N] [--out FILE] [--no-build] [--build-dir DIR] [--blogen FILE]
#
#   --json        print the results as JSON instead of a Markdown table
#   --runs N      runs per figure (default 5; whole-process reads take 4N of each command, alternated)
#   --out FILE    also write the Markdown report to FILE (e.g. bench/RESULTS.md)
#   --no-build    use the binaries in the build directory as they are
#   --blogen FILE measure this blogen binary instead of the build directory's (an older build, for a before/after)
#   --only LIST   only these groups, comma-separated: batch, scale, reads, postgresql (default: all)
#   --smoke       a quick check of the script itself: tiny batches and store, one run (the numbers mean nothing)
#
# Needs: sqlite3, curl, GNU time (/usr/bin/time), python3 (packaging/install-deps.sh --bench); for the
# postgresql group, PostgreSQL 15 (a throwaway cluster is started by tests/support/pg-cluster.sh).
# Not a test: nothing here asserts; the report says pass or fail against the targets of issue #18.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
runs=5
format=markdown
out=""
build=1
build_dir="$root/build/bench"
blogen=""
smoke=0
only="batch,scale,reads,postgresql"
while (($#)); do
  case "$1" in
  --json) format=json ;;
  --runs) runs=$2; shift ;;
  --out) out=$2; shift ;;
  --no-build) build=0 ;;
  --build-dir) build_dir=$2; shift ;;
  --blogen) blogen=$2; shift ;;
  --smoke) smoke=1; runs=1 ;;
  --only) only=$2; shift ;;
  -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

for tool in sqlite3 curl python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh: $tool is missing (packaging/install-deps.sh --bench)" >&2; exit 2; }
done

if ((build)); then
  (cd "$root" && cmake --preset bench >/dev/null && cmake --build --preset bench --target bench_tools >&2)
fi
blogen=${blogen:-$build_dir/blogen}
fake=$build_dir/tests/fake_openai
gen_store=$build_dir/bench/bench_gen_store
empty_process=$build_dir/bench/bench_empty_process
for binary in "$blogen" "$fake" "$gen_store" "$empty_process"; do
  [[ -x $binary ]] || { echo "bench/run.sh: $binary is not built (cmake --build --preset bench --target bench_tools)" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/blogen-bench.XXXXXX")
samples=$work/samples.jsonl
fake_pid=""
pg_base="" # the PostgreSQL cluster's base URL while the postgresql group runs
cleanup() {
  if [[ -n $fake_pid ]]; then kill "$fake_pid" 2>/dev/null || true; fi
  if [[ -f $work/pg/url ]]; then "$root/tests/support/pg-cluster.sh" stop "$work/pg" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

say() { echo "bench: $(date +%T) $*" >&2; }

# record FIGURE KEY VALUE...: one sample set (or extra facts) for the report.
record() {
  local figure=$1 key=$2
  shift 2
  python3 -c 'import json,sys; print(json.dumps({"figure": sys.argv[1], "key": sys.argv[2], "values": [float(v) for v in sys.argv[3:]]}))' \
    "$figure" "$key" "$@" >>"$samples"
}

# ---- The fake OpenAI server ---------------------------------------------------------------------------------------

# start_fake LATENCY_MS: a fresh server with keep-alive (blogen reuses connections; curl -n 1 cannot).
start_fake() {
  stop_fake
  coproc FAKE { exec "$fake" --port 0 --latency-ms "$1" --threads 160 --keep-alive; }
  fake_pid=$FAKE_PID
  local line
  read -r line <&"${FAKE[0]}"
  fake_port=${line#PORT }
  fake_url="http://127.0.0.1:$fake_port/v1"
}
stop_fake() {
  if [[ -n $fake_pid ]]; then
    kill "$fake_pid" 2>/dev/null || true
    wait "$fake_pid" 2>/dev/null || true
    fake_pid=""
  fi
}
# CPU seconds (user + system) the fake server has used so far.
fake_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$fake_pid/stat"; }

# ---- A blogen sandbox: its own HOME, XDG directories and store --------------------------------------------------

# sandbox DIR: environment variables for blogen runs in DIR.
sandbox_env() {
  echo "HOME=$1" "XDG_DATA_HOME=$1/data" "XDG_CONFIG_HOME=$1/config" "XDG_CACHE_HOME=$1/cache" \
    "BLOGEN_DB=${bench_db:-$1/blogen.db}" \
    "LANG=C.UTF-8" "TZ=UTC"
}
in_sandbox() {
  local dir=$1
  shift
  env -i PATH="$PATH" $(sandbox_env "$dir") "$@"
}

# A template sandbox per concurrency: an account, the fake provider and a campaign; each run copies it.
make_template() {
  local dir=$1 concurrency=$2
  local bench_db=${pg_base:+${pg_base}bench_template} # on PostgreSQL: the template database
  rm -rf "$dir" && mkdir -p "$dir"
  in_sandbox "$dir" "$blogen" init --username bench >/dev/null 2>&1
  in_sandbox "$dir" "$blogen" -q provider add fake --base-url "$fake_url" --model fake-gpt --no-key \
    --concurrency "$concurrency" --max-attempts 1 >/dev/null
  in_sandbox "$dir" "$blogen" -q provider use fake >/dev/null
  in_sandbox "$dir" "$blogen" -q campaign create --name Bench --brand "Zephyr Bikes" --audience "urban commuters" \
    --description "Folding e-bikes for the daily commute." >/dev/null
}

# batch_run TEMPLATE N: one `campaign run` of N posts in a copy of TEMPLATE; prints "wall user sys maxrss_kb".
batch_run() {
  local template=$1 count=$2 dir=$work/run
  rm -rf "$dir" && cp -a "$template" "$dir"
  local timing=$work/time.txt
  local bench_db=${pg_base:+${pg_base}bench_run} # on PostgreSQL: a fresh copy of the template database
  if [[ -n $pg_base ]]; then
    PGOPTIONS="-c client_min_messages=warning" psql -qX -d "${pg_base}postgres" -c "DROP DATABASE IF EXISTS bench_run" \
      -c "CREATE DATABASE bench_run TEMPLATE bench_template" >/dev/null
  fi
  in_sandbox "$dir" /usr/bin/time -f "%e %U %S %M" -o "$timing" "$blogen" --no-progress -q campaign run 1 \
    --count "$count" >/dev/null
  local completed query="SELECT count(*) FROM posts WHERE status = 'completed'"
  if [[ -n $pg_base ]]; then
    completed=$(psql -qXAt -d "$bench_db" -c "$query")
    psql -qXAt -d "$bench_db" -c "SELECT pg_database_size('bench_run')" >"$work/store_bytes"
  else
    completed=$(sqlite3 "$dir/blogen.db" "$query")
    echo $(($(stat -c %s "$dir/blogen.db") + $(stat -c %s "$dir/blogen.db-wal" 2>/dev/null || echo 0))) >"$work/store_bytes"
  fi
  if [[ $completed != "$count" ]]; then
    echo "bench/run.sh: only $completed of $count posts completed" >&2
    exit 1
  fi
  cat "$timing"
}

# xargs_run N CONCURRENCY: what a script writer would do instead: N chat requests, C curl processes at a time,
# nothing stored. Prints the wall seconds.
xargs_run() {
  local count=$1 concurrency=$2
  local body='{"model":"fake-gpt","messages":[{"role":"user","content":"Write a caption about folding e-bikes"}]}'
  local start end
  start=$(date +%s.%N)
  seq "$count" | xargs -P "$concurrency" -I{} curl -sS -o /dev/null -H 'Content-Type: application/json' \
    -d "$body" "$fake_url/chat/completions"
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.3f}')"
}

# batch_shape NAME N LATENCY_MS CONCURRENCY BASELINE(0|1)
batch_shape() {
  local name=$1 count=$2 latency=$3 concurrency=$4 baseline=$5
  say "batch $name: N=$count latency=${latency}ms concurrency=$concurrency, $runs runs"
  start_fake "$latency"
  make_template "$work/template-$name" "$concurrency"
  local walls=() cpus=() rss=() base=() fake_before fake_after
  fake_before=$(fake_cpu)
  for ((i = 0; i < runs; i++)); do
    batch_run "$work/template-$name" "$count" >"$work/run.txt"
    read -r wall user sys maxrss <"$work/run.txt"
    walls+=("$wall")
    cpus+=("$(python3 -c "print(($user + $sys) * 1000 / $count)")")
    rss+=("$(python3 -c "print($maxrss / 1024)")")
  done
  fake_after=$(fake_cpu)
  record "$name" wall_s "${walls[@]}"
  record "$name" cpu_ms_per_post "${cpus[@]}"
  record "$name" peak_rss_mb "${rss[@]}"
  record "$name" store_bytes_per_post "$(python3 -c "print($(cat "$work/store_bytes") / $count)")"
  record "$name" fake_cpu_s_per_run "$(python3 -c "print(($fake_after - $fake_before) / $runs)")"
  record "$name" ideal_s "$(python3 -c "import math; print(math.ceil($count / $concurrency) * $latency / 1000)")"
  record "$name" posts "$count"
  if ((baseline)); then
    for ((i = 0; i < runs; i++)); do base+=("$(xargs_run "$count" "$concurrency")"); done
    record "$name" xargs_wall_s "${base[@]}"
  fi
}

# ---- The batch figure on PostgreSQL -------------------------------------------------------------------------------

# pg_batch_shape NAME N LATENCY_MS CONCURRENCY: batch_shape's figure with the store on a throwaway PostgreSQL 15
# cluster over TCP to 127.0.0.1; each run starts from a copy of the template database (CREATE DATABASE ... TEMPLATE).
pg_batch_shape() {
  say "PostgreSQL: starting a throwaway cluster"
  pg_base=$("$root/tests/support/pg-cluster.sh" start "$work/pg")
  psql -qX -d "${pg_base}postgres" -c "CREATE DATABASE bench_template" >/dev/null
  batch_shape "$@" 0
  "$root/tests/support/pg-cluster.sh" stop "$work/pg" >/dev/null
  pg_base=""
}

# ---- Reads on a generated 100 000-post store ----------------------------------------------------------------------

# timed_pair FIGURE BLOGEN_COMMAND FLOOR_COMMAND [SANDBOX_DIR]: both timed as whole processes, alternately
# (bench/alternate.py: blogen, the floor, blogen, ..., 4N runs each after 3 rounds of warm-up); records their run
# times. Alternating matters: this machine's speed drifts by 10-20% within minutes, and hyperfine's 2N runs of one
# command, then 2N of the other, put that drift into the ratio (one run measured `blog show` at 1.01 x `sqlite3`,
# the next at 1.46, with the same binary). With SANDBOX_DIR the timer itself runs in that sandbox's environment, so
# both commands are started directly: an `env -i ...` wrapper in front of one command only would add its own exec
# (about 2 ms and 70 page faults here) to that side. The commands are split into words as a shell would.
timed_pair() {
  local figure=$1 json=$work/pair.json
  local -a ours floor sandbox=()
  eval "ours=($2)"
  eval "floor=($3)"
  [[ -n ${4:-} ]] && sandbox=(in_sandbox "$4")
  "${sandbox[@]}" python3 "$root/bench/alternate.py" --json "$json" $((runs * 4)) "${ours[@]}" -- "${floor[@]}" \
    >/dev/null
  python3 - "$json" "$figure" >>"$samples" <<'EOF2'
import json, sys
times = json.load(open(sys.argv[1]))["wall_s"]
for key, values in zip(("blogen_s", "floor_s"), times):
    print(json.dumps({"figure": sys.argv[2], "key": key, "values": values}))
EOF2
}

reads() {
  local dir=$work/big posts=$((smoke ? 2000 : 100000))
  say "reads: generating a $posts-post store (posts, revisions, FTS, jobs, call log)"
  rm -rf "$dir" && mkdir -p "$dir"
  in_sandbox "$dir" "$blogen" init --username bench >/dev/null 2>&1
  local start end
  start=$(date +%s.%N)
  "$gen_store" "$dir/blogen.db" 1 "$posts"
  end=$(date +%s.%N)
  record store_100k generate_s "$(python3 -c "print($end - $start)")"
  record store_100k store_mb "$(python3 -c "print($(stat -c %s "$dir/blogen.db") / 1048576)")"
  local db=$dir/blogen.db
  local columns="p.id, p.user_id, p.kind, p.campaign_id, p.batch_id, p.title, p.topic, p.prompt, p.category, p.tone, p.keywords, p.target_words, p.template, p.audience, p.brand, p.platform, p.brief, p.content, p.hashtags, p.image_path, p.status, p.error, p.provider, p.model, p.prompt_tokens, p.completion_tokens, p.seed, p.revision, p.created_at, p.updated_at, p.deleted_at"
  say "reads: blog list, search, show, job list next to sqlite3"
  timed_pair blog_list "$blogen blog list --limit 20" \
    "sqlite3 $db \"SELECT $columns FROM posts p WHERE p.user_id = 1 AND p.kind = 'blog' AND p.deleted_at IS NULL ORDER BY p.created_at DESC, p.id DESC LIMIT 20; SELECT count(*) FROM posts p WHERE p.user_id = 1 AND p.kind = 'blog' AND p.deleted_at IS NULL\"" \
    "$dir"
  timed_pair blog_search "$blogen blog search \"bridge climb\"" \
    "sqlite3 $db \"SELECT $columns, snippet(posts_fts, -1, char(2), char(3), '…', 16), bm25(posts_fts, 10.0, 5.0, 3.0, 1.0) AS rank FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid WHERE posts_fts MATCH '\\\"bridge\\\" \\\"climb\\\"' AND p.deleted_at IS NULL AND p.user_id = 1 ORDER BY rank LIMIT 20\"" \
    "$dir"
  timed_pair blog_show "$blogen blog show $((posts / 2))" \
    "sqlite3 $db \"SELECT $columns FROM posts p WHERE p.id = $((posts / 2)) AND p.user_id = 1\"" \
    "$dir"
  timed_pair job_list "$blogen job list" \
    "sqlite3 $db \"SELECT * FROM jobs WHERE user_id = 1 ORDER BY id DESC LIMIT 50\"" \
    "$dir"
  # The floor of the floor: a process that only loads blogen's libraries, next to sqlite3 running show's query.
  timed_pair empty_process "$empty_process" \
    "sqlite3 $db \"SELECT $columns FROM posts p WHERE p.id = $((posts / 2)) AND p.user_id = 1\"" \
    "$dir"
  timed_pair version "$blogen --version" "curl --version"
  local rss=()
  for ((i = 0; i < runs; i++)); do
    in_sandbox "$dir" /usr/bin/time -f "%M" -o "$work/rss.txt" "$blogen" blog list --limit 20 >/dev/null 2>&1
    rss+=("$(python3 -c "print($(cat "$work/rss.txt") / 1024)")")
  done
  record blog_list peak_rss_mb "${rss[@]}"
}

# ---- Run ------------------------------------------------------------------------------------------------------------

started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
small=$((smoke ? 10 : 1)) # --smoke: a tenth of every batch
wanted() { [[ ",$only," == *",$1,"* ]]; }
if wanted batch; then
  batch_shape batch_1000_l100_c50 $((1000 / small)) 100 50 1
  batch_shape batch_10000_l20_c64 $((10000 / small)) 20 64 0
fi
if wanted scale; then
  batch_shape scale_100_l0_c8 $((100 / small)) 0 8 0
  batch_shape scale_1000_l0_c8 $((1000 / small)) 0 8 0
  batch_shape scale_10000_l0_c8 $((10000 / small)) 0 8 0
fi
if wanted postgresql; then
  pg_batch_shape pg_batch_1000_l100_c50 $((1000 / small)) 100 50
fi
stop_fake
if wanted reads; then reads; fi
record bench total_s "$(($(date +%s) - started))"

machine_cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
machine="$(nproc) cores, ${machine_cpu:-unknown CPU}, $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo), $(uname -sr), load average before the run $load_before"
version=$("$blogen" --version)
report=$(python3 "$here/report.py" "$samples" "$format" "$machine" "$version" "$runs")
echo "$report"
if [[ -n $out ]]; then
  if [[ $format == json ]]; then python3 "$here/report.py" "$samples" markdown "$machine" "$version" "$runs" >"$out"; else echo "$report" >"$out"; fi
fi
