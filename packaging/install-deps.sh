#!/usr/bin/env bash
# Installs the Debian 12 packages blogen needs to build (and, with --dev, to run its tests; with --bench, also
# what bench/run.sh needs).
# Idempotent: when everything is installed already it changes nothing and needs no network.
set -euo pipefail

runtime_and_build=(
  build-essential cmake ninja-build pkg-config ca-certificates
  libcli11-dev libsqlitecpp-dev libsqlite3-dev nlohmann-json3-dev libsodium-dev libfmt-dev
  libcurl4-openssl-dev libhowardhinnant-date-dev libcmark-dev libpq-dev tzdata
)
dev_only=(catch2 postgresql-15 libcpp-httplib-dev groff-base bash-completion zsh fish clang-format lintian man-db clang libclang-rt-14-dev openssl)
bench_only=(hyperfine sqlite3 curl time python3)

packages=("${runtime_and_build[@]}")
if [[ "${1:-}" == "--dev" ]]; then packages+=("${dev_only[@]}"); fi
if [[ "${1:-}" == "--bench" ]]; then packages+=("${dev_only[@]}" "${bench_only[@]}"); fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
