#!/usr/bin/env bash
# Start-up and catalogue-search timings with the full catalogue (issue 16), as ranges over several runs:
#   1. start-up: from launching the service (a fresh LiteDB ledger each time) to its first 200 on /readyz,
#      RUNS times, with the CPU time the process had used by then; and the time to the first /v1/catalog answer
#      (the compiled table decoded and mapped). Twice: the release binary as scripts/release.sh builds it
#      (ReadyToRun, self-contained single file: what a deployment runs), then the Release build's
#      Catalog.Api.dll under `dotnet` (what `dotnet run` starts, JIT only);
#   2. GET /v1/models?q=<text> over the 1,400+ models, warm: REQUESTS requests per query, the median and fastest
#      (curl's time_total, loopback).
# Prints the machine's load first: numbers taken on a busy machine are not comparable with a quiet one's.
# Usage: bench/startup.sh [port]   (RUNS=5 REQUESTS=50 to change them; 2-3 minutes on a quiet machine, most of it
# publishing the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-5392}"
runs="${RUNS:-5}"
requests="${REQUESTS:-50}"
url="http://127.0.0.1:$port"
api="src/Catalog.Api/bin/Release/net10.0/Catalog.Api.dll"

work="$(mktemp -d)"
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
dotnet build src/Catalog.Api -c Release -nologo -v q >/dev/null
SERVICE_ONLY=1 scripts/release.sh "$work/artifacts" >/dev/null
echo "load: $(uptime | sed 's/.*load average/load average/')"

now_ms() { date +%s%3N; }
start() { # a fresh ledger for each run
  rm -rf "$work/data"
  ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning Storage__Path="$work/data/catalog.db" \
    "$@" --urls "$url" >"$work/server.log" 2>&1 &
  server=$!
}
stop() { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; server=; }
cpu_ms() { local stat; read -ra stat <"/proc/$server/stat"; echo $(( (stat[13] + stat[14]) * 1000 / $(getconf CLK_TCK) )); }
sorted() { printf '%s\n' "$@" | sort -n | tr '\n' ' '; }

measure() { # label, command...: RUNS start-ups; the last one keeps running
  local label="$1"; shift
  local ready=() cpu=() catalog=()
  for run in $(seq 1 "$runs"); do
    [ -n "$server" ] && stop
    local t0; t0=$(now_ms)
    start "$@"
    until curl -fsS -o /dev/null "$url/readyz" 2>/dev/null; do
      kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
      sleep 0.005
    done
    local t1; t1=$(now_ms)
    cpu+=("$(cpu_ms)")
    curl -fsS -o /dev/null "$url/v1/catalog"
    local t2; t2=$(now_ms)
    ready+=($((t1 - t0))); catalog+=($((t2 - t0)))
  done
  echo "$label: start-up to /readyz 200, ms (sorted runs): $(sorted "${ready[@]}")"
  echo "$label: CPU time used by then, ms (sorted runs): $(sorted "${cpu[@]}")"
  echo "$label: start-up to the first /v1/catalog answer, ms (sorted runs): $(sorted "${catalog[@]}")"
}

measure "release binary (catalog-api)" "$work/artifacts/catalog-api"
measure "dotnet Catalog.Api.dll (Release build)" dotnet "$api"

for q in claude gpt-4o llama bedrock %40cf; do  # already URL-encoded
  for _ in 1 2 3 4 5; do curl -fsS -o /dev/null "$url/v1/models?q=$q"; done # warm-up
  times=()
  for _ in $(seq 1 "$requests"); do
    times+=("$(curl -fsS -o /dev/null -w '%{time_total}' "$url/v1/models?q=$q")")
  done
  total=$(curl -fsS "$url/v1/models?q=$q" | grep -o '"total":[0-9]*' | head -1)
  printf 'GET /v1/models?q=%s (%s): median %s ms, fastest %s ms over %s requests\n' "$q" "$total" \
    "$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]*1000}')" \
    "$(printf '%s\n' "${times[@]}" | sort -g | awk 'NR==1 {printf "%.2f", $1*1000}')" "$requests"
done
