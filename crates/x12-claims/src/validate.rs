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
    validate_threads(src, max_level, codes, default_threads())
}

/// The number of threads validation uses by default: one per core, at most eight (each worker
/// keeps up to three batches of about 256 KiB in flight, so memory stays well inside 64 MB
/// however many cores the machine has).
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from).min(8)
}

/// Like [`validate_with`], checking transaction sets on `threads` threads (1: all on the
/// caller's thread). The report is the same whatever the number.
pub fn validate_threads(
    src: &[u8],
    max_level: u8,
    codes: Option<&Library>,
    threads: usize,
) -> Report {
    let bytes = x12::to_bytes(src);
    if threads > 1 {
        let mut transactions = Vec::new();
        let on_set = |t| transactions.push(t);
        // Reading from memory cannot fail.
        let (interchanges, issues) =
            validate_each_threads(&*bytes, max_level, codes, threads, on_set).unwrap_or_default();
        return Report { interchanges, issues, transactions };
    }
    // On one thread, each set's segments are borrowed from the input rather than copied.
    let mut run = Run::new(max_level, codes);
    let mut set: Vec<x12::Segment<'_>> = Vec::new();
    let mut transactions = Vec::new();
    for item in x12::Tokenizer::new(&bytes) {
        match item {
            Ok(seg) => run.segment(seg, &mut set, &mut |t| transactions.push(t)),
            Err(e) => {
                run.env.error(&e);
                break;
            }
        }
    }
    let (interchanges, issues) = run.finish(&mut set, &mut |t| transactions.push(t));
    Report { interchanges, issues, transactions }
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
    on_set: impl FnMut(TransactionReport),
) -> Result<(usize, Vec<Issue>), std::io::Error> {
    validate_each_threads(input, max_level, codes, default_threads(), on_set)
}

/// Like [`validate_each`], on `threads` threads: this thread reads the input and checks the
/// envelopes, the others check whole transaction sets, and the reports reach `on_set` in file
/// order, on this thread. At most two sets per thread wait in memory, so memory stays bounded.
pub fn validate_each_threads<R: std::io::Read>(
    input: R,
    max_level: u8,
    codes: Option<&Library>,
    threads: usize,
    mut on_set: impl FnMut(TransactionReport),
) -> Result<(usize, Vec<Issue>), std::io::Error> {
    if threads <= 1 {
        return stream(input, Run::new(max_level, codes), &mut on_set);
    }
    let (jobs_tx, jobs_rx) = std::sync::mpsc::sync_channel::<Job>(2 * threads);
    let (done_tx, done_rx) = std::sync::mpsc::channel::<(u64, Vec<TransactionReport>)>();
    let jobs_rx = std::sync::Mutex::new(jobs_rx);
    let work = |job: Job| (job.seq, job.run(max_level, codes));
    std::thread::scope(|scope| {
        // One worker per thread asked for; this thread reads, and checks a batch itself when
        // the workers are all busy and the queue is full.
        crate::parallel::workers(scope, threads, &jobs_rx, &done_tx, &work);
        drop(done_tx);
        let mut run = Run::new(max_level, codes);
        run.pool = Some(Pool {
            jobs: jobs_tx,
            done: done_rx,
            next: 0,
            sent: 0,
            early: Default::default(),
        });
        stream(input, run, &mut on_set)
    })
}

/// Reads segments from `input` through `run`.
fn stream<R: std::io::Read>(
    input: R,
    mut run: Run<'_>,
    on_set: &mut impl FnMut(TransactionReport),
) -> Result<(usize, Vec<Issue>), std::io::Error> {
    let mut reader = x12::SegmentReader::new(input);
    let mut set = SetBuffer::default();
    while let Some(item) = reader.next() {
        match item {
            Ok(seg) => run.segment(seg, &mut set, on_set),
            Err(x12::Error::Io(e)) => return Err(std::io::Error::other(e)),
            Err(e) => {
                run.env.error(&e);
                break;
            }
        }
    }
    Ok(run.finish(&mut set, on_set))
}

