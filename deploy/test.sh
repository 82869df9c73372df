#!/usr/bin/env bash
# Runs every test on a fresh machine of this kind: installs what the tests need that is missing
# (PostgreSQL binaries, redis-server and nginx, from which the tests start their own throwaway instances; Chromium for
# the browser tests), builds, runs, and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
# The browser tests drive Debian's Chromium; a browser is never downloaded.
command -v chromium >/dev/null || missing+=(chromium)
# The scale-out test runs its own redis-server as the SignalR backplane between two server processes.
command -v redis-server >/dev/null || missing+=(redis-server)
# Exports: LibreOffice renders PDFs (the tests open Word files with it, and the import tests make Word-like files with it) under a stopped clock (libfaketime) with
# metric-compatible fonts; the tests read PDFs with poppler and validate Akoma Ntoso with xmllint.
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
ls /usr/lib/*/faketime/libfaketime.so.1 >/dev/null 2>&1 || missing+=(libfaketime)
ls /usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf >/dev/null 2>&1 || missing+=(fonts-liberation2)
ls /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v xmllint >/dev/null || missing+=(libxml2-utils)
# The load-balancer test runs three server processes behind nginx with the shipped deploy/nginx/nginx.conf.
{ [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null; } || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} ..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || exit 1
fi
# docker-compose checks and resolves docker-compose.yml (there is no Docker engine here to run it): Debian's, without the
# engine it recommends.
if ! command -v docker-compose >/dev/null; then
  echo "Installing docker-compose ..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null || exit 1
fi

# Whitespace and layout as .editorconfig says, in the sources, the tests and the benchmarks (the test KeepingLinesShort
# checks that no line of code is longer than 150 characters).
if ! dotnet format whitespace --folder --include src/ tests/ bench/ --verify-no-changes; then
  echo "Formatting differs from .editorconfig: run 'dotnet format whitespace --folder --include src/ tests/ bench/' and commit."
  echo "0 passed, 1 failed"
  exit 1
fi

log=$(mktemp)
dotnet test CadapDrafting.sln --logger "console;verbosity=normal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Sum the per-assembly summaries ("Total tests: T" then "     Passed: P" / "     Failed: F").
read -r passed failed < <(awk '/^ +Passed: +[0-9]+$/ {p+=$2} /^ +Failed: +[0-9]+$/ {f+=$2} END {print p+0, f+0}' "$log")
# Repeat each failed test with its message and the start of its stack at the very end, where a reader of a long log looks.
if grep -q '^  Failed ' "$log"; then
  echo "Failed tests:"
  grep -A 25 '^  Failed ' "$log" | grep -v -E '^(warn|info|fail|dbug): |^      ' | head -200
fi
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
