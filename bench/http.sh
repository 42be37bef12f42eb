#!/usr/bin/env bash
# Load test of the cost API over HTTP on loopback, as issue 4 measures it:
#   1. POST /v1/cost with wrk (2 threads, 64 then 16 connections, 20 s each, after a 5 s warm-up): requests/s and p99;
#   2. a 1,000-item POST /v1/cost/batch, timed by curl RUNS times over loopback: the median.
# Installs wrk from Debian when it is missing, builds and starts the API in Release (Production, logging
# at Warning) and stops it on exit. Usage: bench/http.sh [port]   (DURATION=20s RUNS=50 to change them)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-5391}"
duration="${DURATION:-20s}"
runs="${RUNS:-50}"
url="http://127.0.0.1:$port"

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wrk curl
fi

dotnet build src/Catalog.Api -c Release -nologo -v q

work="$(mktemp -d)"
ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  dotnet src/Catalog.Api/bin/Release/net10.0/Catalog.Api.dll --urls "$url" >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT

for _ in $(seq 1 150); do
  curl -fsS "$url/v1/catalog" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.2
done

item='{"model":"my-chatbot","provider":"anthropic","timestamp":"2026-11-20T10:00:00Z","usage":{"input_tokens":1000,"output_tokens":500,"cache_read_tokens":0,"cache_write_tokens":0}}'
cat >"$work/cost.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '$item'
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("POST /v1/cost: %.0f requests/s, p50 %.2f ms, p99 %.2f ms, %d socket errors, %d non-2xx\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors, summary.errors.status))
end
LUA

echo "warming up (5 s) ..."
wrk -t2 -c64 -d5s -s "$work/cost.lua" "$url/v1/cost" >/dev/null
# 64 connections saturate both cores (wrk shares them), which shows the ceiling; 16 connections show the
# latency while still sustaining well over the 20,000 requests/s target.
for connections in 64 16; do
  echo "wrk -t2 -c$connections -d$duration --latency POST /v1/cost"
  wrk -t2 -c"$connections" -d"$duration" --latency -s "$work/cost.lua" "$url/v1/cost" | grep -E '^POST|Requests/sec'
done

{ printf '{"items":['; for i in $(seq 1 1000); do [ "$i" -gt 1 ] && printf ','; printf '%s' "$item"; done; printf ']}'; } >"$work/batch.json"
timing() {
  curl -sS -o /dev/null -H 'Content-Type: application/json' -H 'Expect:' --data-binary "@$work/batch.json" \
    -w '%{http_code} %{time_pretransfer} %{time_total}\n' "$url/v1/cost/batch"
}
for _ in $(seq 1 30); do timing >/dev/null; done
for _ in $(seq 1 "$runs"); do timing; done >"$work/batch.times"
grep -qv '^200 ' "$work/batch.times" && { echo "a batch request failed:"; grep -v '^200 ' "$work/batch.times" | head -3; exit 1; }
# Server time is approximated from the client, adding nothing to the service: from the request being
# sent to the last byte of the response, over loopback. It includes uploading the 176 kB body and
# receiving the 600 kB response, so it is an upper bound of the time the server spends.
awk -v runs="$runs" '
  { ms[NR] = ($3 - $2) * 1000 }
  END {
    for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++) if (ms[j] < ms[i]) { t = ms[i]; ms[i] = ms[j]; ms[j] = t }
    median = NR % 2 ? ms[(NR + 1) / 2] : (ms[NR / 2] + ms[NR / 2 + 1]) / 2
    printf "POST /v1/cost/batch, 1,000 items, %d runs over loopback (upload + server + download): median %.2f ms, fastest %.2f ms\n", runs, median, ms[1]
  }
' "$work/batch.times"