/// Transaction sets to check on a worker thread: a batch, so that the hand-over costs little
/// next to the work even when each set holds a single claim.
struct Job {
    /// Its place among the batches.
    seq: u64,
    sets: SetBuffer,
}

impl Job {
    fn run(self, max_level: u8, codes: Option<&Library>) -> Vec<TransactionReport> {
        let buf = &self.sets;
        let mut segs: Vec<x12::Segment<'_>> = Vec::new();
        let mut out = Vec::with_capacity(buf.sealed.len());
        for sealed in &self.sets.sealed {
            segs.clear();
            segs.extend(buf.segments(sealed.segs.clone()));
            let Some(first) = segs.first() else { continue };
            let mut report = check_set(
                &segs,
                first.pos.segment_index,
                &sealed.isa12,
                &sealed.gs08,
                max_level,
                codes,
            );
            add_envelope(&mut report, sealed.envelope.clone(), max_level);
            out.push(report);
        }
        out
    }
}

/// Adds the envelope findings inside a set's segments to its report, and puts its issues in
/// segment order.
fn add_envelope(report: &mut TransactionReport, envelope: Vec<Finding>, max_level: u8) {
    for f in envelope {
        let level = level_of(f.rule);
        if level <= max_level {
            report.issues.push(Issue { level, loop_id: None, finding: f });
        }
    }
    report.issues.sort_by_key(|i| (i.finding.pos.segment_index, i.finding.pos.element));
}

/// Worker threads checking sets, and the reports that came back before their turn.
struct Pool {
    jobs: std::sync::mpsc::SyncSender<Job>,
    done: std::sync::mpsc::Receiver<(u64, Vec<TransactionReport>)>,
    /// The next report to hand on.
    next: u64,
    /// Jobs sent so far.
    sent: u64,
    early: std::collections::BTreeMap<u64, Vec<TransactionReport>>,
}

/// Bytes of transaction sets gathered before they go to a worker thread.
const BATCH: usize = 256 << 10;

impl Pool {
    /// Sends a batch to the workers, and hands on the reports that are ready.
    /// When every worker is busy and the queue is full, this thread checks the batch itself
    /// rather than wait (on a machine with few cores it would otherwise sit idle).
    fn send(
        &mut self,
        sets: SetBuffer,
        max_level: u8,
        codes: Option<&Library>,
        on_set: &mut impl FnMut(TransactionReport),
    ) {
        let job = Job { seq: self.sent, sets };
        match self.jobs.try_send(job) {
            Ok(()) => self.sent += 1,
            Err(std::sync::mpsc::TrySendError::Full(job)) => {
                let seq = job.seq;
                self.early.insert(seq, job.run(max_level, codes));
                self.sent += 1;
            }
            Err(std::sync::mpsc::TrySendError::Disconnected(_)) => {}
        }
        self.drain(false, on_set);
    }

    /// Hands on, in order, the reports that are ready; with `all`, waits for every one.
    fn drain(&mut self, all: bool, on_set: &mut impl FnMut(TransactionReport)) {
        while self.next < self.sent {
            if let Some(reports) = self.early.remove(&self.next) {
                reports.into_iter().for_each(&mut *on_set);
                self.next += 1;
                continue;
            }
            let got = if all { self.done.recv().ok() } else { self.done.try_recv().ok() };
            let Some((seq, report)) = got else { return };
            self.early.insert(seq, report);
        }
    }
}

/// Where the segments of the open transaction set are kept until it is checked.
trait SetStore<'a> {
    /// Whether a set is open.
    fn open(&self) -> bool;
    /// Adds a segment to the open set.
    fn push(&mut self, s: x12::Segment<'a>);
    /// Segment indexes (in the file) of the open set's first and last segments.
    fn span(&self) -> Option<(u64, u64)>;
    /// Closes the open set for a later check with these headers and envelope findings; false
    /// when the store cannot keep closed sets.
    fn seal(&mut self, isa12: &str, gs08: &str, envelope: Vec<Finding>) -> bool;
    /// The closed sets, once they hold at least `min_bytes`, emptying the store.
    fn take(&mut self, min_bytes: usize) -> Option<SetBuffer>;
    /// Checks the open set (if any) and empties the store.
    fn check(
        &mut self,
        isa12: &str,
        gs08: &str,
        max_level: u8,
        codes: Option<&Library>,
    ) -> Option<TransactionReport>;
}

