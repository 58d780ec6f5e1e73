#!/usr/bin/env bash
# install-tinygo.sh [VERSION]
#
# Builds a real `tinygo` from its Go module source (via the Go module proxy) against Debian's
# LLVM/clang/lld packages, and caches it in ${TGW_CACHE:-$HOME/.cache/tinygo-workbench}/tinygo-<ver>.
# See docs/real-tinygo.md for what was tried and what works.
#
# On success: prints shell `export` lines on stdout (eval them) and exits 0:
#   export TGW_TINYGO=<cache>/tinygo-<ver>/bin/tinygo
#   export TINYGOROOT=<cache>/tinygo-<ver>/root
#   export PATH=<go toolchain of the supported version>/bin:$PATH
#   export GOTOOLCHAIN=local
#   export TGW_TINYGO_HOST_BUILDS=1|0   (1 when compiler-rt + musl sources were installed, so
#                                        `tinygo build` for linux/amd64 links)
#   export TGW_TINYGO_NRF=1|0           (1 when the nRF support files were added to TINYGOROOT and a
#                                        firmware build for feather-nrf52840 succeeded; see below)
# On failure: prints "tinygo not available: <reason>" on stderr, nothing on stdout, exits 0,
# so CI can go on without it.
#
# Usage:  eval "$(bash scripts/install-tinygo.sh)"; [ -n "${TGW_TINYGO:-}" ] && "$TGW_TINYGO" version
# Env:    TGW_CACHE (cache root), TGW_TINYGO_VERSION (default 0.39.0; also 0.33.0, 0.30.0),
#         TGW_TINYGO_NO_APT=1 (never call apt-get), TGW_TINYGO_NO_LIBS=1 (skip the Debian C sources),
#         TGW_SHARED_TOOLCHAIN (folder with tinygo-nrf-libs.tar.xz and tinygo-net-*.tar.xz; default: the
#         repository's ../shared/toolchain), TGW_TINYGO_NRF_PREWARM=0 (skip the microbit library build).
#
# nRF firmware: the tinygo module lacks the git submodules nrfx, CMSIS, picolibc and net, and the generated
# src/device/nrf. When the shared toolchain folder is there (the team's machines and CI), they are added to the
# cached TINYGOROOT once (stamp: .nrf-stamp, the archives' sha256), and one firmware build per CPU family compiles
# TinyGo's C libraries into its cache, which the launcher keeps under this script's cache (XDG_CACHE_HOME), so a
# test never pays that minute. Without the folder (a user's machine) host builds work as before.

set -u
set -o pipefail

VER="${1:-${TGW_TINYGO_VERSION:-0.39.0}}"
VER="${VER#v}"
CACHE="${TGW_CACHE:-$HOME/.cache/tinygo-workbench}"
DEST="$CACHE/tinygo-$VER"
REPO="$(cd "$(dirname "$0")/.." && pwd)"
# TinyGo's own cache (compiled picolibc, compiler-rt, nrfx for each CPU): the launcher points XDG_CACHE_HOME here.
TG_XDG="$DEST/xdg-cache"

log() { echo "install-tinygo: $*" >&2; }
fail() { echo "tinygo not available: $*" >&2; exit 0; }

# Tested combinations (docs/real-tinygo.md). The Go toolchain must be inside the release's supported
# range AND tinygo must be built with the same Go minor as the one it runs with (0.39 refuses
# "cannot compile with Go toolchain version go1.X (TinyGo was built using toolchain version ...)").
case "$VER" in
  0.39.0) LLVM=19; GOVER=go1.25.5 ;;
  0.33.0) LLVM=16; GOVER=go1.23.12 ;;
  0.30.0) LLVM=16; GOVER=go1.21.13 ;;
  *) fail "version $VER is not one of the tested versions (0.39.0, 0.33.0, 0.30.0)" ;;
esac
# TinyGo's src/net (tinygo-org/net) for this release: 0.33.0's own pin; for 0.39.0 the newest commit before it.
case "$VER" in
  0.39.0) NET_ARCHIVE=tinygo-net-983d88d-for-0.39.tar.xz ;;
  0.33.0) NET_ARCHIVE=tinygo-net-a237059-for-0.33.tar.xz ;;
  *) NET_ARCHIVE="" ;;
