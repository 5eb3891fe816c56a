//! `superbill x12`: validate X12 files.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use serde_json::{Value, json};
use x12_claims::Issue;
use x12_claims::x12;

use crate::Outcome;

#[derive(Subcommand, Debug)]
pub(crate) enum X12Command {
    /// Print a lossless JSON form of an X12 file: every segment in order, with its delimiters.
    Parse {
        /// The file.
        file: PathBuf,
        /// Print JSON (the only form for now).
        #[arg(long)]
        json: bool,
    },
    /// Write the 999 implementation acknowledgment for a received file to standard output, or
    /// with --277ca the claim acknowledgment (each claim accepted or rejected, levels 3-5).
    Ack {
        /// The received file.
        file: PathBuf,
        /// Write the 277CA claim acknowledgment instead of the 999.
        #[arg(long = "277ca")]
        claim_ack: bool,
    },
    /// Write X12 from the JSON that `x12 parse --json` printed.
    Write {
        /// The JSON file (`-` for standard input).
        json_file: PathBuf,
    },
    /// Validate an X12 file by SNIP level: 1 syntax and envelopes, 2 implementation guide, 3
    /// balancing, 4 situational rules, 5 code sets (against the installed releases), NPIs, POS.
    Validate {
        /// The file.
        file: PathBuf,
        /// Check up to this SNIP level (1–5).
        #[arg(long, default_value_t = 5)]
        level: u8,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Threads checking transaction sets (default: one per core, at most 8; the report is the
        /// same whatever the number).
        #[arg(long)]
        threads: Option<usize>,
    },
}

fn print_issue(name: &str, kind: &str, i: &Issue) {
    let loop_id = i.loop_id.map(|l| format!(" loop {l}")).unwrap_or_default();
    let kind = if kind == "level" { format!("level {}", i.level) } else { kind.to_string() };
    out!("{name}: {kind} {} at {}{loop_id}: {}", i.finding.rule, i.finding.pos, i.finding.message);
}

fn issue_json(i: &Issue) -> Value {
    let f = &i.finding;
    json!({
        "level": i.level,
        "segment_index": f.pos.segment_index,
        "segment": f.pos.segment_id(),
        "loop": i.loop_id,
        "element": f.pos.element,
        "component": f.pos.component,
        "rule": f.rule,
        "message": f.message,
    })
}

/// Bytes as text, one char per byte (ISO-8859-1), so that any byte survives JSON unchanged.
fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| char::from(c)).collect()
}

fn from_latin1(s: &str, what: &str) -> Result<Vec<u8>> {
    s.chars()
        .map(|c| {
            u8::try_from(u32::from(c)).map_err(|_| anyhow::anyhow!("{what}: {c:?} is not one byte"))
        })
        .collect()
}