/// Segments borrowed from an input held in memory.
impl<'a> SetStore<'a> for Vec<x12::Segment<'a>> {
    fn open(&self) -> bool {
        !self.is_empty()
    }

    fn push(&mut self, s: x12::Segment<'a>) {
        Vec::push(self, s);
    }

    fn span(&self) -> Option<(u64, u64)> {
        Some((self.first()?.pos.segment_index, self.last()?.pos.segment_index))
    }

    fn seal(&mut self, _: &str, _: &str, _: Vec<Finding>) -> bool {
        false
    }

    fn take(&mut self, _: usize) -> Option<SetBuffer> {
        None
    }

    fn check(
        &mut self,
        isa12: &str,
        gs08: &str,
        max_level: u8,
        codes: Option<&Library>,
    ) -> Option<TransactionReport> {
        let first = self.first()?;
        let report = check_set(self, first.pos.segment_index, isa12, gs08, max_level, codes);
        self.clear();
        Some(report)
    }
}

/// One validation pass: the envelope checks, the open headers' versions, and the envelope
/// findings not yet given to a transaction set.
struct Run<'c> {
    env: x12::EnvelopeParser<'static>,
    pending: Vec<Finding>,
    /// The open headers' versions: ISA12 and GS08.
    isa12: String,
    gs08: String,
    max_level: u8,
    codes: Option<&'c Library>,
    /// Worker threads, when sets are checked off this thread.
    pool: Option<Pool>,
}

impl<'c> Run<'c> {
    fn new(max_level: u8, codes: Option<&'c Library>) -> Run<'c> {
        Run {
            env: x12::EnvelopeParser::new(&[], false),
            pending: Vec::new(),
            isa12: String::new(),
            gs08: String::new(),
            max_level,
            codes,
            pool: None,
        }
    }

    /// Checks the open set, gives it the envelope findings inside its segments, and hands it on
    /// (or, with worker threads, sends it to them).
    fn close<'a>(
        &mut self,
        set: &mut impl SetStore<'a>,
        on_set: &mut impl FnMut(TransactionReport),
    ) {
        let Some((first, last)) = set.span() else { return };
        let mut envelope = Vec::new();
        let pending = &mut self.pending;
        let mut k = 0;
        while k < pending.len() {
            if (first..=last).contains(&pending[k].pos.segment_index) {
                envelope.push(pending.swap_remove(k));
            } else {
                k += 1;
            }
        }
        if let Some(pool) = &mut self.pool
            && set.seal(&self.isa12, &self.gs08, envelope.clone())
        {
            if let Some(sets) = set.take(BATCH) {
                pool.send(sets, self.max_level, self.codes, on_set);
            }
            return;
        }
        let Some(mut report) = set.check(&self.isa12, &self.gs08, self.max_level, self.codes)
        else {
            return;
        };
        add_envelope(&mut report, envelope, self.max_level);
        on_set(report);
    }

