#!/usr/bin/env bash
# Usage ledger benchmark, RUNS times (default 3), each on a fresh database: starts the API (Release), measures
# single-call ingest (64 clients, after a warm-up: rounds of 10 s, printed, until a round is no faster than 5% over the one
# before, at least 2 and at most WARMUP_ROUNDS (default 6): the JIT's tiering takes 30-40 s of ingest on a busy machine),
# batch ingest (5,000 a batch: the first 200,000 calls, which warm up, then 800,000), the summary and the
# CSV export over the 1,000,000 calls, and the API's peak memory (VmHWM); then prints each measure's range
# over the runs. Loopback only; every loop is bounded. The machine's load is printed with each run: numbers
# taken on a busy machine are not comparable with a quiet one's.
# Usage: bench/ledger/run.sh [seconds of single-call ingest, default 20]   (RUNS=3; about 3-5 minutes a run)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-20}"
runs="${RUNS:-3}"
port=5599
results="$(mktemp)"
dir=
. bench/ledger/api.sh
trap 'kill "$api" 2>/dev/null || true; [ -z "$dir" ] || rm -rf "$dir"; rm -f "$results"' EXIT
# Prints a line and keeps "<measure> <value>" for the ranges at the end.
keep() { echo "$2"; echo "$1 $(grep -o "$3" <<<"$2" | head -1 | grep -o '[0-9.]*' | head -1)" >>"$results"; }

for run in $(seq 1 "$runs"); do
  rm -rf "$dir"; dir="$(mktemp -d)"
  echo "run $run of $runs (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  start_api
  previous=0
  for round in $(seq 1 "${WARMUP_ROUNDS:-6}"); do
    line="$($load single "$url" "$key" 64 10)"
    echo "  warm-up $round: $line"
    rate="$(grep -o '= [0-9]* requests/s' <<<"$line" | grep -o '[0-9]*')"
    # Warm once a round gains less than 5% on the one before (the second round at the earliest).
    if [ "$round" -ge 2 ] && [ $((rate * 100)) -lt $((previous * 105)) ]; then break; fi
    previous="$rate"
  done
  cpu="$(cpu_ticks)"
  line="$($load single "$url" "$key" 64 "$seconds")"
  # The API's own CPU a call (user + system, from /proc): comparable across runs when the machine is busy and the rate is not.
  calls="$(grep -o '^single: [0-9]*' <<<"$line" | grep -o '[0-9]*')"
  keep single-warm "  $line; API CPU $(( ($(cpu_ticks) - cpu) * 1000000 / $(getconf CLK_TCK) / (calls > 0 ? calls : 1) )) us a call" '= [0-9]* requests/s'
  keep batch-first "  first 200,000: $($load batch "$url" "$key" 4 200000 5000)" '= [0-9]* calls/s'
  keep batch-next "  next 800,000: $($load batch "$url" "$key" 4 800000 5000)" '= [0-9]* calls/s'
  echo "  peak memory after ingest: $(peak) MB"
  stop_api

  # A fresh process, so the export's peak memory is its own.
  start_api
  echo "  start-up with the seeded database: $(peak) MB"
  $load summary "$url" "$key" 5 | sed 's/^/  /'
  keep export "  $($load export "$url" "$key")" 'in [0-9.]* s'
  keep export-peak "  peak memory (start-up, summary and export): $(peak) MB" '[0-9]* MB'
  stop_api
done

echo "ranges over $runs runs:"
awk '{ v[$1] = v[$1] " " $2 } END {
  split("single-warm batch-first batch-next export export-peak", order, " ")
  split("single-call ingest (64 clients, warm), requests/s|batch ingest, first 200,000, calls/s|batch ingest, next 800,000, calls/s|CSV export of the 1,000,000 rows, s|peak memory (start-up, summary, export), MB", label, "|")
  for (i = 1; i <= 5; i++) { n = split(v[order[i]], x, " "); lo = hi = x[1]; for (j = 2; j <= n; j++) { if (x[j] < lo) lo = x[j]; if (x[j] > hi) hi = x[j] }
    printf "  %s: %s-%s\n", label[i], lo, hi } }' "$results"
