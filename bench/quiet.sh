#!/usr/bin/env bash
# The issue 17 targets measured one after another, as bench/README's quiet-machine tables take them: the build, the
# exact-name and audio prices (BenchmarkDotNet, default job), /v1/cost and the 1,000-item batch over HTTP, the
# comparison with genai-prices' calcPrice, the ledger (single and batch ingest, summaries, export) and the export
# alone. Run it on a fresh clone with nothing else running; each step's output goes to $OUT/<step>.txt and the
# start time and load average of each step to $OUT/log. About 20 minutes on 2 cores.
# Usage: bench/quiet.sh   (OUT=bench-results by default, ignored by git)
set -u
cd "$(dirname "$0")/.."
out="${OUT:-bench-results}"
mkdir -p "$out"
echo "commit $(git rev-parse --short HEAD)" >> "$out/log"
step() { echo "$(date -u +%H:%M:%S) start $1, load average $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/log"; }
step build; dotnet build Catalog.sln -c Release -nologo -v q > "$out/build.txt" 2>&1
step bdn; dotnet run -c Release --project bench/Catalog.Benchmarks -- --filter '*PriceBenchmarks.PriceExact' '*PriceBenchmarks.PriceAudio*' > "$out/bdn.txt" 2>&1
step http; DURATION=10s REPEATS=2 bench/http.sh > "$out/http.txt" 2>&1
step compare; (cd bench/compare-genai-prices && npm ci --silent && node compare.mjs) > "$out/compare.txt" 2>&1
step ledger; RUNS=2 bench/ledger/run.sh 20 > "$out/ledger.txt" 2>&1
step export; bench/ledger/export.sh > "$out/export.txt" 2>&1
step done
grep -hE '^\| Price' "$out/bdn.txt"; tail -n 9 "$out/http.txt"; tail -n 2 "$out/compare.txt"; tail -n 5 "$out/ledger.txt"; tail -n 1 "$out/export.txt"
