#!/usr/bin/env bash
# `npm test`: the one command that sets up a fresh machine and runs every check, in order:
#   deps (npm ci, skipped when node_modules matches package-lock.json), setup (scripts/setup-test-host.sh:
#   chromium, Node 24, code-server, gopls; cached), tinygo (scripts/install-tinygo.sh: a real tinygo where one
#   can be had, with the nRF support files of ../shared/toolchain when that folder is there, cached; skipped
#   otherwise), typecheck, lint, unit, integration (real VS Code), untrusted (the
#   same host in Restricted Mode), gopls-install (no gopls anywhere: the offer and a real `go install`),
#   go-extension (coexistence with golang.go, played by a scripted stand-in),
#   ui (Playwright on the workbench), vsix (the packaged extension installed like a user would).
# A failed check does not stop the later ones (deps and setup do: nothing can run without them).
# Prints one summary line per stage, the wall time, and last `N passed, N failed` over every stage's tests
# (a stage that fails without a test count, e.g. typecheck, counts as one failure). Exit 1 if anything failed.
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"
LOGS="$ROOT/test-output/logs"
mkdir -p "$LOGS"
T0=$(date +%s.%N)

declare -a S_NAME S_STATUS S_SECS S_NOTE
PASSED=0
FAILED=0
ANY_FAIL=0

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# record NAME STATUS SECONDS NOTE
record() {
  S_NAME+=("$1"); S_STATUS+=("$2"); S_SECS+=("$3"); S_NOTE+=("$4")
  printf '\n[test.sh] %-12s %-4s %7ss  %s\n\n' "$1" "$2" "$3" "$4"
}