esac
# C library sources taken from Debian source packages (see docs/real-tinygo.md).
LLVM_SRC_PKG=llvm-toolchain-19
MUSL_SRC_PKG=musl
WASI_SRC_PKG=wasi-libc

# A launcher that carries tinygo's own environment (TINYGOROOT and a Go in its supported range first on PATH),
# so it can be given as `tinygo.path` to a VS Code whose extension host has the machine's newer Go on PATH,
# as a user's install would be. TGW_TINYGO names it; TGW_TINYGO_BIN is the bare binary.
# It also moves TinyGo's library cache (os.UserCacheDir()/tinygo) under this script's cache, where the setup below
# warmed it; the `go` it runs keeps the caller's Go build cache (GOCACHE pinned before XDG_CACHE_HOME changes).
# Written with a temporary name and renamed, so a test running the launcher never sees half a file.
write_wrapper() { # goroot
  cat > "$DEST/bin/tinygo-wrapped.tmp" <<WRAP
#!/bin/sh
export TINYGOROOT='$DEST/root'
export PATH='$1/bin':"\$PATH"
export GOTOOLCHAIN=local
if [ -z "\${GOCACHE:-}" ]; then GOCACHE="\${XDG_CACHE_HOME:-\$HOME/.cache}/go-build"; export GOCACHE; fi
export XDG_CACHE_HOME='$TG_XDG'
exec '$DEST/bin/tinygo' "\$@"
WRAP
  chmod +x "$DEST/bin/tinygo-wrapped.tmp" && mv -f "$DEST/bin/tinygo-wrapped.tmp" "$DEST/bin/tinygo-wrapped"
}

print_exports() {
  local goroot="$1" host="$2" nrf="$3"
  write_wrapper "$goroot"
  echo "export TGW_TINYGO_BIN='$DEST/bin/tinygo'"
  echo "export TGW_TINYGO='$DEST/bin/tinygo-wrapped'"
  echo "export TINYGOROOT='$DEST/root'"
  echo "export PATH='$goroot/bin':\"\$PATH\""
  echo "export GOTOOLCHAIN=local"
  echo "export TGW_TINYGO_HOST_BUILDS=$host"
  echo "export TGW_TINYGO_NRF=$nrf"
}

command -v go >/dev/null 2>&1 || fail "no 'go' command on PATH (needed to fetch the toolchain and the tinygo module)"

# Run go outside any module so a surrounding go.mod/go.work cannot change the toolchain choice.
gorun() { (cd / && env -u GOFLAGS GOWORK=off GOTOOLCHAIN="$GOVER" go "$@"); }

toolchain_root() {
  local r
  r="$(gorun env GOROOT 2>/dev/null)" || return 1
  [ -x "$r/bin/go" ] || return 1
  echo "$r"
}

check_binary() { # goroot
  PATH="$1/bin:$PATH" TINYGOROOT="$DEST/root" GOTOOLCHAIN=local "$DEST/bin/tinygo" version 2>/dev/null
}

# ---- nRF support files (../shared/toolchain) ----------------------------------------------------------
# The folder beside the clone (CI: a read-only copy), or beside the main checkout when this is a git worktree.
find_shared() {
  local d common
  if [ -n "${TGW_SHARED_TOOLCHAIN:-}" ]; then echo "$TGW_SHARED_TOOLCHAIN"; return; fi
  for d in "$REPO/../shared/toolchain" \
           "$(common="$(git -C "$REPO" rev-parse --path-format=absolute --git-common-dir 2>/dev/null)" \
              && [ -n "$common" ] && echo "$(dirname "$common")/../shared/toolchain")"; do
    [ -n "$d" ] && [ -f "$d/tinygo-nrf-libs.tar.xz" ] && { (cd "$d" && pwd); return; }
  done
  echo "$REPO/../shared/toolchain"
}
SHARED="$(find_shared)"
NRF_LIBS="$SHARED/tinygo-nrf-libs.tar.xz"
NRF_WANT=""   # the stamp a complete root carries; empty: nothing to add here
case "$VER" in
  0.39.0|0.33.0)
    if [ -f "$NRF_LIBS" ]; then
      NRF_WANT="libs $(sha256sum "$NRF_LIBS" | cut -d' ' -f1)"
      if [ -n "$NET_ARCHIVE" ] && [ -f "$SHARED/$NET_ARCHIVE" ]; then
        NRF_WANT="$NRF_WANT net $(sha256sum "$SHARED/$NET_ARCHIVE" | cut -d' ' -f1)"
      fi
    fi ;;
