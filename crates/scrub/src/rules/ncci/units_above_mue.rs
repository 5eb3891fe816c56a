//! MUE-001: units of service above the Medically Unlikely Edit.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "MUE-001",
    name: "UnitsAboveMue",
    category: Category::Mue,
    severity: Severity::Deny,
    what: "Compares units of service with the code's Medically Unlikely Edit: per line when the MUE \
           adjudication indicator is 1, and summed over the day's lines of the code when it is 2 \
           (policy, absolute) or 3 (clinical).",
    why: "Units above the MUE are denied: the whole line (indicator 1) or every unit of the code \
          that day (indicators 2 and 3).",
    fix: "Check the units (a time or dose conversion error is common). For indicator 1, bill \
          separate services on separate lines with the modifier that explains them (76, 77, 91, \
          59, anatomic); indicator 3 denials may be appealed with the record; indicator 2 limits \
          are absolute.",
    source: "CMS NCCI Medically Unlikely Edits (practitioner / outpatient hospital / DME), quarterly \
             table in force on the date of service",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    let (Some(tables), Some(setting)) = (facts.cx.ncci, super::setting(claim)) else { return };
    let lines: Vec<_> = super::coded_lines(claim).collect();
    for (l, d) in &lines {
        let Some(mue) = tables.mue(setting, &l.procedure, *d) else { continue };
        let source = || {
            let table = format!("CMS NCCI Medically Unlikely Edits, {}", setting.id());
            super::cite(&table, tables.mue_release(setting, *d), "NCCI Policy Manual, chapter I")
        };
        let limit = i64::from(mue.value) * 1000;
        let units = |u: i64| u as f64 / 1000.0;
        if mue.mai == 1 {
            if l.units.0 > limit {
                out.cited(
                    Some(l.number),
                    format!(
                        "{} units of {} on one line; the MUE is {} per line (indicator 1)",
                        units(l.units.0),
                        l.procedure,
                        mue.value
                    ),
                    source(),
                );
            }
            continue;
        }
        // Per date of service: report once, on the day's last line of the code.
        let same_day: Vec<_> =
            lines.iter().filter(|(o, od)| o.procedure == l.procedure && od == d).collect();
        let is_last = same_day.last().is_some_and(|(o, _)| o.number == l.number);
        let total: i64 = same_day.iter().map(|(o, _)| o.units.0).sum();
        if is_last && total > limit {
            let kind = if mue.mai == 2 { "policy, absolute" } else { "clinical" };
            out.cited(
                Some(l.number),
                format!(
                    "{} units of {} on {d}; the MUE is {} per day (indicator {}, {kind})",
                    units(total),
                    l.procedure,
                    mue.value,
                    mue.mai
                ),
                source(),
            );
        }
    }
}
