//! The claim model's JSON form (docs/claim-json.md) round-trips: every claim and remittance read
//! from the samples in `../shared/x12-samples/` (when present) and from a hand-made claim
//! serializes and reads back to the same value.

use claim_model::{Claim, Remittance};

fn round_trip_file(src: &[u8]) -> usize {
    let (claims, _) = x12_claims::read_837(src);
    let (remits, _) = x12_claims::read_835(src);
    for c in &claims {
        let text = serde_json::to_string(c).unwrap();
        let back: Claim = serde_json::from_str(&text).unwrap();
        assert_eq!(&back, c, "{text}");
    }
    for r in &remits {
        let text = serde_json::to_string(r).unwrap();
        let back: Remittance = serde_json::from_str(&text).unwrap();
        assert_eq!(&back, r, "{text}");
    }
    claims.len() + remits.len()
}

#[test]
fn samples_round_trip_through_json() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/x12-samples");
    if !root.is_dir() {
        eprintln!("skipped: ../shared/x12-samples is not present");
        return;
    }
    let mut n = 0;
    for dir in ["837P", "837I", "835"] {
        for f in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
            n += round_trip_file(&std::fs::read(f.path()).unwrap());
        }
    }
    assert!(n > 100, "{n} values");
}

#[test]
fn the_documented_example_reads() {
    // The example in docs/claim-json.md, kept in step with it.
    let doc = include_str!("../../../docs/claim-json.md");
    let start = doc.find("```json\n").expect("an example") + 8;
    let end = start + doc[start..].find("```").unwrap();
    let claim: Claim = serde_json::from_str(&doc[start..end]).unwrap();
    assert_eq!(claim.total_charge, claim.line_total());
    assert_eq!(claim.total_charge.0, 15000);
    assert_eq!(
        serde_json::from_str::<Claim>(&serde_json::to_string(&claim).unwrap()).unwrap(),
        claim
    );
}
