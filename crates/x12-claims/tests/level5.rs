//! SNIP level 5 against a real (sample) code-set release: the repository's `fixtures/sample`
//! imported into a temporary data directory, then claims whose codes are valid, headers, unknown,
//! from the wrong date, with bad NPIs, places of service and taxonomy codes.

use std::collections::BTreeSet;

fn library() -> (tempfile::TempDir, code_sets::Library) {
    let dir = tempfile::tempdir().unwrap();
    let data = releases::DataDir::new(dir.path());
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/sample");
    let files: Vec<_> = std::fs::read_dir(&sample)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml" || e == "txt"))
        .collect();
    data.import(&files, None).unwrap();
    let lib = data.open_for_lookup(None).unwrap();
    (dir, lib)
}

const ISA: &str = "ISA*00*          *00*          *ZZ*A              *ZZ*B              *260101*1200*^*00501*000000001*0*T*:~GS*HC*A*B*20260101*1200*1*X*005010X222A1~";

fn claim(hi: &str, line: &str, date: &str) -> String {
    format!(
        "{ISA}ST*837*0001*005010X222A1~BHT*0019*00*1*20260101*1200*CH~\
NM1*41*2*BILLING SVC*****46*S1~PER*IC*DESK*TE*5555551212~NM1*40*2*PAYER*****46*R1~\
HL*1**20*1~PRV*BI*PXC*207Q00000X~NM1*85*2*CLINIC*****XX*1234567893~N3*1 MAIN ST~N4*CITY*ST*12345~REF*EI*123456789~\
HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JANE****MI*M1~NM1*PR*2*PAYER*****PI*P1~\
CLM*A1*100***11:B:1*Y*A*Y*Y~{hi}~LX*1~{line}~DTP*472*D8*{date}~SE*21*0001~GE*1*1~IEA*1*000000001~"
    )
}

fn rules(lib: &code_sets::Library, edi: &str) -> BTreeSet<&'static str> {
    let r = x12_claims::validate_with(edi.as_bytes(), 5, Some(lib));
    let t = &r.transactions[0];
    t.issues.iter().chain(&t.warnings).map(|i| i.finding.rule).collect()
}

#[test]
fn codes_on_the_date_of_service() {
    let (_dir, lib) = library();
    let good = claim("HI*ABK:E119", "SV1*HC:G0439*100*UN*1***1", "20260515");
    assert!(rules(&lib, &good).is_empty(), "{:?}", rules(&lib, &good));
    let r = x12_claims::validate_with(good.as_bytes(), 5, Some(&lib));
    assert!(r.valid());

    let case = |hi: &str, line: &str, date: &str| rules(&lib, &claim(hi, line, date));
    let one = |set: BTreeSet<&'static str>, rule: &str| {
        assert!(set.contains(rule), "{rule}: {set:?}");
    };
    one(case("HI*ABK:E11", "SV1*HC:G0439*100*UN*1***1", "20260515"), "X12-CODE-002");
    one(case("HI*ABK:E11999", "SV1*HC:G0439*100*UN*1***1", "20260515"), "X12-CODE-001");
    one(case("HI*ABK:E119", "SV1*HC:G9999*100*UN*1***1", "20260515"), "X12-CODE-005");
    one(case("HI*BK:25000", "SV1*HC:G0439*100*UN*1***1", "20260515"), "X12-CODE-006");
    // Before the only installed release: a warning, not an error.
    let early = case("HI*ABK:E119", "SV1*HC:G0439*100*UN*1***1", "20250515");
    one(early.clone(), "X12-CODE-010");
    let r = x12_claims::validate_with(
        claim("HI*ABK:E119", "SV1*HC:G0439*100*UN*1***1", "20250515").as_bytes(),
        5,
        Some(&lib),
    );
    assert!(r.valid(), "warnings do not fail a file");
    // CPT with no CPT release: a warning once.
    one(case("HI*ABK:E119", "SV1*HC:99213*100*UN*1***1", "20260515"), "X12-CODE-011");
    // Place of service, NPI, taxonomy.
    one(case("HI*ABK:E119", "SV1*HC:G0439*100*UN*1*00**1", "20260515"), "X12-CODE-008");
    let bad_npi = claim("HI*ABK:E119", "SV1*HC:G0439*100*UN*1***1", "20260515")
        .replace("XX*1234567893", "XX*1234567890");
    one(rules(&lib, &bad_npi), "X12-CODE-007");
    let bad_taxonomy = good.replace("207Q00000X", "207Q0000X");
    one(rules(&lib, &bad_taxonomy), "X12-CODE-009");
}
