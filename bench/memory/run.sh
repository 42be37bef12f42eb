#!/usr/bin/env bash
# Peak memory of the service (#13 items 4 and 5), on a LiteDB ledger in a temporary folder:
#   1. large bodies: CLIENTS (8) clients each POST a ~31 MB /v1/usage/batch body (10,000 calls with 11 tags of
#      256 characters) over and over for SECONDS (30); at most Limits:LargeBodies (4) are read at once, the others
#      get 503. Reports the answers by status and the process's peak resident set (VmHWM) and resident set after.
#   2. cardinality: USERS (200,000) calls with distinct users, then a restart, then the resident set and
#      summary?group_by=user (time and size of the answer).
# Builds the API in Release and stops it on exit. Usage: bench/memory/run.sh [port]
set -euo pipefail
cd "$(dirname "$0")/../.."
port="${1:-5393}"
clients="${CLIENTS:-8}"
seconds="${SECONDS_LOAD:-30}"
users="${USERS:-200000}"
url="http://127.0.0.1:$port"
key=bench-admin-key-0123456789

dotnet build src/Catalog.Api -c Release -nologo -v q >/dev/null
work="$(mktemp -d)"
server=
start() {
  CATALOG_ADMIN_KEY=$key ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning Storage__Path="$work/catalog.db" \
    Keys__RequestsPerSecond=1000000 dotnet src/Catalog.Api/bin/Release/net10.0/Catalog.Api.dll --urls "$url" >>"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do
    curl -fsS "$url/readyz" >/dev/null 2>&1 && return
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 0.2
  done
}
stop() { [ -z "$server" ] || { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; server=; }; }
trap 'stop; rm -rf "$work"' EXIT
mb() { awk -v k="$1" '$1 == k":" { printf "%.0f MB", $2 / 1024 }' "/proc/$server/status"; }

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
tags = {f"t{i:02d}": "x" * 256 for i in range(11)}
for part in range(4):
    items = [{"id": f"big-{part}-{i:05d}", "model": "gpt-4o", "usage": {"prompt_tokens": 10, "completion_tokens": 5},
              "timestamp": "2026-01-01T00:00:00Z", "tags": tags} for i in range(10_000)]
    with open(f"{work}/big-{part}.json", "w") as f:
        json.dump({"items": items}, f)
PY

start
echo "large bodies: $(du -h "$work/big-0.json" | cut -f1) each, $clients clients for ${seconds}s; resident at start $(mb VmRSS)"
end=$((SECONDS + seconds))
for c in $(seq 1 "$clients"); do
  ( while [ $SECONDS -lt $end ]; do
      curl -sS -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -H 'Expect:' \
        --data-binary "@$work/big-$((c % 4)).json" "$url/v1/usage/batch" || echo fail
    done >"$work/codes-$c" ) &
done
wait $(jobs -p | grep -v "^$server$") 2>/dev/null || true
echo "answers: $(cat "$work"/codes-* | sort | uniq -c | tr '\n' ' ')"
echo "peak resident (VmHWM) $(mb VmHWM); resident after $(mb VmRSS)"

stop
rm -f "$work"/catalog*.db
start
echo "cardinality: $users calls with distinct users"
python3 - "$url" "$key" "$users" <<'PY'
import json, sys, urllib.request
url, key, users = sys.argv[1], sys.argv[2], int(sys.argv[3])
for start in range(0, users, 10_000):
    items = [{"id": f"u-{i:07d}", "model": "gpt-4o", "user": f"user-{i:07d}", "usage": {"prompt_tokens": 10, "completion_tokens": 5},
              "timestamp": "2026-01-01T00:00:00Z"} for i in range(start, min(users, start + 10_000))]
    request = urllib.request.Request(url + "/v1/usage/batch", json.dumps({"items": items}).encode(),
                                     {"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    urllib.request.urlopen(request).read()
PY
stop
start
echo "after a restart: resident $(mb VmRSS), file $(du -h "$work/catalog.db" | cut -f1)"
curl -sS -o "$work/summary.json" -w 'summary?group_by=user: %{http_code} in %{time_total} s, ' -H "Authorization: Bearer $key" \
  "$url/v1/analytics/summary?group_by=user"
echo "$(stat -c %s "$work/summary.json") bytes; resident after it $(mb VmRSS), peak $(mb VmHWM)"
