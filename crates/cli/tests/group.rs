//! `superbill group`: the contract's CSV in and out, JSON with reasons, Table 5 weights, errors
//! that name the line; with the MS-DRG and IPPS excerpts in the repository (and, when
//! `../shared/data` is present, the full definitions and MCE lists against the oracle's golden
//! answers).

use serde_json::Value;

mod common;
use common::{Env, repo};

/// The MS-DRG v43 excerpt and the IPPS table excerpts installed.
fn with_excerpts() -> Env {
    let env = Env::new();
    // Copied apart from the fixtures' README, which the import would list as skipped.
    let dir = env.dir.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    for f in [
        "msdrg_v43_excerpt.json",
        "table5_excerpt.txt",
        "table6I_excerpt.txt",
        "table6J_excerpt.txt",
        "table6K_excerpt.txt",
    ] {
        std::fs::copy(repo("crates/drg/tests/fixtures").join(f), dir.join(f)).unwrap();
    }
    env.import(&[dir]);
    env
}

const CSV: &str =
    "id,version,age,sex,discharge_status,pdx,sdx,procs,discharge_date,hospital_status,admit_date
P1,,70,F,01,J189:Y,I462:N,,20251115,EXEMPT,20251110
P2,430,70,F,20,J189:Y,I462:N,,20251115,EXEMPT,
P3,,70,F,01,XYZ:Y,A000:Y|,,20251115,EXEMPT,
";

#[test]
fn csv_in_csv_out_with_the_contract_columns() {
    let env = with_excerpts();
    let p = env.file("claims.csv", CSV.as_bytes());
    let out = env.ok(&["group", p.to_str().unwrap(), "--csv"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "id,initial_drg,initial_mdc,final_drg,final_mdc,final_severity,final_grc,hac_status,sdx_sev,mce_edit_type,mce_edits",
            // An MCC (I46.2) that counts.
            "P1,193,4,193,4,MCC,OK,NOT_APPLICABLE,MCC,NONE,",
            // The same MCC when the patient died: an MCC only if discharged alive.
            "P2,195,4,195,4,NONE,OK,NOT_APPLICABLE,MCC_EXCLUDED,NONE,",
            // A principal diagnosis that is not a code: ungroupable; the secondary keeps its
            // CC level (as CMS's grouper reports it).
            "P3,999,0,999,0,NONE,INVALID_PDX,NOT_APPLICABLE,CC,NONE,",
        ]
    );
}

#[test]
fn json_says_why_and_carries_table_5() {
    let env = with_excerpts();
    let p = env.file("claims.csv", CSV.as_bytes());
    let v: Value =
        serde_json::from_str(&env.ok(&["group", p.to_str().unwrap(), "--json"])).unwrap();
    let c = &v["claims"][0];
    assert_eq!(c["version"], "v43");
    assert_eq!(c["final_drg"], 193);
    assert_eq!(c["table5"]["weight"], "1.3144", "{c:#}");
    assert_eq!(
        (c["table5"]["gmlos"].as_str(), c["table5"]["amlos"].as_str()),
        (Some("3.9"), Some("4.9"))
    );
    assert_eq!(c["table5"]["post_acute"], true);
    let reasons: Vec<&str> =
        c["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    assert!(
        reasons.iter().any(|r| r.contains("MDC 04 from the principal diagnosis J189")),
        "{reasons:?}"
    );
    assert!(reasons.iter().any(|r| r.contains("medical")), "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r.contains("severity MCC") && r.contains("I462")),
        "{reasons:?}"
    );
    let died = &v["claims"][1]["reasons"];
    assert!(died.to_string().contains("only when the patient is discharged alive"), "{died}");
    // No MCE lists installed: said, not silently skipped.
    assert!(c["notes"].to_string().contains("MCE not run"), "{c:#}");
    // Text output names the DRG and the reasons.
    let text = env.ok(&["group", p.to_str().unwrap()]);
    assert!(text.contains("P1: MS-DRG 193 (MDC 04, MCC, OK) v43  weight 1.3144"), "{text}");
}

