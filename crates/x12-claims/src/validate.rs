//! Validation of a whole file: envelopes, and the checks of each transaction set it knows, with
//! each finding placed in its transaction and given its SNIP level.
//!
//! Levels checked so far: 1 (syntax and envelopes), 2 (amounts, dates, quantities and CAS group
//! codes where the readers meet them), 3 (balancing: 835 claims, lines and BPR02; 837 CLM02), and
//! from level 4 the rule that a replacement or void carries REF*F8. The implementation-guide
//! definitions (the rest of level 2) and level 5 come later.

use x12::Finding;

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
    /// Its findings.
    pub issues: Vec<Issue>,
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
        self.issues.is_empty() && self.transactions.iter().all(|t| t.issues.is_empty())
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
        for g in &ic.groups {
            let gs = doc.segments[g.gs];
            let gs_version = gs.text(&bytes, &ic.delimiters, 8);
            for t in &g.transactions {
                let st = doc.segments[t.st];
                let version = st.text(&bytes, &ic.delimiters, 3);
                transactions.push(TransactionReport {
                    set: String::from_utf8_lossy(t.set_id(&bytes)).into_owned(),
                    version: if version.is_empty() { gs_version.clone() } else { version },
                    control: st.text(&bytes, &ic.delimiters, 2),
                    issues: Vec::new(),
                });
                let span = t.segments.start.min(segs.len())..t.segments.end.min(segs.len());
                loops.push(crate::loops::loop_ids(t.set_id(&bytes), &segs[span]));
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
                transactions[t].issues.push(Issue { level, loop_id, finding: f });
            }
            None => outside.push(Issue { level, loop_id: None, finding: f }),
        }
    }
    Report { interchanges: doc.interchanges.len(), issues: outside, transactions }
}
