//! DATA-006: a modifier that is neither a CPT modifier nor a HCPCS Level II modifier in force.

use claim_model::Claim;
use code_sets::{Status, System};

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "DATA-006",
    name: "UnknownModifier",
    category: Category::ModifierInvalid,
    severity: Severity::Reject,
    what: "Checks each line modifier: a two-digit CPT modifier, or a HCPCS Level II modifier in \
           the release in force on the date of service (not terminated).",
    why: "Payers reject lines with modifiers that do not exist; a terminated modifier is no \
          longer accepted.",
    fix: "Correct the modifier (a letter O for a zero, a dropped character) or remove it.",
    source: "HCPCS Level II modifiers (CMS quarterly file); CPT modifiers (AMA, Appendix A); \
             005010X222A1 SV101-3 to SV101-6",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    let lib = facts.cx.codes;
    for l in &claim.lines {
        let Some(date) = l.date_from.or(claim.from) else { continue };
        for m in &l.modifiers {
            let shaped = m.len() == 2 && m.bytes().all(|b| b.is_ascii_alphanumeric());
            if shaped && m.bytes().all(|b| b.is_ascii_digit()) {
                if code_sets::reference::cpt_modifier(m).is_none() {
                    out.at(Some(l.number), format!("modifier {m} is not a CPT modifier"));
                }
                continue;
            }
            if !shaped {
                out.at(
                    Some(l.number),
                    format!("modifier {:?} is not two letters or digits", m.as_str()),
                );
                continue;
            }
            // Letters: the HCPCS release in force knows them (none installed: not checked).
            if lib.in_force(System::Hcpcs, date).is_none_or(|(_, covers)| !covers) {
                continue;
            }
            match lib.show(Some(System::Hcpcs), m, date).map(|i| i.status) {
                Ok(Status::Modifier) => {}
                Ok(Status::NotValidOnDate { reason }) => {
                    out.at(Some(l.number), format!("modifier {m}: {reason}"))
                }
                _ => out.at(
                    Some(l.number),
                    format!("modifier {m} is not a HCPCS Level II or CPT modifier"),
                ),
            }
        }
    }
}