#[test]
fn bad_input_names_the_file_line_and_column_and_exits_2() {
    let env = with_excerpts();
    for (row, want) in [
        ("P9,,70,X,01,J189:Y,,,20251115,EXEMPT,", "claims.csv:2: sex: \"X\" is not M, F or U"),
        ("P9,,70,F,01,J189:Q,,,20251115,EXEMPT,", "claims.csv:2: pdx: POA \"Q\""),
        ("P9,,70,F,01,J189:Y,,,2025-11-15,EXEMPT,", "claims.csv:2: discharge_date"),
        ("P9,999,70,F,01,J189:Y,,,20251115,EXEMPT,", "MS-DRG v99.9 is not installed"),
        (
            "P9,,70,F,01,J189:Y,,,20200101,EXEMPT,",
            "claims.csv:2: no installed MS-DRG version is in force on the discharge date 2020-01-01",
        ),
        ("P9,,70,F,01,J189:Y", "claims.csv:2: 6 columns"),
    ] {
        let header = CSV.lines().next().unwrap();
        let p = env.file("claims.csv", format!("{header}\n{row}\n").as_bytes());
        let o = env.run(&["group", p.to_str().unwrap(), "--csv"]);
        assert_eq!(o.status.code(), Some(2), "{row}");
        assert!(o.stdout.is_empty(), "no partial output for {row}");
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(e.contains(want), "{row}: {e}");
    }
    let p = env.file("notes.txt", b"hello\n");
    let o = env.run(&["group", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    // Nothing installed: the command says what to import.
    let empty = Env::new();
    let p = empty.file("claims.csv", CSV.as_bytes());
    let o = empty.run(&["group", p.to_str().unwrap(), "--csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no MS-DRG definitions are installed"));
}

#[test]
fn claim_json_and_837i_inputs_group_the_same_claim() {
    let env = with_excerpts();
    let mut claim: Value = serde_json::from_str(
        &std::fs::read_to_string(repo("crates/scrub/tests/fixtures/institutional.json")).unwrap(),
    )
    .unwrap();
    claim["diagnoses"] = serde_json::json!([
        { "code": "J189", "kind": "principal", "poa": "Y" },
        { "code": "I462", "kind": "other", "poa": "N" }
    ]);
    claim["procedures"] = serde_json::json!([]);
    claim["discharge_status"] = "01".into();
    for (k, v) in [
        ("from", "2025-11-10"),
        ("admission", "2025-11-10"),
        ("to", "2025-11-15"),
        ("discharge", "2025-11-15"),
    ] {
        claim[k] = v.into();
    }
    let p = env.file("claim.json", claim.to_string().as_bytes());
    let out = env.ok(&["group", p.to_str().unwrap(), "--csv"]);
    let row = out.lines().nth(1).unwrap();
    assert!(row.ends_with(",193,4,193,4,MCC,OK,NOT_APPLICABLE,MCC,NONE,"), "{out}");
    // The same claim as an 837I.
    let model: claim_model::Claim = serde_json::from_value(claim).unwrap();
    let sub = x12_claims::Submission {
        sender: ("ZZ".into(), "SUBMITTER".into()),
        receiver: ("ZZ".into(), "PAYER".into()),
        application_ids: ("SUBMITTER".into(), "PAYER".into()),
        control: 17,
        date_time: ("20260102".into(), "0800".into()),
        usage: 'T',
        submitter: ("BILLING SVC".into(), "S1".into(), "DESK".into(), "5555551212".into()),
        receiver_name: ("PAYER A".into(), "P1".into()),
        batch_id: "BATCH17".into(),
    };
    let delims = x12_claims::x12::Delimiters {
        element: b'*',
        repetition: Some(b'^'),
        component: b':',
        segment: b'~',
    };
    let x12 = x12_claims::write_837(&[model], &sub, delims);
    let p = env.dir.path().join("claim.837");
    std::fs::write(&p, &x12).unwrap();
    let out837 = env.ok(&["group", p.to_str().unwrap(), "--csv"]);
    assert_eq!(out837.lines().nth(1), Some(row), "{out837}");
    // A professional claim is not grouped.
    let prof =
        std::fs::read_to_string(repo("crates/scrub/tests/fixtures/professional.json")).unwrap();
    let p = env.file("prof.json", prof.as_bytes());
    let o = env.run(&["group", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("professional claim"));
}

#[test]
fn impossible_ages_and_too_many_diagnoses_are_grouped_not_refused() {
    let env = with_excerpts();
    let header = CSV.lines().next().unwrap();
    let many = vec!["A000:Y"; 26].join("|");
    let p = env.file(
        "odd.csv",
        format!(
            "{header}\nN1,,-3,F,01,J189:Y,,,20251115,EXEMPT,\nN2,,70,F,01,J189:Y,{many},,20251115,EXEMPT,\n"
        )
        .as_bytes(),
    );
    let v: Value =
        serde_json::from_str(&env.ok(&["group", p.to_str().unwrap(), "--json"])).unwrap();
    assert_eq!(v["claims"][0]["final_drg"], 195);
    assert_eq!(v["claims"][1]["sdx_sev"].as_array().unwrap().len(), 26);
    assert!(v["claims"][1]["notes"].to_string().contains("26 secondary diagnoses"), "{v:#}");
}
