//! The borrowed 837 views: text borrowed from the file (owned only for bytes that are not UTF-8),
//! parties kept once and shared, what each claim refers to, and the owned claim made from a view.

use std::borrow::Cow;

use claim_model::{AdjustmentGroup, Cents, ProviderRole, Units};

const ISA: &str = "ISA*00*          *00*          *ZZ*CLINIC         *ZZ*PAYER          *260115*0930*^*00501*000000001*0*T*:~";

/// One 837P transaction set of `body` (everything after the BHT and the submitter/receiver).
fn file(body: &str) -> String {
    let head = "BHT*0019*00*1*20260115*0930*CH~NM1*41*2*SYNTHETIC CLINIC*****46*TGJ23~PER*IC*ANN*TE*5555551234~NM1*40*2*PAYER A*****46*66783JJT~";
    let count = 2 + head.matches('~').count() + body.matches('~').count();
    format!(
        "{ISA}GS*HC*CLINIC*PAYER*20260115*0930*1*X*005010X222A1~ST*837*0001*005010X222A1~{head}{body}SE*{count}*0001~GE*1*1~IEA*1*000000001~"
    )
}

const BILLING: &str = "HL*1**20*1~NM1*85*2*SYNTHETIC CLINIC*****XX*1234567893~N3*100 MAIN ST~N4*ANYTOWN*PA*171110000~REF*EI*123456789~\
NM1*87*2*PAY TO OFFICE~N3*PO BOX 9~N4*ANYTOWN*PA*171110000~";

#[test]
fn views_borrow_their_text_and_share_their_parties() {
    let src = file(&format!(
        "{BILLING}HL*2*1*22*1~SBR*P********CI~NM1*IL*1*DOE*JANE****MI*ABC123~N3*1 ELM ST~N4*ANYTOWN*PA*171110000~DMG*D8*19800101*F~NM1*PR*2*PAYER A*****PI*99999~\
HL*3*2*23*0~PAT*19~NM1*QC*1*DOE*JOHN~DMG*D8*20100202*M~\
CLM*PCN1*100***11:B:1*Y*A*Y*Y~HI*ABK:E119*ABF:I10~NM1*82*1*SMITH*ANN****XX*1234567893~\
LX*1~SV1*HC:99213:25:59*100*UN*1***1:2~DTP*472*D8*20260105~\
CLM*PCN2*50***11:B:1*Y*A*Y*Y~HI*ABK:J069~LX*1~SV1*HC:99212*50*UN*1***1~DTP*472*D8*20260106~"
    ));
    let (batches, findings) = x12_claims::read_837_views(src.as_bytes(), 1);
    assert!(findings.is_empty(), "{findings:?}");
    let claims: Vec<_> = batches.iter().flat_map(|b| b.claims()).collect();
    assert_eq!(claims.len(), 2);
    let (one, two) = (claims[0], claims[1]);
    assert!(matches!(one.patient_control_number, Cow::Borrowed("PCN1")));
    assert_eq!(one.total_charge, Cents(10000));
    // Shared parties are the same values, not copies.
    assert!(std::ptr::eq(one.billing().unwrap(), two.billing().unwrap()));
    assert!(std::ptr::eq(one.subscriber().unwrap(), two.subscriber().unwrap()));
    assert_eq!(one.billing().unwrap().tax_id, "123456789");
    assert_eq!(one.pay_to().unwrap().address.as_ref().unwrap().line1, "PO BOX 9");
    let (patient, relationship) = one.patient().unwrap();
    assert_eq!((relationship.as_ref(), patient.member_id.as_ref(), patient.sex), ("19", "", 'M'));
    assert_eq!(one.payer().unwrap().id, "99999");
    assert_eq!(one.providers()[0].0, ProviderRole::Rendering);
    let codes: Vec<&str> = one.diagnoses().iter().map(|d| d.code.as_ref()).collect();
    assert_eq!(codes, ["E119", "I10"]);
    let line = one.lines().next().unwrap();
    assert_eq!(line.modifiers(), ["25", "59"]);
    assert_eq!(line.diagnosis_pointers(), [1, 2]);
    assert_eq!((line.charge, line.units), (Cents(10000), Units(1000)));
    assert_eq!(line.date_from.map(|d| d.to_string()).as_deref(), Some("2026-01-05"));
    assert_eq!(two.diagnoses()[0].code, "J069");
    assert_eq!(two.line_total(), Cents(5000));
    // The owned claim carries copies of everything the view refers to.
    let owned = one.to_claim();
    assert_eq!(owned.provider(ProviderRole::Billing).unwrap().tax_id, "123456789");
    assert_eq!(
        owned.provider(ProviderRole::PayTo).unwrap().address.as_ref().unwrap().lines,
        ["PO BOX 9"]
    );
    assert_eq!(owned.lines[0].modifiers, ["25", "59"]);
    assert_eq!(owned.patient.as_ref().unwrap().1, "19");
}