esac
nrf_current() { [ -z "$NRF_WANT" ] || [ "$(cat "$DEST/.nrf-stamp" 2>/dev/null)" = "$NRF_WANT" ]; }
nrf_state() { cat "$DEST/.nrf-builds" 2>/dev/null || echo 0; }
# One line when this machine cannot build firmware because the support files are not here.
nrf_notice() {
  [ -z "$NRF_WANT" ] && [ "$(nrf_state)" != 1 ] || return 0
  case "$VER" in
    0.39.0|0.33.0) log "no $NRF_LIBS (set TGW_SHARED_TOOLCHAIN): host builds only, no nRF firmware builds" ;;
    *) log "nRF support files are known for 0.39.0 and 0.33.0 only: host builds only with $VER" ;;
  esac
}
installed() { [ -f "$DEST/.complete" ] && [ -x "$DEST/bin/tinygo" ]; }

# The generated device package: gen-device-svd is a tool in tinygo's own module, built with the release's Go. It
# names the package after its output folder, so it writes build/device/nrf, which then replaces src/device/nrf (whose
# only file in the module is its README): an interrupted run never leaves a half-generated package behind.
gen_device() { # goroot root
  cd "$2" && mkdir -p build && rm -rf src/device/nrf.tmp build/device \
    && env -u GOFLAGS GOWORK=off GOTOOLCHAIN=local "$1/bin/go" build -o ./build/gen-device-svd ./tools/gen-device-svd/ \
    && ./build/gen-device-svd -source=https://github.com/NordicSemiconductor/nrfx/tree/master/mdk lib/nrfx/mdk/ build/device/nrf/ \
    && "$1/bin/gofmt" -w build/device/nrf \
    && { [ ! -f src/device/nrf/README.markdown ] || cp src/device/nrf/README.markdown build/device/nrf/; } \
    && rm -rf src/device/nrf && mv build/device/nrf src/device/nrf && rmdir build/device
}

# complete_nrf GOROOT: adds lib/nrfx, lib/CMSIS, lib/picolibc, src/device/nrf and src/net to $DEST/root (as
# ../shared/toolchain/README.md shows), then builds firmware once per CPU family so TinyGo's libraries are compiled
# here and not inside a test's time-out. Runs under the lock; re-running it redoes every step from the archives.
complete_nrf() {
  local goroot="$1" R="$DEST/root" t0 t
  t0=$(date +%s)
  echo 0 > "$DEST/.nrf-builds"
  rm -f "$DEST/.nrf-stamp"
  log "adding the nRF support files from $SHARED to $R"
  rm -rf "$R/lib/nrfx" "$R/lib/CMSIS" "$R/lib/picolibc" && tar -xJf "$NRF_LIBS" --strip-components=1 -C "$R" \
    || { log "cannot unpack $NRF_LIBS: nRF firmware builds unavailable"; return 1; }
  t=$(date +%s)
  local gen
  if ! gen="$(gen_device "$goroot" "$R" 2>&1)"; then
    # gen-device-svd's "peripheral ... cluster" notes are normal; the error is in the rest.
    echo "$gen" | grep -v 'cluster' | tail -5 >&2
    log "gen-device-svd failed: nRF firmware builds unavailable"; return 1
  fi
  log "src/device/nrf generated ($(ls "$R/src/device/nrf" | wc -l) files, $(( $(date +%s) - t )) s)"
  if [ -z "$NET_ARCHIVE" ] || [ ! -f "$SHARED/$NET_ARCHIVE" ]; then
    log "no ${NET_ARCHIVE:-src/net archive for $VER} in $SHARED: programs importing net or net/http will not build"
  else
    rm -rf "$R/src/net" && tar -xJf "$SHARED/$NET_ARCHIVE" -C "$R" \
      || { mkdir -p "$R/src/net"; log "cannot unpack $SHARED/$NET_ARCHIVE: nRF firmware builds unavailable"; return 1; }
  fi
  # One firmware build per CPU family, which also proves the root complete: Cortex-M4 (every nRF52 board) and
  # Cortex-M0 (the nRF51 micro:bit, which the emulated-board tests build for).
  local P="$DEST/nrf-prewarm" target targets=(feather-nrf52840)
  [ "${TGW_TINYGO_NRF_PREWARM:-1}" = 0 ] || targets+=(microbit)
  rm -rf "$P" && mkdir -p "$P" || return 1
  printf 'module prewarm\n\ngo 1.21\n' > "$P/go.mod"
  printf 'package main\n\nimport "time"\n\nfunc main() {\n\tfor {\n\t\ttime.Sleep(time.Second)\n\t}\n}\n' > "$P/main.go"
  write_wrapper "$goroot"
  for target in "${targets[@]}"; do
    t=$(date +%s)
    if ! out="$(cd "$P" && "$DEST/bin/tinygo-wrapped" build -target="$target" -o "$P/$target.elf" . 2>&1)"; then
      echo "$out" | tail -10 >&2
      log "tinygo build -target=$target failed: nRF firmware builds unavailable"; return 1
    fi
    log "firmware for $target built in $(( $(date +%s) - t )) s (TinyGo's libraries now cached in $TG_XDG/tinygo)"
  done
  rm -rf "$P"
  echo 1 > "$DEST/.nrf-builds"
  log "nRF support complete in $(( $(date +%s) - t0 )) s"
}

