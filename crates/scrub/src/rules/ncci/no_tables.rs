//! NCCI-002: no NCCI tables for the claim's dates, so the NCCI edits did not run.

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Severity};
use crate::rule::{Emit, Rule};

pub(crate) static RULE: Rule = Rule {
    id: "NCCI-002",
    name: "NoNcciTablesForDate",
    category: Category::ReleaseMissing,
    severity: Severity::Info,
    what: "Says when the NCCI procedure-to-procedure or MUE edits could not run on a claim they \
           apply to: no NCCI tables are installed, none for the claim's setting, or no MUE quarter \
           covers its dates.",
    why: "Payers apply the NCCI edits in force on the date of service; without the tables the \
          claim was not checked against them.",
    fix: "Install CMS's quarterly NCCI PTP and MUE files (`superbill data import`) and scrub again.",
    source: "superbill: each claim is judged by the tables in force on its dates",
    since: "0.1.0",
    optional: false,
    check,
};

fn check(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>) {
    let Some(setting) = super::setting(claim) else { return };
    let Some(date) = super::coded_lines(claim).map(|(_, d)| d).min() else { return };
    let what = setting.id();
    match facts.cx.ncci {
        None => out.at(
            None,
            "no NCCI tables are installed: the PTP, MUE and add-on edits did not run".to_string(),
        ),
        Some(t) => {
            if !t.has_ptp(setting) {
                out.at(None, format!("no NCCI PTP edits for the {what} setting are installed: the PTP edits did not run"));
            }
            if !t.has_mue(setting, date) {
                out.at(None, format!("no MUE table for the {what} setting covers {date}: the MUE edits did not run"));
            }
        }
    }
}
