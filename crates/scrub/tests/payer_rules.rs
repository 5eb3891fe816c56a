//! Payer rules from a TOML file: the shipped examples fire where they should, and bad files are
//! refused with the line.

mod common;

use scrub::{Context, PayerRules, Scrubber};

fn example() -> PayerRules {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs/payer-rules/example.toml"),
    )
    .expect("example rules");
    PayerRules::parse(&text).expect("the example parses")
}

fn findings(
    claim: &serde_json::Value,
    rules: &PayerRules,
    today: &str,
) -> Vec<(String, Option<u32>, String)> {
    let lib = common::sample_library();
    let claim: claim_model::Claim = serde_json::from_value(claim.clone()).expect("claim");
    let cx = Context::new(&lib, today.parse().expect("date")).with_payer_rules(rules);
    let only = Scrubber::only(&[]).expect("no built-in rule");
    only.scrub(&claim, &cx).into_iter().map(|f| (f.rule.to_string(), f.line, f.message)).collect()
}

#[test]
fn the_shipped_examples_fire_and_pass() {
    let rules = example();
    assert_eq!(rules.len(), 5);
    let base = common::base("professional");
    // The base claim (payer 99999, an office visit with 25 and G2211, service 2026-05-04).
    assert_eq!(findings(&base, &rules, "2026-06-01"), []);
    // Timely filing: 80 days is close for this plan.
    let f = findings(&base, &rules, "2026-07-24");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "TF-SYNTHETIC");
    // Prior authorization for an MRI, on its line.
    let mut c = base.clone();
    common::set(&mut c, "/lines/1/procedure", "72148".into());
    let f = findings(&c, &rules, "2026-06-01");
    assert_eq!(
        f,
        [(
            "PA-MRI".to_string(),
            Some(2),
            "hold: 72148 needs the plan's prior authorization".to_string()
        )]
    );
    // Modifier 25 with a procedure.
    let mut c = base.clone();
    common::set(&mut c, "/lines/0/modifiers", serde_json::json!([]));
    common::set(&mut c, "/lines/1/procedure", "20610".into());
    let f = findings(&c, &rules, "2026-06-01");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!((f[0].0.as_str(), f[0].1), ("MOD25-EM-WITH-PROCEDURE", Some(1)));
    // Medicare: therapy without its modifier; and another payer's rules do not apply.
    let mut c = base.clone();
    common::set(&mut c, "/payer/id", "12502".into());
    common::set(&mut c, "/lines/1/procedure", "97110".into());
    let f = findings(&c, &rules, "2026-06-01");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].2, "97110 (line 2) is a therapy service without GP, GO or GN");
    common::set(&mut c, "/lines/1/modifiers", serde_json::json!(["GP"]));
    assert_eq!(findings(&c, &rules, "2026-06-01"), []);
    assert_eq!(findings(&c, &rules, "2027-05-05")[0].0, "TF-MEDICARE");
}

#[test]
fn conditions_on_age_sex_diagnoses_and_place_of_service() {
    let rules = PayerRules::parse(
        r#"
[[rule]]
id = "PEDS-TELEHEALTH"
payer = "*"
action = "warn"
message = "telehealth for a child with diabetes"
[rule.when]
age_max = 17
sex = "F"
diagnoses = ["E11*"]
place_of_service = ["02", "10"]
"#,
    )
    .expect("rules");
    let mut c = common::base("professional");
    common::set(&mut c, "/place_of_service", "10".into());
    assert_eq!(findings(&c, &rules, "2026-06-01"), []);
    common::set(&mut c, "/subscriber/person/birth_date", "2015-01-01".into());
    assert_eq!(findings(&c, &rules, "2026-06-01").len(), 2);
    common::set(&mut c, "/subscriber/person/sex", "M".into());
    assert_eq!(findings(&c, &rules, "2026-06-01"), []);
}

#[test]
fn bad_files_are_refused_with_the_line() {
    let unknown_payer = "[[payer]]\nid = \"a\"\npayer_ids = [\"1\"]\n\n[[rule]]\nid = \"R1\"\npayer = \"b\"\naction = \"warn\"\nmessage = \"m\"\n";
    let e = PayerRules::parse(unknown_payer).unwrap_err();
    assert_eq!(e.line, Some(5), "{e}");
    assert!(e.message.contains("payer \"b\" is not defined"), "{e}");
    let typo = "[[rule]]\nid = \"R1\"\npayer = \"*\"\naction = \"warn\"\nmessage = \"m\"\n[rule.when]\ncodez = [\"1\"]\n";
    let e = PayerRules::parse(typo).unwrap_err();
    assert_eq!(e.line, Some(7), "{e}");
    assert!(e.message.contains("codez"), "{e}");
    let range = "[[rule]]\nid = \"R1\"\npayer = \"*\"\naction = \"warn\"\nmessage = \"m\"\n[rule.when]\ncodes = [\"97546-97110\"]\n";
    assert!(PayerRules::parse(range).unwrap_err().message.contains("range"));
    let reserved =
        "[[rule]]\nid = \"CODE-900\"\npayer = \"*\"\naction = \"warn\"\nmessage = \"m\"\n";
    assert!(PayerRules::parse(reserved).unwrap_err().message.contains("superbill's own"));
    let action = "[[rule]]\nid = \"R1\"\npayer = \"*\"\naction = \"deny\"\nmessage = \"m\"\n";
    assert!(PayerRules::parse(action).is_err());
}
