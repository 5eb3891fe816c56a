//! `superbill data`: import, list and update releases.

use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;
use code_sets::Date;
use releases::{DataDir, ImportReport, Installed};

use crate::{Ctx, Outcome};

#[derive(Subcommand, Debug)]
pub(crate) enum DataCommand {
    /// Import release files or folders (plain, .gz, .xz or .zip), atomically.
    Import {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The first day the release is in force, when the file name does not say.
        #[arg(long, value_name = "YYYY-MM-DD")]
        effective_from: Option<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List installed releases with their effective date ranges and counts.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Download the official releases from their public addresses and import them.
    Update {
        /// Download from these addresses instead of the official ones.
        #[arg(long = "from", value_name = "URL")]
        from: Vec<String>,
        /// The first day the release is in force, when the file name does not say.
        #[arg(long, value_name = "YYYY-MM-DD")]
        effective_from: Option<String>,
    },
}

pub(crate) fn run(ctx: &Ctx, cmd: DataCommand) -> Result<Outcome> {
    let dir = DataDir::new(&ctx.data_dir);
    match cmd {
        DataCommand::Import { paths, effective_from, json } => {
            let date = parse_date(effective_from.as_deref())?;
            let report = dir.import(&paths, date)?;
            print_report(&report, json);
            Ok(Outcome::Yes)
        }
        DataCommand::List { json } => {
            let list = dir.list()?;
            let tables = dir.list_tables()?;
            print_list(&list, &tables, json);
            Ok(if list.is_empty() { Outcome::No } else { Outcome::Yes })
        }
        DataCommand::Update { from, effective_from } => {
            let date = parse_date(effective_from.as_deref())?;
            crate::update::run(&dir, &from, date)
        }
    }
}

pub(crate) fn parse_date(s: Option<&str>) -> Result<Option<Date>> {
    Ok(match s {
        Some(s) => Some(s.parse::<Date>()?),
        None => None,
    })
}

fn installed_json(i: &Installed, end: Option<String>) -> serde_json::Value {
    serde_json::json!({
        "system": i.system,
        "label": i.label,
        "version": i.version,
        "effective_from": i.effective_from,
        "effective_to": end,
        "billable": i.billable,
        "headers": i.headers,
        "modifiers": i.modifiers,
        "tables": i.tables,
        "index_terms": i.index_terms,
        "sources": i.sources,
        "content_hash": i.content_hash,
    })
}

pub(crate) fn print_report(report: &ImportReport, json: bool) {
    if json {
        let v = serde_json::json!({
            "installed": report.installed.iter().map(|i| installed_json(i, None)).collect::<Vec<_>>(),
            "unchanged": report.unchanged.iter().map(|i| installed_json(i, None)).collect::<Vec<_>>(),
            "skipped": report.skipped.iter().map(|(f, why)| serde_json::json!({"file": f, "reason": why})).collect::<Vec<_>>(),
            "tables_installed": report.tables_installed,
            "tables_unchanged": report.tables_unchanged,
        });
        out!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return;
    }
    for i in &report.installed {
        out!("installed  {}  effective {}  ({})", i.label, i.effective_from, counts(i));
    }
    for i in &report.unchanged {
        out!(
            "unchanged  {}  effective {}  (already installed with the same content)",
            i.label,
            i.effective_from
        );
    }
    for t in &report.tables_installed {
        out!("installed  {}", table_line(t));
    }
    for t in &report.tables_unchanged {
        out!("unchanged  {}  (already installed with the same content)", table_line(t));
    }
    for (f, why) in &report.skipped {
        out!("skipped    {f}: {why}");
    }
}

/// "Medicare Code Editor lists  2025-10-01 to 2026-09-30  (29 lists, 168,000 codes)".
fn table_line(t: &releases::InstalledTable) -> String {
    if t.kind == "ncci" {
        let mut line = format!(
            "NCCI edit tables (PTP, MUE, add-on)  MUE quarters from {}  ({} rows)",
            if t.effective_from.is_empty() { "(none)" } else { &t.effective_from },
            t.codes
        );
        for r in &t.sources {
            line.push_str("\n      ");
            line.push_str(r);
        }
        return line;
    }
    if t.kind == "msdrg" {
        return format!(
            "MS-DRG definitions {}  {} to {}  ({} DRGs, {} codes)",
            t.sources.first().map_or("", String::as_str),
            t.effective_from,
            t.effective_to,
            t.lists,
            t.codes
        );
    }
    if t.kind == "ipps" {
        return format!(
            "IPPS tables 5, 6I, 6J, 6K (MS-DRG weights, MCC/CC lists, CC exclusions)  {} to {}  ({} DRGs and CC/MCC codes)",
            t.effective_from, t.effective_to, t.codes
        );
    }
    let what = if t.kind == "mce" { "Medicare Code Editor lists" } else { t.kind.as_str() };
    format!(
        "{what}  {} to {}  ({} lists, {} codes)",
        t.effective_from, t.effective_to, t.lists, t.codes
    )
}

fn counts(i: &Installed) -> String {
    let mut parts = vec![format!("{} billable", i.billable)];
    if i.headers > 0 {
        parts.push(format!("{} headers", i.headers));
    }
    if i.tables > 0 {
        parts.push(format!("{} tables", i.tables));
    }
    if i.modifiers > 0 {
        parts.push(format!("{} modifiers", i.modifiers));
    }
    if i.index_terms > 0 {
        parts.push(format!("{} index terms", i.index_terms));
    }
    parts.join(", ")
}

fn print_list(list: &[Installed], tables: &[releases::InstalledTable], json: bool) {
    // A release is in force until the day before the next release of its system.
    let ends: Vec<Option<String>> = list
        .iter()
        .map(|i| {
            list.iter()
                .filter(|o| o.system == i.system && o.effective_from > i.effective_from)
                .map(|o| o.effective_from.clone())
                .min()
                .and_then(|d| d.parse::<Date>().ok())
                .map(|d| d.pred().to_string())
        })
        .collect();
    if json {
        let v: Vec<_> = list.iter().zip(&ends).map(|(i, e)| installed_json(i, e.clone())).collect();
        out!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return;
    }
    if list.is_empty() && tables.is_empty() {
        out!("no releases installed: run `superbill data import PATH` or `superbill demo`");
        return;
    }
    let w = list.iter().map(|i| i.label.len()).max().unwrap_or(0);
    out!("{:<9} {:<w$}  {:<10}  {:<10}  counts", "system", "release", "from", "to");
    for (i, e) in list.iter().zip(&ends) {
        out!(
            "{:<9} {:<w$}  {:<10}  {:<10}  {}",
            i.system,
            i.label,
            i.effective_from,
            e.as_deref().unwrap_or("(current)"),
            counts(i)
        );
    }
    for t in tables {
        out!("edits     {}", table_line(t));
    }
}
