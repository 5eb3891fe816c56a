//! A synthetic 837P batch for the benchmarks (shared with `x12-claims`'s through `#[path]`).

const ISA: &str = "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *260101*1200*^*00501*000000001*0*P*:~\n";

/// About `target` bytes of 837P: one interchange, one group, many transaction sets.
pub(crate) fn corpus(target: usize) -> Vec<u8> {
    let claim = "BHT*0019*00*0123*20260101*1023*CH~\nNM1*41*2*SYNTHETIC CLINIC*****46*TGJ23~\nPER*IC*ANN*TE*5555551234~\nNM1*40*2*PAYER A*****46*66783JJT~\nHL*1**20*1~\nNM1*85*2*SYNTHETIC CLINIC*****XX*1234567893~\nN3*100 MAIN ST~\nN4*ANYTOWN*PA*171110000~\nREF*EI*123456789~\nHL*2*1*22*0~\nSBR*P*18*******CI~\nNM1*IL*1*DOE*JANE****MI*ABC123456789~\nN3*1 ELM ST~\nN4*ANYTOWN*PA*171110000~\nDMG*D8*19800101*F~\nNM1*PR*2*PAYER A*****PI*999996666~\nCLM*PAT0001*150***11:B:1*Y*A*Y*Y~\nHI*ABK:E119*ABF:I10~\nLX*1~\nSV1*HC:99213:25*100*UN*1***1:2~\nDTP*472*D8*20260105~\nLX*2~\nSV1*HC:G0439*50*UN*1***1~\nDTP*472*D8*20260105~\n";
    let mut out = String::with_capacity(target + 4096);
    out.push_str(ISA);
    out.push_str("GS*HC*SUBMITTER*RECEIVER*20260101*1200*1*X*005010X222A1~\n");
    let mut n = 0;
    while out.len() < target {
        n += 1;
        out.push_str(&format!("ST*837*{n:04}*005010X222A1~\n"));
        out.push_str(claim);
        out.push_str(&format!("SE*26*{n:04}~\n"));
    }
    out.push_str(&format!("GE*{n}*1~\nIEA*1*000000001~\n"));
    out.into_bytes()
}

/// About `target` bytes of 837P sent the way clearinghouse batches usually are: transaction sets
/// of `per_set` claims each under one billing provider, each claim with its own subscriber level
/// (HL 22) and two lines.
#[allow(dead_code)]
pub(crate) fn batch_corpus(target: usize, per_set: usize) -> Vec<u8> {
    let head = "BHT*0019*00*0123*20260101*1023*CH~\nNM1*41*2*SYNTHETIC CLINIC*****46*TGJ23~\nPER*IC*ANN*TE*5555551234~\nNM1*40*2*PAYER A*****46*66783JJT~\nHL*1**20*1~\nNM1*85*2*SYNTHETIC CLINIC*****XX*1234567893~\nN3*100 MAIN ST~\nN4*ANYTOWN*PA*171110000~\nREF*EI*123456789~\n";
    let mut out = String::with_capacity(target + 4096);
    out.push_str(ISA);
    out.push_str("GS*HC*SUBMITTER*RECEIVER*20260101*1200*1*X*005010X222A1~\n");
    let mut sets = 0;
    while out.len() < target {
        sets += 1;
        let mut set = format!("ST*837*{sets:04}*005010X222A1~\n{head}");
        for k in 0..per_set {
            let hl = k + 2;
            set.push_str(&format!(
                "HL*{hl}*1*22*0~\nSBR*P*18*******CI~\nNM1*IL*1*DOE{k}*JANE****MI*ABC{k:09}~\nN3*1 ELM ST~\nN4*ANYTOWN*PA*171110000~\nDMG*D8*19800101*F~\nNM1*PR*2*PAYER A*****PI*999996666~\nCLM*P{sets:05}{k:06}*150***11:B:1*Y*A*Y*Y~\nHI*ABK:E119*ABF:I10~\nLX*1~\nSV1*HC:99213:25*100*UN*1***1:2~\nDTP*472*D8*20260105~\nLX*2~\nSV1*HC:G0439*50*UN*1***1~\nDTP*472*D8*20260105~\n"
            ));
        }
        let segments = set.matches('~').count() + 1;
        set.push_str(&format!("SE*{segments}*{sets:04}~\n"));
        out.push_str(&set);
    }
    out.push_str(&format!("GE*{sets}*1~\nIEA*1*000000001~\n"));
    out.into_bytes()
}