# Counts from a stage's log: node:test (`ℹ pass N` / `# pass N`), our VS Code runner (`N passed, N failed`),
# mocha (`N passing` / `N failing`). Prints "PASS FAIL" or nothing.
counts() {
  local log="$1" p f
  p=$(grep -aE '^(ℹ|#) pass [0-9]+$' "$log" | tail -1 | awk '{print $3}')
  f=$(grep -aE '^(ℹ|#) fail [0-9]+$' "$log" | tail -1 | awk '{print $3}')
  if [ -n "$p" ]; then echo "$p ${f:-0}"; return; fi
  local line
  line=$(grep -aE '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
  if [ -n "$line" ]; then echo "$line" | awk '{print $1, $3}'; return; fi
  p=$(grep -aE '^\s*[0-9]+ passing' "$log" | tail -1 | awk '{print $1}')
  f=$(grep -aE '^\s*[0-9]+ failing' "$log" | tail -1 | awk '{print $1}')
  if [ -n "$p" ]; then echo "$p ${f:-0}"; fi
}

# stage NAME COMMAND...: runs it with its output shown and kept in test-output/logs/NAME.log.
stage() {
  local name="$1"; shift
  local log="$LOGS/$name.log" t rc c note status p f
  printf '\n[test.sh] ===== %s: %s\n' "$name" "$*"
  t=$(date +%s.%N)
  "$@" < /dev/null 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  c=$(counts "$log")
  note=""
  if [ -n "$c" ]; then
    read -r p f <<<"$c"
    PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
    note="$p passed, $f failed"
  fi
  if [ "$rc" -eq 0 ]; then status=ok; else
    status=FAIL; ANY_FAIL=1
    if [ -z "$c" ] || [ "${f:-0}" -eq 0 ]; then FAILED=$((FAILED + 1)); fi
    note="${note:+$note; }exit $rc, log test-output/logs/$name.log"
  fi
  record "$name" "$status" "$(elapsed "$t")" "$note"
  return "$rc"
}

summary() {
  printf '\n[test.sh] ===== summary\n'
  local i
  for i in "${!S_NAME[@]}"; do
    printf '%-12s %-4s %7ss  %s\n' "${S_NAME[$i]}" "${S_STATUS[$i]}" "${S_SECS[$i]}" "${S_NOTE[$i]}"
  done
  # The failures again, at the end where a CI page that keeps only the tail of the output still shows them.
  for i in "${!S_NAME[@]}"; do
    [ "${S_STATUS[$i]}" = FAIL ] || continue
    failures "$LOGS/${S_NAME[$i]}.log" | sed "s/^/[${S_NAME[$i]}] /"
  done
  printf 'wall time %ss\n' "$(elapsed "$T0")"
  echo "$PASSED passed, $FAILED failed"
}

# failures LOG: at most 40 lines naming what failed: node:test's and our UI runner's ✖ lines with the two lines
# under each, or mocha's numbered failure list.
failures() {
  [ -f "$1" ] || return 0
  if grep -aqE '^\s*[0-9]+ failing' "$1"; then
    sed -n '/^ *[0-9]* failing/,$p' "$1" | grep -avE '^\s+at ' | head -40
  else
    grep -aE -A2 '✖' "$1" | grep -avE '^\s+at ' | head -40
  fi
}

# Everything runs from main(): bash has then read the whole file before the first command, so an edit to this
# file while it runs (a shared working tree) cannot make it execute a mix of old and new lines.
main() {
  # --- deps --------------------------------------------------------------------------------------------
  t=$(date +%s.%N)
  LOCK_SUM=$(sha256sum package-lock.json | cut -d' ' -f1)
  STAMP="node_modules/.tgw-package-lock.sha256"
  if [ -d node_modules ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$LOCK_SUM" ]; then
    record deps ok "$(elapsed "$t")" "npm ci skipped: node_modules matches package-lock.json"
  else
    printf '\n[test.sh] ===== deps: npm ci\n'
    if npm ci --no-audit --no-fund < /dev/null 2>&1 | tee "$LOGS/deps.log"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
      echo "$LOCK_SUM" > "$STAMP"
      record deps ok "$(elapsed "$t")" "npm ci"
    else
      record deps FAIL "$(elapsed "$t")" "npm ci failed, log test-output/logs/deps.log"
      FAILED=$((FAILED + 1)); summary; return 1
    fi
  fi

  # --- setup -------------------------------------------------------------------------------------------
  t=$(date +%s.%N)
  printf '\n[test.sh] ===== setup: scripts/setup-test-host.sh\n'
  if EXPORTS=$(bash scripts/setup-test-host.sh < /dev/null 2> >(tee "$LOGS/setup.log" >&2)); then
    eval "$EXPORTS"
    record setup ok "$(elapsed "$t")" "code-server, Node 24, chromium${TGW_GOPLS:+, gopls}"
  else
    record setup FAIL "$(elapsed "$t")" "log test-output/logs/setup.log"
    FAILED=$((FAILED + 1)); summary; return 1
  fi

  # --- a real tinygo, where it can be built (scripts/install-tinygo.sh; cached) ------------------------------
  # Only the launcher is exported (it carries its own TINYGOROOT and Go): the rest of the run keeps the machine's
  # Go on PATH. When tinygo cannot be had here, the tests that need it say so and use scripted stand-ins.
  t=$(date +%s.%N)
  printf '\n[test.sh] ===== tinygo: scripts/install-tinygo.sh %s\n' "${TGW_TINYGO_VERSION:-0.39.0}"
  TG_EXPORTS=$(bash scripts/install-tinygo.sh < /dev/null 2> >(tee "$LOGS/tinygo.log" >&2) || true)
  TGW_TINYGO=$(printf '%s\n' "$TG_EXPORTS" | sed -n "s/^export TGW_TINYGO='\(.*\)'$/\1/p")
  TGW_TINYGO_BIN=$(printf '%s\n' "$TG_EXPORTS" | sed -n "s/^export TGW_TINYGO_BIN='\(.*\)'$/\1/p")
  TGW_TINYGO_HOST_BUILDS=$(printf '%s\n' "$TG_EXPORTS" | sed -n 's/^export TGW_TINYGO_HOST_BUILDS=\(.*\)$/\1/p')
  TGW_TINYGO_NRF=$(printf '%s\n' "$TG_EXPORTS" | sed -n 's/^export TGW_TINYGO_NRF=\(.*\)$/\1/p')
  if [ -n "$TGW_TINYGO" ] && "$TGW_TINYGO" version >/dev/null 2>&1; then
    export TGW_TINYGO TGW_TINYGO_BIN TGW_TINYGO_HOST_BUILDS TGW_TINYGO_NRF
    record tinygo ok "$(elapsed "$t")" "$("$TGW_TINYGO" version)$([ "$TGW_TINYGO_NRF" = 1 ] && echo ', nRF firmware builds' || echo ', no nRF firmware builds')"
  else
    unset TGW_TINYGO TGW_TINYGO_BIN TGW_TINYGO_HOST_BUILDS TGW_TINYGO_NRF
    record tinygo skip "$(elapsed "$t")" "no real tinygo: $(tail -1 "$LOGS/tinygo.log" 2>/dev/null)"
  fi

  # --- checks and tests --------------------------------------------------------------------------------
  stage typecheck npm run --silent typecheck
  stage lint npm run --silent lint
  stage unit npm run --silent test:unit
  stage integration npm run --silent test:integration
  stage untrusted npm run --silent test:untrusted
  # dist/ and out/ are fresh from the two stages above: these runs only start their own code-server.
  stage gopls-install node scripts/run-vscode-tests.mjs gopls-install
  stage go-extension node scripts/run-vscode-tests.mjs go-extension
  stage ui npm run --silent test:ui
  stage vsix npm run --silent test:vsix

  summary
  return "$ANY_FAIL"
}

main "$@"
exit $?
