//! `superbill x12`: validate X12 files.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use serde_json::{Value, json};
use x12_claims::Issue;

use crate::Outcome;

#[derive(Subcommand, Debug)]
pub(crate) enum X12Command {
    /// Validate an X12 file: envelopes, balancing and the rules checked so far, by SNIP level.
    Validate {
        /// The file.
        file: PathBuf,
        /// Check up to this SNIP level (1–5).
        #[arg(long, default_value_t = 5)]
        level: u8,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

fn issue_json(i: &Issue) -> Value {
    let f = &i.finding;
    json!({
        "level": i.level,
        "segment_index": f.pos.segment_index,
        "segment": f.pos.segment_id(),
        "loop": i.loop_id,
        "element": f.pos.element,
        "component": Value::Null,
        "rule": f.rule,
        "message": f.message,
    })
}

pub(crate) fn run(cmd: X12Command) -> Result<Outcome> {
    match cmd {
        X12Command::Validate { file, level, json: as_json } => {
            if !(1..=5).contains(&level) {
                bail!("--level must be 1 to 5");
            }
            let src =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let report = x12_claims::validate(&src, level);
            let valid = report.valid();
            if as_json {
                let v = json!({
                    "valid": valid,
                    "interchanges": report.interchanges,
                    "checked_levels": x12_claims::CHECKED_LEVELS.iter().filter(|l| **l <= level).collect::<Vec<_>>(),
                    "errors": report.issues.iter().map(issue_json).collect::<Vec<_>>(),
                    "transactions": report.transactions.iter().map(|t| json!({
                        "set": t.set,
                        "version": t.version,
                        "control": t.control,
                        "errors": t.issues.iter().map(issue_json).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                });
                out!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                let name = file.display();
                let sets = report.transactions.len();
                let all: Vec<&Issue> = report
                    .issues
                    .iter()
                    .chain(report.transactions.iter().flat_map(|t| &t.issues))
                    .collect();
                for i in &all {
                    out!(
                        "{name}: level {} {} at {}: {}",
                        i.level,
                        i.finding.rule,
                        i.finding.pos,
                        i.finding.message
                    );
                }
                out!(
                    "{name}: {} — {} interchange(s), {sets} transaction set(s), {} finding(s)",
                    if valid { "valid" } else { "NOT valid" },
                    report.interchanges,
                    all.len()
                );
            }
            Ok(if valid { Outcome::Yes } else { Outcome::No })
        }
    }
}
