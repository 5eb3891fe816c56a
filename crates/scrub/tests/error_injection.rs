//! Error injection on the full FY2026 code sets (when `../shared/data` is present): clean claims
//! generated from the official valid-code lists must produce no reject or deny finding, and one
//! error of each category injected into otherwise clean claims must be reported under that
//! category. Prints recall and the false-positive rate per category.

mod common;

#[path = "../benches/common/mod.rs"]
#[allow(unreachable_pub)]
mod generate;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use claim_model::Claim;
use scrub::{Category, Context, PayerRules, Scrubber};
use serde_json::{Value, json};

fn shared() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

fn gunzip(path: &Path) -> String {
    String::from_utf8(generate::read_gz(path)).expect("UTF-8")
}

/// Moves a two-line base claim (its dates and its lines' dates) to `date`.
fn set_dates(c: &mut serde_json::Value, date: &str) {
    for p in [
        "/from",
        "/to",
        "/lines/0/date_from",
        "/lines/0/date_to",
        "/lines/1/date_from",
        "/lines/1/date_to",
    ] {
        *c.pointer_mut(p).expect("date") = date.into();
    }
}

/// Codes of an MCE list file (first column), for filtering.
fn mce_codes(name: &str) -> HashSet<String> {
    let text = std::fs::read_to_string(shared().join("mce/fy2026").join(name)).unwrap_or_default();
    text.lines().skip(1).filter_map(|l| l.split(',').next()).map(str::to_string).collect()
}