fn parse_json(src: &[u8]) -> Value {
    let bytes = x12::to_bytes(src);
    let (doc, findings) = x12::parse(&bytes);
    let segs: Vec<x12::Segment<'_>> = x12::Tokenizer::new(&bytes).map_while(Result::ok).collect();
    let seg_json = |i: usize| -> Value {
        let s = &segs[i];
        let mut v = vec![Value::String(latin1(s.id()))];
        v.extend(s.elements().map(|e| Value::String(latin1(e))));
        Value::Array(v)
    };
    let interchanges: Vec<Value> = doc
        .interchanges
        .iter()
        .enumerate()
        .map(|(k, ic)| {
            let end = doc.interchanges.get(k + 1).map_or(segs.len(), |n| n.isa);
            let d = ic.delimiters;
            json!({
                "delimiters": {
                    "element": latin1(&[d.element]),
                    "repetition": d.repetition.map(|r| latin1(&[r])),
                    "component": latin1(&[d.component]),
                    "segment": latin1(&[d.segment]),
                },
                "groups": ic.groups.iter().map(|g| json!({
                    "gs": g.gs,
                    "ge": g.ge,
                    "transactions": g.transactions.iter().map(|t| {
                        let span = t.segments.start.min(segs.len())..t.segments.end.min(segs.len());
                        let mut v = json!({
                            "set": latin1(t.set_id(&bytes)),
                            "st": t.st,
                            "se": t.se,
                        });
                        // Where each segment sits in the implementation guide, aligned with the
                        // set's segments (ST first).
                        let isa12 = doc.segments[ic.isa].text(&bytes, &ic.delimiters, 12);
                        let gs08 = doc.segments[g.gs].text(&bytes, &ic.delimiters, 8);
                        if let Some((guide, loops)) = x12_claims::loops_of(&segs[span.clone()], &isa12, &gs08) {
                            v["guide"] = json!(guide);
                            v["loops"] = json!(loops);
                        }
                        // The claim-model view of the set (docs/claim-json.md); `x12 write`
                        // ignores it and writes the segments.
                        match t.set_id(&bytes) {
                            b"837" => {
                                v["claims"] = serde_json::to_value(x12_claims::claims_of(&segs[span]).0)
                                    .unwrap_or(Value::Null);
                            }
                            b"835" => {
                                v["remittances"] =
                                    serde_json::to_value(x12_claims::remittances_of(&segs[span]).0)
                                        .unwrap_or(Value::Null);
                            }
                            _ => {}
                        }
                        v
                    }).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "segments": (ic.isa..end.min(segs.len())).map(seg_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "interchanges": interchanges,
        "findings": findings.iter().map(|f| json!({"rule": f.rule, "segment_index": f.pos.segment_index, "message": f.message})).collect::<Vec<_>>(),
    })
}

fn write_from_json(v: &Value) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let Some(ics) = v["interchanges"].as_array() else {
        bail!("the JSON has no \"interchanges\" array")
    };
    for (k, ic) in ics.iter().enumerate() {
        let d = &ic["delimiters"];
        let one = |key: &str| -> Result<Option<u8>> {
            match d[key].as_str() {
                None => Ok(None),
                Some(s) => {
                    let b = from_latin1(s, key)?;
                    if b.len() != 1 {
                        bail!("interchange {k}: delimiter {key} must be one character");
                    }
                    Ok(Some(b[0]))
                }
            }
        };
        let delims = x12::Delimiters {
            element: one("element")?
                .ok_or_else(|| anyhow::anyhow!("interchange {k}: no element delimiter"))?,
            repetition: one("repetition")?,
            component: one("component")?
                .ok_or_else(|| anyhow::anyhow!("interchange {k}: no component delimiter"))?,
            segment: one("segment")?
                .ok_or_else(|| anyhow::anyhow!("interchange {k}: no segment terminator"))?,
        };
        delims.check().map_err(|e| anyhow::anyhow!("interchange {k}: {e}"))?;
        let w = x12::Writer::new(delims);
        let Some(segs) = ic["segments"].as_array() else { bail!("interchange {k}: no segments") };
        for (i, s) in segs.iter().enumerate() {
            let Some(parts) = s.as_array().filter(|p| !p.is_empty()) else {
                bail!("interchange {k} segment {i}: a segment is a non-empty array of strings");
            };
            let mut bytes: Vec<Vec<u8>> = Vec::with_capacity(parts.len());
            for p in parts {
                let t = p.as_str().ok_or_else(|| {
                    anyhow::anyhow!("interchange {k} segment {i}: elements are strings")
                })?;
                bytes.push(from_latin1(t, "element")?);
            }
            let refs: Vec<&[u8]> = bytes[1..].iter().map(Vec::as_slice).collect();
            w.segment(&mut out, &bytes[0], &refs);
        }
    }
    Ok(out)
}

pub(crate) fn run(ctx: &crate::Ctx, cmd: X12Command) -> Result<Outcome> {
    match cmd {
        X12Command::Ack { file, claim_ack } => {
            let src =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let d = ctx.today;
            // With a fixed --today the time is fixed too, so the output is reproducible.
            let hhmm = if ctx.today_fixed { "0000".to_string() } else { crate::system_hhmm() };
            let time = x12_claims::AckTime {
                isa: (format!("{:02}{:02}{:02}", d.year() % 100, d.month(), d.day()), hhmm.clone()),
                gs: (format!("{:04}{:02}{:02}", d.year(), d.month(), d.day()), hhmm),
            };
            let ack = if claim_ack {
                let library = releases::DataDir::new(&ctx.data_dir).open_for_lookup(None).ok();
                let Some(ack) = x12_claims::ack_277ca(&src, &time, library.as_ref()) else {
                    bail!(
                        "{}: no 837 claims that pass syntax and guide checks to acknowledge \
                         (see superbill x12 ack without --277ca for the 999)",
                        file.display()
                    );
                };
                ack
            } else {
                let Some(ack) = x12_claims::ack_999(&src, &time) else {
                    bail!("{}: no interchange to acknowledge (not an X12 file?)", file.display());
                };
                ack
            };
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = stdout.write_all(&ack).and_then(|()| stdout.flush())
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(e).context("writing standard output");
            }
            Ok(Outcome::Yes)
        }
        X12Command::Parse { file, json: _ } => {
            let src =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let v = parse_json(&src);
            out!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            Ok(if v["interchanges"].as_array().is_some_and(|a| !a.is_empty()) {
                Outcome::Yes
            } else {
                Outcome::No
            })
        }
        X12Command::Write { json_file } => {
            let text = if json_file.as_os_str() == "-" {
                let mut s = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
                    .context("reading standard input")?;
                s
            } else {
                std::fs::read_to_string(&json_file)
                    .with_context(|| format!("reading {}", json_file.display()))?
            };
            let v: Value = serde_json::from_str(&text)
                .with_context(|| format!("{}: not JSON", json_file.display()))?;
            let bytes = write_from_json(&v)?;
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = stdout.write_all(&bytes).and_then(|()| stdout.flush())
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(e).context("writing standard output");
            }
            Ok(Outcome::Yes)
        }
        X12Command::Validate { file, level, json: as_json, threads } => {
            let threads = threads.unwrap_or_else(x12_claims::default_threads).max(1);
            if !(1..=5).contains(&level) {
                bail!("--level must be 1 to 5");
            }
            // Level 5 checks codes against the installed releases (none installed: warnings).
            let library = if level >= 5 {
                releases::DataDir::new(&ctx.data_dir).open_for_lookup(None).ok()
            } else {
                None
            };
            // Streamed from disk in constant memory; a UTF-16 file is converted in memory.
            let mut f = std::fs::File::open(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let mut head = [0u8; 6];
            let n = std::io::Read::read(&mut f, &mut head)
                .with_context(|| format!("reading {}", file.display()))?;
            let utf16 = head[..n].starts_with(b"\xff\xfe")
                || head[..n].starts_with(b"\xfe\xff")
                || head[..n].starts_with(b"I\0S\0A\0");
            // Each set's report is printed as soon as it is checked: nothing grows with the
            // number of sets, so a multi-gigabyte file validates in constant memory.
            let name = file.display().to_string();
            let mut sets = 0usize;
            let mut errors = 0usize;
            let mut on_set = |t: x12_claims::TransactionReport| {
                if as_json {
                    let v = json!({
                        "set": t.set,
                        "version": t.version,
                        "control": t.control,
                        "guide": t.guide,
                        "errors": t.issues.iter().map(issue_json).collect::<Vec<_>>(),
                        "warnings": t.warnings.iter().map(issue_json).collect::<Vec<_>>(),
                    });
                    let text = serde_json::to_string_pretty(&v).unwrap_or_default();
                    let sep = if sets == 0 { "" } else { "," };
                    out!("{sep}    {}", text.replace('\n', "\n    "));
                } else {
                    for (kind, list) in [("warning", &t.warnings), ("level", &t.issues)] {
                        for i in list {
                            print_issue(&name, kind, i);
                        }
                    }
                    if t.guide.is_none() {
                        out!(
                            "{name}: note: transaction {} {} ({}) has no implementation-guide \
                             definition yet; checked for syntax and envelopes only",
                            t.set,
                            t.control,
                            t.version
                        );
                    }
                }
                sets += 1;
                errors += t.issues.len();
            };
            if as_json {
                out!("{{\n  \"transactions\": [");
            }
            let (interchanges, outside) = if utf16 {
                let src =
                    std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
                let bytes = x12::to_bytes(&src);
                x12_claims::validate_each_threads(
                    &*bytes,
                    level,
                    library.as_ref(),
                    threads,
                    &mut on_set,
                )
            } else {
                let stream = std::io::Read::chain(&head[..n], f);
                x12_claims::validate_each_threads(stream, level, library.as_ref(), threads, on_set)
            }
            .with_context(|| format!("reading {}", file.display()))?;
            let outside_errors: Vec<&Issue> =
                outside.iter().filter(|i| !x12_claims::is_warning(i.finding.rule)).collect();
            let valid = errors == 0 && outside_errors.is_empty();
            if as_json {
                let levels: Vec<&u8> =
                    x12_claims::CHECKED_LEVELS.iter().filter(|l| **l <= level).collect();
                let errors_json =
                    serde_json::to_string(&outside.iter().map(issue_json).collect::<Vec<_>>())
                        .unwrap_or_default();
                out!(
                    "  ],\n  \"errors\": {errors_json},\n  \"interchanges\": {interchanges},\n  \
                     \"checked_levels\": {},\n  \"valid\": {valid}\n}}",
                    serde_json::to_string(&levels).unwrap_or_default()
                );
            } else {
                for i in &outside {
                    print_issue(&name, "level", i);
                }
                out!(
                    "{name}: {} — {interchanges} interchange(s), {sets} transaction set(s), {} finding(s)",
                    if valid { "valid" } else { "NOT valid" },
                    errors + outside.len()
                );
            }
            Ok(if valid { Outcome::Yes } else { Outcome::No })
        }
    }
}
