//! Acknowledgments: the 999s and 277CAs in `../shared/x12-samples/` (when present) read into the
//! claim model, and the 999 and 277CA superbill writes for an 837 read back to the verdicts that
//! produced them and pass superbill's own validation.

use x12_claims::{AckTime, ack_277ca, ack_999, read_277ca, read_999, validate};

fn samples(dir: &str) -> Option<std::path::PathBuf> {
    let d = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/x12-samples")
        .join(dir);
    d.is_dir().then_some(d)
}

#[test]
fn sample_999s_read() {
    let Some(dir) = samples("999") else { return };
    let (acks, _) = read_999(&std::fs::read(dir.join("imsweb__x12_999_rejected.txt")).unwrap());
    assert_eq!(acks.len(), 1);
    assert_eq!(acks[0].status, "R");
    assert_eq!(acks[0].sets[0].status, "R");
    assert_eq!(acks[0].sets[0].syntax_errors, ["5"]);
    assert!(!acks[0].sets[0].errors.is_empty());
    let (acks, _) = read_999(&std::fs::read(dir.join("staedi__simple999.edi")).unwrap());
    assert_eq!(acks[0].status, "P");
    assert_eq!(acks[0].counts, (3, 3, 1));
    let statuses: Vec<&str> = acks[0].sets.iter().map(|s| s.status.as_str()).collect();
    assert_eq!(statuses, ["A", "R", "R"]);
    let ik4 = acks[0].sets[1].errors.iter().flat_map(|e| &e.elements).next().unwrap();
    assert_eq!((ik4.0, ik4.2.as_str()), (2, "1"));
}

#[test]
fn sample_277cas_read() {
    let Some(dir) = samples("277CA") else { return };
    let (acks, _) = read_277ca(&std::fs::read(dir.join("imsweb__x12_277CA_accepted.txt")).unwrap());
    assert!(!acks.is_empty() && acks.iter().all(|a| a.accepted), "{acks:?}");
    assert_eq!(acks[0].category, "A2");
    let (acks, _) = read_277ca(&std::fs::read(dir.join("imsweb__x12_277CA_rejected.txt")).unwrap());
    assert!(
        acks.iter().any(|a| !a.accepted && a.category == "A7" && a.status == "562"),
        "{acks:?}"
    );
    assert_eq!(acks[0].entity, "85");
    assert_eq!(acks[0].charge, Some(claim_model::Cents(19914)));
}

const ISA: &str = "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*PAYER          *260101*1200*^*00501*000000042*0*T*:~GS*HC*SUBMITTER*PAYER*20260101*1200*7*X*005010X222A1~";

fn two_claims(second_charge: &str) -> String {
    let head = "ST*837*0001*005010X222A1~BHT*0019*00*BATCH1*20260101*1200*CH~\
NM1*41*2*BILLING SVC*****46*S1~PER*IC*DESK*TE*5555551212~NM1*40*2*PAYER A*****46*P1~\
HL*1**20*1~NM1*85*2*CLINIC*****XX*1234567893~N3*1 MAIN ST~N4*CITY*ST*12345~REF*EI*123456789~\
HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JANE****MI*M1~NM1*PR*2*PAYER A*****PI*P1~";
    let claim = |id: &str, total: &str| {
        format!(
            "CLM*{id}*{total}***11:B:1*Y*A*Y*Y~HI*ABK:J109~LX*1~SV1*HC:99213*100*UN*1***1~DTP*472*D8*20260101~"
        )
    };
    let body = format!("{head}{}{}", claim("GOOD1", "100"), claim("BAD2", second_charge));
    let n = body.matches('~').count() + 1;
    format!("{ISA}{body}SE*{n}*0001~GE*1*7~IEA*1*000000042~")
}

fn time() -> AckTime {
    AckTime { isa: ("260102".into(), "0800".into()), gs: ("20260102".into(), "0800".into()) }
}

#[test]
fn the_277ca_we_write_says_which_claims_were_accepted() {
    let edi = two_claims("250");
    let ack = ack_277ca(edi.as_bytes(), &time(), None).unwrap();
    let report = validate(&ack, 2);
    assert!(report.valid(), "{:#?}\n{}", report, String::from_utf8_lossy(&ack));
    assert_eq!(report.transactions[0].guide, Some("005010X214"));
    let (acks, _) = read_277ca(&ack);
    assert_eq!(acks.len(), 2);
    assert_eq!((acks[0].patient_control_number.as_str(), acks[0].accepted), ("GOOD1", true));
    assert_eq!((acks[1].patient_control_number.as_str(), acks[1].accepted), ("BAD2", false));
    assert_eq!(acks[1].category, "A7");
    assert!(acks[1].message.contains("X12-837-BAL-001"), "{}", acks[1].message);
    assert!(!acks[0].payer_claim_number.is_empty());
    // All good: both accepted.
    let (acks, _) = read_277ca(&ack_277ca(two_claims("100").as_bytes(), &time(), None).unwrap());
    assert!(acks.iter().all(|a| a.accepted));
    // A set the 999 rejects gets no 277CA.
    let broken = two_claims("100").replace("NM1*40*2*PAYER A*****46*P1~", "");
    assert!(ack_277ca(broken.as_bytes(), &time(), None).is_none());
}

#[test]
fn the_999_we_write_reads_back() {
    let ack = ack_999(two_claims("100").as_bytes(), &time()).unwrap();
    let (acks, _) = read_999(&ack);
    assert_eq!(acks[0].status, "A");
    assert_eq!(acks[0].group_control, "7");
    assert_eq!(acks[0].sets[0].status, "A");
    let broken = two_claims("100").replace("NM1*40*2*PAYER A*****46*P1~", "");
    let (acks, _) = read_999(&ack_999(broken.as_bytes(), &time()).unwrap());
    assert_eq!(acks[0].sets[0].status, "R");
    assert!(acks[0].sets[0].errors.iter().any(|e| e.code == "3"), "{:?}", acks[0].sets[0]);
    assert!(validate(&ack_999(broken.as_bytes(), &time()).unwrap(), 2).valid());
}
