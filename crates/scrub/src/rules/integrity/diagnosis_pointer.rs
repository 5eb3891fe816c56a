//! DATA-008: a professional line's diagnosis pointers missing, beyond the list or too many.

use claim_model::{Claim, ClaimKind};

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "DATA-008",
    name: "DiagnosisPointerInvalid",
    category: Category::DiagnosisPointer,
    severity: Severity::Reject,
    what: "Checks each professional line's diagnosis pointers (SV107): at least one, at most \
           four, each pointing at a diagnosis on the claim, none repeated.",
    why: "The pointer tells the payer why the service was medically necessary; a line without \
          one, or pointing past the diagnosis list, is rejected.",
    fix: "Point each line at the diagnoses (1–12, in claim order) that support it, the main one \
          first.",
    source: "005010X222A1 SV107 (composite diagnosis code pointer; up to four pointers into HI)",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, _: &Facts<'_>, out: &mut Emit<'_>) {
    if claim.kind != ClaimKind::Professional {
        return;
    }
    let n = claim.diagnoses.len();
    for l in &claim.lines {
        let p = &l.diagnosis_pointers;
        if p.is_empty() {
            out.at(Some(l.number), "no diagnosis pointer".to_string());
            continue;
        }
        if p.len() > 4 {
            out.at(
                Some(l.number),
                format!("{} diagnosis pointers: at most four are allowed", p.len()),
            );
        }
        for (i, &k) in p.iter().enumerate() {
            if k == 0 || usize::from(k) > n {
                out.at(
                    Some(l.number),
                    format!("diagnosis pointer {k} points past the claim's {n} diagnoses"),
                );
            } else if p[..i].contains(&k) {
                out.at(Some(l.number), format!("diagnosis pointer {k} repeated"));
            }
        }
    }
}
