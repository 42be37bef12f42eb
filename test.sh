#!/usr/bin/env bash
# Runs the whole test suite from a clean clone: installs what the tests need, builds, starts a
# throw-away PostgreSQL (installed from Debian's packages when missing), tests, stops it, and prints one
# summary line "N passed, N failed, N skipped". Exit code is non-zero when a test fails.
set -uo pipefail
cd "$(dirname "$0")"

./scripts/install-test-tools.sh || { echo "installing test tools failed"; echo "0 passed, 1 failed"; exit 1; }

results="TestResults"
rm -rf "$results"
dotnet build Catalog.sln -c Release -nologo -v q || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

# PostgreSQL for the tests that need it: a throw-away server on a free local port, stopped afterwards,
# unless CATALOG_TEST_POSTGRES already names one. If it cannot start, those tests are skipped and say why.
pg_state=
stop_postgres() { [ -z "$pg_state" ] || CATALOG_PG_STATE="$pg_state" ./scripts/postgres.sh stop >/dev/null 2>&1 || true; pg_state=; }
if [ -z "${CATALOG_TEST_POSTGRES:-}" ]; then
  pg_state="$(mktemp -d /tmp/catalog-test-postgres.XXXXXX)"
  trap stop_postgres EXIT
  port=$((55432 + RANDOM % 2000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  pg_env=$(CATALOG_PG_STATE="$pg_state" ./scripts/postgres.sh start "$port") && eval "$pg_env"
  if [ -n "${CATALOG_TEST_POSTGRES:-}" ]; then
    echo "PostgreSQL for the tests on 127.0.0.1:$port"
  else
    echo "PostgreSQL could not start (see above): the tests that need it are skipped"
  fi
fi

run_tests() { dotnet test "$@" -c Release --no-build -nologo --logger "trx" --logger "console;verbosity=normal" --results-directory "$results"; }
if [ $# -gt 0 ]; then
  run_tests Catalog.sln "$@"
  status=$?
else
  run_tests Catalog.sln --filter "Category!=Release"
  status=$?
  # The release artifacts (scripts/release.sh, then the published binaries) are tested on their own, after the
  # rest: publishing beside the other tests' builds slowed both past their timeouts on a 2-core machine.
  run_tests tests/Catalog.Api.Tests --filter "Category=Release" || status=1
fi
stop_postgres

# The browser tests' screenshots, beside the results (the tests write them next to their assembly).
for shots in tests/*/bin/Release/*/TestResults/screenshots; do
  [ -d "$shots" ] && mkdir -p "$results/screenshots" && cp "$shots"/*.png "$results/screenshots/" 2>/dev/null
done

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  x=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0})); skipped=$((skipped + ${t:-0} - ${x:-0}))
done
# The failed tests by name with the first lines of their message, last before the summary, so that a CI log's tail
# (which is all some CI readers keep) says what failed.
if [ "$failed" -gt 0 ]; then
  echo "Failed tests:"
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    awk '
      /<UnitTestResult / { inside = ($0 ~ /outcome="Failed"/); if (inside) { name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name); gsub(/&quot;/, "\"", name); print "  FAILED " name; shown = 0 } }
      inside && /<Message>/ { msg = 1 }
      inside && msg && shown < 6 { line = $0; gsub(/<\/?Message>/, "", line); gsub(/&quot;/, "\"", line); gsub(/&lt;/, "<", line); gsub(/&gt;/, ">", line); gsub(/&amp;/, "\\&", line); print "    " line; shown++ }
      /<\/Message>/ { msg = 0 }
      /<\/UnitTestResult>/ { inside = 0 }
    ' "$trx" | head -n 80
  done
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
