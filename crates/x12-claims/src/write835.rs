//! Writing 835 remittances (005010X221A1) from the claim model: the payer side, used to answer
//! claims in tests and demonstrations, and to re-issue a remittance. One transaction set per
//! [`Remittance`]; the envelope comes from a [`Submission`] (its `submitter` contact and phone
//! become the payer's business contact, PER*BL).

use claim_model::{Cents, Name, Remittance, Text};
use x12::{Delimiters, EnvelopeWriter};

use crate::Submission;
use crate::out::{cas, comp, put, units};

fn address(w: &mut EnvelopeWriter, line: &mut Vec<u8>, a: &Option<claim_model::Address>) {
    let Some(a) = a else { return };
    let l1 = a.lines.first().map(Text::as_str).unwrap_or_default();
    let l2 = a.lines.get(1).map(Text::as_str).unwrap_or_default();
    put(w, line, b"N3", &[l1, l2]);
    put(w, line, b"N4", &[&a.city, &a.state, &a.postal_code, &a.country]);
}

/// Writes `remits` as one interchange with one functional group (HP) and a transaction set per
/// remittance.
pub fn write_835(remits: &[Remittance], sub: &Submission, delimiters: Delimiters) -> Vec<u8> {
    let mut w = crate::out::interchange(sub, delimiters);
    crate::out::group(&mut w, sub, "HP", sub.control, "005010X221A1");
    let mut line = Vec::with_capacity(256);
    for (n, r) in remits.iter().enumerate() {
        w.transaction("835", &format!("{:04}", n + 1), "");
        remittance(&mut w, &mut line, r, sub, &delimiters);
    }
    w.finish()
}

fn remittance(
    w: &mut EnvelopeWriter,
    line: &mut Vec<u8>,
    r: &Remittance,
    sub: &Submission,
    d: &Delimiters,
) {
    let date = r.date.map(|d| format!("{:08}", d.as_yyyymmdd())).unwrap_or(sub.date_time.0.clone());
    let method = if r.method.is_empty() { "NON" } else { &r.method };
    // H: a notification with no payment.
    let kind = if r.payment == Cents::ZERO { "H" } else { "I" };
    let amount = r.payment.to_x12();
    put(
        w,
        line,
        b"BPR",
        &[kind, &amount, "C", method, "", "", "", "", "", "", "", "", "", "", "", &date],
    );
    // TRN03: "1" and the payer's tax ID, ten characters.
    let digits: String = r.payer.1.chars().filter(char::is_ascii_digit).collect();
    let origin = format!("1{:0>9}", &digits[digits.len().saturating_sub(9)..]);
    let trace = if r.trace.is_empty() { "0" } else { &r.trace };
    put(w, line, b"TRN", &["1", trace, &origin]);
    let payer_q = if r.payer.1.is_empty() { "" } else { "XV" };
    put(w, line, b"N1", &["PR", &r.payer.0, payer_q, &r.payer.1]);
    address(w, line, &r.payer_address);
    let (_, _, contact, phone) = &sub.submitter;
    put(w, line, b"PER", &["BL", contact, "TE", phone]);
    let payee_q = if r.payee.1.parse::<claim_model::Npi>().is_ok() { "XX" } else { "FI" };
    put(w, line, b"N1", &["PE", &r.payee.0, payee_q, &r.payee.1]);
    address(w, line, &r.payee_address);
    if !r.claims.is_empty() {
        put(w, line, b"LX", &["1"]);
    }
    for c in &r.claims {
        let filing = if c.filing_indicator.is_empty() { "ZZ" } else { &c.filing_indicator };
        put(
            w,
            line,
            b"CLP",
            &[
                &c.patient_control_number,
                &c.status,
                &c.charge.to_x12(),
                &c.paid.to_x12(),
                &c.patient_responsibility.to_x12(),
                filing,
                &c.payer_claim_number,
            ],
        );
        cas(w, line, &c.adjustments);
        let (kind, last, first, middle, suffix) = match &c.patient {
            Some(Name::Person { last, first, middle, suffix }) => {
                ("1", last.as_str(), first.as_str(), middle.as_str(), suffix.as_str())
            }
            Some(Name::Organization(o)) => ("2", o.as_str(), "", "", ""),
            None => ("1", "UNKNOWN", "", "", ""),
        };
        put(w, line, b"NM1", &["QC", kind, last, first, middle, "", suffix]);
        for l in &c.lines {
            let mut parts: Vec<&str> = vec!["HC", &l.procedure];
            parts.extend(l.modifiers.iter().map(Text::as_str).take(4));
            let procedure = comp(d, &parts);
            let billed =
                l.billed_procedure.as_deref().map(|b| comp(d, &["HC", b])).unwrap_or_default();
            let u = l.units.map(units).unwrap_or_default();
            put(
                w,
                line,
                b"SVC",
                &[&procedure, &l.charge.to_x12(), &l.paid.to_x12(), "", &u, &billed],
            );
            if let Some(date) = l.date {
                put(w, line, b"DTM", &["472", &format!("{:08}", date.as_yyyymmdd())]);
            }
            cas(w, line, &l.adjustments);
            for remark in &l.remarks {
                put(w, line, b"LQ", &["HE", remark]);
            }
        }
    }
    for p in &r.provider_adjustments {
        let fiscal = p.date.map(|d| format!("{:08}", d.as_yyyymmdd())).unwrap_or(date.clone());
        let reason = comp(d, &[&p.reason, &p.reference]);
        put(w, line, b"PLB", &[&p.provider, &fiscal, &reason, &p.amount.to_x12()]);
    }
}
