#!/usr/bin/env bash
# The one test command: installs what the tests need (idempotent), builds the solution in Release and runs every
# test assembly, then prints a per-assembly summary and a final line "N passed, N failed".
#
#   bash scripts/test.sh                 # everything
#   bash scripts/test.sh Protocol Server # only test projects whose name contains one of these words
#
# Environment:
#   CI=true                   missing prerequisites are errors, never skips (tests read CI too)
#   BMS_TEST_RESULTS          where .trx files go (default: artifacts/test-results)
#   BMS_TEST_BUDGET_MINUTES   wall-clock budget for all test assemblies (default 75)
#   BMS_ASSEMBLY_TIMEOUT_MINUTES  hard limit for one test assembly (default 30)
#   BMS_SKIP_INSTALL=1        do not touch system packages or npm
# Exports for the tests: BMS_REPO_ROOT, BMS_INTEROP_DIR, BMS_BENCHMARKS_DIR, BMS_PG_BIN, BMS_REDIS_SERVER,
# BMS_CHROMIUM, BMS_NGINX (absolute paths; the last four only when found).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_CLI_UI_LANGUAGE=en NUGET_XMLDOC_MODE=skip
export BMS_REPO_ROOT="$ROOT"
export BMS_INTEROP_DIR="$ROOT/interop"
export BMS_BENCHMARKS_DIR="$ROOT/benchmarks"

RESULTS="${BMS_TEST_RESULTS:-$ROOT/artifacts/test-results}"
BUDGET_MIN="${BMS_TEST_BUDGET_MINUTES:-75}"
ASSEMBLY_TIMEOUT_MIN="${BMS_ASSEMBLY_TIMEOUT_MINUTES:-30}"
START_EPOCH=$(date +%s)
FILTERS=("$@")

log() { printf '\n==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------------------------------
# 1. System packages (Debian): redis-server, chromium, postgresql, nginx. Installed only when absent; never started
#    as services (tests start their own processes on loopback, nginx with its own configuration and paths).
# ---------------------------------------------------------------------------------------------------------------
# nginx lives in /usr/sbin, which is not on every user's PATH.
find_nginx() {
  if command -v nginx >/dev/null 2>&1; then command -v nginx
  elif [[ -x /usr/sbin/nginx ]]; then echo /usr/sbin/nginx
  fi
}

find_pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [[ -n "$d" && -x "$d/postgres" ]]; then echo "$d"; return; fi
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v pg_ctl)")"; fi
}

missing_packages() {
  local missing=()
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  [[ -n "$(find_pg_bin)" ]] || missing+=(postgresql)
  [[ -n "$(find_nginx)" ]] || missing+=(nginx)
  echo "${missing[@]:-}"
}

install_system_packages() {
  local missing
  missing=$(missing_packages)
  if [[ -z "$missing" ]]; then
    echo "system packages present: redis-server, chromium, postgresql, nginx"
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    warn "missing: $missing, and apt-get is not available; install them by hand (tests needing them fail in CI, skip elsewhere)"
    return 0
  fi
  if [[ "$(id -u)" != "0" ]]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      SUDO="sudo -n"
    else
      warn "missing: $missing. Run as root or: sudo apt-get install -y $missing (tests needing them fail in CI, skip elsewhere)"
      return 0
    fi
  fi
  log "installing system packages: $missing"
  if ! ${SUDO:-} env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null; then
    warn "apt-get update failed; missing: $missing"
    return 0
  fi
  # nginx: the small nginx-light build is enough (upstream hash, proxy, WebSocket); plain nginx where it is gone.
  if [[ " $missing " == *" nginx "* ]] && apt-cache show nginx-light >/dev/null 2>&1; then
    missing="${missing/nginx/nginx-light}"
  fi
  # Keep the packages from starting their services (nginx would take port 80): a policy-rc.d that denies every
  # start, only for this install and only if the machine has none of its own.
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [[ ! -e "$policy" ]]; then
    ${SUDO:-} sh -c "printf '#!/bin/sh\nexit 101\n' >$policy && chmod 755 $policy" && added_policy=1
  fi
  # shellcheck disable=SC2086
  ${SUDO:-} env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing </dev/null \
    || warn "apt-get install of $missing failed"
  [[ $added_policy -eq 1 ]] && ${SUDO:-} rm -f "$policy"
  return 0
}

# ---------------------------------------------------------------------------------------------------------------
# 2. npm dependencies of the Node peers (interop/, benchmarks/): npm ci only when node_modules is missing or was
#    installed from a different package-lock.json.
# ---------------------------------------------------------------------------------------------------------------
npm_install_if_stale() {
  local dir="$1" stamp hash
  [[ -f "$dir/package-lock.json" ]] || return 0
  if ! command -v npm >/dev/null 2>&1; then
    warn "npm not found: cannot install $dir (interop tests fail in CI)"
    return 0
  fi
  stamp="$dir/node_modules/.bms-lock.sha256"
  hash=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [[ -d "$dir/node_modules" && -f "$stamp" && "$(cat "$stamp")" == "$hash" ]]; then
    echo "npm: $dir up to date"
    return 0
  fi
  log "npm ci in $dir"
  if (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error </dev/null); then
    echo "$hash" >"$stamp"
  else
    warn "npm ci failed in $dir"
  fi
}

