#!/usr/bin/env bash
# Side-by-side benchmark: our EchoHost (bms), the official Node socket.io 4.8 (node) and the bare
# Kestrel WebSocket forwarder (bare), alternated A B C A B C … in one sitting. See README.md.
#
#   benchmarks/run.sh            # full: 5 rounds, 10 s phases
#   benchmarks/run.sh --quick    # 1 round, short phases: checks that everything runs
#
# Options: --rounds N  --seconds S (echo/broadcast phase)  --sat-step-seconds S  --idle-seconds S
#          --idle-clients N (default 10000)  --servers bms,node,bare  --server-cpu C  --gen-cpu C
#          --workers K (generator processes)  --sat-client sio|sio-thin  --out DIR  --no-build
#          --scenarios b500,e1000,s1000,i  (prefixes; default all)
#          --bms-env 'K=V …'  extra environment for our server only (experiments: DOTNET_TieredPGO=0, …)
#          --bms-dir DIR  run our server from another build output (experiments: a ReadyToRun publish, …)
#          --nice N  run servers and generator at this nice value (e.g. -5 on a machine shared with builds;
#                    needs root for negative values; default 0)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benchmarks"

ROUNDS=5
SECONDS_PHASE=10
SAT_STEP=3
SAT_MAX_STEPS=14
IDLE_SECONDS=5
IDLE_CLIENTS=10000
SERVERS="bms,node,bare"
SERVER_CPU=0
GEN_CPU=1
WORKERS=1
SAT_CLIENT=sio-thin
BUILD=1
OUT=""
ONLY=""
BMS_ENV=""
BMS_DIR=""
NICE=0

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) ROUNDS=1; SECONDS_PHASE=3; SAT_STEP=2; SAT_MAX_STEPS=10; IDLE_SECONDS=2 ;;
    --rounds) ROUNDS="$2"; shift ;;
    --seconds) SECONDS_PHASE="$2"; shift ;;
    --sat-step-seconds) SAT_STEP="$2"; shift ;;
    --sat-max-steps) SAT_MAX_STEPS="$2"; shift ;;
    --idle-seconds) IDLE_SECONDS="$2"; shift ;;
    --idle-clients) IDLE_CLIENTS="$2"; shift ;;
    --servers) SERVERS="$2"; shift ;;
    --server-cpu) SERVER_CPU="$2"; shift ;;
    --gen-cpu) GEN_CPU="$2"; shift ;;
    --workers) WORKERS="$2"; shift ;;
    --sat-client) SAT_CLIENT="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --no-build) BUILD=0 ;;
    --scenarios) ONLY="$2"; shift ;;
    --bms-env) BMS_ENV="$2"; shift ;;
    --bms-dir) BMS_DIR="$2"; shift ;;
    --nice) NICE="$2"; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

OUT="${OUT:-$BENCH/results/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
log() { echo "[run.sh $(date -u +%H:%M:%S)] $*" >&2; }

# 10,000 sockets on each side need more than the usual 1,024 descriptors.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
[[ -n "$BMS_ENV" ]] && echo "bms server environment: $BMS_ENV" >"$OUT/bms-env.txt"
log "open files limit $(ulimit -n); server on cpu $SERVER_CPU, generator on cpu $GEN_CPU; results in $OUT"

