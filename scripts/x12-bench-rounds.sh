#!/bin/bash
# Rounds of the X12 speed benchmarks, back to back: the tokenizer (a reference for how fast the
# machine runs at the moment) and the typed read, writing and validation on both cores. A
# virtual machine's speed can move by a factor of two within an hour: compare figures of the
# same round. Usage: scripts/x12-bench-rounds.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
for _ in $(seq "${1:-4}"); do
  date +%T
  cargo bench -q -p x12 --bench tokenize -- --warm-up-time 1 --measurement-time 3 \
    "tokenize_segments$|memchr_ceiling" 2>&1 | grep -E "^[a-z_0-9/]+|thrpt" | grep -v "%\]"
  cargo bench -q -p x12-claims --bench validate -- --warm-up-time 2 --measurement-time 5 \
    "500_per_set/(read_837_views_each|read_837_typed_2|read_837_views_2|level_3_2)|claims_16MB_837P/(write_837_2|read_837_views_2)" \
    2>&1 | grep -E "^[a-z_0-9/]+|thrpt" | grep -v "%\]"
done
