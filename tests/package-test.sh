#!/usr/bin/env bash
# The packages of a build folder the suite built already (no build of its own): `cpack` makes the .deb and the
# .tar.gz, then this checks what a user gets: the .deb installs (with dpkg when root and no blogen package is
# installed, else into a scratch root), its blogen runs, `man -w blogen-campaign` finds the page, the installed bash
# completion completes through the installed binary, the .tar.gz holds the same files, and lintian finds no error.
#
#   tests/package-test.sh [--scratch-root] BUILD_DIR
#     BUILD_DIR        e.g. build/asan (a sanitizer build is fine for these structural checks)
#     --scratch-root   never dpkg -i, even as root (on a machine you share)
#
# Lintian's errors fail the step; its warnings are printed, not fatal (the dev build's package has none; explain a
# new one here). The suite's ASan build gives one: hardening-no-pie (its executables are linked -no-pie
# on purpose, see CMakeLists.txt; release and dev builds are PIE). Its pedantic/info tags, not shown: hardening-no-bindnow and hardening-no-fortify-functions (the
# project sets no hardening flags; -O0 builds cannot fortify), binary-has-unneeded-section .comment (the compiler's
# version note, which strip leaves) and spelling-error-in-binary "reseted" (a message of
# SQLiteCpp, linked statically).
set -euo pipefail
scratch_only=false
if [[ "${1:-}" == --scratch-root ]]; then
  scratch_only=true
  shift
