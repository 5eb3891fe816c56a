//! Short code lists that come with no release file of their own: CMS place-of-service codes, the
//! two-digit CPT modifiers (which the HCPCS Level II file lacks), the Type of Bill and revenue-code
//! shapes, and the provider taxonomy code format. Codes only, with labels in the project's own
//! words where a label helps a biller; never the AMA's descriptors.

/// Place of service codes CMS has assigned (the rest of 01–99 are unassigned), as of 2026.
pub const PLACES_OF_SERVICE: &[&str] = &[
    "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16",
    "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "31", "32", "33", "34", "41",
    "42", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "65", "66",
    "71", "72", "81", "99",
];

/// Whether `code` is a place of service CMS has assigned.
pub fn is_place_of_service(code: &str) -> bool {
    PLACES_OF_SERVICE.contains(&code)
}

/// The two-digit (CPT) modifiers, with a label in the project's own words. HCPCS Level II
/// modifiers (letters, and P1–P6) come from the HCPCS release.
pub const CPT_MODIFIERS: &[(&str, &str)] = &[
    ("22", "more work than the procedure usually takes"),
    ("23", "general anesthesia where none is usual"),
    ("24", "unrelated E/M service during a postoperative period"),
    ("25", "separate E/M service on the day of a procedure"),
    ("26", "professional component only"),
    ("27", "several outpatient hospital E/M visits on one day"),
    ("32", "service a payer or agency required"),
    ("33", "preventive service"),
    ("47", "anesthesia given by the surgeon"),
    ("50", "bilateral procedure"),
    ("51", "several procedures in one session"),
    ("52", "service reduced at the physician's choice"),
    ("53", "procedure stopped before completion"),
    ("54", "surgery only, without pre- or postoperative care"),
    ("55", "postoperative care only"),
    ("56", "preoperative care only"),
    ("57", "E/M visit that led to the decision for surgery"),
    ("58", "staged or related procedure in the postoperative period"),
    ("59", "distinct procedural service"),
    ("62", "two surgeons"),
    ("63", "procedure on an infant under 4 kg"),
    ("66", "surgical team"),
    ("73", "outpatient procedure stopped before anesthesia"),
    ("74", "outpatient procedure stopped after anesthesia"),
    ("76", "same procedure repeated by the same physician"),
    ("77", "same procedure repeated by another physician"),
    ("78", "unplanned return to the operating room in the postoperative period"),
    ("79", "unrelated procedure in the postoperative period"),
    ("80", "assistant surgeon"),
    ("81", "minimum assistant surgeon"),
    ("82", "assistant surgeon when no qualified resident was available"),
    ("90", "laboratory test sent to an outside laboratory"),
    ("91", "repeat clinical laboratory test"),
    ("92", "alternative laboratory platform testing"),
    ("93", "synchronous telemedicine by audio only"),
    ("95", "synchronous telemedicine by audio and video"),
    ("96", "habilitative service"),
    ("97", "rehabilitative service"),
    ("99", "several modifiers apply"),
];

/// The label of a two-digit CPT modifier, if it is one.
pub fn cpt_modifier(code: &str) -> Option<&'static str> {
    CPT_MODIFIERS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// Whether `code` is shaped like a NUCC provider taxonomy code: three digits, six letters or
/// digits, then `X` (as `207Q00000X`).
pub fn is_taxonomy_shaped(code: &str) -> bool {
    let t = code.as_bytes();
    t.len() == 10
        && t[..3].iter().all(u8::is_ascii_digit)
        && t[3..9].iter().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        && t[9] == b'X'
}

/// Whether `code` is a NUBC revenue code by its shape: four digits, `0001` (total) or in the
/// series `0100`–`0999`, `2100`–`2109` (alternative therapy) and `3100`–`3109` (adult care).
pub fn is_revenue_code_shaped(code: &str) -> bool {
    let b = code.as_bytes();
    if b.len() != 4 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n: u32 = code.parse().unwrap_or(0);
    n == 1 || (100..=999).contains(&n) || (2100..=2109).contains(&n) || (3100..=3109).contains(&n)
}

/// Why a Type of Bill (837I CLM05-1 facility type, two digits, plus the CLM05-3 frequency) is not
/// one, or `None` when it is. The first digit is the type of facility (1–8), the second the bill
/// classification (1–9); the frequency is 0–5, 7–9 or a letter A–Q (6 is not a frequency code).
pub fn type_of_bill_problem(facility: &str, frequency: char) -> Option<String> {
    let f = facility.as_bytes();
    if f.len() != 2 || !f.iter().all(u8::is_ascii_digit) {
        return Some(format!(
            "facility type {facility:?} is not two digits (the first two digits of the Type of Bill, as 11 for a hospital inpatient)"
        ));
    }
    if !(b'1'..=b'8').contains(&f[0]) {
        return Some(format!(
            "type of facility {:?} (first digit of the Type of Bill) is not 1–8",
            f[0] as char
        ));
    }
    if f[1] == b'0' {
        return Some("bill classification (second digit of the Type of Bill) is 0".to_string());
    }
    let ok = matches!(frequency, '0'..='5' | '7'..='9' | 'A'..='Q');
    (!ok).then(|| {
        format!(
            "frequency {frequency:?} (last digit of the Type of Bill) is not a NUBC frequency code"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_shapes() {
        assert!(is_place_of_service("11") && !is_place_of_service("30"));
        assert_eq!(cpt_modifier("25"), Some("separate E/M service on the day of a procedure"));
        assert!(cpt_modifier("TC").is_none());
        assert!(is_taxonomy_shaped("207Q00000X") && !is_taxonomy_shaped("207Q00000"));
        assert!(is_revenue_code_shaped("0450") && is_revenue_code_shaped("0001"));
        assert!(!is_revenue_code_shaped("450") && !is_revenue_code_shaped("0050"));
        assert!(type_of_bill_problem("11", '1').is_none());
        assert!(type_of_bill_problem("13", '7').is_none());
        assert!(type_of_bill_problem("91", '1').is_some());
        assert!(type_of_bill_problem("11", '6').is_some());
        assert!(type_of_bill_problem("1", '1').is_some());
    }
}
