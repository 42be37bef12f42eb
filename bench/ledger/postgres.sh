#!/usr/bin/env bash
# Usage ledger on PostgreSQL: starts a throw-away PostgreSQL (scripts/postgres.sh) and two API instances
# (Release) on it, then measures batch ingest through both at once, single-call ingest through both,
# seeds the ledger to <calls> with COPY (bench-only path), and times the summary over it.
# Loopback only; every loop is bounded. Usage: bench/ledger/postgres.sh [calls, default 10000000] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
calls="${1:-10000000}"
seconds="${2:-20}"
key="bench-admin-key"
export CATALOG_PG_STATE="$(mktemp -d /tmp/catalog-bench-postgres.XXXXXX)"
pg_port=56432
ports=(5601 5602)
dotnet build src/Catalog.Api -c Release -nologo -v q >/dev/null
dotnet build bench/Catalog.LoadTest -c Release -nologo -v q >/dev/null
load="dotnet bench/Catalog.LoadTest/bin/Release/net10.0/Catalog.LoadTest.dll"
apis=()
stop_all() { for pid in "${apis[@]}"; do kill "$pid" 2>/dev/null || true; done; ./scripts/postgres.sh stop >/dev/null 2>&1 || true; }
trap stop_all EXIT

eval "$(./scripts/postgres.sh start "$pg_port")"
[ -n "${CATALOG_TEST_POSTGRES:-}" ] || { echo "PostgreSQL did not start"; exit 1; }
connection="$CATALOG_TEST_POSTGRES"
psql() { "$(cat "$CATALOG_PG_STATE/bin")/psql" -h 127.0.0.1 -p "$pg_port" -U catalog -d postgres -Atc "$1"; }

start_apis() {
  apis=()
  for port in "${ports[@]}"; do
    ASPNETCORE_URLS="http://127.0.0.1:$port" Storage__Provider=postgres Storage__ConnectionString="$connection" \
      CATALOG_ADMIN_KEY="$key" Keys__RequestsPerSecond=1000000 Logging__LogLevel__Default=Warning \
      dotnet src/Catalog.Api/bin/Release/net10.0/Catalog.Api.dll >"$CATALOG_PG_STATE/api-$port.log" 2>&1 &
    apis+=($!)
  done
  for port in "${ports[@]}"; do
    for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/v1/catalog" >/dev/null && continue 2; sleep 0.2; done
    echo "the API on $port did not start"; cat "$CATALOG_PG_STATE/api-$port.log"; exit 1
  done
}
stop_apis() { for pid in "${apis[@]}"; do kill "$pid"; wait "$pid" 2>/dev/null || true; done; apis=(); }
both="http://127.0.0.1:${ports[0]},http://127.0.0.1:${ports[1]}"

start_apis
$load batch "$both" "$key" 8 200000 5000
$load batch "$both" "$key" 8 1000000 5000
$load single "$both" "$key" 64 "$seconds"
stop_apis

stored=$(psql "SELECT count(*) FROM usage_records")
if [ "$calls" -gt "$stored" ]; then
  echo "seeding $((calls - stored)) calls with COPY (df before: $(df -h --output=avail /tmp | tail -1 | tr -d ' '))"
  started=$(date +%s)
  $load seed-postgres "$connection" "$((calls - stored))"
  echo "seeded in $(( $(date +%s) - started )) s; VACUUM ANALYZE ..."
  psql "VACUUM ANALYZE" >/dev/null
fi
echo "database: $(psql "SELECT pg_size_pretty(pg_database_size('postgres'))") for $(psql "SELECT count(*) FROM usage_records") calls, $(psql "SELECT count(*) FROM usage_rollups") rollup rows"

start_apis
$load summary "http://127.0.0.1:${ports[0]}" "$key" 7
