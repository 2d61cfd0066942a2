#!/usr/bin/env bash
# The whole test suite. On a fresh Debian machine with the .NET SDK it installs what the suite needs (PostgreSQL, ffmpeg,
# tesseract with English and Italian data, the DejaVu fonts OCR tests render text with, libturbojpeg0 for the fast JPEG
# decode) via apt when missing, starts a
# throwaway PostgreSQL and a throwaway nats-server (JetStream) on loopback ports in temporary directories, runs every test with
# service-backed tests required (not skipped), prints "N passed, N failed, N skipped", and stops what it started.
# Extra arguments go to `dotnet test` (e.g. ./test.sh --filter-class 'Bulwark.Tests.Api*').
set -euo pipefail
cd "$(dirname "$0")"
source scripts/postgres.sh
source scripts/nats.sh

# chromium: the console's browser tests drive Debian's /usr/bin/chromium through Playwright (never a downloaded browser).
# libturbojpeg0: the SIMD JPEG decoder the image hasher uses when present (SkiaSharp's bundled one is the fallback).
ensure_packages postgresql ffmpeg tesseract-ocr tesseract-ocr-eng tesseract-ocr-ita fonts-dejavu-core chromium libturbojpeg0
# Test databases are throwaway: trade durability for speed (crash tests kill Bulwark, not PostgreSQL).
PG_EXTRA_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
start_throwaway_postgres
log=$(mktemp /tmp/bulwark-test-log.XXXXXX)
# nats-server (Debian's): a throwaway JetStream server for the JetStream queue's tests.
start_throwaway_nats
trap 'stop_throwaway_postgres; stop_throwaway_nats; rm -f "$log"' EXIT

export BULWARK_TEST_POSTGRES="$PG_URL" BULWARK_TEST_PG_RESTART="$PG_RESTART" BULWARK_TEST_NATS="$NATS_URL" BULWARK_REQUIRE_SERVICES=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

set +e
dotnet test --solution Bulwark.slnx --no-progress --output Detailed "$@" 2>&1 | tee "$log" \
  | grep -vE '^\s*(passed|skipped) |^\s+from .*\.dll'
status=${PIPESTATUS[0]}
set -e

# Totals over every test assembly, as one plain line.
awk '/^[[:space:]]*(succeeded|failed|skipped):/ { gsub(":", "", $1); n[$1] = $2 }
     END { printf "%d passed, %d failed, %d skipped\n", n["succeeded"], n["failed"], n["skipped"] }' "$log"
exit "$status"
