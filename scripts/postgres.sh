#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on a local port for the tests.
#   scripts/postgres.sh start [port]   installs PostgreSQL from Debian's packages when missing, starts a
#                                      cluster, and prints `export CATALOG_TEST_POSTGRES=...` to eval
#   scripts/postgres.sh stop           stops it and deletes its files
# Anything that goes wrong is reported on stderr and nothing is printed on stdout, so the tests
# that need PostgreSQL are skipped with a clear message instead of failing the run.
set -euo pipefail
state="${CATALOG_PG_STATE:-/tmp/catalog-test-postgres}"
log() { echo "postgres.sh: $*" >&2; }

find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local port="${1:-55432}" bin
  bin=$(find_bin || true)
  if [ -z "$bin" ]; then
    log "PostgreSQL is not installed; installing it from Debian's packages"
    if [ "$(id -u)" -ne 0 ]; then log "not root: cannot install PostgreSQL"; return 1; fi
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql; } >&2 || { log "installing PostgreSQL failed"; return 1; }
    bin=$(find_bin) || { log "PostgreSQL binaries not found after install"; return 1; }
  fi
  stop >/dev/null 2>&1 || true
  mkdir -p "$state"
  [ "$(id -u)" -eq 0 ] && chown postgres "$state"
  as_owner "$bin/initdb" -D "$state/data" -U catalog --auth=trust -E UTF8 --locale=C.UTF-8 >"$state/initdb.log" 2>&1 \
    || as_owner "$bin/initdb" -D "$state/data" -U catalog --auth=trust -E UTF8 >"$state/initdb.log" 2>&1 \
    || { log "initdb failed: $(tail -n 3 "$state/initdb.log")"; return 1; }
  as_owner "$bin/pg_ctl" -D "$state/data" -l "$state/server.log" -w -t 60 \
    -o "-p $port -k $state -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB" start >&2 \
    || { log "the server did not start: $(tail -n 5 "$state/server.log" 2>/dev/null)"; return 1; }
  echo "$bin" >"$state/bin"
  echo "export CATALOG_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=catalog;Database=postgres;Pooling=true;Maximum Pool Size=100'"
}

stop() {
  [ -f "$state/bin" ] || { rm -rf "$state"; return 0; }
  local bin; bin=$(cat "$state/bin")
  as_owner "$bin/pg_ctl" -D "$state/data" -m fast -w stop >&2 || true
  rm -rf "$state"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 start [port] | stop" >&2; exit 2 ;;
esac
