#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 60 s each) with coverage feedback, seeded
# from the repository's X12 test files and, when present, ../shared/x12-samples (copied into a
# scratch corpus, never into the repository). A crash fails the run and leaves its input in
# fuzz/artifacts/: add it to crates/x12/tests/crashes/ as a regression test.
#
#   fuzz/run-bounded.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-60}"
flags="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
host="$(rustc -vV | sed -n 's/^host: //p')"
RUSTC_BOOTSTRAP=1 RUSTFLAGS="$flags" cargo build --release --quiet --target "$host" \
  --target-dir target-cov
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p artifacts "$work/x12" "$work/codes"
cp ../crates/x12/tests/crashes/* "$work/x12/" 2>/dev/null || true
if [ -d ../../shared/x12-samples ]; then
  find ../../shared/x12-samples -type f ! -name README.md -exec cp {} "$work/x12/" \;
fi
cp ../fixtures/sample/*.xml ../fixtures/sample/*.txt "$work/codes/" 2>/dev/null || true
for target in x12_parse x12_roundtrip x12_validate code_set_parsers; do
  corpus="$work/x12"
  [ "$target" = code_set_parsers ] && corpus="$work/codes"
  echo "fuzz: $target for ${secs}s"
  "target-cov/$host/release/$target" -max_total_time="$secs" -max_len=65536 \
    -artifact_prefix=artifacts/ -print_final_stats=1 "$corpus" 2>&1 | tail -n 12
done
