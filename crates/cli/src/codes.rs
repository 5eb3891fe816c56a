//! `superbill codes`: show, search, browse and index.
//!
//! The JSON printed here is a contract: field names do not change.

use anyhow::{Result, anyhow};
use clap::Subcommand;
use code_sets::{
    BrowseAnswer, CodeInfo, Date, IndexAnswer, Library, NoteKind, SearchResult, ShowError, Status,
    System,
};
use releases::DataDir;
use serde_json::{Value, json};

use crate::text::{width, wrap};
use crate::{Ctx, Outcome};

#[derive(Subcommand, Debug)]
pub(crate) enum CodesCommand {
    /// Show one code: title, validity on the date, notes, hierarchy (PCS: the seven axes).
    Show {
        /// The code, with or without its dot, any case.
        code: String,
        /// icd10cm, icd10pcs, hcpcs or cpt (needed when the code fits several).
        #[arg(long)]
        system: Option<String>,
        /// Date of service [default: today].
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Search titles, inclusion terms, index terms, abbreviations and synonyms.
    Search {
        /// The words to look for.
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Only this system.
        #[arg(long)]
        system: Option<String>,
        /// Only billable codes.
        #[arg(long)]
        billable: bool,
        /// How many results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Date of service [default: today].
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Parents, siblings and children of a code.
    Browse {
        /// The code.
        code: String,
        /// The system.
        #[arg(long)]
        system: Option<String>,
        /// Date of service [default: today].
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Navigate the ICD-10-CM alphabetic index: a main term, then subterms.
    Index {
        /// Main term, then subterms.
        #[arg(required = true, num_args = 1..)]
        terms: Vec<String>,
        /// Date of service [default: today].
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

fn system_arg(s: &Option<String>) -> Result<Option<System>> {
    s.as_deref().map(|s| s.parse::<System>().map_err(|e| anyhow!(e))).transpose()
}

fn date_arg(ctx: &Ctx, s: &Option<String>) -> Result<Date> {
    Ok(crate::data::parse_date(s.as_deref())?.unwrap_or(ctx.today))
}

/// Opens only the systems a command needs.
fn open(ctx: &Ctx, systems: &[System]) -> Result<Library> {
    Ok(DataDir::new(&ctx.data_dir).open(Some(systems))?)
}

/// Opens only the systems a lookup needs, without their search indexes.
fn open_for_lookup(ctx: &Ctx, systems: &[System]) -> Result<Library> {
    Ok(DataDir::new(&ctx.data_dir).open_for_lookup(Some(systems))?)
}

pub(crate) fn run(ctx: &Ctx, cmd: CodesCommand) -> Result<Outcome> {
    match cmd {
        CodesCommand::Show { code, system, date, json } => {
            let system = system_arg(&system)?;
            let date = date_arg(ctx, &date)?;
            let systems = system.map_or_else(|| System::candidates(&code), |s| vec![s]);
            let lib =
                open_for_lookup(ctx, if systems.is_empty() { &System::ALL } else { &systems })?;
            show(&lib, system, &code, date, json)
        }
        CodesCommand::Search { query, system, billable, limit, date, json } => {
            let system = system_arg(&system)?;
            let date = date_arg(ctx, &date)?;
            let lib = open(ctx, &system.map_or(System::ALL.to_vec(), |s| vec![s]))?;
            let q = query.join(" ");
            let results = lib.search(&q, system, billable, limit.max(1), date);
            print_search(&results, json);
            Ok(if results.is_empty() { Outcome::No } else { Outcome::Yes })
        }
        CodesCommand::Browse { code, system, date, json } => {
            let system = system_arg(&system)?;
            let date = date_arg(ctx, &date)?;
            let systems = system.map_or_else(|| System::candidates(&code), |s| vec![s]);
            let lib =
                open_for_lookup(ctx, if systems.is_empty() { &System::ALL } else { &systems })?;
            match lib.browse(system, &code, date) {
                Ok(b) => {
                    print_browse(&b, json);
                    Ok(if b.info.valid { Outcome::Yes } else { Outcome::No })
                }
                Err(e) => show_error(e, json),
            }
        }
        CodesCommand::Index { terms, date, json } => {
            let date = date_arg(ctx, &date)?;
            let lib = open(ctx, &[System::Icd10Cm])?;
            let Some(answer) = lib.index_lookup(&terms, date) else {
                eprintln!("no ICD-10-CM release is installed: run `superbill data import`");
                return Ok(Outcome::No);
            };
            print_index(&answer, json);
            Ok(if answer.nodes.is_empty() { Outcome::No } else { Outcome::Yes })
        }
    }
}

pub(crate) fn show(
    lib: &Library,
    system: Option<System>,
    code: &str,
    date: Date,
    json: bool,
) -> Result<Outcome> {
    match lib.show(system, code, date) {
        Ok(info) => {
            if json {
                out!("{}", serde_json::to_string_pretty(&info_json(&info)).unwrap_or_default());
            } else {
                print_info(&info);
            }
            Ok(if info.valid { Outcome::Yes } else { Outcome::No })
        }
        Err(e) => show_error(e, json),
    }
}

fn show_error(e: ShowError, json: bool) -> Result<Outcome> {
    match e {
        ShowError::Malformed(msg) => {
            if json {
                out!("{}", json!({"error": "malformed", "message": msg}));
            }
            eprintln!("error: {msg}");
            Ok(Outcome::Usage)
        }
        ShowError::Ambiguous(cands) => {
            if json {
                let c: Vec<Value> = cands
                    .iter()
                    .map(|i| json!({"code": i.code, "system": i.system.id(), "title": i.title, "billable": i.billable}))
                    .collect();
                out!(
                    "{}",
                    serde_json::to_string_pretty(&json!({"error": "ambiguous", "candidates": c}))
                        .unwrap_or_default()
                );
            }
            eprintln!("error: the code is ambiguous; pass --system with one of:");
            for i in &cands {
                eprintln!("  --system {:<9} {}  {}", i.system.id(), i.code, i.title);
            }
            Ok(Outcome::Usage)
        }
        ShowError::NoRelease(s) => {
            let msg = format!(
                "no {} release is installed in the data directory: run `superbill data import PATH` (or `superbill demo`)",
                s.display_name()
            );
            if json {
                out!("{}", json!({"error": "no_release", "system": s.id(), "message": msg}));
            }
            eprintln!("error: {msg}");
            Ok(Outcome::Usage)
        }
    }
}

fn notes_json(info: &CodeInfo, kind: NoteKind) -> Value {
    Value::Array(info.notes_of(kind).map(|n| json!({"text": n.text, "from": n.from})).collect())
}

pub(crate) fn info_json(info: &CodeInfo) -> Value {
    let mut v = json!({
        "code": info.code,
        "system": info.system.id(),
        "title": info.title,
        "billable": info.billable,
        "valid": info.valid,
        "status": info.status.id(),
        "date": info.date.to_string(),
        "release": info.release,
        "release_effective_from": info.release_effective_from.map(|d| d.to_string()),
        "release_covers_date": info.release_covers_date,
        "parents": info.parents.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
        "children": info.children.iter().map(|c| json!({"code": c.0, "title": c.1, "billable": c.2})).collect::<Vec<_>>(),
    });
    let o = v.as_object_mut().expect("object literal");
    for kind in NoteKind::ALL {
        o.insert(kind.field().to_string(), notes_json(info, kind));
    }
    if let Status::NotValidOnDate { reason } | Status::NotACode { reason } = &info.status {
        o.insert("reason".into(), json!(reason));
    }
    if !info.short_title.is_empty() {
        o.insert("short_title".into(), json!(info.short_title));
    }
    if let Some((id, range, title)) = &info.chapter {
        o.insert("chapter".into(), json!({"number": id, "range": range, "title": title}));
    }
    if let Some((range, title)) = &info.section {
        o.insert("section".into(), json!({"range": range, "title": title}));
    }
    if !info.seventh_characters.is_empty() {
        o.insert(
            "seventh_characters".into(),
            json!({
                "from": info.seventh_from,
                "values": info.seventh_characters.iter().map(|(c, m)| json!({"char": c.to_string(), "meaning": m})).collect::<Vec<_>>(),
            }),
        );
    }
    if info.system == System::Icd10Pcs {
        o.insert(
            "axes".into(),
            Value::Array(
                info.axes
                    .iter()
                    .map(|a| json!({"position": a.position, "name": a.name, "value": a.value.to_string(), "meaning": a.meaning, "definition": a.definition}))
                    .collect(),
            ),
        );
    }
    if let Some(h) = &info.hcpcs_dates {
        o.insert(
            "hcpcs".into(),
            json!({
                "added": h.added.map(|d| d.to_string()),
                "action_effective": h.action_effective.map(|d| d.to_string()),
                "terminated": h.terminated.map(|d| d.to_string()),
                "action_code": h.action.to_string().trim(),
            }),
        );
    }
    v
}

fn status_line(info: &CodeInfo) -> String {
    match &info.status {
        Status::Billable => format!("valid and billable on {}", info.date),
        Status::Header => {
            format!("a header, not billable: report one of its codes ({})", info.date)
        }
        Status::Modifier => format!("a valid modifier on {}", info.date),
        Status::FormatOnly => {
            "well-formed CPT code; no CPT or PFS release installed to confirm it exists".to_string()
        }
        Status::NotValidOnDate { reason } => format!("NOT VALID on this date: {reason}"),
        Status::NotACode { reason } => format!("NOT A CODE: {reason}"),
    }
}

pub(crate) fn print_info(info: &CodeInfo) {
    let w = width();
    let ind = " ".repeat(13);
    let title = if info.title.is_empty() && info.system == System::Cpt {
        "(no description: CPT descriptions are licensed by the AMA; import your CPT file to see them)".to_string()
    } else {
        info.title.clone()
    };
    if title.is_empty() {
        out!("{}", info.code);
    } else {
        out!(
            "{}  {}",
            info.code,
            wrap(&title, w.saturating_sub(info.code.len() + 2), &" ".repeat(info.code.len() + 2))
        );
    }
    let label = |l: &str, v: &str| out!("  {l:<10} {}", wrap(v, w - 13, &ind));
    label("System", info.system.display_name());
    label("Status", &status_line(info));
    let mut rel = info.release.clone();
    if let Some(d) = info.release_effective_from {
        rel.push_str(&format!(", in force from {d}"));
    }
    if !info.release_covers_date && info.release_effective_from.is_some() {
        rel.push_str(&format!(
            " (NO installed release covers {}: answered from the nearest)",
            info.date
        ));
    }
    label("Release", &rel);
    if !info.short_title.is_empty() {
        label("Short", &info.short_title);
    }
    if let Some((id, _, title)) = &info.chapter {
        label("Chapter", &format!("{id}  {title}"));
    }
    if let Some((range, title)) = &info.section {
        label("Section", &format!("{range}  {title}"));
    }
    for (i, (c, t)) in info.parents.iter().rev().enumerate() {
        label(if i == 0 { "Parents" } else { "" }, &format!("{c}  {t}"));
    }
    if let Some(h) = &info.hcpcs_dates {
        let d = |x: Option<Date>| x.map_or("-".to_string(), |d| d.to_string());
        label(
            "Dates",
            &format!(
                "added {}, action {} effective {}, terminated {}",
                d(h.added),
                h.action,
                d(h.action_effective),
                d(h.terminated)
            ),
        );
    }
    for a in &info.axes {
        let meaning = if a.meaning.is_empty() {
            "(not a value of this table)".to_string()
        } else {
            a.meaning.clone()
        };
        out!("  {}  {:<14} {}  {}", a.position, a.name, a.value, meaning);
        if !a.definition.is_empty() {
            out!("     {}", wrap(&a.definition, w - 5, "     "));
        }
    }
    for kind in NoteKind::ALL {
        let notes: Vec<_> = info.notes_of(kind).collect();
        if notes.is_empty() {
            continue;
        }
        out!();
        out!("  {}", kind.heading());
        let mut last_from = "";
        for n in notes {
            if n.from != last_from && n.from != info.code {
                out!("    from {}:", n.from);
            }
            last_from = &n.from;
            out!("    - {}", wrap(&n.text, w - 6, "      "));
        }
    }
    if !info.seventh_characters.is_empty() {
        out!();
        out!("  7th characters (from {})", info.seventh_from);
        for (c, m) in &info.seventh_characters {
            out!("    {c}  {}", wrap(m, w - 7, "       "));
        }
    }
    if !info.children.is_empty() {
        out!();
        out!("  Codes under it");
        for (c, t, b) in info.children.iter().take(40) {
            out!("    {c:<9} {} {}", if *b { " " } else { "+" }, wrap(t, w - 16, &" ".repeat(16)));
        }
        if info.children.len() > 40 {
            out!(
                "    … and {} more (superbill codes browse {})",
                info.children.len() - 40,
                info.code
            );
        }
    }
}

pub(crate) fn print_search(results: &[SearchResult], json: bool) {
    if json {
        out!("{}", serde_json::to_string_pretty(results).unwrap_or_default());
        return;
    }
    if results.is_empty() {
        out!("no matches");
        return;
    }
    let w = width();
    let cw = results.iter().map(|r| r.code.len()).max().unwrap_or(7);
    for r in results {
        let flag = if r.billable { " " } else { "+" };
        let indent = " ".repeat(cw + 12);
        out!(
            "{:<8} {:<cw$} {flag} {}",
            r.system.id(),
            r.code,
            wrap(&r.title, w.saturating_sub(cw + 12), &indent)
        );
        if r.matched != "title" && r.matched != "code" {
            out!("{indent}({})", r.matched);
        }
    }
    if results.iter().any(|r| !r.billable) {
        out!("(+ = header, not billable)");
    }
    if results.iter().any(|r| !r.release_covers_date) {
        out!("(note: no installed release covers the date; answered from the nearest)");
    }
}

fn print_browse(b: &BrowseAnswer, json: bool) {
    if json {
        let mut v = info_json(&b.info);
        if let Some(o) = v.as_object_mut() {
            o.insert(
                "siblings".into(),
                Value::Array(
                    b.siblings
                        .iter()
                        .map(|s| json!({"code": s.0, "title": s.1, "billable": s.2}))
                        .collect(),
                ),
            );
        }
        out!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return;
    }
    let w = width();
    for (c, t) in b.info.parents.iter().rev() {
        out!("  {c:<9} {}", wrap(t, w - 12, &" ".repeat(12)));
    }
    out!("▶ {:<9} {}", b.info.code, wrap(&b.info.title, w - 12, &" ".repeat(12)));
    for (c, t, bill) in &b.info.children {
        out!("    {c:<9} {} {}", if *bill { " " } else { "+" }, wrap(t, w - 16, &" ".repeat(16)));
    }
    if !b.siblings.is_empty() {
        out!();
        out!("  Siblings");
        for (c, t, bill) in &b.siblings {
            out!(
                "    {c:<9} {} {}",
                if *bill { " " } else { "+" },
                wrap(t, w - 16, &" ".repeat(16))
            );
        }
    }
}

fn print_index(a: &IndexAnswer, json: bool) {
    if json {
        let nodes: Vec<Value> = a
            .nodes
            .iter()
            .map(|n| {
                json!({
                    "path": n.path, "book": n.book, "nemod": n.nemod, "codes": n.codes, "manif": n.manif,
                    "see": n.see, "see_also": n.see_also,
                    "cells": n.cells.iter().map(|(h, c)| json!({"column": h, "code": c})).collect::<Vec<_>>(),
                    "subterms": n.subterms.iter().map(|(t, m, c)| json!({"title": t, "nemod": m, "codes": c})).collect::<Vec<_>>(),
                })
            })
            .collect();
        out!(
            "{}",
            serde_json::to_string_pretty(
                &json!({"release": a.release, "nodes": nodes, "suggestions": a.suggestions})
            )
            .unwrap_or_default()
        );
        return;
    }
    if a.nodes.is_empty() {
        out!("not in the index of {}", a.release);
        if !a.suggestions.is_empty() {
            out!("main terms with that word: {}", a.suggestions.join("; "));
        }
        return;
    }
    for n in &a.nodes {
        let mut head = n.path.join(" > ");
        if !n.nemod.is_empty() {
            head.push(' ');
            head.push_str(&n.nemod);
        }
        out!("{head}   [{}]", n.book);
        if !n.codes.is_empty() {
            let manif = if n.manif.is_empty() { String::new() } else { format!(" [{}]", n.manif) };
            out!("  code: {}{manif}", n.codes.join(", "));
        }
        if !n.see.is_empty() {
            out!("  see: {}", n.see);
        }
        if !n.see_also.is_empty() {
            out!("  see also: {}", n.see_also);
        }
        for (h, c) in &n.cells {
            out!("  {h}: {c}");
        }
        for (t, m, c) in &n.subterms {
            let nm = if m.is_empty() { String::new() } else { format!(" {m}") };
            out!(
                "    - {t}{nm}{}",
                if c.is_empty() { String::new() } else { format!("  {}", c.join(", ")) }
            );
        }
    }
}
