#!/usr/bin/env bash
# Builds the release artifacts of the version in Directory.Build.props into artifacts/ (or the folder given):
#   catalog-api                 the service: a self-contained single-file linux-x64 binary (dashboard inside)
#   catalog                     the CLI, the same way
#   Catalog.Cli.<version>.nupkg the CLI as a .NET tool: dotnet tool install -g Catalog.Cli --add-source ./artifacts
#   SHA256SUMS                  checksums of the three
# Another runtime: RID=linux-arm64 scripts/release.sh. The build is Release; pricing.yaml is compiled in.
# SERVICE_ONLY=1 publishes catalog-api alone.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-artifacts}"
rid="${RID:-linux-x64}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# ReadyToRun as one composite image (the service, its packages and the framework compiled together ahead of time)
# and no compression: the service starts in about 0.55-0.75 s instead of 1.0-1.3 s (bench/README.md, "Start-up").
# Compression would cut the file from about 150 MB to 70 MB but decompresses it at every start (+0.35 s of CPU);
# without the composite image (the framework's own precompiled code, the service's compiled apart) it starts in
# 0.8-0.9 s and publishes in 1 minute instead of about 3.5. The CLI is small and short-lived: compressed, no
# ReadyToRun.
single_file=(-c Release -r "$rid" --self-contained true -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true
  -p:DebugType=none -p:GenerateDocumentationFile=false -nologo -v q)
service=(-p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -p:EnableCompressionInSingleFile=false)

echo "publishing the service ($rid)"
dotnet publish src/Catalog.Api "${single_file[@]}" "${service[@]}" -o "$work/api"
install -m 755 "$work/api/Catalog.Api" "$out/catalog-api"
if [ "${SERVICE_ONLY:-}" = 1 ]; then  # bench/startup.sh: the service binary alone
  exit 0
fi

echo "publishing the CLI ($rid)"
dotnet publish src/Catalog.Cli "${single_file[@]}" -p:EnableCompressionInSingleFile=true -o "$work/cli"
install -m 755 "$work/cli/Catalog.Cli" "$out/catalog"

echo "packing the CLI as a .NET tool"
dotnet pack src/Catalog.Cli -c Release -o "$work/pack" -nologo -v q
cp "$work"/pack/Catalog.Cli.*.nupkg "$out/"

cd "$out"
sha256sum catalog-api catalog Catalog.Cli.*.nupkg > SHA256SUMS
echo "artifacts in $out:"
ls -l catalog-api catalog Catalog.Cli.*.nupkg SHA256SUMS