# finish GOROOT (under the lock): completes the root when the archives are newer than its stamp, prints the exports.
finish() {
  # Only a success is stamped: a failed completion (say, a full disk) is retried by the next run, not remembered.
  if nrf_current; then :
  elif [ ! -d "$DEST/root/lib/compiler-rt-builtins" ]; then
    # Firmware links compiler-rt too, which comes with the Debian C sources (step 4): without it nothing links.
    log "no compiler-rt sources in $DEST/root/lib (step 4 skipped or failed): no nRF firmware builds"
  elif complete_nrf "$1"; then echo "$NRF_WANT" > "$DEST/.nrf-stamp"
  fi
  nrf_notice
  print_exports "$1" "$(cat "$DEST/.host-builds" 2>/dev/null || echo 0)" "$(nrf_state)"
  exit 0
}

LOCKED=0
take_lock() {
  mkdir -p "$CACHE" || fail "cannot create cache dir $CACHE"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$CACHE/.lock-tinygo-$VER"
    flock 9 || fail "cannot lock $CACHE/.lock-tinygo-$VER"
  fi
  LOCKED=1
}

# ---- warm path -------------------------------------------------------------------------------
if installed; then
  GOROOT_TG="$(toolchain_root)" || fail "cannot get Go toolchain $GOVER through the module proxy (GOTOOLCHAIN=$GOVER go env GOROOT failed)"
  if out="$(check_binary "$GOROOT_TG")"; then
    log "cached: $out"
    if nrf_current; then
      nrf_notice
      print_exports "$GOROOT_TG" "$(cat "$DEST/.host-builds" 2>/dev/null || echo 0)" "$(nrf_state)"
      exit 0
    fi
    take_lock
    # Another run may have completed it (or rebuilt the whole root) while we waited.
    installed && check_binary "$GOROOT_TG" >/dev/null && finish "$GOROOT_TG"
  else
    log "cached binary at $DEST does not run; rebuilding"
    rm -f "$DEST/.complete"
  fi
fi

[ "$LOCKED" = 1 ] || take_lock
# Another run may have finished while we waited.
if installed; then exec bash "$0" "$VER"; fi

