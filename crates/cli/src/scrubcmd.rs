//! `superbill scrub FILE… [--json]`: the scrubber's findings on every claim of 837P/837I files
//! or claim JSON files.
//!
//! JSON: `{ "claims": [ { "id", "findings": [ { "rule", "category", "severity", "line",
//! "message", "fix", "source" } ] } ], "summary": { "claims", "clean", "by_category" }, "files":
//! [ { "file", "format", "claims", "x12": [ { "segment_index", "segment", "element", "rule",
//! "message" } ] } ] }`. A claim is clean when it has no reject, deny or warn finding. Exit 0 when no claim has a reject or deny finding (and an 837 read
//! without X12 errors), 1 when one does, 2 on usage or I/O errors.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use claim_model::Claim;
use scrub::{Finding, Scrubber, Severity};
use serde_json::{Value, json};

use crate::Outcome;

/// The arguments of `superbill scrub`.
#[derive(clap::Args, Debug)]
pub(crate) struct ScrubArgs {
    /// 837P/837I files (X12) or claim JSON files (one claim, or an array of claims).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    /// Also run the optional rules (off by default; docs/rules.md says which).
    #[arg(long)]
    optional: bool,
}

/// One input file read into claims.
struct Input {
    file: String,
    format: &'static str,
    claims: Vec<Claim>,
    x12: Vec<x12_claims::x12::Finding>,
}

fn read_input(path: &Path) -> Result<Input> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let file = path.display().to_string();
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != 0xef && *b != 0xbb && *b != 0xbf);
    let first = start.map(|i| bytes[i]);
    if matches!(first, Some(b'{' | b'[')) {
        let v: Value =
            serde_json::from_slice(&bytes).with_context(|| format!("{file}: not valid JSON"))?;
        let items = match v {
            Value::Array(a) => a,
            Value::Object(ref o) if o.contains_key("claims") && !o.contains_key("kind") => {
                o["claims"].as_array().cloned().unwrap_or_default()
            }
            other => vec![other],
        };
        let mut claims = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let claim: Claim = serde_json::from_value(item).map_err(|e| {
                anyhow::anyhow!(
                    "{file}: claim {} is not a claim in the form of docs/claim-json.md: {e}",
                    i + 1
                )
            })?;
            claims.push(claim);
        }
        return Ok(Input { file, format: "json", claims, x12: Vec::new() });
    }
    if bytes.windows(3).take(64).any(|w| w == b"ISA") {
        let (claims, x12) = x12_claims::read_837(&bytes);
        return Ok(Input { file, format: "837", claims, x12 });
    }
    bail!("{file}: neither an X12 837 file (no ISA segment) nor claim JSON")
}

pub(crate) fn run(ctx: &crate::Ctx, args: ScrubArgs) -> Result<Outcome> {
    // Codes are judged by the installed releases (none: the scrubber reports release-missing).
    let dir = releases::DataDir::new(&ctx.data_dir);
    let library = dir.open_for_lookup(None).unwrap_or_default();
    let mce = dir
        .open_mce()
        .with_context(|| format!("reading the MCE lists in {}", ctx.data_dir.display()))?;
    let ncci = dir
        .open_ncci()
        .with_context(|| format!("reading the NCCI tables in {}", ctx.data_dir.display()))?;
    let mut cx = scrub::Context::new(&library, ctx.today);
    if let Some(t) = mce.as_ref() {
        cx = cx.with_mce(t);
    }
    if let Some(t) = ncci.as_ref() {
        cx = cx.with_ncci(t);
    }
    let scrubber = if args.optional { Scrubber::with_optional() } else { Scrubber::default() };
    let mut inputs = Vec::new();
    for f in &args.files {
        inputs.push(read_input(f)?);
    }
    let mut results: Vec<(&Claim, Vec<Finding>)> = Vec::new();
    for input in &inputs {
        for claim in &input.claims {
            results.push((claim, scrubber.scrub(claim, &cx)));
        }
    }
    let blocking = results.iter().any(|(_, f)| f.iter().any(|f| f.severity.blocks()));
    let x12_errors = inputs.iter().any(|i| !i.x12.is_empty());
    // Clean: nothing to fix or look at (information alone, such as tables not installed, counts
    // as clean).
    let clean =
        results.iter().filter(|(_, f)| f.iter().all(|f| f.severity == Severity::Info)).count();
    let mut by_category: BTreeMap<&str, usize> = BTreeMap::new();
    for f in results.iter().flat_map(|(_, f)| f) {
        *by_category.entry(f.category.id()).or_default() += 1;
    }
    if args.json {
        let claims: Vec<Value> = results
            .iter()
            .map(|(c, f)| json!({ "id": c.patient_control_number.as_str(), "findings": f }))
            .collect();
        let files: Vec<Value> = inputs
            .iter()
            .map(|i| {
                let x12: Vec<Value> = i
                    .x12
                    .iter()
                    .map(|f| {
                        json!({
                            "segment_index": f.pos.segment_index,
                            "segment": f.pos.segment_id(),
                            "element": f.pos.element,
                            "rule": f.rule,
                            "message": f.message,
                        })
                    })
                    .collect();
                json!({ "file": i.file, "format": i.format, "claims": i.claims.len(), "x12": x12 })
            })
            .collect();
        let doc = json!({
            "claims": claims,
            "summary": { "claims": results.len(), "clean": clean, "by_category": by_category },
            "files": files,
        });
        out!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    } else {
        for input in &inputs {
            for f in &input.x12 {
                out!(
                    "{}: segment {} {}: {} [{}]",
                    input.file,
                    f.pos.segment_index,
                    f.pos.segment_id(),
                    f.message,
                    f.rule
                );
            }
        }
        for (claim, findings) in &results {
            print_claim(claim, findings);
        }
        let mut counts = [0usize; 4];
        for f in results.iter().flat_map(|(_, f)| f) {
            counts[f.severity as usize] += 1;
        }
        out!(
            "{} claims, {clean} clean; findings: {} reject, {} deny, {} warn, {} info",
            results.len(),
            counts[0],
            counts[1],
            counts[2],
            counts[3]
        );
    }
    Ok(if blocking || x12_errors { Outcome::No } else { Outcome::Yes })
}

/// One claim's findings, worst first, grouped by line (the claim itself first).
fn print_claim(claim: &Claim, findings: &[Finding]) {
    let id = claim.patient_control_number.as_str();
    if findings.is_empty() {
        out!("{id}: clean");
        return;
    }
    let worst = findings.iter().map(|f| f.severity).min().unwrap_or(Severity::Info);
    out!(
        "{id}: {} finding{} (worst: {})",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" },
        worst.id()
    );
    let mut lines: Vec<Option<u32>> = findings.iter().map(|f| f.line).collect();
    lines.sort();
    lines.dedup();
    for line in lines {
        match line {
            None => out!("  claim"),
            Some(n) => out!("  line {n}"),
        }
        for f in findings.iter().filter(|f| f.line == line) {
            out!("    {:<6} {} {}: {}", f.severity.id(), f.rule, f.category.id(), f.message);
            out!("           fix: {}", f.fix);
        }
    }
}
