#!/usr/bin/env bash
# CSV export benchmark: seeds a fresh database with CALLS calls (default 1,000,000, batch ingest), then exports
# them RUNS times (default 5), each in a fresh API process after one warm-up export, and prints the time and the
# process's peak memory (VmHWM, start-up included) of each, then their ranges. Loopback only. The machine's load
# is printed: numbers taken on a busy machine are not comparable with a quiet one's.
# Usage: bench/ledger/export.sh   (CALLS=1000000 RUNS=5; about 1 minute to seed and 10-20 s an export)
set -euo pipefail
cd "$(dirname "$0")/../.."
calls="${CALLS:-1000000}"
runs="${RUNS:-5}"
port=5598
dir="$(mktemp -d)"
. bench/ledger/api.sh
trap 'kill "$api" 2>/dev/null || true; rm -rf "$dir"' EXIT

start_api
$load batch "$url" "$key" 4 "$calls" 5000
stop_api
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq 1 "$runs"); do
  start_api
  $load export "$url" "$key" >/dev/null
  line="$($load export "$url" "$key")"
  echo "run $run: $line, peak memory $(peak) MB"
  stop_api
done | tee "$dir/runs.txt"
awk '{ for (i = 1; i <= NF; i++) { if ($i == "in") s[NR] = $(i + 1); if ($i == "memory") m[NR] = $(i + 1) } }
  END { slo = shi = s[1]; mlo = mhi = m[1]
        for (i = 2; i <= NR; i++) { if (s[i] < slo) slo = s[i]; if (s[i] > shi) shi = s[i]; if (m[i] < mlo) mlo = m[i]; if (m[i] > mhi) mhi = m[i] }
        printf "CSV export over %d runs (warm: the second export of each process): %s-%s s, peak memory %s-%s MB\n", NR, slo, shi, mlo, mhi }' "$dir/runs.txt"
