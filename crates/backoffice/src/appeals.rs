//! Appeal letters: a request for reconsideration of a denied claim, addressed to its payer, with
//! the claim's facts, each denial (group and reason code, remarks, amount, when received), the
//! lines billed and the reason the biller gave, as plain text and as a PDF to sign and send.

use std::fmt::Write as _;

use claim_model::Cents;
use code_sets::Date;
use store::reports::AppealData;

fn money(c: i64) -> String {
    format!("${}", Cents(c))
}

/// The letter as plain text, dated `date`.
pub fn text(a: &AppealData, date: Date) -> String {
    let (name, address, npi, tax_id) = &a.practice;
    let mut o = String::new();
    let _ = writeln!(o, "{name}");
    for l in address.iter().filter(|l| !l.trim().is_empty() && l.trim() != ",") {
        let _ = writeln!(o, "{l}");
    }
    let _ = writeln!(o, "NPI {npi}   Tax ID {tax_id}");
    let _ = writeln!(o, "\n{date}\n");
    let _ = writeln!(o, "{}\nAttn: Appeals / Reconsideration\n", a.payer);
    let _ = writeln!(o, "RE: Request for reconsideration of a denied claim");
    let (patient, birth, member) = &a.patient;
    let _ = writeln!(o, "    Patient:           {patient}   Date of birth: {birth}");
    if !member.is_empty() {
        let _ = writeln!(o, "    Member ID:         {member}");
    }
    if !a.payer_claim_number.is_empty() {
        let _ = writeln!(o, "    Payer claim no.:   {}", a.payer_claim_number);
    }
    let _ = writeln!(o, "    Our claim no.:     {}", a.pcn);
    let service = if a.service.0 == a.service.1 || a.service.1.is_empty() {
        a.service.0.clone()
    } else {
        format!("{} to {}", a.service.0, a.service.1)
    };
    let _ = writeln!(o, "    Date(s) of service: {service}");
    let _ = writeln!(o, "    Amount billed:     {}\n", money(a.total_cents));
    let _ = writeln!(o, "Denied as:");
    for (code, remarks, category, cents, received) in &a.denials {
        let remarks =
            if remarks.is_empty() { String::new() } else { format!(" (remarks {remarks})") };
        let _ = writeln!(
            o,
            "    {code}{remarks}: {category}, {} on the remittance of {received}",
            money(*cents)
        );
    }
    let _ = writeln!(o, "\nServices billed:");
    for (line, code, units, charge) in &a.lines {
        let _ = writeln!(o, "    {line:>2}  {code:<16} {units:>5} unit(s)  {:>12}", money(*charge));
    }
    let _ = writeln!(o, "\nTo whom it may concern:\n");
    let _ = writeln!(
        o,
        "We ask you to reconsider the denial of the claim above and to process it for payment."
    );
    match &a.reason {
        Some(reason) => {
            let _ = writeln!(o, "{reason}");
        }
        None => {
            let _ = writeln!(o, "[State why the claim should be paid.]");
        }
    }
    let _ = writeln!(
        o,
        "\nThe supporting documentation is enclosed. Please contact our billing office with any\nquestion about this request.\n"
    );
    let _ = writeln!(o, "Sincerely,\n\n\n______________________________\nfor {name}");
    o
}

/// The letter as a PDF (the text form's lines on Letter pages).
pub fn pdf(a: &AppealData, date: Date) -> Vec<u8> {
    crate::statements::text_pdf(&text(a, date))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(reason: Option<&str>) -> AppealData {
        AppealData {
            claim_id: 7,
            practice_id: 1,
            practice: (
                "Northside Family Medicine".into(),
                vec!["100 Main Street".into(), "Springfield, IL 62701".into()],
                "1234567893".into(),
                "123456789".into(),
            ),
            payer: "ACME HEALTH".into(),
            patient: ("Test Patient".into(), "1980-01-01".into(), "M123".into()),
            pcn: "NFM000007".into(),
            payer_claim_number: "PCN-77".into(),
            service: ("2026-06-08".into(), "2026-06-08".into()),
            total_cents: 17000,
            lines: vec![
                (1, "99213-25".into(), "1".into(), 15000),
                (2, "81003".into(), "1".into(), 2000),
            ],
            denials: vec![(
                "CO-197".into(),
                "N54".into(),
                "authorization".into(),
                15000,
                "2026-06-15".into(),
            )],
            reason: reason.map(str::to_string),
        }
    }

    #[test]
    fn the_letter_names_the_claim_the_denial_and_the_reason() {
        let date: Date = "2026-06-20".parse().unwrap();
        let t =
            text(&sample(Some("The authorization was obtained on 2026-06-01 (ref A-1).")), date);
        for want in [
            "Northside Family Medicine",
            "NPI 1234567893",
            "2026-06-20",
            "ACME HEALTH",
            "Member ID:         M123",
            "Payer claim no.:   PCN-77",
            "Our claim no.:     NFM000007",
            "Date(s) of service: 2026-06-08\n",
            "$170.00",
            "CO-197 (remarks N54): authorization, $150.00 on the remittance of 2026-06-15",
            "99213-25",
            "The authorization was obtained on 2026-06-01 (ref A-1).",
        ] {
            assert!(t.contains(want), "{want:?} missing from\n{t}");
        }
        // Not yet appealed: a place to say why.
        assert!(text(&sample(None), date).contains("[State why the claim should be paid.]"));
        let pdf = pdf(&sample(None), date);
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