fi
if (($# != 1)); then
  echo "usage: tests/package-test.sh [--scratch-root] BUILD_DIR" >&2
  exit 2
fi
build="$(cd "$1" && pwd)"
out="$build/package-test"
rm -rf "$out"
mkdir -p "$out"
fail() {
  echo "package-test: $*" >&2
  exit 1
}

echo "==> package: cpack in $build"
# cpack installs what the build folder holds without building it; after the suite's build this is a no-op.
cmake --build "$build" --target blogen blogen_man blogen_changelog >"$out/build.log" || {
  cat "$out/build.log" >&2
  fail "building the packaged targets failed"
}
(cd "$out" && cpack --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log") || {
  cat "$out/cpack.log" >&2
  fail "cpack failed"
}
debs=("$out"/blogen_*.deb)
tars=("$out"/blogen-*.tar.gz)
[[ -f "${debs[0]}" && -f "${tars[0]}" ]] || fail "cpack made no .deb or no .tar.gz: $(ls "$out")"
deb="${debs[0]}"

# The Depends field: the libraries blogen links (dpkg-shlibdeps), the four it opens on first use (libcurl4, libpq5,
# libcmark0.30.2, libdate-tz3, named in packaging/package.cmake) and tzdata, which it reads. An optimised build has
# SQLite and libsodium inside the executable (BLOGEN_STATIC_LIBS): their packages are needed only when it links them.
depends="$(dpkg-deb -f "$deb" Depends)"
echo "    Depends: $depends"
needed="$(readelf --dynamic "$build/blogen")"
required=(libc6 libcurl4 libcmark0.30.2 libpq5 libdate-tz3 tzdata)
for pair in libsodium.so:libsodium23 libsqlite3.so:libsqlite3-0; do # the library, its package
  if [[ "$needed" == *"${pair%%:*}"* ]]; then
    required+=("${pair#*:}")
  elif [[ "$depends" == *"${pair#*:}"* ]]; then
    fail "Depends names ${pair#*:}, which blogen does not link: $depends"
  fi
done
for library in "${required[@]}"; do
  [[ "$depends" == *"$library"* ]] || fail "Depends lacks $library: $depends"
done

expected=(
  usr/bin/blogen
  usr/share/man/man1/blogen.1.gz
  usr/share/man/man1/blogen-campaign.1.gz
  usr/share/bash-completion/completions/blogen
  usr/share/zsh/vendor-completions/_blogen
  usr/share/fish/vendor_completions.d/blogen.fish
  usr/share/doc/blogen/examples/crontab.example
  usr/share/doc/blogen/examples/blogen-run-due.service
  usr/share/doc/blogen/examples/blogen-run-due.timer
  usr/share/doc/blogen/copyright
)
listing="$(dpkg-deb -c "$deb")"
tar_listing="$(tar -tzf "${tars[0]}")"
for path in "${expected[@]}"; do
  grep -q "\./${path}\$" <<<"$listing" || fail ".deb lacks /$path"
  grep -q "/${path#usr/}\$" <<<"$tar_listing" || fail ".tar.gz lacks ${path#usr/}"
done

# Install. dpkg when root and blogen is not installed by other means (as in CI); else a scratch root.
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
export ASAN_OPTIONS
root=""
if ! $scratch_only && [[ $(id -u) -eq 0 ]] && ! dpkg-query -W blogen >/dev/null 2>&1 && [[ ! -e /usr/bin/blogen ]]; then
  echo "==> package: dpkg -i $(basename "$deb")"
  trap 'dpkg -r blogen >/dev/null || echo "package-test: dpkg -r blogen failed" >&2' EXIT
  dpkg -i "$deb" >"$out/dpkg.log" 2>&1 || {
    cat "$out/dpkg.log" >&2
    fail "dpkg -i failed"
  }
  # A container's dpkg may be told to skip /usr/share/man (path-exclude): then the pages are checked in the .deb.
  man_dir=/usr/share/man
  if [[ ! -e /usr/share/man/man1/blogen-campaign.1.gz ]]; then
    man_dir="$out/root/usr/share/man"
    dpkg-deb -x "$deb" "$out/root"
  fi
else
  root="$out/root"
  echo "==> package: dpkg-deb -x $(basename "$deb") into a scratch root"
  dpkg-deb -x "$deb" "$root"
  man_dir="$root/usr/share/man"
fi

version="$(env PATH="$root/usr/bin:/usr/bin:/bin" blogen --version)"
echo "    blogen --version: $version"
[[ "$version" == *"$(dpkg-deb -f "$deb" Version)"* ]] || fail "blogen --version says '$version'"

page="$(MANPATH="$man_dir" man -w blogen-campaign)"
echo "    man -w blogen-campaign: $page"
[[ "$page" == "$man_dir/man1/blogen-campaign.1.gz" ]] || fail "man -w blogen-campaign found '$page'"
MANPATH="$man_dir" MANWIDTH=80 man blogen-campaign 2>&1 | grep -q "blogen campaign run" ||
  fail "man blogen-campaign does not show 'blogen campaign run'"

# The installed bash completion, run through the installed binary: `blogen camp<TAB>`, `schedule add --cron @h<TAB>`.
complete_line() {
  env -i PATH="$root/usr/bin:/usr/bin:/bin" HOME="$out" ASAN_OPTIONS="$ASAN_OPTIONS" bash --norc -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    _blogen; printf "%s\n" "${COMPREPLY[@]}"' _ "$root/usr/share/bash-completion/completions/blogen" "$@"
}
[[ "$(complete_line blogen camp)" == campaign ]] || fail "bash completion of 'blogen camp' gave '$(complete_line blogen camp)'"
[[ "$(complete_line blogen schedule add --cron @h)" == @hourly ]] || fail "bash completion of '--cron @h' failed"
echo "    bash completion: blogen camp -> campaign, schedule add --cron @h -> @hourly"

echo "==> package: lintian"
# Lintian only warns about running as root (on standard error, kept in the log).
lintian --fail-on error --tag-display-limit 0 "$deb" >"$out/lintian.log" 2>&1 ||
  {
    cat "$out/lintian.log" >&2
    fail "lintian found errors"
  }
sed 's/^/    /' "$out/lintian.log"
echo "==> package: ok ($(basename "$deb"), $(basename "${tars[0]}"))"
