#!/usr/bin/env python3
"""Writes a synthetic 835 of about SIZE bytes (default 2 GiB) for the constant-memory check:
one interchange, one group, many transaction sets (one payment each, 50 claims of two lines),
balanced and valid through level 4. Synthetic names only.

    python3 benches/peers/big835.py /tmp/big.835 [SIZE_BYTES]
    /usr/bin/time -v target/release/superbill x12 validate --level 4 /tmp/big.835
"""
import sys

path = sys.argv[1]
target = int(sys.argv[2]) if len(sys.argv) > 2 else 2 << 30

ISA = ("ISA*00*          *00*          *ZZ*PAYER          *ZZ*CLINIC         "
       "*260115*0930*^*00501*000000001*0*P*:~\n")


def claim(k):
    return (f"CLP*PAT{k:06d}*1*150*100*20*12*PAYER{k:08d}~\n"
            "NM1*QC*1*DOE*JANE****MI*M123456~\n"
            "SVC*HC:99213*100*70**1~\nDTM*472*20260105~\nCAS*CO*45*20~CAS*PR*2*10~\n"
            "SVC*HC:G0439*50*30**1~\nDTM*472*20260105~\nCAS*PR*1*10~CAS*CO*45*10~\n")


def transaction(n, claims=50):
    body = [
        f"BPR*I*{100 * claims}*C*ACH*CCP*01*011000015*DA*1234567*1512345678**01*021000021*DA*7654321*20260115~\n",
        f"TRN*1*EFT{n:09d}*1512345678~\n",
        "N1*PR*SYNTHETIC PAYER~\nN3*1 PAYER WAY~\nN4*ANYTOWN*PA*17111~\nPER*BL*EDI*TE*5555551212~\n",
        "N1*PE*SYNTHETIC CLINIC*XX*1234567893~\n",
        "LX*1~\n",
    ]
    body += [claim(k) for k in range(claims)]
    text = "".join(body)
    count = text.count("~") + 2
    return f"ST*835*{n:09d}~\n" + text + f"SE*{count}*{n:09d}~\n"


with open(path, "w") as f:
    f.write(ISA)
    f.write("GS*HP*PAYER*CLINIC*20260115*0930*1*X*005010X221A1~\n")
    size, n = 0, 0
    while size < target:
        n += 1
        t = transaction(n)
        f.write(t)
        size += len(t)
    f.write(f"GE*{n}*1~\nIEA*1*000000001~\n")
print(f"{path}: {n} transaction sets, about {size >> 20} MiB")
