//! Validation of a whole file: envelopes, and the checks of each transaction set it knows, with
//! each finding placed in its transaction and given its SNIP level.
//!
//! Levels checked so far: 1 (syntax and envelopes), 2 (amounts, dates, quantities and CAS group
//! codes where the readers meet them), 3 (balancing: 835 claims, lines and BPR02; 837 CLM02), and
//! from level 4 the rule that a replacement or void carries REF*F8. The implementation-guide
//! definitions (the rest of level 2) and level 5 come later.

use x12::Finding;

use crate::guide::{self, Guide};

/// The SNIP levels this version checks.
pub const CHECKED_LEVELS: &[u8] = &[1, 2, 3, 4];

/// One finding with its level.
#[derive(Clone, Debug)]
pub struct Issue {
    /// SNIP level 1 to 5.
    pub level: u8,
    /// The implementation-guide loop the segment stands in (`2300`, `2010AA`…), when known.
    pub loop_id: Option<&'static str>,
    /// The finding.
    pub finding: Finding,
}

/// The findings of one transaction set.
#[derive(Clone, Debug)]
pub struct TransactionReport {
    /// ST01.
    pub set: String,
    /// ST03, or GS08 when ST03 is empty.
    pub version: String,
    /// ST02.
    pub control: String,
    /// The guide it was checked against (`None`: no guide for this transaction yet, so levels 2
    /// and up were not checked from a guide).
    pub guide: Option<&'static str>,
    /// Its errors.
    pub issues: Vec<Issue>,
    /// Its warnings (see [`is_warning`]).
    pub warnings: Vec<Issue>,
}

/// The result of validating a file.
#[derive(Clone, Debug)]
pub struct Report {
    /// Number of interchanges.
    pub interchanges: usize,
    /// Findings outside any transaction set (envelopes, syntax).
    pub issues: Vec<Issue>,
    /// Per transaction set.
    pub transactions: Vec<TransactionReport>,
}

impl Report {
    /// True when no finding is at or below `level`.
    pub fn valid(&self) -> bool {
        self.issues.iter().all(|i| is_warning(i.finding.rule))
            && self.transactions.iter().all(|t| t.issues.is_empty())
    }
}

/// The SNIP level of a rule.
pub fn level_of(rule: &str) -> u8 {
    if rule.starts_with("X12-SYN") || rule.starts_with("X12-ENV") {
        1
    } else if rule.contains("-BAL-") {
        3
    } else if rule.contains("-SIT-") {
        4
    } else {
        2
    }
}

/// Rules whose findings are warnings: the file is read and checked, but something about it
/// deserves attention (a later errata, a 4010 envelope, a guide chosen from the content).
pub fn is_warning(rule: &str) -> bool {
    matches!(rule, "X12-IG-014" | "X12-IG-015" | "X12-IG-017")
}

