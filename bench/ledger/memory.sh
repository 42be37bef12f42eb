#!/usr/bin/env bash
# Where the export's peak memory comes from: seeds a fresh ledger with CALLS calls (default 1,000,000), then for each
# runtime setting in SETTINGS starts the API on it and prints its resident memory (VmRSS) and peak (VmHWM) after
# start-up, after one export and after a second; an API started on an empty ledger first, for the runtime's own share.
# Usage: bench/ledger/memory.sh   (CALLS=1000000; SETTINGS="- DOTNET_GCConserveMemory=5 DOTNET_TieredCompilation=0 DOTNET_GCgen0size=0x400000", "-" = none)
set -euo pipefail
cd "$(dirname "$0")/../.."
calls="${CALLS:-1000000}"
settings="${SETTINGS:-- DOTNET_GCConserveMemory=5 DOTNET_TieredCompilation=0 DOTNET_GCgen0size=0x400000}"
port=5597
dir="$(mktemp -d)"
. bench/ledger/api.sh
trap 'kill "$api" 2>/dev/null || true; rm -rf "$dir"' EXIT
memory() { awk '/VmRSS|VmHWM|RssAnon|RssFile|RssShmem/ {printf "%s %.0f MB  ", $1, $2/1024}' "/proc/$api/status"; echo; }

start_api; echo "empty ledger, started: $(memory)"
$load batch "$url" "$key" 4 "$calls" 5000 >/dev/null
stop_api
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for setting in $settings; do
  if [ "$setting" = "-" ]; then name="default"; else name="$setting"; export "${setting?}"; fi
  start_api; echo "[$name] $calls calls, started: $(memory)"
  $load export "$url" "$key" >/dev/null; echo "[$name] after an export: $(memory)"
  $load export "$url" "$key" >/dev/null; echo "[$name] after a second export: $(memory)"
  stop_api
  if [ "$setting" != "-" ]; then unset "${setting%%=*}"; fi
done
