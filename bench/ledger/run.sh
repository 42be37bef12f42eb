#!/usr/bin/env bash
# Usage ledger benchmark: starts the API (Release) on a fresh database, then measures single-call
# ingest (64 clients), batch ingest, the summary and the CSV export over 1,000,000 seeded calls, and
# the API's peak memory (VmHWM). Loopback only; every loop is bounded. Usage: bench/ledger/run.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-20}"
dir="$(mktemp -d)"
port=5599
key="bench-admin-key"
dotnet build src/Catalog.Api -c Release -nologo -v q >/dev/null
dotnet build bench/Catalog.LoadTest -c Release -nologo -v q >/dev/null
load="dotnet bench/Catalog.LoadTest/bin/Release/net10.0/Catalog.LoadTest.dll"
url="http://127.0.0.1:$port"

start_api() {
  ASPNETCORE_URLS="$url" Storage__Path="$dir/catalog.db" CATALOG_ADMIN_KEY="$key" Keys__RequestsPerSecond=1000000 \
    Logging__LogLevel__Default=Warning dotnet src/Catalog.Api/bin/Release/net10.0/Catalog.Api.dll >"$dir/api.log" 2>&1 &
  api=$!
  for _ in $(seq 1 100); do curl -sf "$url/v1/catalog" >/dev/null && return; sleep 0.2; done
  echo "the API did not start"; cat "$dir/api.log"; exit 1
}
peak() { awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/$api/status"; }
trap 'kill "$api" 2>/dev/null || true; rm -rf "$dir"' EXIT

start_api
$load single "$url" "$key" 64 "$seconds"
$load batch "$url" "$key" 4 200000 5000
$load batch "$url" "$key" 4 800000 5000
echo "database: $(du -sh "$dir" | cut -f1) for $(curl -s -H "Authorization: Bearer $key" "$url/v1/analytics/summary" | grep -o '"requests":[0-9]*' | head -1)"
echo "peak memory after ingest: $(peak)"
kill "$api"; wait "$api" 2>/dev/null || true

# A fresh process, so the export's peak memory is its own.
start_api
echo "start-up with the seeded database: $(peak)"
$load summary "$url" "$key" 5
$load export "$url" "$key"
echo "peak memory (start-up, summary and export): $(peak)"
