"""superbill's MS-DRG grouper and MCE against the oracle (the PyPI package msdrg 1.2.0, a port of
CMS's grouper and MCE), on the same generated claims, in the same run: each as a whole process
(loading its tables, grouping, running the MCE, writing its answers), claims per second, the
ratio, and the agreement.

    python3 -m venv /tmp/msdrgenv && /tmp/msdrgenv/bin/pip install msdrg==1.2.0
    superbill data import ../shared/data/drg ../shared/data/mce
    python3 benches/peers/drg_group.py 100000 [--python /tmp/msdrgenv/bin/python] [--superbill target/release/superbill]
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
ORACLE = os.path.join(ROOT, "scripts", "drg_oracle.py")


def timed(cmd, stdout=None):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=stdout)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--python", default="/tmp/msdrgenv/bin/python")
    ap.add_argument("--superbill", default=os.path.join(ROOT, "target", "release", "superbill"))
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args()
    claims, expected, ours = (f"/tmp/drg_peer_{x}.csv" for x in ("claims", "oracle", "ours"))
    subprocess.run([a.python, ORACLE, "generate", "--n", str(a.n), "--seed", str(a.seed),
                    "--out", claims], check=True)
    t_oracle = timed([a.python, ORACLE, "oracle", claims, "--out", expected])
    with open(ours, "w") as f:
        t_ours = timed([a.superbill, "group", claims, "--csv"], stdout=f)
    print(f"{a.n} claims (seed {a.seed}), whole processes:")
    print(f"  superbill group --csv : {t_ours:7.2f} s  {a.n / t_ours:10,.0f} claims/s")
    print(f"  msdrg 1.2.0 (oracle)  : {t_oracle:7.2f} s  {a.n / t_oracle:10,.0f} claims/s")
    print(f"  ratio                 : {t_oracle / t_ours:.1f}x")
    # compare exits 1 while the grouper disagrees anywhere; the figures are what matter here.
    subprocess.run([sys.executable, ORACLE, "compare", expected, ours], check=False)


if __name__ == "__main__":
    main()