# ---- 1. Debian packages: LLVM/clang/lld of the right major -------------------------------------
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; fi
fi
pkgs=("llvm-$LLVM-dev" "libclang-$LLVM-dev" "clang-$LLVM" "lld-$LLVM")
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  [ "${TGW_TINYGO_NO_APT:-0}" = 1 ] && fail "missing Debian packages ${missing[*]} and TGW_TINYGO_NO_APT=1"
  command -v apt-get >/dev/null 2>&1 || fail "missing packages ${missing[*]} and no apt-get"
  if [ "$(id -u)" != 0 ] && [ -z "$SUDO" ]; then fail "missing packages ${missing[*]} and not root (no passwordless sudo)"; fi
  log "apt-get install ${missing[*]}"
  if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
    $SUDO apt-get update >&2 || true
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2 \
      || fail "apt-get install ${missing[*]} failed (this script knows Debian 12 'bookworm', which has LLVM 14/15/16/19)"
  fi
fi
[ -e "/usr/lib/llvm-$LLVM/lib/libclang.so" ] || fail "/usr/lib/llvm-$LLVM/lib/libclang.so missing after installing libclang-$LLVM-dev"
command -v "clang-$LLVM" >/dev/null 2>&1 || fail "clang-$LLVM not on PATH"
command -v "ld.lld-$LLVM" >/dev/null 2>&1 || command -v ld.lld >/dev/null 2>&1 || fail "ld.lld-$LLVM not on PATH"

# ---- 2. Go toolchain of a supported version (golang.org/toolchain through the module proxy) --------
GOROOT_TG="$(toolchain_root)" || fail "cannot get Go toolchain $GOVER through the module proxy (GOTOOLCHAIN=$GOVER go env GOROOT failed)"
log "Go toolchain: $GOROOT_TG"

# ---- 3. tinygo module source -----------------------------------------------------------------
# `go install github.com/tinygo-org/tinygo@vX` is refused here (it asks the proxy for the version
# list to check deprecation, which is 403 for this module), but `go mod download` of an exact
# release works. Build from a writable copy, which also serves as TINYGOROOT.
modjson="$(gorun mod download -json "github.com/tinygo-org/tinygo@v$VER" 2>&1)" \
  || fail "go mod download github.com/tinygo-org/tinygo@v$VER failed: $(echo "$modjson" | grep -m1 -E 'Error|error' | tr -d '\t')"
MODDIR="$(echo "$modjson" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' | head -1)"
[ -n "$MODDIR" ] && [ -f "$MODDIR/main.go" ] || fail "module source for tinygo v$VER not found after go mod download"

rm -rf "$DEST.tmp"
mkdir -p "$DEST.tmp/bin" || fail "cannot create $DEST.tmp"
cp -r "$MODDIR" "$DEST.tmp/root" && chmod -R u+w "$DEST.tmp/root" || fail "cannot copy $MODDIR"
# src/net is a git submodule (absent from the module zip); the GOROOT overlay needs the directory.
# Programs importing "net" will not compile with this TINYGOROOT.
mkdir -p "$DEST.tmp/root/src/net"

log "building tinygo $VER with $GOVER and -tags llvm$LLVM (about 1.5 minutes on 2 cores)"
if ! buildlog="$(cd "$DEST.tmp/root" && env -u GOFLAGS GOWORK=off GOTOOLCHAIN=local CGO_ENABLED=1 \
      "$GOROOT_TG/bin/go" build -tags "llvm$LLVM" -o "$DEST.tmp/bin/tinygo" . 2>&1)"; then
  echo "$buildlog" | tail -20 >&2
  rm -rf "$DEST.tmp"
  fail "go build of tinygo $VER (-tags llvm$LLVM, $GOVER) failed"
fi

