//! 835 reading on the sample remittances (when ../shared is present) and on a hand-written one.

use claim_model::{AdjustmentGroup, Cents};

const ISA: &str = "ISA*00*          *00*          *ZZ*PAYER          *ZZ*CLINIC         *260115*0930*^*00501*000000001*0*P*:~";

fn remit(body: &str, segments: usize) -> String {
    format!(
        "{ISA}GS*HP*PAYER*CLINIC*20260115*0930*1*X*005010X221A1~ST*835*0001~{body}SE*{}*0001~GE*1*1~IEA*1*000000001~",
        segments + 2
    )
}

#[test]
fn a_reversal_and_its_correction_both_come_through() {
    // A payment reversed (status 22, negative amounts) and paid again, plus interest in PLB.
    let body = "BPR*I*100.25*C*ACH************20260115~TRN*1*EFT9*1512345678~N1*PR*PAYER A*XV*12345~N1*PE*CLINIC*XX*1234567893~\
LX*1~CLP*PAT1*22*-150*-80*-20*12*CLAIM9~CAS*PR*2*-20~CAS*CO*45*-50~\
CLP*PAT1*1*150*100*20*12*CLAIM9B~CAS*PR*2*20~CAS*CO*45*30~\
SVC*HC:99213:25*150*100**1~DTM*472*20260105~LQ*HE*N130~\
CLP*PAT2*1*40*80*0*12*CLAIM10~CAS*CO*45*-40~PLB*1234567893*20261231*L6*-0.25~";
    let src = remit(body, 17);
    let (remits, findings) = x12_claims::read_835(src.as_bytes());
    let r = &remits[0];
    assert_eq!(r.claims.len(), 3);
    assert!(r.claims[0].is_reversal());
    assert_eq!(r.claims[0].paid, Cents(-8000));
    assert_eq!(r.claims[1].lines[0].procedure, "99213");
    assert_eq!(r.claims[1].lines[0].modifiers, vec!["25"]);
    assert_eq!(r.claims[1].lines[0].remarks, vec!["N130"]);
    assert_eq!(r.claims[1].adjustments[1].group, AdjustmentGroup::Contractual);
    assert_eq!(r.provider_adjustments[0].amount, Cents(-25));
    // BPR02 100.25 = (-80 + 100 + 80) - (-0.25)
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn imbalances_are_findings_at_the_claim() {
    let body = "BPR*I*50*C*ACH************20260115~TRN*1*EFT9*1512345678~LX*1~CLP*PAT1*1*100*50*0*12*C1~CAS*CO*45*40~";
    let (_, findings) = x12_claims::read_835(remit(body, 5).as_bytes());
    let rules: Vec<&str> = findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, vec!["X12-835-BAL-001"]);
    assert_eq!(findings[0].pos.segment_id(), "CLP");
    let body =
        "BPR*I*60*C*ACH~TRN*1*EFT9*1512345678~CLP*PAT1*1*100*50*0*12*C1~CAS*CO*45*50~CAS*XX*1*1~";
    let (_, findings) = x12_claims::read_835(remit(body, 5).as_bytes());
    let rules: Vec<&str> = findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, vec!["X12-835-CAS-001", "X12-835-BAL-003"]);
}

#[test]
fn sample_remittances_read() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/x12-samples/835");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), "skipped: ../shared/x12-samples is not present");
        return;
    };
    let mut total = 0;
    for e in rd.flatten() {
        let src = std::fs::read(e.path()).unwrap();
        let (remits, _) = x12_claims::read_835(&src);
        assert!(!remits.is_empty(), "{}", e.path().display());
        total += remits.iter().map(|r| r.claims.len()).sum::<usize>();
    }
    assert!(total > 40, "{total} claim payments read");
    // The LinuxForHealth demo balances to the cent, interest (PLB CV) included.
    let (remits, findings) =
        x12_claims::read_835(&std::fs::read(dir.join("lfh__demo.835")).unwrap());
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(remits[0].payment, Cents(15_000_000));
    assert_eq!(remits[0].claims.len(), 2);
}