/// Chooses the guide for a transaction from ST01 and its version, and says why when the choice
/// needed a correction.
fn choose_guide(
    set: &str,
    version: &str,
    isa12: &str,
    segs: &[x12::Segment<'_>],
    st: x12::Position,
) -> (Option<&'static Guide>, Vec<Finding>) {
    let mut notes = Vec::new();
    let note = |rule: &'static str, message: String| Finding { pos: st, rule, message };
    if isa12 == "00401" || version.starts_with("004010") {
        notes.push(note(
            "X12-IG-015",
            format!(
                "this file carries a 4010 envelope or version (ISA12 {isa12}, version {version}); \
                 HIPAA requires 5010 since 2012. It is read and checked as 5010"
            ),
        ));
    }
    let mut chosen = guide::guide(set, version);
    if set == "837" && chosen.is_none() {
        // The version names no 837 guide (`005010`, say): CLM05-2 tells.
        let kind = segs.iter().find(|s| s.id() == b"CLM").and_then(|s| s.components(5).nth(1));
        let want = match kind {
            Some(b"A") => Some("005010X223A2"),
            Some(b"B") => Some("005010X222A1"),
            _ => None,
        };
        if let Some(w) = want {
            notes.push(note(
                "X12-IG-017",
                format!(
                    "the version {} names no 837 guide; CLM05-2 says the claims are {}, so they \
                     are checked against {w}",
                    if version.is_empty() { "nothing" } else { version },
                    if w == "005010X223A2" { "institutional" } else { "professional" },
                ),
            ));
            chosen = guide::guide("837", w);
        }
    }
    if let Some(g) = chosen
        && g.version != version
        && !notes.iter().any(|n| n.rule == "X12-IG-017")
    {
        notes.push(note(
            "X12-IG-014",
            format!(
                "the version {version} is not the HIPAA-adopted {}; checked against {}",
                g.version, g.version
            ),
        ));
    }
    (chosen, notes)
}

/// Validates `src` up to `max_level` (1–5).
pub fn validate(src: &[u8], max_level: u8) -> Report {
    let bytes = x12::to_bytes(src);
    let (doc, mut findings) = x12::parse(&bytes);
    if max_level >= 2 {
        let (_, f837) = crate::read_837(&bytes);
        let (_, f835) = crate::read_835(&bytes);
        // Both readers re-run the envelope checks: keep only their own findings.
        findings.extend(f837.into_iter().chain(f835).filter(|f| level_of(f.rule) > 1));
    }
    let segs: Vec<x12::Segment<'_>> = x12::Tokenizer::new(&bytes).map_while(Result::ok).collect();
    let mut transactions = Vec::new();
    let mut ranges = Vec::new();
    let mut loops: Vec<Vec<&'static str>> = Vec::new();
    for ic in &doc.interchanges {
        let isa12 = doc.segments[ic.isa].text(&bytes, &ic.delimiters, 12);
        for g in &ic.groups {
            let gs = doc.segments[g.gs];
            let gs_version = gs.text(&bytes, &ic.delimiters, 8);
            for t in &g.transactions {
                let st = doc.segments[t.st];
                let st03 = st.text(&bytes, &ic.delimiters, 3);
                let version = if st03.is_empty() { gs_version.clone() } else { st03 };
                let set = String::from_utf8_lossy(t.set_id(&bytes)).into_owned();
                let span = t.segments.start.min(segs.len())..t.segments.end.min(segs.len());
                let (chosen, notes) =
                    choose_guide(&set, &version, &isa12, &segs[span.clone()], st.pos);
                findings.extend(notes);
                let walked = chosen.map(|g| crate::walk::walk(g, &segs[span.clone()]));
                loops.push(walked.as_ref().map(|w| w.loops.clone()).unwrap_or_default());
                if let Some(w) = walked {
                    findings.extend(w.findings);
                }
                transactions.push(TransactionReport {
                    set,
                    version,
                    control: st.text(&bytes, &ic.delimiters, 2),
                    guide: chosen.map(|g| g.version),
                    issues: Vec::new(),
                    warnings: Vec::new(),
                });
                ranges.push(t.segments.clone());
            }
        }
    }
    let mut outside = Vec::new();
    for f in findings {
        let level = level_of(f.rule);
        if level > max_level {
            continue;
        }
        let idx = f.pos.segment_index.saturating_sub(1) as usize;
        match ranges.iter().position(|r| r.contains(&idx)) {
            Some(t) => {
                let loop_id =
                    loops[t].get(idx - ranges[t].start).copied().filter(|l| !l.is_empty());
                let issue = Issue { level, loop_id, finding: f };
                if is_warning(issue.finding.rule) {
                    transactions[t].warnings.push(issue);
                } else {
                    transactions[t].issues.push(issue);
                }
            }
            None => outside.push(Issue { level, loop_id: None, finding: f }),
        }
    }
    for t in &mut transactions {
        t.issues.sort_by_key(|i| (i.finding.pos.segment_index, i.finding.pos.element));
    }
    Report { interchanges: doc.interchanges.len(), issues: outside, transactions }
}
