//! The `superbill scrub` contract: JSON fields, exit codes, 837 and claim JSON input.

use serde_json::Value;

mod common;
use common::{Env, repo};

/// A data directory with the sample releases and the NCCI fixture tables installed.
fn with_sample() -> Env {
    let env = Env::new();
    env.import(&[repo("fixtures/sample"), repo("crates/ncci/tests/fixtures")]);
    env
}

/// The rules of a claim's findings other than information.
fn blocking_rules(claim: &Value) -> Vec<&str> {
    claim["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] != "info")
        .map(|f| f["rule"].as_str().unwrap())
        .collect()
}

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(repo("crates/scrub/tests/fixtures").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn clean_claims_exit_0_with_the_contract_fields() {
    let env = with_sample();
    let prof = repo("crates/scrub/tests/fixtures/professional.json");
    let inst = repo("crates/scrub/tests/fixtures/institutional.json");
    let v = env.json(&["scrub", prof.to_str().unwrap(), inst.to_str().unwrap(), "--json"], 0);
    assert_eq!(v["summary"]["claims"], 2);
    // Without MCE lists installed the inpatient claim says its MCE edits did not run (a warning).
    assert_eq!(v["summary"]["clean"], 1);
    assert_eq!(v["summary"]["by_category"]["release-missing"], 1);
    assert_eq!(v["claims"][0]["id"], "PCN000101");
    assert!(blocking_rules(&v["claims"][0]).is_empty(), "{v:#}");
    assert_eq!(v["claims"][1]["findings"][0]["rule"], "MCE-013");
    assert_eq!(v["claims"][1]["findings"][0]["severity"], "warn");
}

#[test]
fn a_rejected_claim_exits_1_and_names_rule_category_line_and_fix() {
    let env = with_sample();
    let mut claim = fixture("professional.json");
    claim["lines"][1]["place_of_service"] = "30".into();
    claim["diagnoses"][1]["code"] = "S72001".into();
    let mut warn_only = fixture("professional.json");
    warn_only["patient_control_number"] = "PCN000102".into();
    warn_only["lines"][1]["charge"] = 0.into();
    warn_only["total_charge"] = 15000.into();
    let p =
        env.file("claims.json", serde_json::to_string(&vec![claim, warn_only]).unwrap().as_bytes());
    let v = env.json(&["scrub", p.to_str().unwrap(), "--json"], 1);
    let findings = v["claims"][0]["findings"].as_array().unwrap();
    let pos = findings.iter().find(|f| f["rule"] == "DATA-003").expect("pos finding");
    assert_eq!(pos["category"], "pos-invalid");
    assert_eq!(pos["severity"], "reject");
    assert_eq!(pos["line"], 2);
    for field in ["message", "fix", "source"] {
        assert!(pos[field].as_str().is_some_and(|s| !s.is_empty()), "{field}");
    }
    let seventh = findings.iter().find(|f| f["category"] == "seventh-character").expect("7th");
    assert_eq!(seventh["line"], Value::Null);
    // Worst first.
    let rank = |s: &Value| ["reject", "deny", "warn", "info"].iter().position(|r| s == r).unwrap();
    let sev: Vec<usize> = findings.iter().map(|f| rank(&f["severity"])).collect();
    assert!(sev.windows(2).all(|w| w[0] <= w[1]), "{sev:?}");
    assert_eq!(v["claims"][1]["findings"][0]["severity"], "warn");
    assert_eq!(v["summary"]["claims"], 2);
    assert_eq!(v["summary"]["clean"], 0);
    assert_eq!(v["summary"]["by_category"]["pos-invalid"], 1);
    assert_eq!(v["summary"]["by_category"]["charge-invalid"], 1);
}

#[test]
fn warnings_alone_exit_0_and_text_output_groups_by_line() {
    let env = with_sample();
    let mut claim = fixture("professional.json");
    claim["lines"][1]["charge"] = 0.into();
    claim["total_charge"] = 15000.into();
    let p = env.file("warn.json", serde_json::to_string(&claim).unwrap().as_bytes());
    let o = env.run(&["scrub", p.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(text.contains("PCN000101: 2 findings (worst: warn)"), "{text}");
    assert!(
        text.contains("  line 2\n    warn   DATA-016 charge-invalid: line charge is zero"),
        "{text}"
    );
    assert!(text.contains("fix: "), "{text}");
}

#[test]
fn an_837_is_scrubbed_claim_by_claim() {
    let env = with_sample();
    let src = b"ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *260601*1200*^*00501*000000001*0*P*:~\
GS*HC*SUBMITTER*RECEIVER*20260601*1200*1*X*005010X222A1~ST*837*0001*005010X222A1~\
BHT*0019*00*0123*20260601*1023*CH~NM1*41*2*SYNTHETIC CLINIC*****46*TGJ23~PER*IC*ANN*TE*5555551234~\
NM1*40*2*PAYER A*****46*66783JJT~HL*1**20*1~NM1*85*2*SYNTHETIC CLINIC*****XX*1234567890~\
N3*100 MAIN ST~N4*ANYTOWN*PA*171110000~REF*EI*991234567~HL*2*1*22*0~SBR*P*18*******CI~\
NM1*IL*1*DOE*JANE****MI*ZZX000111222~DMG*D8*19700315*F~NM1*PR*2*PAYER A*****PI*99999~\
CLM*PCN000301*100***11:B:1*Y*A*Y*Y~DTP*472*D8*20260504~HI*ABK:E119~LX*1~SV1*HC:G2211*100*UN*1***1~\
SE*21*0001~GE*1*1~IEA*1*000000001~";
    let p = env.file("one.837", src);
    let v = env.json(&["scrub", p.to_str().unwrap(), "--json"], 1);
    assert_eq!(v["files"][0]["format"], "837");
    assert_eq!(v["files"][0]["claims"], 1);
    assert_eq!(v["claims"][0]["id"], "PCN000301");
    let rules = blocking_rules(&v["claims"][0]);
    assert_eq!(rules, ["DATA-001"], "{v:#}");
}

#[test]
fn bad_input_is_exit_2_with_the_file_named() {
    let env = with_sample();
    let o = env.run(&["scrub", "/nonexistent/claims.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/claims.json"));
    let p = env.file("bad.json", br#"{"kind": "professional"}"#);
    let o = env.run(&["scrub", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("bad.json") && e.contains("claim 1"), "{e}");
    let p = env.file("text.txt", b"hello");
    assert_eq!(env.run(&["scrub", p.to_str().unwrap()]).status.code(), Some(2));
    assert_eq!(env.run(&["scrub"]).status.code(), Some(2));
}

#[test]
fn mce_lists_installed_by_data_import_drive_the_mce_rules() {
    let env = with_sample();
    let lists = repo("crates/mce/tests/fixtures");
    let o = env.run(&["data", "import", lists.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{text}{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        text.contains("installed  Medicare Code Editor lists  2023-10-01 to 2026-09-30"),
        "{text}"
    );
    // Importing again changes nothing.
    let o = env.run(&["data", "import", lists.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("unchanged  Medicare Code Editor lists"));
    let mut claim = fixture("institutional.json");
    claim["diagnoses"][0]["code"] = "E119".into();
    claim["diagnoses"][1]["code"] = "I214".into();
    claim["diagnoses"][2]["code"] = "F3281".into();
    let p = env.file("inpatient.json", serde_json::to_string(&claim).unwrap().as_bytes());
    let v = env.json(&["scrub", p.to_str().unwrap(), "--json"], 1);
    let rules = blocking_rules(&v["claims"][0]);
    assert_eq!(rules, ["MCE-004"], "{v:#}");
    assert_eq!(v["claims"][0]["findings"][0]["category"], "principal-dx");
    // The optional rule: a sex conflict by the last published (FY2024) lists.
    let v = env.json(&["scrub", p.to_str().unwrap(), "--json", "--optional"], 1);
    let rules: Vec<&str> = v["claims"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    // (The optional CONV-003 reports the use-additional-code notes as information too.)
    assert_eq!(rules[..2], ["MCE-004", "MCE-003"], "{v:#}");
}

#[test]
fn a_broken_mce_list_installs_nothing_and_names_file_and_line() {
    let env = with_sample();
    let p = env.file(
        "dx_unspecified.csv",
        b"code,code_system,edit,flag,parameter,effective_start,effective_end,versions
          J189,icd10cm,UNSPECIFIED,unspecified,x,20251001,20260930,v43
          J18,icd10cm,UNSPECIFIED,unspecified,x,20251001,2026093,v43
",
    );
    let o = env.run(&["data", "import", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("dx_unspecified.csv:3:") && e.contains("effective_end"), "{e}");
    let o = env.run(&["data", "list"]);
    assert!(!String::from_utf8_lossy(&o.stdout).contains("Medicare Code Editor"));
}

#[test]
fn ncci_tables_installed_by_data_import_drive_ptp_mue_and_add_on_rules() {
    let env = with_sample();
    let mut claim = fixture("professional.json");
    claim["lines"][0]["procedure"] = "93000".into();
    claim["lines"][0]["modifiers"] = serde_json::json!([]);
    claim["lines"][1]["procedure"] = "93005".into();
    let mut units = fixture("professional.json");
    units["patient_control_number"] = "PCN000102".into();
    units["lines"][1]["units"] = 2.into();
    units["lines"][1]["charge"] = 5000.into();
    units["total_charge"] = 20000.into();
    let p = env.file("ncci.json", serde_json::to_string(&vec![claim, units]).unwrap().as_bytes());
    let v = env.json(&["scrub", p.to_str().unwrap(), "--json"], 1);
    assert_eq!(v["claims"][0]["findings"][0]["rule"], "NCCI-001");
    assert_eq!(v["claims"][0]["findings"][0]["category"], "ncci-ptp");
    assert_eq!(v["claims"][0]["findings"][0]["line"], 2);
    // The finding cites the table it was judged by: CMS's version, quarter and files.
    let source = v["claims"][0]["findings"][0]["source"].as_str().unwrap();
    assert!(
        source.contains("practitioner, version 32.1 revision 0, quarter beginning 2026-04-01")
            && source.contains("ccipra-v321r0-f1.txt, ccipra-v321r0-f2.txt"),
        "{source}"
    );
    assert_eq!(v["claims"][1]["findings"][0]["rule"], "MUE-001");
    assert_eq!(v["claims"][1]["findings"][0]["severity"], "deny");
    let source = v["claims"][1]["findings"][0]["source"].as_str().unwrap();
    assert!(source.contains("MCR_MUE_PractitionerServices_Eff_"), "{source}");
    let list = env.run(&["data", "list"]);
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(list.contains("PTP outpatient-hospital: version 32.1 revision 0"), "{list}");
    // The add-on table came from the text form and from CMS's spreadsheet (`fixtures/xlsx`).
    assert!(list.contains("(AOC_V2026Q2-MCR.txt, AOC_V2026Q2-MCR.xlsx)"), "{list}");
    // Importing the same quarter again changes nothing; a bad file names its line.
    let o = env.run(&["data", "import", repo("crates/ncci/tests/fixtures").to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("unchanged  NCCI edit tables"));
    let bad = std::fs::read_to_string(repo("crates/ncci/tests/fixtures/ccipra-v321r0-f1.txt"))
        .unwrap()
        .replace("\t0\tMutually", "\t7\tMutually");
    let p = env.file("ccipra-v322r0-f1.txt", bad.as_bytes());
    let o = env.run(&["data", "import", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("ccipra-v322r0-f1.txt:8:") && e.contains("modifier indicator"), "{e}");
}

#[test]
fn payer_rules_from_a_file_add_findings_and_bad_files_exit_2() {
    let env = with_sample();
    let mut claim = fixture("professional.json");
    claim["lines"][1]["procedure"] = "72148".into();
    let p = env.file("mri.json", serde_json::to_string(&claim).unwrap().as_bytes());
    let rules = repo("docs/payer-rules/example.toml");
    let v =
        env.json(&["scrub", p.to_str().unwrap(), "--rules", rules.to_str().unwrap(), "--json"], 1);
    let f = &v["claims"][0]["findings"][0];
    assert_eq!(f["rule"], "PA-MRI");
    assert_eq!(f["category"], "payer-rule");
    assert_eq!(f["severity"], "deny");
    assert_eq!(f["line"], 2);
    assert!(f["source"].as_str().unwrap().contains("synthetic-health"), "{f}");
    let bad = env.file(
        "bad.toml",
        b"[[rule]]\nid = \"X\"\npayer = \"nobody\"\naction = \"warn\"\nmessage = \"m\"\n",
    );
    let o = env.run(&["scrub", p.to_str().unwrap(), "--rules", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("bad.toml:1:") && e.contains("\"nobody\""), "{e}");
}

#[test]
fn without_releases_the_codes_are_reported_unchecked() {
    let env = Env::new();
    let prof = repo("crates/scrub/tests/fixtures/professional.json");
    let v = env.json(&["scrub", prof.to_str().unwrap(), "--json"], 0);
    let f = &v["claims"][0]["findings"];
    assert!(f.as_array().unwrap().iter().all(|f| f["category"] == "release-missing"), "{f:#}");
    let rules: Vec<&str> =
        f.as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["CODE-005", "CODE-005", "NCCI-002"], "{f:#}");
}

#[test]
fn ipps_tables_install_together_as_a_dated_release() {
    let env = with_sample();
    let dir = repo("crates/drg/tests/fixtures");
    let o = env.run(&["data", "import", dir.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{text}{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        text.contains("installed  IPPS tables 5, 6I, 6J, 6K")
            && text.contains("2025-10-01 to 2026-09-30"),
        "{text}"
    );
    // One table alone is refused; a broken one names its file and line.
    let o = env.run(&["data", "import", dir.join("table5_excerpt.txt").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("6I, 6J, 6K missing"));
    let bad = String::from_utf8_lossy(&std::fs::read(dir.join("table5_excerpt.txt")).unwrap())
        .replace("\t1.3144\t", "\tabc\t");
    let copy = tempfile::tempdir().unwrap();
    for f in ["table6I_excerpt.txt", "table6J_excerpt.txt", "table6K_excerpt.txt"] {
        std::fs::copy(dir.join(f), copy.path().join(f)).unwrap();
    }
    std::fs::write(copy.path().join("table5_excerpt.txt"), bad).unwrap();
    let o = env.run(&["data", "import", copy.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("table5_excerpt.txt:6:") && e.contains("abc"), "{e}");
}

#[test]
fn cms_add_on_zip_installs_its_spreadsheet_and_skips_the_fixed_width_file() {
    use std::io::Write;
    let env = Env::new();
    let xlsx = std::fs::read(repo("crates/ncci/tests/fixtures/xlsx/AOC_V2026Q2-MCR.xlsx")).unwrap();
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        z.start_file("AOC_V2026Q2-MCR.xlsx", opts).unwrap();
        z.write_all(&xlsx).unwrap();
        z.start_file("AOC_V2026Q2-MCR.txt", opts).unwrap();
        z.write_all(b"11045   20110101        11042   20110101        1 20110101\r\n").unwrap();
        z.finish().unwrap();
    }
    let p = env.file("aoc-2026q2.zip", &buf.into_inner());
    let v = env.json(&["data", "import", p.to_str().unwrap(), "--json"], 0);
    assert!(v["skipped"][0]["file"].as_str().unwrap().ends_with("!AOC_V2026Q2-MCR.txt"), "{v:#}");
    let list = env.run(&["data", "list"]);
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(list.contains("add-on codes: quarter beginning 2026-04-01 (AOC_V2026Q2-MCR.xlsx)"));
}
