#!/usr/bin/env bash
# Packs the libraries into artifacts/packages: a .nupkg (with README and LICENSE) and a .snupkg (symbols) per
# package, built in Release, deterministic, with SourceLink.
#
#   bash scripts/pack.sh                      # version from Directory.Build.props (VersionPrefix)
#   BMS_PACKAGE_VERSION=1.2.3 bash scripts/pack.sh
#   BMS_PACKAGE_OUTPUT=/some/dir bash scripts/pack.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${BMS_PACKAGE_OUTPUT:-$ROOT/artifacts/packages}"
PROJECTS=(
  src/Bms.Contracts
  src/Bms.Realtime.Protocol
  src/Bms.Realtime.Server
  src/Bms.Realtime.Server.Redis
  src/Bms.Realtime.Client
  src/Bms.Pos
  src/Bms.Web.Components
)
VERSION_ARGS=()
[[ -n "${BMS_PACKAGE_VERSION:-}" ]] && VERSION_ARGS=(-p:Version="$BMS_PACKAGE_VERSION")
mkdir -p "$OUT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for project in "${PROJECTS[@]}"; do
  dotnet pack "$project" -c Release -o "$OUT" -nologo -v:minimal -p:BMS_PACK=true "${VERSION_ARGS[@]}" </dev/null
done
ls -1 "$OUT"