    fn segment<'a>(
        &mut self,
        seg: x12::Segment<'a>,
        set: &mut impl SetStore<'a>,
        on_set: &mut impl FnMut(TransactionReport),
    ) {
        self.env.push(seg);
        self.pending.extend(self.env.take_findings());
        match seg.id() {
            b"ISA" => self.isa12 = seg.text(12).trim().to_string(),
            b"GS" => self.gs08 = seg.text(8).trim().to_string(),
            _ => {}
        }
        match seg.id() {
            b"ST" => {
                self.close(set, on_set);
                set.push(seg);
            }
            b"SE" if set.open() => {
                set.push(seg);
                self.close(set, on_set);
            }
            b"GE" | b"IEA" | b"GS" | b"ISA" => self.close(set, on_set),
            _ if set.open() => set.push(seg),
            _ => {}
        }
    }

    /// Ends the pass: the last set, then the findings outside any set.
    fn finish<'a>(
        mut self,
        set: &mut impl SetStore<'a>,
        on_set: &mut impl FnMut(TransactionReport),
    ) -> (usize, Vec<Issue>) {
        let env = std::mem::replace(&mut self.env, x12::EnvelopeParser::new(&[], false));
        let (doc, rest) = env.finish();
        self.pending.extend(rest);
        self.close(set, on_set);
        if let Some(mut pool) = self.pool.take() {
            if let Some(sets) = set.take(0) {
                pool.send(sets, self.max_level, self.codes, on_set);
            }
            // Closing the job queue lets the workers end once it is empty.
            drop(std::mem::replace(&mut pool.jobs, std::sync::mpsc::sync_channel(0).0));
            pool.drain(true, on_set);
        }
        let max_level = self.max_level;
        let mut outside: Vec<Issue> = self
            .pending
            .into_iter()
            .filter(|f| level_of(f.rule) <= max_level)
            .map(|f| Issue { level: level_of(f.rule), loop_id: None, finding: f })
            .collect();
        outside.sort_by_key(|i| i.finding.pos.segment_index);
        (doc.interchanges.len(), outside)
    }
}

/// Transaction sets' segments, copied out of the stream: the open set (from `start`), and
/// before it the sets closed for a worker thread.
#[derive(Default)]
struct SetBuffer {
    bytes: Vec<u8>,
    /// Per segment: byte range in `bytes`, position in the file, delimiters, terminated.
    segs: Vec<(std::ops::Range<usize>, x12::Position, x12::Delimiters, bool)>,
    /// Where the open set starts in `segs`.
    start: usize,
    sealed: Vec<Sealed>,
}

/// A closed set in a [`SetBuffer`], with what its check needs.
struct Sealed {
    segs: std::ops::Range<usize>,
    isa12: String,
    gs08: String,
    envelope: Vec<Finding>,
}

impl SetBuffer {
    fn segments(&self, r: std::ops::Range<usize>) -> impl Iterator<Item = x12::Segment<'_>> {
        self.segs[r].iter().map(|(r, pos, delimiters, terminated)| x12::Segment {
            raw: &self.bytes[r.clone()],
            pos: *pos,
            delimiters: *delimiters,
            terminated: *terminated,
        })
    }
}

impl SetStore<'_> for SetBuffer {
    fn open(&self) -> bool {
        self.segs.len() > self.start
    }

    fn push(&mut self, s: x12::Segment<'_>) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(s.raw);
        self.segs.push((start..self.bytes.len(), s.pos, s.delimiters, s.terminated));
    }

    fn span(&self) -> Option<(u64, u64)> {
        let open = self.segs.get(self.start..)?;
        Some((open.first()?.1.segment_index, open.last()?.1.segment_index))
    }

    fn seal(&mut self, isa12: &str, gs08: &str, envelope: Vec<Finding>) -> bool {
        if self.open() {
            let segs = self.start..self.segs.len();
            let (isa12, gs08) = (isa12.to_string(), gs08.to_string());
            self.sealed.push(Sealed { segs, isa12, gs08, envelope });
            self.start = self.segs.len();
        }
        true
    }

    fn take(&mut self, min_bytes: usize) -> Option<SetBuffer> {
        if self.sealed.is_empty() || self.bytes.len() < min_bytes || self.open() {
            return None;
        }
        Some(std::mem::take(self))
    }

    fn check(
        &mut self,
        isa12: &str,
        gs08: &str,
        max_level: u8,
        codes: Option<&Library>,
    ) -> Option<TransactionReport> {
        if !self.open() {
            return None;
        }
        let segs: Vec<x12::Segment<'_>> = self.segments(self.start..self.segs.len()).collect();
        let st_index = segs[0].pos.segment_index;
        let report = check_set(&segs, st_index, isa12, gs08, max_level, codes);
        drop(segs);
        self.bytes.clear();
        self.segs.clear();
        self.start = 0;
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
            "835" => findings.extend(crate::remit835::remit_findings(segs)),
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
