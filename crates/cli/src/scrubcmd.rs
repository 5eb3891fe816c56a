//! `superbill scrub FILE… [--rules RULES_FILE] [--json] [--optional]`: the scrubber's findings on every claim of 837P/837I files
//! or claim JSON files.
//!
//! JSON: `{ "claims": [ { "id", "findings": [ { "rule", "category", "severity", "line",
//! "message", "fix", "source" } ] } ], "summary": { "claims", "clean", "by_category" }, "files":
//! [ { "file", "format", "claims", "x12": [ { "segment_index", "segment", "element", "rule",
//! "message" } ] } ] }`. A claim is clean when it has no reject, deny or warn finding. An 837 is
//! streamed: one transaction set in memory at a time, each claim printed as it is scrubbed. Exit 0 when no claim has a reject or deny finding (and an 837 read
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
    /// The billing team's payer rules (TOML, docs/payer-rules.md).
    #[arg(long, value_name = "RULES_FILE")]
    rules: Option<PathBuf>,
    /// Also run the optional rules (off by default; docs/rules.md says which).
    #[arg(long)]
    optional: bool,
}

/// What the run has seen so far.
#[derive(Default)]
struct Tally {
    claims: usize,
    clean: usize,
    blocking: bool,
    by_category: BTreeMap<&'static str, usize>,
    by_severity: [usize; 4],
    /// Per file: name, format, claims, X12 findings.
    files: Vec<Value>,
    x12_errors: bool,
    /// Claims printed as JSON so far (for the separators).
    printed: usize,
}

impl Tally {
    /// Counts and prints one claim's findings (text, or one element of the JSON `claims` array).
    fn claim(&mut self, claim: &Claim, findings: &[Finding], json: bool) {
        self.claims += 1;
        if findings.iter().all(|f| f.severity == Severity::Info) {
            self.clean += 1;
        }
        for f in findings {
            self.blocking |= f.severity.blocks();
            *self.by_category.entry(f.category.id()).or_default() += 1;
            self.by_severity[f.severity as usize] += 1;
        }
        if json {
            let v = json!({ "id": claim.patient_control_number.as_str(), "findings": findings });
            let sep = if self.printed == 0 { "" } else { "," };
            out!("{sep}{}", serde_json::to_string(&v).unwrap_or_default());
            self.printed += 1;
        } else {
            print_claim(claim, findings);
        }
    }

    /// Records a file and its X12 findings (printed at once in text mode).
    fn file(
        &mut self,
        file: &str,
        format: &str,
        claims: usize,
        x12: &[x12_claims::x12::Finding],
        json: bool,
    ) {
        self.x12_errors |= !x12.is_empty();
        if !json {
            for f in x12 {
                out!(
                    "{file}: segment {} {}: {} [{}]",
                    f.pos.segment_index,
                    f.pos.segment_id(),
                    f.message,
                    f.rule
                );
            }
        }
        let x12: Vec<Value> = x12
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
        self.files.push(json!({ "file": file, "format": format, "claims": claims, "x12": x12 }));
    }
}

/// Whether a file is claim JSON (else it is read as X12), from its first non-blank byte.
fn is_json(path: &Path) -> Result<bool> {
    use std::io::Read as _;
    let mut head = [0u8; 512];
    let mut f = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let n = f.read(&mut head).with_context(|| format!("reading {}", path.display()))?;
    let first = head[..n]
        .iter()
        .find(|b| !b.is_ascii_whitespace() && !matches!(b, 0xef | 0xbb | 0xbf))
        .copied();
    if matches!(first, Some(b'{' | b'[')) {
        return Ok(true);
    }
    if head[..n].windows(3).any(|w| w == b"ISA") || head[..n].windows(5).any(|w| w == b"I\0S\0A") {
        return Ok(false);
    }
    bail!("{}: neither an X12 837 file (no ISA segment) nor claim JSON", path.display())
}

