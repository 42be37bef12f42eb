#!/usr/bin/env bash
# Installs the third-party tools the tests need, when missing. Safe to run again.
set -euo pipefail
need=()
# Browser tests (dashboard) drive Debian's Chromium; Playwright's own browser download cannot work offline.
if [ -f "$(dirname "$0")/../tests/Catalog.Dashboard.Tests/Catalog.Dashboard.Tests.csproj" ] && ! command -v chromium >/dev/null 2>&1; then
  need+=(chromium)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
