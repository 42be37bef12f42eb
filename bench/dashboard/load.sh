#!/usr/bin/env bash
# The dashboard on a ledger of CALLS calls (default 1,000,000, spread over 30 days, from the ledger load generator):
# starts the Release API on a fresh LiteDB file, seeds it through POST /v1/usage/batch, then times the dashboard's
# complete load (30-day range: totals, charts, top lists, breakdown, budgets, endpoints) in headless Chromium, and
# each summary request it makes. Prints the load average first. Usage: bench/dashboard/load.sh [port]
set -euo pipefail
cd "$(dirname "$0")/../.."
port="${1:-5393}"
calls="${CALLS:-1000000}"
dir="$(mktemp -d)"
trap '[ -n "${api:-}" ] && kill "$api" 2>/dev/null; rm -rf "$dir"' EXIT
source bench/ledger/api.sh
command -v chromium >/dev/null || ./scripts/install-test-tools.sh
(cd bench/dashboard && npm ci --no-audit --no-fund >/dev/null)
echo "load: $(uptime | sed 's/.*load average/load average/')"
start_api
$load batch "$url" "$key" 4 "$calls" 5000
today=$(date -u +%F)
from=$(date -u -d "$today - 29 days" +%F)
to=$(date -u -d "$today + 1 day" +%F)
for group in model user team app team,model; do
  curl -fsS -o /dev/null -w "summary group_by=$group over 30 days: %{time_total} s\n" -H "Authorization: Bearer $key" "$url/v1/analytics/summary?from=$from&to=$to&group_by=$group"
done
for path in "v1/alerts" "v1/budgets" "v1/endpoints/warnings" "v1/endpoints/costs?from=${from}T00:00:00Z&to=${to}T00:00:00Z"; do
  curl -fsS -o /dev/null -w "GET /$path: %{time_total} s\n" -H "Authorization: Bearer $key" "$url/$path"
done
node bench/dashboard/load.mjs "$url" "$key" 6