if [[ "$BUILD" == 1 ]]; then
  log "building Release"
  if [[ ",$SERVERS," == *,bms,* ]]; then
    dotnet build "$ROOT/samples/Bms.Realtime.EchoHost/Bms.Realtime.EchoHost.csproj" -c Release -nologo -v q >&2
  fi
  if [[ ",$SERVERS," == *,bare,* ]]; then
    dotnet build "$BENCH/Bms.Benchmarks.BareWs/Bms.Benchmarks.BareWs.csproj" -c Release -nologo -v q >&2
  fi
  (cd "$BENCH" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

# Run the .NET servers from a snapshot of their Release output, so a rebuild in the work tree during a long run
# (tests, another developer) cannot swap the binaries between rounds.
BMS_DLL="${BMS_DIR:-$ROOT/samples/Bms.Realtime.EchoHost/bin/Release/net10.0}/Bms.Realtime.EchoHost.dll"
BARE_DLL="$BENCH/Bms.Benchmarks.BareWs/bin/Release/net10.0/Bms.Benchmarks.BareWs.dll"
if [[ ",$SERVERS," == *,bms,* ]]; then
  mkdir -p "$OUT/bin" && rm -rf "$OUT/bin/bms" && cp -r "$(dirname "$BMS_DLL")" "$OUT/bin/bms"
  BMS_DLL="$OUT/bin/bms/Bms.Realtime.EchoHost.dll"
  git -C "$ROOT" log -1 --format='bms server: last commit touching src/ or samples/ is %h %s' -- src samples >"$OUT/bms-commit.txt" 2>/dev/null || true
  git -C "$ROOT" status --short -- src samples >>"$OUT/bms-commit.txt" 2>/dev/null || true
fi
if [[ ",$SERVERS," == *,bare,* ]]; then
  mkdir -p "$OUT/bin" && rm -rf "$OUT/bin/bare" && cp -r "$(dirname "$BARE_DLL")" "$OUT/bin/bare"
  BARE_DLL="$OUT/bin/bare/Bms.Benchmarks.BareWs.dll"
fi

# Every server starts as a user starts it: no runtime environment of our own. The .NET servers carry their
# runtime settings in their runtimeconfig.json (from runtimeconfig.template.json and Directory.Build.props: thread-pool
# spin off, workstation non-concurrent GC; see src/Bms.Realtime.Server/README.md), copied here for the record.
# --bms-env adds environment to our server only, for experiments.
if [[ ",$SERVERS," == *,bms,* ]]; then
  cp "${BMS_DLL%.dll}.runtimeconfig.json" "$OUT/bms-runtimeconfig.json"
fi
# Runtime knobs inherited from the calling shell would apply to every .NET server and skew the comparison.
if env | grep -E '^(DOTNET|COMPlus)_' | grep -vE '^DOTNET_(CLI_TELEMETRY_OPTOUT|NOLOGO|ROOT|ROOT_[A-Z0-9_]+|CLI_HOME)=' >"$OUT/inherited-runtime-env.txt"; then
  log "warning: runtime settings inherited from this shell apply to the .NET servers: $(tr '\n' ' ' <"$OUT/inherited-runtime-env.txt")"
else
  rm -f "$OUT/inherited-runtime-env.txt"
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

SERVER_PID=""
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

start_server() { # name port logfile
  local name="$1" port="$2" logf="$3"
  case "$name" in
    # shellcheck disable=SC2086
    bms)  env $BMS_ENV PORT="$port" HOST=127.0.0.1 nice -n "$NICE" taskset -c "$SERVER_CPU" dotnet "$BMS_DLL" >"$logf" 2>&1 & ;;
    node) PORT="$port" HOST=127.0.0.1 nice -n "$NICE" taskset -c "$SERVER_CPU" node "$BENCH/node-echo-server.mjs" >"$logf" 2>&1 & ;;
    bare) PORT="$port" HOST=127.0.0.1 nice -n "$NICE" taskset -c "$SERVER_CPU" dotnet "$BARE_DLL" >"$logf" 2>&1 & ;;
    *) echo "unknown server $name" >&2; exit 2 ;;
  esac
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "$name exited at start:" >&2; cat "$logf" >&2; exit 1; fi
    sleep 0.1
  done
  echo "$name did not listen on $port" >&2; exit 1
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
trap 'if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; fi' EXIT

# scenario name, clients, phases, client mode for Socket.IO servers, extra loadgen arguments
SCENARIOS=(
  "b500|500|connect,idle,bcast|sio|--bcast-rate 20 --bcast-seconds $SECONDS_PHASE"
  "e1000|1000|connect,idle,echo|sio|--echo-rate 1000 --echo-seconds $SECONDS_PHASE"
  "s1000|1000|connect,saturation|$SAT_CLIENT|--sat-start 20 --sat-factor 1.5 --sat-step-seconds $SAT_STEP --sat-max-steps $SAT_MAX_STEPS"
  "i$IDLE_CLIENTS|$IDLE_CLIENTS|connect,idle|sio|--connect-concurrency 100 --connect-timeout-ms 60000"
)

IFS=',' read -r -a SERVER_LIST <<<"$SERVERS"
for round in $(seq 1 "$ROUNDS"); do
  for scenario in "${SCENARIOS[@]}"; do
    IFS='|' read -r sname clients phases sio_mode extra <<<"$scenario"
    if [[ -n "$ONLY" ]]; then
      keep=0
      IFS=',' read -r -a only_list <<<"$ONLY"
      for o in "${only_list[@]}"; do [[ "$sname" == "$o"* ]] && keep=1; done
      [[ "$keep" == 1 ]] || continue
    fi
    for server in "${SERVER_LIST[@]}"; do
      mode="$sio_mode"
      [[ "$server" == bare ]] && mode=bare
      port="$(free_port)"
      tag="r${round}-${sname}-${server}"
      start_server "$server" "$port" "$OUT/$tag.server.log"
      log "round $round/$ROUNDS $sname $server (pid $SERVER_PID, port $port, client $mode)"
      # shellcheck disable=SC2086
      nice -n "$NICE" taskset -c "$GEN_CPU" node "$BENCH/loadgen.mjs" --url "http://127.0.0.1:$port" --server-pid "$SERVER_PID" \
        --mode "$mode" --label "$server" --clients "$clients" --phases "$phases" --workers "$WORKERS" \
        --idle-seconds "$IDLE_SECONDS" $extra --out "$OUT/$tag.json" >/dev/null 2>>"$OUT/loadgen.log" \
        || log "loadgen failed for $tag (see $OUT/loadgen.log)"
      stop_server
      sleep 1
    done
  done
done

node "$BENCH/summarize.mjs" "$OUT" | tee "$OUT/summary.md"
