#!/usr/bin/env bash
# Load test of the cost API over HTTP on loopback (issues 4 and 17), after a warm-up, as ranges over several runs:
#   1. POST /v1/cost with wrk (2 threads, 64 then 16 connections, DURATION each, REPEATS times): requests/s, p50, p99;
#   2. a 1,000-item POST /v1/cost/batch, timed by curl: REPEATS runs of RUNS requests, the median and fastest of each,
#      for the full answer (the default) and the compact one (?answer=compact), in turn.
# Installs wrk from Debian when it is missing, builds and starts the API in Release (Production, logging
# at Warning) and stops it on exit. Prints the machine's load before each part: numbers taken on a busy
# machine are not comparable with a quiet one's.
# Usage: bench/http.sh [port]   (DURATION=20s RUNS=20 REPEATS=3 to change them; about 3 minutes with the defaults)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-5391}"
duration="${DURATION:-20s}"
runs="${RUNS:-20}"
repeats="${REPEATS:-3}"
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
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# 64 connections saturate both cores (wrk shares them), which shows the ceiling; 16 connections show the
# latency at a load the service sustains.
for connections in 64 16; do
  echo "wrk -t2 -c$connections -d$duration --latency POST /v1/cost, $repeats runs:"
  for _ in $(seq 1 "$repeats"); do
    wrk -t2 -c"$connections" -d"$duration" --latency -s "$work/cost.lua" "$url/v1/cost" | grep -E '^POST'
  done | tee "$work/wrk-$connections.txt"
  awk -v c="$connections" '{ gsub(/,/, ""); rps[NR] = $3; p99[NR] = $9 }
    END { lo = hi = rps[1]; plo = phi = p99[1]
          for (i = 2; i <= NR; i++) { if (rps[i] < lo) lo = rps[i]; if (rps[i] > hi) hi = rps[i]; if (p99[i] < plo) plo = p99[i]; if (p99[i] > phi) phi = p99[i] }
          printf "POST /v1/cost, %d connections: %d-%d requests/s, p99 %.2f-%.2f ms over %d runs\n", c, lo, hi, plo, phi, NR }' "$work/wrk-$connections.txt"
done

{ printf '{"items":['; for i in $(seq 1 1000); do [ "$i" -gt 1 ] && printf ','; printf '%s' "$item"; done; printf ']}'; } >"$work/batch.json"
timing() {
  curl -sS -o /dev/null -H 'Content-Type: application/json' -H 'Expect:' --data-binary "@$work/batch.json" \
    -w '%{http_code} %{time_pretransfer} %{time_total}\n' "$url/v1/cost/batch${1:-}"
}
for _ in $(seq 1 30); do timing >/dev/null; timing '?answer=compact' >/dev/null; done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# Server time is approximated from the client, adding nothing to the service: from the request being
# sent to the last byte of the response, over loopback. It includes uploading the 176 kB body and
# receiving the response, so it is an upper bound of the time the server spends.
# The full answer (the default, 850 kB) and the compact one (?answer=compact, 148 kB), a run of each in turn.
for repeat in $(seq 1 "$repeats"); do
  for answer in '' '?answer=compact'; do
    for _ in $(seq 1 "$runs"); do timing "$answer"; done >"$work/batch.times"
    grep -qv '^200 ' "$work/batch.times" && { echo "a batch request failed:"; grep -v '^200 ' "$work/batch.times" | head -3; exit 1; }
    awk '{ print ($3 - $2) * 1000 }' "$work/batch.times" | sort -n | awk -v r="$repeat" -v runs="$runs" -v answer="$answer" '
      { ms[NR] = $1 }
      END { median = NR % 2 ? ms[(NR + 1) / 2] : (ms[NR / 2] + ms[NR / 2 + 1]) / 2
            printf "POST /v1/cost/batch%s, 1,000 items, run %d (%d requests over loopback, upload + server + download): median %.2f ms, fastest %.2f ms\n", answer, r, runs, median, ms[1] }'
  done
done
