//! Validation of a whole file: envelopes, and the checks of each transaction set it knows, with
//! each finding placed in its transaction and given its SNIP level.
//!
//! Levels: 1 syntax and envelopes (`X12-SYN-…`, `X12-ENV-…`); 2 the implementation guide
//! (`X12-IG-…` from the guide walk, and the readers' field checks); 3 balancing (`…-BAL-…`);
//! 4 situational rules across segments (`…-SIT-…`); 5 external code sets (`X12-CODE-…`).

use code_sets::Library;
use x12::Finding;

use crate::guide::{self, Guide};

/// The SNIP levels this version checks.
pub const CHECKED_LEVELS: &[u8] = &[1, 2, 3, 4, 5];

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
    /// Segment index (in the file, 1-based) of its ST.
    pub first: u64,
    /// Segment index of its last segment (the SE when present).
    pub last: u64,
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
    } else if rule.starts_with("X12-CODE") {
        5
    } else {
        2
    }
}

/// Rules whose findings are warnings: the file is read and checked, but something about it
/// deserves attention (a later errata, a 4010 envelope, a guide chosen from the content, a loop
/// sent that the guide says not to send but that payers accept).
pub fn is_warning(rule: &str) -> bool {
    matches!(
        rule,
        "X12-IG-014"
            | "X12-IG-015"
            | "X12-IG-017"
            | "X12-837-SIT-003"
            | "X12-837-SIT-004"
            | "X12-CODE-010"
            | "X12-CODE-011"
    )
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
///
/// One pass over the segments: the envelope checks see every segment; each transaction set is
/// collected (as borrowed segments, in a buffer reused from one set to the next), then walked
/// through its guide and read by the claim readers, so memory beyond the input stays that of the
/// largest transaction set and the findings.
pub fn validate(src: &[u8], max_level: u8) -> Report {
    validate_with(src, max_level, None)
}

/// Validates `src` up to `max_level`, checking codes at level 5 against `codes` (the installed
/// releases). Without a library, level 5 says, once per code system and transaction set, that
/// the codes were not checked (a warning).
pub fn validate_with(src: &[u8], max_level: u8, codes: Option<&Library>) -> Report {
    let bytes = x12::to_bytes(src);
    // Reading from memory cannot fail.
    validate_reader(&*bytes, max_level, codes).unwrap_or_else(|_| Report {
        interchanges: 0,
        issues: Vec::new(),
        transactions: Vec::new(),
    })
}

/// Validates what `input` yields, streaming: the envelope checks see every segment as it comes;
/// each transaction set is copied into a buffer reused from one set to the next, checked there,
/// and dropped. Memory stays that of the largest transaction set (plus the findings), whatever
/// the size of the file. Fails only when `input` fails to read.
pub fn validate_reader<R: std::io::Read>(
    input: R,
    max_level: u8,
    codes: Option<&Library>,
) -> Result<Report, std::io::Error> {
    let mut transactions = Vec::new();
    let (interchanges, issues) = validate_each(input, max_level, codes, |t| transactions.push(t))?;
    Ok(Report { interchanges, issues, transactions })
}

/// Like [`validate_reader`], handing each transaction set's report to `on_set` as soon as the set
/// is checked, so that nothing grows with the number of sets: a caller that prints or writes the
/// reports as they come validates any file in constant memory. Returns the number of
/// interchanges and the findings outside any transaction set.
pub fn validate_each<R: std::io::Read>(
    input: R,
    max_level: u8,
    codes: Option<&Library>,
    mut on_set: impl FnMut(TransactionReport),
) -> Result<(usize, Vec<Issue>), std::io::Error> {
    let mut reader = x12::SegmentReader::new(input);
    let mut env = x12::EnvelopeParser::new(&[], false);
    let mut set = SetBuffer::default();
    // Envelope findings not yet given to a set.
    let mut pending: Vec<Finding> = Vec::new();
    // The open headers' versions: ISA12 and GS08.
    let (mut isa12, mut gs08) = (String::new(), String::new());
    let mut finish = |set: &mut SetBuffer, pending: &mut Vec<Finding>, isa12: &str, gs08: &str| {
        let Some(mut report) = set.check(isa12, gs08, max_level, codes) else { return };
        // Envelope findings inside the set's segments are the set's.
        let mut k = 0;
        while k < pending.len() {
            let at = pending[k].pos.segment_index;
            if (report.first..=report.last).contains(&at) {
                let f = pending.swap_remove(k);
                let level = level_of(f.rule);
                if level <= max_level {
                    report.issues.push(Issue { level, loop_id: None, finding: f });
                }
            } else {
                k += 1;
            }
        }
        report.issues.sort_by_key(|i| (i.finding.pos.segment_index, i.finding.pos.element));
        on_set(report);
    };
    while let Some(item) = reader.next() {
        let seg = match item {
            Ok(s) => s,
            Err(x12::Error::Io(e)) => return Err(std::io::Error::other(e)),
            Err(e) => {
                env.error(&e);
                break;
            }
        };
        env.push(seg);
        pending.extend(env.take_findings());
        match seg.id() {
            b"ISA" => isa12 = seg.text(12).trim().to_string(),
            b"GS" => gs08 = seg.text(8).trim().to_string(),
            _ => {}
        }
        match seg.id() {
            b"ST" => {
                finish(&mut set, &mut pending, &isa12, &gs08);
                set.push(&seg);
            }
            b"SE" if set.open() => {
                set.push(&seg);
                finish(&mut set, &mut pending, &isa12, &gs08);
            }
            b"GE" | b"IEA" | b"GS" | b"ISA" => finish(&mut set, &mut pending, &isa12, &gs08),
            _ if set.open() => set.push(&seg),
            _ => {}
        }
    }
    let (doc, rest) = env.finish();
    pending.extend(rest);
    finish(&mut set, &mut pending, &isa12, &gs08);
    let mut outside: Vec<Issue> = pending
        .into_iter()
        .filter(|f| level_of(f.rule) <= max_level)
        .map(|f| Issue { level: level_of(f.rule), loop_id: None, finding: f })
        .collect();
    outside.sort_by_key(|i| i.finding.pos.segment_index);
    Ok((doc.interchanges.len(), outside))
}

/// One transaction set's segments, copied out of the stream.
#[derive(Default)]
struct SetBuffer {
    bytes: Vec<u8>,
    /// Per segment: byte range in `bytes`, position in the file, delimiters, terminated.
    segs: Vec<(std::ops::Range<usize>, x12::Position, x12::Delimiters, bool)>,
}

impl SetBuffer {
    fn open(&self) -> bool {
        !self.segs.is_empty()
    }

    fn push(&mut self, s: &x12::Segment<'_>) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(s.raw);
        self.segs.push((start..self.bytes.len(), s.pos, s.delimiters, s.terminated));
    }

    /// Checks the buffered set (if any) and empties the buffer.
    fn check(
        &mut self,
        isa12: &str,
        gs08: &str,
        max_level: u8,
        codes: Option<&Library>,
    ) -> Option<TransactionReport> {
        if self.segs.is_empty() {
            return None;
        }
        let segs: Vec<x12::Segment<'_>> = self
            .segs
            .iter()
            .map(|(r, pos, delimiters, terminated)| x12::Segment {
                raw: &self.bytes[r.clone()],
                pos: *pos,
                delimiters: *delimiters,
                terminated: *terminated,
            })
            .collect();
        let st_index = segs[0].pos.segment_index;
        let report = check_set(&segs, st_index, isa12, gs08, max_level, codes);
        drop(segs);
        self.bytes.clear();
        self.segs.clear();
        Some(report)
    }
}

/// ST01, and ST03 or (when it is empty) GS08.
fn set_and_version(st: &x12::Segment<'_>, gs08: &str) -> (String, String) {
    let st03 = st.text(3).trim().to_string();
    let version = if st03.is_empty() { gs08.to_string() } else { st03 };
    (st.text(1).trim().to_string(), version)
}

/// Checks one transaction set (ST to SE, or to where it was cut off).
fn check_set(
    segs: &[x12::Segment<'_>],
    st_index: u64,
    isa12: &str,
    gs08: &str,
    max_level: u8,
    codes: Option<&Library>,
) -> TransactionReport {
    let st = segs[0];
    let (set, version) = set_and_version(&st, gs08);
    let mut findings = Vec::new();
    // Each reader only for its own transaction set (it would skip the others segment by segment).
    if max_level >= 2 {
        match set.as_str() {
            "837" => findings.extend(crate::claim837::claim_findings(segs)),
            "835" => findings.extend(crate::remit835::remittances_of(segs).1),
            _ => {}
        }
    }
    let (chosen, notes) = choose_guide(&set, &version, isa12, segs, st.pos);
    findings.extend(notes);
    let loops = match chosen {
        Some(g) => {
            let w = crate::walk::walk(g, segs);
            findings.extend(w.findings);
            if max_level >= 4 {
                findings.extend(crate::situational::check(set.as_bytes(), segs, &w.loops));
            }
            if max_level >= 5 {
                findings.extend(crate::external::check(set.as_bytes(), segs, &w.loops, codes));
            }
            w.loops
        }
        None => Vec::new(),
    };
    let mut report = TransactionReport {
        set,
        version,
        control: st.text(2).trim().to_string(),
        guide: chosen.map(|g| g.version),
        issues: Vec::new(),
        warnings: Vec::new(),
        first: st_index,
        last: st_index + segs.len() as u64 - 1,
    };
    for f in findings {
        let level = level_of(f.rule);
        if level > max_level {
            continue;
        }
        let offset = f.pos.segment_index.wrapping_sub(st_index) as usize;
        let loop_id = loops.get(offset).copied().filter(|l| !l.is_empty());
        let issue = Issue { level, loop_id, finding: f };
        if is_warning(issue.finding.rule) {
            report.warnings.push(issue);
        } else {
            report.issues.push(issue);
        }
    }
    report
}

/// The implementation-guide loop of each segment of one transaction set (`segs` from ST to SE),
/// and the guide used; `None` when no guide covers the set. `isa12` and `gs08` are the
/// interchange's version and the group's (for sets whose ST03 is empty).
pub fn loops_of(
    segs: &[x12::Segment<'_>],
    isa12: &str,
    gs08: &str,
) -> Option<(&'static str, Vec<&'static str>)> {
    let st = segs.first()?;
    let (set, version) = set_and_version(st, gs08);
    let (chosen, _) = choose_guide(&set, &version, isa12, segs, st.pos);
    let g = chosen?;
    Some((g.version, crate::walk::walk(g, segs).loops))
}
