//! Hostile input through every level of validation: a 10-million-element segment, binary
//! garbage, truncation at every byte of a claim, and a batch with good and bad claims (the good
//! ones still read, the bad ones reported). Never a panic, memory bounded by the input.

use x12_claims::{read_837, validate};

const ISA: &str = "ISA*00*          *00*          *ZZ*A              *ZZ*B              *260101*1200*^*00501*000000001*0*T*:~GS*HC*A*B*20260101*1200*1*X*005010X222A1~";

fn claim(id: &str, total: &str) -> String {
    format!(
        "CLM*{id}*{total}***11:B:1*Y*A*Y*Y~HI*ABK:J109~LX*1~SV1*HC:99213*100*UN*1***1~DTP*472*D8*20260101~"
    )
}

fn batch(claims: &str) -> String {
    let head = "ST*837*0001*005010X222A1~BHT*0019*00*1*20260101*1200*CH~\
NM1*41*2*BILLING SVC*****46*S1~PER*IC*DESK*TE*5555551212~NM1*40*2*PAYER*****46*R1~\
HL*1**20*1~NM1*85*2*CLINIC*****XX*1234567893~N3*1 MAIN ST~N4*CITY*ST*12345~REF*EI*123456789~\
HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JANE****MI*M1~NM1*PR*2*PAYER*****PI*P1~";
    let body = format!("{head}{claims}");
    let n = body.matches('~').count() + 1;
    format!("{ISA}{body}SE*{n}*0001~GE*1*1~IEA*1*000000001~")
}

#[test]
fn ten_million_elements_in_one_segment() {
    let huge = format!("NTE*ADD{}~", "*".repeat(10_000_000));
    let edi = batch(&format!("{}{huge}", claim("C1", "100")));
    let report = validate(edi.as_bytes(), 5);
    assert!(!report.valid());
    let rules: Vec<&str> = report.transactions[0].issues.iter().map(|i| i.finding.rule).collect();
    // Reported once (too many elements), not once per element.
    assert!(rules.len() < 20, "{rules:?}");
    assert!(rules.contains(&"X12-SYN-017"), "{rules:?}");
}

#[test]
fn garbage_and_truncation_never_panic() {
    let good = batch(&claim("C1", "100"));
    for cut in 0..good.len() {
        let _ = validate(&good.as_bytes()[..cut], 5);
        let _ = read_837(&good.as_bytes()[..cut]);
    }
    let mut noise = Vec::new();
    let mut x = 0x1234_5678u32;
    for _ in 0..100_000 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        noise.push(x as u8);
    }
    let _ = validate(&noise, 5);
    let mut spliced = good.as_bytes().to_vec();
    spliced.splice(300..300, noise[..500].iter().copied());
    let _ = validate(&spliced, 5);
}

#[test]
fn good_claims_survive_bad_neighbours() {
    let claims =
        format!("{}{}{}", claim("GOOD1", "100"), claim("BAD2", "999"), claim("GOOD3", "100"));
    let edi = batch(&claims);
    let (read, findings) = read_837(edi.as_bytes());
    let ids: Vec<&str> = read.iter().map(|c| c.patient_control_number.as_str()).collect();
    assert_eq!(ids, ["GOOD1", "BAD2", "GOOD3"]);
    let bal: Vec<_> = findings.iter().filter(|f| f.rule == "X12-837-BAL-001").collect();
    assert_eq!(bal.len(), 1, "{findings:?}");
    assert!(bal[0].message.contains("BAD2"), "{}", bal[0].message);
}
