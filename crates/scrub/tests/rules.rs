//! Every rule against its fixtures: each `fires` case must raise the rule, each `passes` case
//! must not, and each case's findings (from every rule) are snapshotted.
//!
//! Fixtures: `tests/fixtures/rules/<RULE-ID>.json`, `{"fires": [case…], "passes": [case…]}`, where
//! a case is `{"name", "base": "professional" | "institutional", "set": {JSON pointer: value}}`
//! applied to `tests/fixtures/<base>.json`.

mod common;

use scrub::{Context, RULES, Scrubber};
use serde_json::Value;

fn cases(id: &str) -> Value {
    let path = common::fixtures().join("rules").join(format!("{id}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("rule {id} has no fixture {}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn base_claims_are_clean() {
    let lib = common::sample_library();
    let mce = common::sample_mce();
    let ncci = common::sample_ncci();
    let cx = Context::new(&lib, common::today()).with_mce(&mce).with_ncci(&ncci);
    for base in ["professional", "institutional"] {
        let claim: claim_model::Claim =
            serde_json::from_value(common::base(base)).expect("base claim");
        // Nothing to fix; information (use-additional-code reminders) may remain.
        let findings: Vec<_> = Scrubber::default()
            .scrub(&claim, &cx)
            .into_iter()
            .filter(|f| f.severity != scrub::Severity::Info)
            .collect();
        assert!(findings.is_empty(), "{base}: {findings:#?}");
    }
}

#[test]
fn every_rule_fires_and_passes_on_its_fixtures() {
    let lib = common::sample_library();
    let mce = common::sample_mce();
    let ncci = common::sample_ncci();
    let cx = Context::new(&lib, common::today()).with_mce(&mce).with_ncci(&ncci);
    for rule in RULES {
        // The default rules, and the rule itself when it is optional.
        let scrubber = Scrubber::default().with(rule.id).expect("registered");
        let cases = cases(rule.id);
        for (kind, must_fire) in [("fires", true), ("passes", false)] {
            let list = cases[kind].as_array().unwrap_or_else(|| panic!("{}: no {kind}", rule.id));
            assert!(!list.is_empty(), "{}: no {kind} case", rule.id);
            for (i, case) in list.iter().enumerate() {
                let claim = common::patched(case);
                let findings = scrubber.scrub(&claim, &cx);
                let fired = findings.iter().any(|f| f.rule == rule.id);
                assert_eq!(
                    fired, must_fire,
                    "{} {kind}[{i}] {}: {findings:#?}",
                    rule.id, case["name"]
                );
                let name = format!("{}-{kind}-{i}", rule.id);
                insta::with_settings!({ description => case["name"].as_str().unwrap_or(""), omit_expression => true }, {
                    insta::assert_json_snapshot!(name, findings);
                });
            }
        }
    }
}
