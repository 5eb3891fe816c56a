//! NCCI-001: two codes of an NCCI procedure-to-procedure pair on one day.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

/// The NCCI-associated modifiers that may bypass an edit with modifier indicator 1.
const BYPASS: &[&str] = &[
    "59", "XE", "XS", "XP", "XU", "E1", "E2", "E3", "E4", "FA", "F1", "F2", "F3", "F4", "F5", "F6",
    "F7", "F8", "F9", "TA", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "LT", "RT", "LC",
    "LD", "RC", "LM", "RI", "24", "25", "27", "57", "58", "78", "79", "91",
];

pub(crate) static RULE: Rule = Rule {
    id: "NCCI-001",
    name: "PtpPairBilledTogether",
    category: Category::NcciPtp,
    severity: Severity::Deny,
    what: "Flags the column 2 code of an NCCI procedure-to-procedure edit billed on the same day \
           as its column 1 code: always when the modifier indicator is 0, and when it is 1 unless \
           one of the two lines carries an NCCI-associated modifier (59, XE, XS, XP, XU, anatomic \
           modifiers, 24, 25, 27, 57, 58, 78, 79, 91). Indicator 9 edits are ignored.",
    why: "Medicare and most payers deny the column 2 code: it is part of the column 1 service, or \
          the two are mutually exclusive.",
    fix: "Remove the column 2 code, or, when the services were truly distinct (another session, \
          site or lesion), add the modifier that says so and document it.",
    source: "CMS NCCI procedure-to-procedure edits (practitioner / outpatient hospital), quarterly \
             release in force on the date of service; NCCI Policy Manual, chapter I",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    let (Some(tables), Some(setting)) = (facts.cx.ncci, super::setting(claim)) else { return };
    let lines: Vec<_> = super::coded_lines(claim).collect();
    for (l2, d2) in &lines {
        for (l1, d1) in &lines {
            if l1.number == l2.number || d1 != d2 {
                continue;
            }
            let Some((edit, why)) = tables.ptp(setting, &l1.procedure, &l2.procedure, *d2) else {
                continue;
            };
            let bypassed =
                l1.modifiers.iter().chain(&l2.modifiers).any(|m| BYPASS.contains(&m.as_str()));
            let message = match edit.modifier {
                0 => format!(
                    "{} is bundled into {} on line {} (modifier indicator 0: never paid together, no modifier helps){}",
                    l2.procedure,
                    l1.procedure,
                    l1.number,
                    if why.is_empty() { String::new() } else { format!("; CMS: {why}") }
                ),
                1 if !bypassed => format!(
                    "{} is bundled into {} on line {} unless an NCCI-associated modifier applies (modifier indicator 1){}",
                    l2.procedure,
                    l1.procedure,
                    l1.number,
                    if why.is_empty() { String::new() } else { format!("; CMS: {why}") }
                ),
                _ => continue,
            };
            let table = format!("CMS NCCI procedure-to-procedure edits, {}", setting.id());
            let source =
                super::cite(&table, tables.ptp_release(setting), "NCCI Policy Manual, chapter I");
            out.cited(Some(l2.number), message, source);
        }
    }
}
