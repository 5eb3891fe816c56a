#!/usr/bin/env python3
"""Runs superbill and pyx12 (PyPI pyx12==4.0.0) on every X12 sample and prints where they agree
on validity.

    python3 -m venv /tmp/pyx12env && /tmp/pyx12env/bin/pip install pyx12==4.0.0
    cargo build --release
    python3 benches/peers/x12_agreement.py [../shared/x12-samples] [/tmp/pyx12env/bin/x12valid]

pyx12 has maps for 837 X222A1/X223A1, 835 X221A1, 999 and 277CA only; files it has no map for,
or on which it crashes (a UTF-8 byte-order mark, say), are listed but not counted.
"""
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLES = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "../shared/x12-samples")
X12VALID = sys.argv[2] if len(sys.argv) > 2 else "/tmp/pyx12env/bin/x12valid"
SUPERBILL = ROOT / "target/release/superbill"


def pyx12(original):
    # pyx12 writes its 997/999 beside the input: run it on a copy, never in the corpus.
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / original.name
        shutil.copyfile(original, path)
        p = subprocess.run([X12VALID, str(path)], capture_output=True, text=True, cwd=tmp)
    text = p.stdout + p.stderr
    if "Map not found" in text:
        return "no map"
    if f"{path}: OK" in text:
        return "valid"
    if "UnicodeDecodeError" in text:
        return "crash"
    if f"{path}: Failure" in text or "ERROR" in text or p.returncode != 0:
        return "invalid"
    return "crash"


def ours(path):
    # Level 2 (syntax, envelopes, implementation guide) is what pyx12 checks; levels 3-5
    # (balancing, situational rules, NPI check digits, code sets) go further.
    p = subprocess.run([str(SUPERBILL), "x12", "validate", "--level", "2", "--json", str(path)],
                       capture_output=True, text=True)
    if p.returncode == 2:
        return "error"
    return "valid" if json.loads(p.stdout)["valid"] else "invalid"


def main():
    rows, agree, compared = [], 0, 0
    for path in sorted(SAMPLES.glob("*/*")):
        if path.name == "README.md":
            continue
        a, b = ours(path), pyx12(path)
        if b in ("valid", "invalid"):
            compared += 1
            agree += a == b
        rows.append((f"{path.parent.name}/{path.name}", a, b))
    w = max(len(r[0]) for r in rows)
    for name, a, b in rows:
        mark = "" if b not in ("valid", "invalid") else ("  agree" if a == b else "  DIFFER")
        print(f"{name:<{w}}  superbill={a:<8} pyx12={b:<8}{mark}")
    print(f"\nagreement on validity where pyx12 has a map and does not crash: "
          f"{agree}/{compared} files")


if __name__ == "__main__":
    main()