#[test]
fn other_payers_and_line_adjudication_are_read_with_their_adjustments() {
    let src = file(&format!(
        "{BILLING}HL*2*1*22*0~SBR*S*18*******MB~NM1*IL*1*DOE*JANE****MI*ABC123~NM1*PR*2*MEDICARE*****PI*00435~\
CLM*PCN3*100***11:B:1*Y*A*Y*Y~HI*ABK:E119~\
SBR*P*18*GRP1******CI~CAS*PR*1*20~AMT*D*80~OI***Y***Y~NM1*IL*1*DOE*JANE****MI*XYZ9~NM1*PR*2*FIRST PAYER*****PI*11111~REF*F8*ORIG77~\
LX*1~SV1*HC:99213*100*UN*1***1~DTP*472*D8*20260105~SVD*11111*80*HC:99213**1~CAS*CO*45*20*1~DTP*573*D8*20260201~"
    ));
    let (batches, findings) = x12_claims::read_837_views(src.as_bytes(), 1);
    assert!(findings.is_empty(), "{findings:?}");
    let claim = batches[0].claims().next().unwrap();
    let others: Vec<_> = claim.other_payers().collect();
    assert_eq!(others.len(), 1);
    let (op, adjustments) = others[0];
    assert_eq!((op.payer.id.as_ref(), op.paid), ("11111", Some(Cents(8000))));
    assert_eq!(
        (op.subscriber.group_number.as_ref(), op.claim_control_number.as_ref()),
        ("GRP1", "ORIG77")
    );
    assert_eq!(adjustments.len(), 1);
    assert_eq!(
        (adjustments[0].group, adjustments[0].amount),
        (AdjustmentGroup::Patient, Cents(2000))
    );
    let line = claim.lines().next().unwrap();
    let adjudications: Vec<_> = line.adjudications().collect();
    assert_eq!(adjudications.len(), 1);
    let (a, adjs) = adjudications[0];
    assert_eq!((a.payer_id.as_ref(), a.paid), ("11111", Cents(8000)));
    assert_eq!(a.date.map(|d| d.to_string()).as_deref(), Some("2026-02-01"));
    assert_eq!(
        (adjs[0].reason.as_ref(), adjs[0].amount, adjs[0].quantity),
        ("45", Cents(2000), Some(Units(1000)))
    );
    // The claim-level and line-level adjustments stay apart although they share one array.
    let owned = claim.to_claim();
    assert_eq!(owned.other_payers[0].adjustments.len(), 1);
    assert_eq!(owned.lines[0].adjudications[0].adjustments.len(), 1);
}

#[test]
fn a_change_after_a_claim_does_not_reach_back_into_it() {
    // An N3 right after a CLM (no NM1 before it) still addresses the payer (the last NM1): the
    // reader applies it to the payer the next claims get, never to the claim already read.
    let src = file(&format!(
        "{BILLING}HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JANE****MI*ABC123~N3*1 ELM ST~NM1*PR*2*PAYER A*****PI*99999~\
CLM*PCN1*100***11:B:1*Y*A*Y*Y~N3*2 OAK ST~HI*ABK:E119~LX*1~SV1*HC:99213*100*UN*1***1~DTP*472*D8*20260105~\
CLM*PCN2*100***11:B:1*Y*A*Y*Y~HI*ABK:E119~LX*1~SV1*HC:99213*100*UN*1***1~DTP*472*D8*20260105~"
    ));
    let (batches, _) = x12_claims::read_837_views(src.as_bytes(), 1);
    let claims: Vec<_> = batches[0].claims().collect();
    let street =
        |i: usize| claims[i].payer().unwrap().address.as_ref().map(|a| a.line1.to_string());
    assert_eq!((street(0), street(1)), (None, Some("2 OAK ST".into())));
    // The subscriber was not touched, and stays shared.
    assert!(std::ptr::eq(claims[0].subscriber().unwrap(), claims[1].subscriber().unwrap()));
    // And the owned read (made from the views) says the same.
    let (owned, _) = x12_claims::read_837(src.as_bytes());
    assert_eq!(owned[0].payer.address, None);
    assert_eq!(owned[1].payer.address.as_ref().unwrap().lines, ["2 OAK ST"]);
}

