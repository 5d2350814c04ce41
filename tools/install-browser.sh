#!/usr/bin/env bash
# The service's browser tests drive Debian's Chromium with Debian's chromedriver (same version,
# both from the system packages; nothing is downloaded by a test). Installed once, idempotently,
# by `make test` (and so by .ci/run). Without root, it says what is missing and the page tests
# are skipped, except under CI=1, where they fail.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
else
  echo "note: chromium and chromium-driver are missing (apt-get install chromium chromium-driver);" \
    "the page tests will be skipped" >&2
fi