/// The claims of a claim JSON file: one claim, an array of claims, or `{"claims": […]}`.
pub(crate) fn json_claims(path: &Path) -> Result<Vec<Claim>> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("reading {file}"))?;
    let v: Value =
        serde_json::from_slice(&bytes).with_context(|| format!("{file}: not valid JSON"))?;
    let items = match v {
        Value::Array(a) => a,
        Value::Object(ref o) if o.contains_key("claims") && !o.contains_key("kind") => {
            o["claims"].as_array().cloned().unwrap_or_default()
        }
        other => vec![other],
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            serde_json::from_value(item).map_err(|e| {
                anyhow::anyhow!(
                    "{file}: claim {} is not a claim in the form of docs/claim-json.md: {e}",
                    i + 1
                )
            })
        })
        .collect()
}

pub(crate) fn run(ctx: &crate::Ctx, args: ScrubArgs) -> Result<Outcome> {
    // Every input is checked before anything is printed (usage errors exit 2 with no output).
    let kinds: Vec<bool> = args.files.iter().map(|f| is_json(f)).collect::<Result<_>>()?;
    let json_inputs: Vec<Option<Vec<Claim>>> = args
        .files
        .iter()
        .zip(&kinds)
        .map(|(f, &j)| if j { json_claims(f).map(Some) } else { Ok(None) })
        .collect::<Result<_>>()?;
    let payer_rules = match &args.rules {
        None => None,
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            let rules = scrub::PayerRules::parse(&text).map_err(|e| match e.line {
                Some(l) => anyhow::anyhow!("{}:{l}: {}", p.display(), e.message),
                None => anyhow::anyhow!("{}: {}", p.display(), e.message),
            })?;
            Some(rules)
        }
    };
    let tables = backoffice::engines::Engines::editing(&ctx.data_dir)?;
    let mut cx = tables.scrub_context(ctx.today);
    if let Some(r) = payer_rules.as_ref() {
        cx = cx.with_payer_rules(r);
    }
    let scrubber = if args.optional { Scrubber::with_optional() } else { Scrubber::default() };
    let mut tally = Tally::default();
    if args.json {
        out!("{{\"claims\": [");
    }
    let mut findings = Vec::new();
    for (path, claims) in args.files.iter().zip(json_inputs) {
        let file = path.display().to_string();
        match claims {
            Some(claims) => {
                for claim in &claims {
                    findings.clear();
                    scrubber.scrub_into(claim, &cx, &mut findings);
                    tally.claim(claim, &findings, args.json);
                }
                tally.file(&file, "json", claims.len(), &[], args.json);
            }
            None => {
                // Streamed: one transaction set in memory at a time, each claim scrubbed and
                // printed as its set closes.
                let f = std::fs::File::open(path).with_context(|| format!("reading {file}"))?;
                let before = tally.claims;
                let x12 = x12_claims::read_837_each(std::io::BufReader::new(f), |claim| {
                    findings.clear();
                    scrubber.scrub_into(&claim, &cx, &mut findings);
                    tally.claim(&claim, &findings, args.json);
                })
                .with_context(|| format!("reading {file}"))?;
                let n = tally.claims - before;
                tally.file(&file, "837", n, &x12, args.json);
            }
        }
    }
    if args.json {
        let summary = json!({ "claims": tally.claims, "clean": tally.clean, "by_category": tally.by_category });
        out!(
            "], \"summary\": {}, \"files\": {}}}",
            serde_json::to_string(&summary).unwrap_or_default(),
            serde_json::to_string(&tally.files).unwrap_or_default()
        );
    } else {
        let c = tally.by_severity;
        out!(
            "{} claims, {} clean; findings: {} reject, {} deny, {} warn, {} info",
            tally.claims,
            tally.clean,
            c[0],
            c[1],
            c[2],
            c[3]
        );
    }
    Ok(if tally.blocking || tally.x12_errors { Outcome::No } else { Outcome::Yes })
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
