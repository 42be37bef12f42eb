# Sourced by the ledger benchmarks (run.sh, export.sh) from the repository's root, with $port set: builds the API
# and the load generator, and defines start_api (on $dir/catalog.db), stop_api, peak (the API's VmHWM in MB) and
# cpu_ticks (the API's user + system CPU so far, in clock ticks).
key="bench-admin-key"
dotnet build src/Catalog.Api -c Release -nologo -v q >/dev/null
dotnet build bench/Catalog.LoadTest -c Release -nologo -v q >/dev/null
load="dotnet bench/Catalog.LoadTest/bin/Release/net10.0/Catalog.LoadTest.dll"
url="http://127.0.0.1:$port"
api=

start_api() {
  ASPNETCORE_URLS="$url" Storage__Path="$dir/catalog.db" CATALOG_ADMIN_KEY="$key" Keys__RequestsPerSecond=1000000 \
    Logging__LogLevel__Default=Warning dotnet src/Catalog.Api/bin/Release/net10.0/Catalog.Api.dll >"$dir/api.log" 2>&1 &
  api=$!
  for _ in $(seq 1 100); do curl -sf "$url/v1/catalog" >/dev/null && return; sleep 0.2; done
  echo "the API did not start"; cat "$dir/api.log"; exit 1
}
stop_api() { kill "$api"; wait "$api" 2>/dev/null || true; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$api/stat"; }
peak() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$api/status"; }