#[test]
fn bytes_that_are_not_utf8_are_replaced_and_utf16_is_refused_with_a_finding() {
    let src = file(&format!(
        "{BILLING}HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*PE\u{1}A*JOS~NM1*PR*2*PAYER A*****PI*99999~\
CLM*PCN1*100***11:B:1*Y*A*Y*Y~HI*ABK:E119~LX*1~SV1*HC:99213*100*UN*1***1~DTP*472*D8*20260105~"
    ))
    .replace('\u{1}', "\u{0}")
    .into_bytes();
    // A Latin-1 Ñ where the \0 is.
    let src: Vec<u8> = src.into_iter().map(|b| if b == 0 { 0xD1 } else { b }).collect();
    let (batches, findings) = x12_claims::read_837_views(&src, 1);
    assert!(findings.is_empty(), "{findings:?}");
    let claim = batches[0].claims().next().unwrap();
    let x12_claims::NameView::Person { last, first, .. } = &claim.subscriber().unwrap().person.name
    else {
        panic!("a person");
    };
    assert!(matches!(last, Cow::Owned(s) if s == "PE\u{fffd}A"));
    // The rest of the set is still borrowed (each element checked on its own).
    assert!(matches!(first, Cow::Borrowed("JOS")));
    assert!(matches!(claim.patient_control_number, Cow::Borrowed("PCN1")));

    let utf16: Vec<u8> = file("").encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let (batches, findings) = x12_claims::read_837_views(&utf16, 1);
    assert!(batches.is_empty());
    assert_eq!(findings[0].rule, "X12-837-ENC-001");
    let bytes = x12::to_bytes(&utf16);
    assert!(x12_claims::read_837_views(&bytes, 1).1.is_empty());
}

#[test]
fn views_come_one_batch_at_a_time_in_file_order() {
    let claim = "HL*{hl}*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JANE****MI*ABC123~NM1*PR*2*PAYER A*****PI*99999~\
CLM*P{n}*100***11:B:1*Y*A*Y*Y~HI*ABK:E119~LX*1~SV1*HC:99213*100*UN*1***1~DTP*472*D8*20260105~";
    // 300 transaction sets of 10 claims: about 34,000 segments, several batches.
    let head = "BHT*0019*00*1*20260115*0930*CH~NM1*41*2*SYNTHETIC CLINIC*****46*TGJ23~PER*IC*ANN*TE*5555551234~NM1*40*2*PAYER A*****46*66783JJT~";
    let mut src = format!("{ISA}GS*HC*CLINIC*PAYER*20260115*0930*1*X*005010X222A1~");
    for set in 1..=300 {
        let claims: String = (0..10)
            .map(|k| {
                claim
                    .replace("{hl}", &(k + 2).to_string())
                    .replace("{n}", &((set - 1) * 10 + k).to_string())
            })
            .collect();
        let body = format!("{head}{BILLING}{claims}");
        let count = 2 + body.matches('~').count();
        src.push_str(&format!("ST*837*{set:04}*005010X222A1~{body}SE*{count}*{set:04}~"));
    }
    src.push_str("GE*300*1~IEA*1*000000001~");
    for threads in [1, 2, 3] {
        let mut seen = Vec::new();
        let mut batches = 0;
        let findings = x12_claims::read_837_views_each(src.as_bytes(), threads, |batch| {
            batches += 1;
            seen.extend(batch.claims().map(|c| c.patient_control_number.to_string()));
        });
        assert!(findings.is_empty(), "{threads} threads: {:?}", findings.first());
        let expected: Vec<String> = (0..3000).map(|n| format!("P{n}")).collect();
        assert!(seen == expected, "{threads} threads: claims out of order");
        assert!(batches > 2, "{threads} threads: {batches} batches");
    }
}
