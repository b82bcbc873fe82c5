#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests: no pre-existing service is used or touched.
#
#   pg-cluster.sh start DIR   initdb into DIR/data, start a server on a Unix socket in DIR and on 127.0.0.1 at a
#                             free port, print its base URL (postgresql://blogen@127.0.0.1:PORT/, tests append a
#                             database name) and write it to DIR/url. (When DIR does not suit the server, the
#                             cluster and its socket are in a folder of their own, which the file DIR/home names.)
#   pg-cluster.sh stop DIR    stop that server at once and remove DIR
#
# The superuser is `blogen`, trusted without a password on the socket and on loopback only. The server refuses to
# run as root, so as root the cluster belongs to the `postgres` OS user (runuser); any other user runs it directly.
# Durability is off (fsync, full_page_writes): the data is thrown away with DIR.
set -euo pipefail

pg_bin=/usr/lib/postgresql/15/bin
usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}
[[ $# -eq 2 ]] || usage
command="$1"
dir="$2"

as_owner=()
if [[ $(id -u) -eq 0 ]]; then as_owner=(runuser -u postgres --); fi

start() {
  [[ -x "$pg_bin/initdb" ]] || {
    echo "pg-cluster: $pg_bin/initdb not found (install postgresql-15)" >&2
    exit 1
  }
  stop # a cluster left by an interrupted run
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if ((${#as_owner[@]})); then chown postgres: "$dir"; fi
  # The cluster lives in DIR, unless the server's user cannot reach DIR (as root, under /root) or DIR is too long
  # for a socket's path (107 bytes): then in a short folder of its own, which DIR/home names.
  local home="$dir"
  if ((${#dir} > 80)) || ! "${as_owner[@]}" test -x "$dir"; then
    home="$(mktemp -d /tmp/blogen-pg.XXXXXX)"
    echo "$home" >"$dir/home"
    if ((${#as_owner[@]})); then chown postgres: "$home"; fi
  fi
  cd "$home" # the server's user must be able to read its working directory

  "${as_owner[@]}" "$pg_bin/initdb" --pgdata="$home/data" --username=blogen --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }

  # A free port: skip the ones something answers on, and try another when the server still could not bind.
  local port
  for _ in $(seq 1 20); do
    port=$((20000 + RANDOM % 40000))
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
    if "${as_owner[@]}" "$pg_bin/pg_ctl" start --pgdata="$home/data" --wait --timeout=60 --silent \
      --log="$home/server.log" \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$home'" \
      -o "-c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=100" \
      >/dev/null 2>&1; then
      local url="postgresql://blogen@127.0.0.1:$port/"
      echo "$url" >"$dir/url"
      echo "$url"
      return 0
    fi
  done
  echo "pg-cluster: the server did not start; its log:" >&2
  cat "$home/server.log" >&2 || true
  exit 1
}

# The folder the cluster lives in (see start).
home_of() {
  if [[ -f "$dir/home" ]]; then cat "$dir/home"; else echo "$dir"; fi
}

stop() {
  [[ -d "$dir" ]] || return 0
  local home
  home="$(home_of)"
  if [[ -e "$home/data/postmaster.pid" ]]; then
    "${as_owner[@]}" "$pg_bin/pg_ctl" stop --pgdata="$home/data" --mode=immediate --wait --silent >/dev/null 2>&1 ||
      true
  fi
  rm -rf "$home" "$dir"
}

case "$command" in
start) start ;;
stop) stop ;;
*) usage ;;
esac
