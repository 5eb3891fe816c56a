"""Writes a synthetic 837P batch of N professional claims (500 per transaction set, FY2026 codes,
every fiftieth claim with the unassigned place of service 30) for the scrubber benchmarks.

python3 benches/peers/claims_837.py 1000000 /tmp/claims1m.837
"""
import sys, random
n = int(sys.argv[1]); path = sys.argv[2]
random.seed(1)
dx = ["E119","I10","E785","K219","R079","J449","M5450","N390","F329","I4891","J189","E6609"]
procs = [("99213",10000),("99214",15000),("G2211",2500),("G0439",5000),("J1100",300),("93000",3000),("36415",1000),("97140",4000)]
out = open(path, "w")
out.write("ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *260601*1200*^*00501*000000001*0*P*:~\n")
out.write("GS*HC*SUBMITTER*RECEIVER*20260601*1200*1*X*005010X222A1~\n")
head = "BHT*0019*00*0123*20260601*1023*CH~\nNM1*41*2*SYNTHETIC CLINIC*****46*TGJ23~\nPER*IC*ANN*TE*5555551234~\nNM1*40*2*PAYER A*****46*66783JJT~\nHL*1**20*1~\nNM1*85*2*SYNTHETIC CLINIC*****XX*1234567893~\nN3*100 MAIN ST~\nN4*ANYTOWN*PA*171110000~\nREF*EI*123456789~\n"
per = 500; sets = (n + per - 1) // per; k = 0
for s in range(1, sets + 1):
    body = [f"ST*837*{s:04}*005010X222A1~\n", head]
    for j in range(min(per, n - k)):
        k += 1
        hl = j + 2
        nd = random.randint(2, 4)
        codes = random.sample(dx, nd)
        hi = "*".join(("ABK:" if i == 0 else "ABF:") + c for i, c in enumerate(codes))
        lines = []; total = 0
        for ln in range(random.randint(2, 4)):
            p, ch = random.choice(procs); total += ch
            lines.append(f"LX*{ln+1}~\nSV1*HC:{p}*{ch/100:.2f}*UN*1***1:2~\nDTP*472*D8*20260504~\n")
        pos = "30" if k % 50 == 0 else "11"
        body.append(f"HL*{hl}*1*22*0~\nSBR*P*18*******CI~\nNM1*IL*1*DOE{k}*JANE****MI*ABC{k:09}~\nN3*1 ELM ST~\nN4*ANYTOWN*PA*171110000~\nDMG*D8*19700315*F~\nNM1*PR*2*PAYER A*****PI*99999~\nCLM*P{k:09}*{total/100:.2f}***{pos}:B:1*Y*A*Y*Y~\nHI*{hi}~\n" + "".join(lines))
    text = "".join(body)
    segs = text.count("~") + 1
    out.write(text + f"SE*{segs}*{s:04}~\n")
out.write(f"GE*{sets}*1~\nIEA*1*000000001~\n")
out.close()