#[test]
fn injected_errors_are_found_and_clean_claims_pass() {
    if !shared().join("icd10cm/2026").exists() || !shared().join("mce/fy2026").exists() {
        eprintln!("skipped: ../shared/data is not present");
        return;
    }
    let (lib, _) = generate::library();
    let mut mce = generate::mce_lists().expect("MCE lists");
    // The last sex-conflict lists (FY2024), for the sex-conflict injection on FY2024 claims.
    for f in ["dx_sex_female.csv", "dx_sex_male.csv"] {
        let p = shared().join("mce/fy2024_sex_conflict").join(f);
        mce.load(f, &std::fs::read(&p).expect("FY2024 sex list")).expect("sex list");
    }
    let ncci = common::sample_ncci();
    let rules = PayerRules::parse(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/payer-rules/example.toml"),
        )
        .expect("example rules"),
    )
    .expect("rules");
    let cx = Context::new(&lib, common::today())
        .with_mce(&mce)
        .with_ncci(&ncci)
        .with_payer_rules(&rules);
    let scrubber = Scrubber::default();

    // Diagnoses any adult of either sex may have, acceptable as principal, not manifestations.
    let mut avoid = HashSet::new();
    for list in [
        "dx_age_newborn.csv",
        "dx_age_pediatric.csv",
        "dx_age_maternity.csv",
        "dx_age_adult.csv",
        "dx_manifestation_as_pdx.csv",
        "dx_external_cause_as_pdx.csv",
        "dx_unacceptable_pdx.csv",
        "dx_questionable_admission.csv",
        "dx_wrong_procedure_performed.csv",
        "dx_noncov_trigger_ncov6.csv",
    ] {
        avoid.extend(mce_codes(list));
    }
    let valid = gunzip(&shared().join("mce/fy2026/dx_valid_codes.csv.gz"));
    let dx: Vec<String> = valid
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .filter(|c| !avoid.contains(*c) && !c.starts_with(['V', 'W', 'X', 'Y', 'O', 'P', 'Z']))
        .map(str::to_string)
        .collect();
    let hcpcs = gunzip(&shared().join("hcpcs/2026/hcpcs_level2_codes_2026_jan.csv.gz"));
    let date = "2026-05-04".parse().expect("date");
    let procs: Vec<String> = hcpcs
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        // In force on the date of service (the library checks the code's own dates), and a
        // letter the NCCI fixtures do not use.
        .filter(|code| code.starts_with(['A', 'E', 'L']))
        .filter(|code| {
            code_sets::CodeKey::new(code)
                .and_then(|k| lib.lookup(code_sets::System::Hcpcs, &k, date))
                .is_some_and(|l| l.billable && l.in_force_on(date))
        })
        .map(str::to_string)
        .collect();
    assert!(dx.len() > 40_000 && procs.len() > 500, "{} dx, {} HCPCS", dx.len(), procs.len());

    let mut rng = generate::Rng::new(2026);
    let pick =
        |list: &[String], r: &mut generate::Rng| list[r.below(list.len() as u64) as usize].clone();
    let clean_claim = |kind: &str, r: &mut generate::Rng| -> Value {
        let mut c = common::base(kind);
        let n = 2 + r.below(3) as usize;
        let mut codes: Vec<String> = Vec::new();
        while codes.len() < n {
            let d = pick(&dx, r);
            // Distinct categories: no Excludes1-prone siblings, no duplicates.
            if !codes.iter().any(|x| x[..3] == d[..3]) {
                codes.push(d);
            }
        }
        let kinds = ["principal", "other"];
        c["diagnoses"] = Value::Array(
            codes.iter().enumerate().map(|(i, d)| json!({"code": d, "kind": kinds[(i > 0) as usize], "poa": if kind == "institutional" { json!("Y") } else { Value::Null }})).collect(),
        );
        if kind == "professional" {
            let a = pick(&procs, r);
            let mut b = pick(&procs, r);
            while b == a {
                b = pick(&procs, r);
            }
            c["lines"][1]["procedure"] = a.into();
            c["lines"][0]["procedure"] = b.into();
            c["lines"][0]["modifiers"] = json!([]);
        }
        c
    };

    let run = |claim: &Value| -> Vec<scrub::Finding> {
        let c: Claim = serde_json::from_value(claim.clone()).expect("claim");
        scrubber.scrub(&c, &cx)
    };

    // Clean claims: no reject or deny finding.
    let mut false_positives: BTreeMap<&str, usize> = BTreeMap::new();
    let clean_n = 600;
    let mut fp_claims = 0;
    for i in 0..clean_n {
        let kind = if i % 5 == 0 { "institutional" } else { "professional" };
        let claim = clean_claim(kind, &mut rng);
        let blocking: Vec<_> = run(&claim).into_iter().filter(|f| f.severity.blocks()).collect();
        if !blocking.is_empty() {
            fp_claims += 1;
            for f in &blocking {
                *false_positives.entry(f.category.id()).or_default() += 1;
            }
            eprintln!("false positive: {blocking:#?} on {}", claim["diagnoses"]);
        }
    }

    // One injected error per claim, every category.
    type Inject = fn(&mut Value);
    let cases: Vec<(Category, &str, Inject)> = vec![
        (Category::CodeInvalid, "professional", |c| c["diagnoses"][1]["code"] = "I109".into()),
        (Category::CodeNotBillable, "professional", |c| c["diagnoses"][0]["code"] = "E11".into()),
        (Category::CodeNotValidOnDate, "professional", |c| {
            c["lines"][1]["procedure"] = "J0135".into()
        }),
        (Category::SeventhCharacter, "professional", |c| {
            c["diagnoses"][1]["code"] = "S72001".into()
        }),
        (Category::ReleaseMissing, "professional", |c| {
            set_dates(c, "2019-05-04");
        }),
        (Category::NpiInvalid, "professional", |c| c["providers"][0]["npi"] = "1234567890".into()),
        (Category::TaxonomyInvalid, "professional", |c| {
            c["providers"][0]["taxonomy"] = "207Q0000".into()
        }),
        (Category::PosInvalid, "professional", |c| c["place_of_service"] = "30".into()),
        (Category::TobInvalid, "institutional", |c| c["facility_type"] = "91".into()),
        (Category::RevenueCodeInvalid, "institutional", |c| {
            c["lines"][1]["revenue_code"] = "360".into()
        }),
        (Category::ModifierInvalid, "professional", |c| c["lines"][1]["modifiers"] = json!(["44"])),
        (Category::DiagnosisPointer, "professional", |c| {
            c["lines"][1]["diagnosis_pointers"] = json!([9])
        }),
        (Category::DateInvalid, "professional", |c| {
            c["subscriber"]["person"]["birth_date"] = "2026-05-20".into()
        }),
        (Category::ChargeInvalid, "professional", |c| c["total_charge"] = 99999.into()),
        (Category::UnitsInvalid, "professional", |c| c["lines"][1]["units"] = 0.into()),
        (Category::DuplicateLine, "professional", |c| {
            let l = c["lines"][1].clone();
            c["lines"][0] = l;
            c["lines"][0]["number"] = 1.into();
        }),
        (Category::MissingRequired, "professional", |c| {
            c["subscriber"]["person"]["member_id"] = "".into()
        }),
        (Category::AgeConflict, "professional", |c| c["diagnoses"][1]["code"] = "Z00121".into()),
        // E11.9 is on the MCE's questionable-admission list as a principal diagnosis.
        (Category::PrincipalDx, "institutional", |c| c["diagnoses"][0]["code"] = "E119".into()),
        (Category::ProcedureCoverage, "institutional", |c| {
            c["procedures"][0]["code"] = "0SR20JZ".into()
        }),
        (Category::Excludes1, "professional", |c| {
            c["diagnoses"][0]["code"] = "E119".into();
            c["diagnoses"][1]["code"] = "E109".into();
        }),
        (Category::Sequencing, "professional", |c| c["diagnoses"][0]["code"] = "H42".into()),
        (Category::Unspecified, "professional", |c| {
            c["diagnoses"][1]["code"] = "H401190".into();
            c["lines"][1]["modifiers"] = json!(["RT"]);
        }),
        (Category::NcciPtp, "professional", |c| {
            c["lines"][0]["procedure"] = "93000".into();
            c["lines"][1]["procedure"] = "93005".into();
        }),
        (Category::Mue, "professional", |c| {
            c["lines"][1]["procedure"] = "G2211".into();
            c["lines"][1]["units"] = 2.into();
        }),
        (Category::AddOn, "professional", |c| c["lines"][1]["procedure"] = "11045".into()),
        (Category::PayerRule, "professional", |c| c["lines"][1]["procedure"] = "72148".into()),
        // A female-only diagnosis for a male patient, on a FY2024 claim (the edit's last year).
        (Category::SexConflict, "professional", |c| {
            c["subscriber"]["person"]["sex"] = "M".into();
            c["diagnoses"][1]["code"] = "F3281".into();
            set_dates(c, "2024-03-04");
        }),
    ];
    let per_case = 20;
    let mut report = Vec::new();
    let mut misses = Vec::new();
    for (category, kind, inject) in &cases {
        let mut found = 0;
        for _ in 0..per_case {
            let mut claim = clean_claim(kind, &mut rng);
            inject(&mut claim);
            // Keep the claim balanced unless the charge is the error.
            if *category != Category::ChargeInvalid && *kind == "professional" {
                let total: i64 = claim["lines"]
                    .as_array()
                    .expect("lines")
                    .iter()
                    .map(|l| l["charge"].as_i64().unwrap_or(0))
                    .sum();
                claim["total_charge"] = total.into();
            }
            let findings = run(&claim);
            if findings.iter().any(|f| f.category == *category) {
                found += 1;
            } else {
                misses.push(format!("{}: {findings:#?}", category.id()));
            }
        }
        report.push((category.id(), found, per_case));
    }
    eprintln!("category                 recall   false positives on {clean_n} clean claims");
    for (id, found, n) in &report {
        eprintln!(
            "{id:<24} {:>5.1} %   {}",
            100.0 * *found as f64 / *n as f64,
            false_positives.get(id).copied().unwrap_or(0)
        );
    }
    eprintln!("clean claims with a reject/deny finding: {fp_claims} of {clean_n}");
    assert!(misses.is_empty(), "missed injected errors:\n{}", misses.join("\n"));
    assert_eq!(fp_claims, 0, "false positives by category: {false_positives:?}");
    let covered: HashSet<&str> = report.iter().map(|r| r.0).collect();
    let untested: Vec<&str> =
        Category::ALL.iter().map(|c| c.id()).filter(|c| !covered.contains(c)).collect();
    assert!(untested.is_empty(), "categories without an injected error: {untested:?}");
}
