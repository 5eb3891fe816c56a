//! Validation at every level never panics on any input: the guide walk, the claim and
//! remittance readers, the situational and code-set checks, and the 999 and 277CA writers.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = x12_claims::validate(data, 5);
    let _ = report.valid();
    let time = x12_claims::AckTime {
        isa: ("260101".into(), "1200".into()),
        gs: ("20260101".into(), "1200".into()),
    };
    let _ = x12_claims::ack_999(data, &time);
    let _ = x12_claims::ack_277ca(data, &time, None);
    let (claims, _) = x12_claims::read_837(data);
    let _ = x12_claims::read_835(data);
    let _ = x12_claims::read_999(data);
    let _ = x12_claims::read_277ca(data);
    if !claims.is_empty() {
        let sub = x12_claims::Submission {
            sender: ("ZZ".into(), "S".into()),
            receiver: ("ZZ".into(), "R".into()),
            application_ids: ("S".into(), "R".into()),
            control: 1,
            date_time: ("20260101".into(), "1200".into()),
            usage: 'T',
            submitter: ("S".into(), "S1".into(), "C".into(), "5555551212".into()),
            receiver_name: ("R".into(), "R1".into()),
            batch_id: "B".into(),
        };
        let out = x12_claims::write_837(&claims, &sub, x12::Delimiters::default());
        let _ = x12_claims::read_837(&out);
    }
});
