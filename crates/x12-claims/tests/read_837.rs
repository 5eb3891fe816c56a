//! 837 reading: hand-written claims for the checks, and the sample files in ../shared.

use claim_model::{Cents, ClaimKind, DiagnosisKind, Frequency, ProviderRole};

const ISA: &str = "ISA*00*          *00*          *ZZ*CLINIC         *ZZ*PAYER          *260115*0930*^*00501*000000001*0*T*:~";

fn file(claim_segments: &str, count: usize) -> String {
    let head = "BHT*0019*00*1*20260115*0930*CH~NM1*41*2*SYNTHETIC CLINIC*****46*TGJ23~PER*IC*ANN*TE*5555551234~NM1*40*2*PAYER A*****46*66783JJT~\
HL*1**20*1~NM1*85*2*SYNTHETIC CLINIC*****XX*1234567893~N3*100 MAIN ST~N4*ANYTOWN*PA*171110000~REF*EI*123456789~\
HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JANE****MI*ABC123~DMG*D8*19800101*F~NM1*PR*2*PAYER A*****PI*99999~";
    let n = 2 + head.matches('~').count() + count;
    format!(
        "{ISA}GS*HC*CLINIC*PAYER*20260115*0930*1*X*005010X222A1~ST*837*0001*005010X222A1~{head}{claim_segments}SE*{n}*0001~GE*1*1~IEA*1*000000001~"
    )
}

#[test]
fn a_professional_claim_reads_whole() {
    let claim = "CLM*PAT1*150***11:B:1*Y*A*Y*Y~HI*ABK:E119*ABF:I10~NM1*DN*1*REFER*RITA****XX*1234567893~\
LX*1~SV1*HC:99213:25*100*UN*1***1:2~DTP*472*D8*20260105~LX*2~SV1*HC:G0439*50*UN*1***1~DTP*472*D8*20260106~";
    let src = file(claim, claim.matches('~').count());
    let (claims, findings) = x12_claims::read_837(src.as_bytes());
    assert!(findings.is_empty(), "{findings:#?}");
    let c = &claims[0];
    assert_eq!(c.kind, ClaimKind::Professional);
    assert_eq!(c.patient_control_number, "PAT1");
    assert_eq!(c.total_charge, Cents(15000));
    assert_eq!(c.place_of_service, "11");
    assert_eq!(c.frequency, Frequency::Original);
    assert_eq!(c.diagnoses[0].code, "E119");
    assert_eq!(c.diagnoses[0].kind, DiagnosisKind::Principal);
    assert_eq!(c.lines[0].modifiers, vec!["25"]);
    assert_eq!(c.lines[0].diagnosis_pointers, vec![1, 2]);
    assert_eq!(c.from.unwrap().to_string(), "2026-01-05");
    assert_eq!(c.to.unwrap().to_string(), "2026-01-06");
    assert_eq!(c.provider(ProviderRole::Billing).unwrap().npi.as_deref(), Some("1234567893"));
    assert!(c.provider(ProviderRole::Referring).is_some());
    assert_eq!(c.subscriber.person.birth_date.unwrap().to_string(), "1980-01-01");
    assert_eq!(c.payer.id, "99999");
}

#[test]
fn balancing_and_replacement_checks() {
    let claim = "CLM*PAT2*999***11:B:7*Y*A*Y*Y~HI*ABK:E119~LX*1~SV1*HC:99213*100*UN*1***1~";
    let src = file(claim, claim.matches('~').count());
    let (claims, findings) = x12_claims::read_837(src.as_bytes());
    assert_eq!(claims.len(), 1);
    let rules: Vec<&str> = findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, vec!["X12-837-BAL-001", "X12-837-SIT-001"]);
    assert!(findings.iter().all(|f| f.pos.segment_id() == "CLM"));
}

#[test]
fn sample_claims_read() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let Ok(p) = std::fs::read(root.join("x12-samples/837P/lfh__demo.837")) else {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), "skipped: ../shared/x12-samples is not present");
        return;
    };
    let (claims, _) = x12_claims::read_837(&p);
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0].patient_control_number, "26463774");
    assert_eq!(claims[0].lines.len(), 4);
    assert_eq!(claims[0].line_total(), claims[0].total_charge);
    let i =
        std::fs::read(root.join("x12-samples/837I/lfh__two-claims-single-provider.837i")).unwrap();
    let (claims, _) = x12_claims::read_837(&i);
    assert_eq!(claims.len(), 2);
    assert!(claims.iter().all(|c| c.kind == ClaimKind::Institutional));
    assert_eq!(claims[0].lines[0].revenue_code, "0305");
    // Every sample that is X12 at all yields claims.
    let mut total = 0;
    for dir in ["x12-samples/837P", "x12-samples/837I", "data/x12/sample_837"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
            let src = std::fs::read(e.path()).unwrap();
            let (claims, _) = x12_claims::read_837(&src);
            total += claims.len();
        }
    }
    assert!(total > 1500, "{total} claims read from the samples");
}