if [[ "${BMS_SKIP_INSTALL:-}" != "1" ]]; then
  log "prerequisites"
  install_system_packages
  npm_install_if_stale "$ROOT/interop"
  npm_install_if_stale "$ROOT/benchmarks"
  npm_install_if_stale "$ROOT/clients/typescript"
fi

PG_BIN="$(find_pg_bin)"
[[ -n "$PG_BIN" ]] && export BMS_PG_BIN="$PG_BIN"
command -v redis-server >/dev/null 2>&1 && export BMS_REDIS_SERVER="$(command -v redis-server)"
command -v chromium >/dev/null 2>&1 && export BMS_CHROMIUM="$(command -v chromium)"
NGINX="$(find_nginx)"
[[ -n "$NGINX" ]] && export BMS_NGINX="$NGINX"
echo "node: $(node --version 2>/dev/null || echo missing)  dotnet: $(dotnet --version)  pg: ${BMS_PG_BIN:-missing}  redis: ${BMS_REDIS_SERVER:-missing}  chromium: ${BMS_CHROMIUM:-missing}  nginx: ${BMS_NGINX:-missing}"

# ---------------------------------------------------------------------------------------------------------------
# 3. Build once (Release), then run each test assembly on its own with a trx logger.
# ---------------------------------------------------------------------------------------------------------------
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

log "dotnet build BmsRealtime.slnx -c Release"
BUILD_LOG="$RESULTS/build.log"
BUILD_FAILED=0
dotnet build BmsRealtime.slnx -c Release -nologo -v:minimal </dev/null 2>&1 | tee "$BUILD_LOG"
if [[ ${PIPESTATUS[0]} -ne 0 ]]; then
  # Still run the test projects that did build, so one broken project does not hide every other result;
  # the build failure itself counts as one failed test.
  BUILD_FAILED=1
  warn "dotnet build failed; running only the test projects that built"
fi

mapfile -t PROJECTS < <(grep -o 'tests/[^"]*\.Tests\.csproj' BmsRealtime.slnx | sort)
if [[ ${#FILTERS[@]} -gt 0 ]]; then
  selected=()
  for p in "${PROJECTS[@]}"; do
    for f in "${FILTERS[@]}"; do
      if [[ "$p" == *"$f"* ]]; then selected+=("$p"); break; fi
    done
  done
  PROJECTS=("${selected[@]}")
fi

declare -A EXIT_CODES
for proj in "${PROJECTS[@]}"; do
  name=$(basename "$proj" .csproj)
  elapsed_min=$(( ($(date +%s) - START_EPOCH) / 60 ))
  remaining=$(( BUDGET_MIN - elapsed_min ))
  if (( remaining <= 1 )); then
    warn "time budget of $BUDGET_MIN min used up; not running $name"
    EXIT_CODES[$name]=126
    continue
  fi
  limit=$(( remaining < ASSEMBLY_TIMEOUT_MIN ? remaining : ASSEMBLY_TIMEOUT_MIN ))
  if [[ $BUILD_FAILED -eq 1 ]]; then
    dll="$(dirname "$proj")/bin/Release/net10.0/$name.dll"
    if [[ ! -f "$dll" ]] || grep -q "error.*/$name.csproj\]" "$BUILD_LOG"; then
      warn "$name was not built; not running it"
      EXIT_CODES[$name]=125
      continue
    fi
  fi
  log "dotnet test $name (limit ${limit} min)"
  timeout --kill-after=30s "${limit}m" \
    dotnet test "$proj" -c Release --no-build --nologo \
      --logger "trx;LogFileName=$name.trx" \
      --results-directory "$RESULTS" \
      --blame-hang-timeout 5m --blame-hang-dump-type none </dev/null
  EXIT_CODES[$name]=$?
done

# Codec micro-benchmarks in their short mode: run on full runs only; a crash counts as one failure.
BENCH_FAILED=0
if [[ ${#FILTERS[@]} -eq 0 && $BUILD_FAILED -eq 0 && -d "$ROOT/benchmarks/Bms.Benchmarks.Codecs" ]]; then
  log "codec micro-benchmarks (--ci short mode)"
  timeout --kill-after=30s 8m \
    dotnet run -c Release --no-build --project "$ROOT/benchmarks/Bms.Benchmarks.Codecs" -- --ci </dev/null \
    || { warn "codec micro-benchmarks failed"; BENCH_FAILED=1; }
fi

# ---------------------------------------------------------------------------------------------------------------
# 4. Summary from all trx files. An assembly that exited non-zero without any failed result counts as one failure.
# ---------------------------------------------------------------------------------------------------------------
EXITS_FILE="$RESULTS/exit-codes.txt"
: >"$EXITS_FILE"
[[ $BUILD_FAILED -eq 1 ]] && echo "(build) 1" >>"$EXITS_FILE"
[[ $BENCH_FAILED -eq 1 ]] && echo "(codec-benchmarks) 1" >>"$EXITS_FILE"
for proj in "${PROJECTS[@]}"; do
  name=$(basename "$proj" .csproj)
  echo "$name ${EXIT_CODES[$name]:-0}" >>"$EXITS_FILE"
done

log "summary ($(( ($(date +%s) - START_EPOCH) / 60 )) min)"
node "$ROOT/scripts/trx-summary.mjs" "$RESULTS" "$EXITS_FILE"
