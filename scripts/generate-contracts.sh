#!/usr/bin/env bash
# Regenerates the files derived from the contracts: clients/typescript/index.d.ts and index.js (from Bms.Contracts)
# and docs/openapi.json (from Bms.Server's endpoints; also written by every build of Bms.Server).
# The tests in tests/Bms.Contracts.Tests fail when the committed files differ from what this script writes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
dotnet run --project tools/Bms.Contracts.TypeScriptGen -c Release -- "$ROOT/clients/typescript"
