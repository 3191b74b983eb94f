#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for tests, or stops one.
#
#   scripts/start-postgres.sh [PORT] [DIR]   PORT 0 or omitted = pick a free port; DIR omitted = new temp dir
#   scripts/start-postgres.sh --stop DIR     stops the cluster in DIR (immediate) and deletes DIR
#
# On success the LAST stdout line is one JSON object:
#   {"port":N,"dataDir":"/tmp/…","connectionString":"Host=127.0.0.1;Port=N;Username=postgres;Password=postgres;Database=postgres"}
# Authentication is "trust" (any password works). fsync is off: this is for tests only.
# As root the server runs as the "postgres" user (initdb refuses root); otherwise as the current user.
# Uses $BMS_PG_BIN, else the newest /usr/lib/postgresql/*/bin, else pg_ctl on PATH.
set -euo pipefail

pg_bin() {
  if [[ -n "${BMS_PG_BIN:-}" && -x "$BMS_PG_BIN/pg_ctl" ]]; then echo "$BMS_PG_BIN"; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [[ -n "$d" && -x "$d/pg_ctl" ]]; then echo "$d"; return; fi
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v pg_ctl)")"; return; fi
  echo "PostgreSQL not found (install the Debian package postgresql, or run scripts/test.sh)" >&2
  exit 3
}

BIN="$(pg_bin)"

as_owner() {
  if [[ "$(id -u)" == "0" ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [[ "${1:-}" == "--stop" ]]; then
  dir="${2:?usage: start-postgres.sh --stop DIR}"
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  exit 0
fi

port="${1:-0}"
dir="${2:-}"

if [[ "$port" == "0" ]]; then
  port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})' 2>/dev/null \
    || python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()')
fi
if [[ -z "$dir" ]]; then
  dir=$(mktemp -d -t bms-pg.XXXXXX)
fi
mkdir -p "$dir"
chmod 755 "$dir"
if [[ "$(id -u)" == "0" ]]; then
  id postgres >/dev/null 2>&1 || { echo "user postgres does not exist (install the postgresql package)" >&2; exit 3; }
  chown postgres: "$dir"
fi

if [[ ! -f "$dir/data/PG_VERSION" ]]; then
  as_owner "$BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
fi

as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -F -c max_connections=200 -c full_page_writes=off -c synchronous_commit=off" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

printf '{"port":%s,"dataDir":"%s","connectionString":"Host=127.0.0.1;Port=%s;Username=postgres;Password=postgres;Database=postgres"}\n' \
  "$port" "$dir" "$port"
