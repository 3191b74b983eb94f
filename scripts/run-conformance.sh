#!/usr/bin/env bash
# Runs the official Engine.IO v4 and Socket.IO v5 conformance suites against samples/Bms.Realtime.ConformanceHost.
# Not part of CI: the suites live in the socketio/socket.io repository and are never copied into this one.
#
#   bash scripts/run-conformance.sh /path/to/socket.io [--url http://127.0.0.1:PORT] [--suite engine.io|socket.io] [--no-warmup]
#
# /path/to/socket.io is a checkout (work tree) or a bare git directory of socketio/socket.io. The two suites
# (docs/engine.io-protocol/v4-test-suite, docs/socket.io-protocol/v5-test-suite) are copied to a temp dir outside
# the repository, `npm ci`'d, their URL constant is pointed at the host, and `npx mocha test-suite.js` runs.
# Without --url the script builds and starts the conformance host on a free port and stops it afterwards.
# Output: mocha's spec report per suite, then one line per suite "<suite>: N passing, N failing".
# Exit code: 0 when both suites pass.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="${1:?usage: run-conformance.sh /path/to/socket.io [--url URL] [--suite engine.io|socket.io]}"
shift
URL=""
ONLY=""
WARMUP=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --url) URL="$2"; shift 2 ;;
    --suite) ONLY="$2"; shift 2 ;;
    --no-warmup) WARMUP=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

WORK="${BMS_CONFORMANCE_DIR:-/tmp/bms-conformance}"
mkdir -p "$WORK"
SUITES=(engine.io-protocol/v4-test-suite socket.io-protocol/v5-test-suite)

# 1. Copy the suites out of the socket.io repository.
for s in "${SUITES[@]}"; do
  dest="$WORK/$(basename "$(dirname "$s")")"
  rm -rf "$dest.new" && mkdir -p "$dest.new"
  if [[ -d "$SRC/docs/$s" ]]; then
    cp -R "$SRC/docs/$s/." "$dest.new/"
  else
    git --git-dir="$SRC" archive HEAD "docs/$s" | tar -x -C "$dest.new" --strip-components=3 \
      || { echo "cannot read docs/$s from $SRC" >&2; exit 2; }
  fi
  # Keep node_modules from a previous run when the lockfile did not change.
  if [[ -d "$dest/node_modules" ]] && cmp -s "$dest/package-lock.json" "$dest.new/package-lock.json"; then
    mv "$dest/node_modules" "$dest.new/"
  fi
  rm -rf "$dest" && mv "$dest.new" "$dest"
  if [[ ! -d "$dest/node_modules" ]]; then
    (cd "$dest" && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed in $dest" >&2; exit 2; }
  fi
done

# 2. Start the conformance host unless a URL was given.
HOST_PID=""
cleanup() { [[ -n "$HOST_PID" ]] && kill "$HOST_PID" 2>/dev/null && wait "$HOST_PID" 2>/dev/null; }
trap cleanup EXIT

if [[ -z "$URL" ]]; then
  PROJECT="$ROOT/samples/Bms.Realtime.ConformanceHost/Bms.Realtime.ConformanceHost.csproj"
  dotnet build "$PROJECT" -c Release -nologo -v:quiet >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 2; }
  DLL="$ROOT/samples/Bms.Realtime.ConformanceHost/bin/Release/net10.0/Bms.Realtime.ConformanceHost.dll"
  PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})')
  URL="http://127.0.0.1:$PORT"
  dotnet "$DLL" --urls "$URL" >"$WORK/host.log" 2>&1 &
  HOST_PID=$!
  # The host prints "Listening on …" once Kestrel is bound; then check that the port accepts connections.
  for _ in $(seq 1 600); do
    grep -q "Listening on" "$WORK/host.log" 2>/dev/null && break
    kill -0 "$HOST_PID" 2>/dev/null || { echo "conformance host exited:" >&2; cat "$WORK/host.log" >&2; exit 2; }
    sleep 0.2
  done
  if ! node -e 'require("net").connect(+process.argv[1],"127.0.0.1").on("connect",()=>process.exit(0)).on("error",()=>process.exit(1))' "$PORT"; then
    echo "conformance host is not listening on $URL after 120 s:" >&2
    cat "$WORK/host.log" >&2
    exit 2
  fi
  echo "conformance host pid $HOST_PID on $URL (log: $WORK/host.log)"
fi

# A freshly started .NET host compiles its Socket.IO connect path on first use; on a loaded 2-core machine that can
# take longer than the suites' 300 ms ping interval, so the first CONNECT of the suite would see a ping first.
# One official-client connection (polling, upgrade, CONNECT, events, acks) warms it up. --no-warmup skips this.
if [[ $WARMUP -eq 1 && -f "$ROOT/interop/node_modules/socket.io-client/package.json" ]]; then
  node "$ROOT/interop/client-scenario.mjs" default --url "$URL" --timeout 20000 >"$WORK/warmup.log" 2>&1 \
    && echo "warm-up: ok" || echo "warm-up: failed (see $WORK/warmup.log)"
fi

# 3. Run each suite.
declare -a LINES
rc=0
for s in "${SUITES[@]}"; do
  name=$(basename "$(dirname "$s")")
  [[ -n "$ONLY" && "$name" != "$ONLY"* ]] && continue
  dest="$WORK/$name"
  sed -i -E "s#^const URL = \"[^\"]*\";#const URL = \"$URL\";#" "$dest/test-suite.js"
  grep -q "^const URL = \"$URL\";" "$dest/test-suite.js" || { echo "could not patch URL in $dest/test-suite.js" >&2; exit 2; }
  echo
  echo "==> $name ($dest)"
  (cd "$dest" && npx mocha test-suite.js --reporter spec --exit) 2>&1 | tee "$WORK/$name.log"
  [[ ${PIPESTATUS[0]} -eq 0 ]] || rc=1
  passing=$(grep -Eo '[0-9]+ passing' "$WORK/$name.log" | tail -n 1)
  failing=$(grep -Eo '[0-9]+ failing' "$WORK/$name.log" | tail -n 1)
  LINES+=("$name: ${passing:-0 passing}, ${failing:-0 failing}")
done

echo
printf '%s\n' "${LINES[@]}"
exit $rc
