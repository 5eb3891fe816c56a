//! CPT codes: checked by shape when no CPT or PFS file is installed, against it when one is.

mod common;

use std::sync::Arc;

use scrub::{Context, Scrubber};

#[test]
fn cpt_codes_are_checked_against_an_installed_pfs_file() {
    let claim: claim_model::Claim =
        serde_json::from_value(common::base("professional")).expect("claim");
    // No CPT release: 99214 passes by its shape.
    let lib = common::sample_library();
    let cx = Context::new(&lib, common::today());
    assert!(Scrubber::only(&["CODE-001"]).expect("rule").scrub(&claim, &cx).is_empty());
    // A PFS relative value file (codes only) that lists 99213 but not 99214.
    let csv = "HCPCS,MOD,,CODE,PAYMENT,RVU,PE RVU,INDICATOR,PE RVU,INDICATOR,RVU,TOTAL\n\
               99213,,,A,,1.30,1.35,,0.55,,0.10,2.75\n";
    let pfs = code_sets::cpt::parse_pfs_rvu(csv.as_bytes(), "2026-01-01".parse().expect("date"))
        .expect("PFS");
    let mut releases: Vec<_> = lib.releases().to_vec();
    releases.push(Arc::new(pfs));
    let lib = code_sets::Library::new(releases);
    let cx = Context::new(&lib, common::today());
    let f = Scrubber::only(&["CODE-001"]).expect("rule").scrub(&claim, &cx);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!((f[0].line, f[0].category.id()), (Some(1), "code-invalid"));
    assert!(f[0].message.contains("99214"), "{}", f[0].message);
}
