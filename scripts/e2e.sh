#!/usr/bin/env bash
# End-to-end tests of the web app in Debian's headless Chromium (Playwright from npm, no browser
# download), against `superbill serve --demo` on SQLite and then on PostgreSQL. Screenshots go to
# target/e2e-artifacts/. Needs target/release/superbill (built by `cargo test --release`).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian's chromium"
  if [ "$(id -u)" = 0 ]; then apt-get install -y chromium >/dev/null || { apt-get update >/dev/null && apt-get install -y chromium >/dev/null; }
  else sudo apt-get install -y chromium >/dev/null; fi
fi
# A syntax error in the page's script would only show as a sign-in form that never appears.
node --check crates/server/assets/app.js
[ -x target/release/superbill ] || cargo build --release -p cli
(cd e2e && npm ci --no-audit --no-fund >/dev/null)

echo "e2e on SQLite"
(cd e2e && npm test)

pg_admin="${SUPERBILL_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres}"
db="sbtest_e2e_$$"
psql "$pg_admin" -qc "CREATE DATABASE $db"
trap 'psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT
echo "e2e on PostgreSQL"
(cd e2e && SUPERBILL_E2E_DB="${pg_admin%/*}/$db" npm test)
