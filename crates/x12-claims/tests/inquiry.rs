//! Eligibility and claim status: the 271s and 277s in `../shared/x12-samples/` (when present)
//! read into the model; the 270s and 276s we write pass our own validation and say what was
//! asked.

use claim_model::{EligibilityRequest, Name, Party, Payer, Person};
use x12_claims::{Submission, read_271, read_277, read_837, validate, write_270, write_276};

fn samples(dir: &str) -> Option<std::path::PathBuf> {
    let d = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/x12-samples")
        .join(dir);
    d.is_dir().then_some(d)
}

fn submission() -> Submission {
    Submission {
        sender: ("ZZ".into(), "CLINIC".into()),
        receiver: ("ZZ".into(), "PAYER".into()),
        application_ids: ("CLINIC".into(), "PAYER".into()),
        control: 9,
        date_time: ("20260301".into(), "1015".into()),
        usage: 'T',
        submitter: (
            "SYNTHETIC CLINIC".into(),
            "S1".into(),
            "FRONT DESK".into(),
            "5555551212".into(),
        ),
        receiver_name: ("PAYER A".into(), "P1".into()),
        batch_id: "Q9".into(),
    }
}

#[test]
fn sample_271s_read() {
    let Some(dir) = samples("271") else { return };
    let (r, _) = read_271(&std::fs::read(dir.join("lfh__demo.271")).unwrap());
    assert_eq!(r.len(), 1);
    assert!(r[0].active(), "{r:?}");
    assert_eq!(r[0].subscriber.member_id, "123456789");
    assert_eq!(r[0].payer.name, "ABC COMPANY");
    let copay: Vec<_> = r[0].benefits.iter().filter(|b| b.info == "B").collect();
    assert_eq!(copay.len(), 2);
    assert_eq!(copay[0].amount, Some(claim_model::Cents(1000)));
    assert_eq!(copay[0].in_network, Some(true));
    assert!(copay[0].service_types.contains(&"98".to_string()), "{:?}", copay[0].service_types);
    let (r, _) = read_271(
        &std::fs::read(dir.join("lfh__subscriber-health-benefit-check-error.271")).unwrap(),
    );
    assert!(!r.is_empty() && !r[0].active() && !r[0].rejections.is_empty(), "{r:?}");
}

#[test]
fn sample_277s_read() {
    let Some(dir) = samples("277") else { return };
    let (r, _) = read_277(&std::fs::read(dir.join("lfh__demo.277")).unwrap());
    assert!(r.len() >= 2, "{r:?}");
    assert_eq!(r[0].patient_control_number, "ABCXYZ1");
    assert_eq!((r[0].category.as_str(), r[0].status.as_str()), ("P3", "317"));
    assert_eq!(r[0].payer_claim_number, "05347006051");
    assert_eq!(r[1].paid, Some(claim_model::Cents(759900)));
}

#[test]
fn the_270_we_write_is_valid() {
    let req = EligibilityRequest {
        trace: "ELIG001".into(),
        payer: Payer { name: "PAYER A".into(), id: "P1".into(), address: None },
        provider: Party {
            name: Name::Organization("SYNTHETIC CLINIC".into()),
            npi: "1234567893".parse().ok(),
            tax_id: Default::default(),
            taxonomy: Default::default(),
            address: None,
        },
        subscriber: Person {
            name: Name::Person {
                last: "DOE".into(),
                first: "JANE".into(),
                middle: Default::default(),
                suffix: Default::default(),
            },
            member_id: "M123".into(),
            birth_date: "1980-01-01".parse().ok(),
            sex: 'F',
            address: None,
        },
        dependent: None,
        service_types: vec!["30".into(), "98".into()],
        date: "2026-03-01".parse().ok(),
    };
    let mut with_dependent = req.clone();
    with_dependent.dependent = Some(Person {
        name: Name::Person {
            last: "DOE".into(),
            first: "JIM".into(),
            middle: Default::default(),
            suffix: Default::default(),
        },
        member_id: Default::default(),
        birth_date: "2015-06-01".parse().ok(),
        sex: 'M',
        address: None,
    });
    let out = write_270(&[req, with_dependent], &submission(), x12::Delimiters::default());
    let report = validate(&out, 5);
    assert!(report.valid(), "{report:#?}\n{}", String::from_utf8_lossy(&out));
    assert_eq!(report.transactions.len(), 2);
    assert!(report.transactions.iter().all(|t| t.guide == Some("005010X279A1")));
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("EQ*98~") && text.contains("NM1*03*1*DOE*JIM~"), "{text}");
}

#[test]
fn the_276_we_write_is_valid() {
    let Some(dir) = samples("837P") else { return };
    let (claims, _) = read_837(&std::fs::read(dir.join("lfh__demo.cob.example3.C.837")).unwrap());
    let asks: Vec<_> = claims.iter().map(|c| (c, "PAYERCLM1")).collect();
    let out = write_276(&asks, &submission(), x12::Delimiters::default());
    let report = validate(&out, 2);
    assert!(report.valid(), "{report:#?}\n{}", String::from_utf8_lossy(&out));
    assert_eq!(report.transactions[0].guide, Some("005010X212"));
    assert!(String::from_utf8_lossy(&out).contains("REF*1K*PAYERCLM1~"));
}
