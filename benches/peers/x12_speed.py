#!/usr/bin/env python3
"""Times superbill's validator against pyx12 (PyPI pyx12==4.0.0) on the same synthetic 837P batch,
with a bare memchr pass over the bytes as the ceiling, and prints superbill's throughput as a
ratio to both. pyx12 is slow, so the default batch is small (2 MiB).

    python3 -m venv /tmp/pyx12env && /tmp/pyx12env/bin/pip install pyx12==4.0.0
    cargo build --release && cargo build --release -p x12 --example memchr_ceiling
    python3 benches/peers/x12_speed.py [SIZE_BYTES] [/tmp/pyx12env/bin/x12valid]
"""
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
SIZE = int(sys.argv[1]) if len(sys.argv) > 1 else 2 << 20
X12VALID = sys.argv[2] if len(sys.argv) > 2 else "/tmp/pyx12env/bin/x12valid"
SUPERBILL = ROOT / "target/release/superbill"
CEILING = ROOT / "target/release/examples/memchr_ceiling"


def corpus(size):
    """The tokenizer benchmark's corpus (crates/x12/benches/common/mod.rs), at `size` bytes."""
    src = (ROOT / "crates/x12/benches/common/mod.rs").read_text()
    claim = re.search(r'let claim = "(.*?)";', src, re.S).group(1)
    claim = claim.encode().decode("unicode_escape")
    isa = ("ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       "
           "*260101*1200*^*00501*000000001*0*P*:~\n")
    out = [isa, "GS*HC*SUBMITTER*RECEIVER*20260101*1200*1*X*005010X222A1~\n"]
    n, total = 0, 0
    while total < size:
        n += 1
        t = f"ST*837*{n:04d}*005010X222A1~\n" + claim + f"SE*26*{n:04d}~\n"
        out.append(t)
        total += len(t)
    out.append(f"GE*{n}*1~\nIEA*1*000000001~\n")
    return "".join(out)


def timed(cmd, cwd=None):
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    return time.perf_counter() - t, p


def main():
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "batch.837"
        path.write_text(corpus(SIZE))
        mib = path.stat().st_size / (1 << 20)
        ours, p = timed([str(SUPERBILL), "x12", "validate", "--level", "2", str(path)])
        assert "valid" in p.stdout, p.stdout + p.stderr
        _, c = timed([str(CEILING), str(path)])
        ceiling = float(re.search(r"in ([0-9.]+) s", c.stdout).group(1))
        theirs = None
        if shutil.which(X12VALID) or pathlib.Path(X12VALID).exists():
            theirs, _ = timed([X12VALID, str(path)], cwd=tmp)
        print(f"file: {mib:.1f} MiB synthetic 837P")
        print(f"superbill x12 validate --level 2 (process): {ours:.3f} s = {mib / ours:.1f} MiB/s")
        print(f"memchr ceiling (in process):                 {ceiling:.4f} s = {mib / ceiling:.0f} MiB/s")
        if theirs is not None:
            print(f"pyx12 x12valid (process):                    {theirs:.3f} s = {mib / theirs:.2f} MiB/s")
            print(f"superbill is {theirs / ours:.0f}x pyx12")
        print(f"superbill runs at {ceiling / ours * 100:.1f}% of the memchr ceiling")


if __name__ == "__main__":
    main()
