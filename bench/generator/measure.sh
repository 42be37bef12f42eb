#!/usr/bin/env bash
# What the pricing catalogue generator costs a build: src/Catalog.Pricing built against a synthetic
# catalogue of N models (default 5000) and against a small one (10 models).
#
# Works on a copy of the two projects in a temporary folder, so it never touches this checkout's
# bin/ and obj/. For each catalogue, after one cold build that is not counted, it reports medians of
# three warm incremental builds of each kind:
#   yaml edit  the YAML changes (a comment is appended): the generator parses and emits, csc compiles;
#              wall-clock ms of `dotnet build -v:q`, and its CPU ms (user+sys, csc included when it
#              runs as a child process, i.e. without the compiler server)
#   generator  the compiler's own time for PricingCatalogGenerator (-p:ReportAnalyzer=true, -v:d), in
#              seconds, after a YAML edit and after an unrelated .cs edit: command-line builds run
#              generators afresh each time; only the compiler server with
#              -p:Features=enable-generator-cache keeps their incremental state (measured when the
#              server is in use, i.e. UseSharedCompilation is not false)
#
# Usage: bench/generator/measure.sh [model count | catalogue file]   (a file, e.g. pricing.yaml, is measured as it is)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
models=${1:-5000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tar -C "$root" --exclude=bin --exclude=obj -cf - \
  global.json Directory.Build.props Directory.Packages.props src/Catalog.Catalogue src/Catalog.Generator src/Catalog.Pricing \
  | { mkdir -p "$work/repo" && tar -C "$work/repo" -xf -; }
project="$work/repo/src/Catalog.Pricing/Catalog.Pricing.csproj"
unrelated="$work/repo/src/Catalog.Pricing/Unrelated.cs"

if [ -f "$models" ]; then
  cp "$models" "$work/large.yaml"
  models="$(grep -c '^      - id: ' "$work/large.yaml") ($(basename "$1"))"
else
  dotnet run --file "$root/bench/generator/make-catalogue.cs" -- "$models" "$work/large.yaml"
fi
dotnet run --file "$root/bench/generator/make-catalogue.cs" -- 10 "$work/small.yaml"

server=yes
[ "${UseSharedCompilation:-}" = false ] && server="no (UseSharedCompilation=false in the environment: every build starts csc cold)"
echo "compiler server: $server"

median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }

build() { # catalogue, then extra dotnet build arguments
  local catalogue=$1; shift
  dotnet build "$project" -nologo -nodeReuse:false -p:PricingCatalog="$catalogue" "$@" > "$work/last.log" \
    || { tail -n 40 "$work/last.log"; exit 1; }
}

# Each edit takes the catalogue; edit_cs leaves it alone.
edit_yaml() { echo "# edit $RANDOM" >> "$1"; }
edit_cs() { echo "namespace Catalog.Pricing; internal static class Unrelated { public const int Edit = $RANDOM; }" > "$unrelated"; }

timed_build() { # catalogue: prints "wall-ms cpu-ms"
  local TIMEFORMAT='%R %U %S' seconds
  edit_yaml "$1"
  seconds=$( { time build "$1" --no-restore -v:q; } 2>&1 )
  awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' <<<"$seconds"
}

generator_seconds() { # catalogue, edit, then extra build arguments: prints seconds
  local catalogue=$1 edit=$2 seconds; shift 2
  "$edit" "$catalogue"
  build "$catalogue" --no-restore -v:d -p:ReportAnalyzer=true "$@"
  seconds=$(grep -m1 -E '^\s+[<0-9.]+\s+[<0-9]+\s+Catalog\.Generator\.PricingCatalogGenerator' "$work/last.log" | awk '{print $1}')
  echo "${seconds:-none}"
}

report() { # label, catalogue
  local label=$1 catalogue=$2 wall=() cpu=() yaml=() cs=() cached=() run
  edit_cs "$catalogue"
  build "$catalogue" -v:q
  for _ in 1 2 3; do run=$(timed_build "$catalogue"); wall+=("${run% *}"); cpu+=("${run#* }"); done
  for _ in 1 2 3; do yaml+=("$(generator_seconds "$catalogue" edit_yaml)"); done
  for _ in 1 2 3; do cs+=("$(generator_seconds "$catalogue" edit_cs)"); done
  echo "$label"
  echo "  build after a yaml edit: $(median "${wall[@]}") ms wall, $(median "${cpu[@]}") ms CPU   (runs: ${wall[*]} / ${cpu[*]})"
  echo "  generator: $(median "${yaml[@]}") s after a yaml edit, $(median "${cs[@]}") s after a .cs edit   (runs: ${yaml[*]} / ${cs[*]})"
  if [ "$server" = yes ]; then
    generator_seconds "$catalogue" edit_cs -p:Features=enable-generator-cache > /dev/null
    for _ in 1 2 3; do cached+=("$(generator_seconds "$catalogue" edit_cs -p:Features=enable-generator-cache)"); done
    echo "  generator with the server's generator cache: $(median "${cached[@]}") s after a .cs edit   (runs: ${cached[*]})"
  fi
}

report "small catalogue (10 models)" "$work/small.yaml"
report "large catalogue ($models models)" "$work/large.yaml"