# ---- 4. C library sources (optional): compiler-rt builtins, musl, wasi-libc from Debian sources ----
# tinygo compiles these from source at build time; the module zip lacks them (git submodules).
# With them, host (linux/amd64) builds link, so -size and -print-allocs can be produced for real.
# Nothing here makes nRF52 targets build: nrfx, CMSIS and picolibc have no usable Debian source.
HOST=0
fetch_debian_sources() {
  [ "${TGW_TINYGO_NO_LIBS:-0}" = 1 ] && { log "TGW_TINYGO_NO_LIBS=1: skipping C library sources"; return 1; }
  command -v apt-get >/dev/null 2>&1 || { log "no apt-get: skipping C library sources"; return 1; }
  local S="$CACHE/debian-src" parts lists
  parts="$S/apt/sources.list.d"; lists="$S/apt/lists"
  mkdir -p "$parts" "$lists/partial" "$S/apt/cache/archives/partial" "$S/dl" || return 1
  if [ ! -d "$S/compiler-rt-builtins" ] || [ ! -d "$S/musl" ] || [ ! -d "$S/wasi-libc" ]; then
    # deb-src entries derived from this machine's own apt sources, in a private apt state dir
    # (the system's apt configuration is not touched).
    rm -f "$parts"/*
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] && sed -E 's/^Types:.*/Types: deb-src/' "$f" > "$parts/$(basename "$f")"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -f "$f" ] && sed -nE 's/^deb (.*)$/deb-src \1/p' "$f" > "$parts/src-$(basename "$f")"
    done
    local APTOPT=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$parts"
                  -o "Dir::State::Lists=$lists" -o "Dir::Cache=$S/apt/cache" -o Debug::NoLocking=1)
    [ "$(id -u)" != 0 ] && APTOPT+=(-o "APT::Sandbox::User=$(id -un)")
    apt-get "${APTOPT[@]}" update >&2 || { log "apt-get update (deb-src) failed"; return 1; }
    (cd "$S/dl" && apt-get "${APTOPT[@]}" source --download-only "$LLVM_SRC_PKG" "$MUSL_SRC_PKG" "$WASI_SRC_PKG" >&2) \
      || { log "apt-get source failed"; return 1; }
    local t
    t="$(ls "$S"/dl/${LLVM_SRC_PKG}_*.orig.tar.* 2>/dev/null | head -1)"; [ -n "$t" ] || return 1
    rm -rf "$S/x" && mkdir -p "$S/x" || return 1
    tar -xf "$t" -C "$S/x" --wildcards '*/compiler-rt/lib/builtins/*' || return 1
    rm -rf "$S/compiler-rt-builtins" && mv "$S"/x/*/compiler-rt/lib/builtins "$S/compiler-rt-builtins" || return 1
    rm -rf "$S/x" && mkdir -p "$S/x"
    t="$(ls "$S"/dl/${MUSL_SRC_PKG}_*.orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -1)"; [ -n "$t" ] || return 1
    tar -xf "$t" -C "$S/x" || return 1
    rm -rf "$S/musl" && mv "$S"/x/musl-* "$S/musl" || return 1
    rm -rf "$S/x" && mkdir -p "$S/x"
    t="$(ls "$S"/dl/${WASI_SRC_PKG}_*.orig.tar.* 2>/dev/null | head -1)"; [ -n "$t" ] || return 1
    tar -xf "$t" -C "$S/x" || return 1
    rm -rf "$S/wasi-libc" && mv "$S"/x/wasi-libc* "$S/wasi-libc" || return 1
    rm -rf "$S/x" "$S/dl"/*   # keep only the extracted trees (the LLVM tarball is 164 MB)
  fi
  local L="$DEST.tmp/root/lib"
  rm -rf "$L/compiler-rt-builtins" "$L/musl" "$L/wasi-libc"
  cp -r "$S/compiler-rt-builtins" "$L/compiler-rt-builtins" && cp -r "$S/musl" "$L/musl" \
    && cp -r "$S/wasi-libc" "$L/wasi-libc"
}
if fetch_debian_sources; then
  HOST=1
else
  log "C library sources not installed: tinygo info/targets/type checking work, builds do not link"
fi

# ---- 5. verify and publish ---------------------------------------------------------------------
out="$(PATH="$GOROOT_TG/bin:$PATH" TINYGOROOT="$DEST.tmp/root" GOTOOLCHAIN=local "$DEST.tmp/bin/tinygo" version 2>&1)" \
  || { rm -rf "$DEST.tmp"; fail "built tinygo does not run: $out"; }
case "$out" in "tinygo version $VER "*) ;; *) rm -rf "$DEST.tmp"; fail "unexpected 'tinygo version' output: $out" ;; esac
echo "$HOST" > "$DEST.tmp/.host-builds"
rm -rf "$DEST" && mv "$DEST.tmp" "$DEST" || fail "cannot move $DEST.tmp to $DEST"
touch "$DEST/.complete"
log "installed: $out"
finish "$GOROOT_TG"
