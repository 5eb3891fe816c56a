//! 837P (005010X222A1) and 837I (005010X223A2) claims → [`ClaimBatch`] views and [`Claim`] values.
//!
//! The reader follows the HL hierarchy (20 billing provider, 22 subscriber, 23 patient) and the
//! claim loops by the segments that open them (CLM, LX, SBR inside a claim for 2320, SVD for
//! 2430). It keeps every claim it can read and reports problems as findings: a batch with bad
//! claims still yields the good ones.

use claim_model::{Cents, Claim, ClaimKind, DiagnosisKind, Frequency, Poa, ProviderRole, Units};
use code_sets::Date;
use x12::{Finding, Position, Segment, Split};

use crate::fields::{Fields, Set, Texts, comp_slices};
use crate::view837::{
    AddressView, AdjustmentView, ClaimBatch, ClaimFields, CodedValueView, DiagnosisView,
    LineAdjudicationFields, LineFields, NameView, NdcView, OtherPayerFields, PartyView, PayerView,
    PersonView, ProcedureView, Span, Str, SubscriberView,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Loop {
    Header,
    Billing,
    Subscriber,
    Patient,
    Claim,
    OtherPayer,
    Line,
    LineAdjudication,
}

fn name<'a>(tx: Texts<'a>, seg: &Split<'a>) -> NameView<'a> {
    if tx.el(seg, 2) == "1" {
        NameView::Person {
            last: tx.el(seg, 3),
            first: tx.el(seg, 4),
            middle: tx.el(seg, 5),
            suffix: tx.el(seg, 7),
        }
    } else {
        NameView::Organization(tx.el(seg, 3))
    }
}

fn party<'a>(tx: Texts<'a>, seg: &Split<'a>) -> PartyView<'a> {
    let npi = (tx.el(seg, 8) == "XX").then(|| tx.el(seg, 9)).filter(|n| !n.is_empty());
    PartyView {
        name: name(tx, seg),
        npi,
        tax_id: Str::default(),
        taxonomy: Str::default(),
        address: None,
    }
}

fn person<'a>(tx: Texts<'a>, seg: &Split<'a>) -> PersonView<'a> {
    PersonView {
        name: name(tx, seg),
        member_id: tx.el(seg, 9),
        birth_date: None,
        sex: 'U',
        address: None,
    }
}

fn payer<'a>(tx: Texts<'a>, seg: &Split<'a>) -> PayerView<'a> {
    PayerView { name: tx.el(seg, 3), id: tx.el(seg, 9), address: None }
}

fn sbr<'a>(tx: Texts<'a>, seg: &Split<'a>) -> SubscriberView<'a> {
    SubscriberView {
        payer_responsibility: tx.el(seg, 1).chars().next().unwrap_or(' '),
        relationship: tx.el(seg, 2),
        group_number: tx.el(seg, 3),
        insurance_type: tx.el(seg, 5),
        filing_indicator: tx.el(seg, 9),
        ..SubscriberView::empty()
    }
}

/// N3 or N4 into an address.
fn apply_address<'a>(tx: Texts<'a>, a: &mut Option<AddressView<'a>>, seg: &Split<'a>) {
    let a = a.get_or_insert_with(AddressView::default);
    if seg.id() == b"N3" {
        a.line1 = tx.el(seg, 1);
        a.line2 = tx.el(seg, 2);
    } else {
        a.city = tx.el(seg, 1);
        a.state = tx.el(seg, 2);
        a.postal_code = tx.el(seg, 3);
        a.country = tx.el(seg, 4);
    }
}

/// A party the reader is filling in (billing provider, subscriber…), kept once in the batch:
/// claims refer to it by index. A change after a claim referred to it goes to a copy, so that
/// the claim keeps what was read before it.
#[derive(Clone, Copy, Default)]
struct Current {
    index: Option<u32>,
    shared: bool,
}

impl Current {
    fn set<T>(&mut self, items: &mut Vec<T>, value: T) {
        items.push(value);
        *self = Current { index: Some(items.len() as u32 - 1), shared: false };
    }

    fn get<'v, T>(&self, items: &'v [T]) -> Option<&'v T> {
        self.index.map(|i| &items[i as usize])
    }

    fn get_mut<'v, T: Clone>(&mut self, items: &'v mut Vec<T>) -> Option<&'v mut T> {
        let i = self.unshared(items)?;
        items.get_mut(i)
    }

    /// Like `get_mut`, starting from `empty` when there is none yet.
    fn get_or<'v, T: Clone>(
        &mut self,
        items: &'v mut Vec<T>,
        empty: impl FnOnce() -> T,
    ) -> &'v mut T {
        if self.index.is_none() {
            self.set(items, empty());
        }
        let i = self.unshared(items).unwrap_or_default();
        &mut items[i]
    }

    /// The index of the item to change: a copy of it, pushed now, when a claim took it.
    fn unshared<T: Clone>(&mut self, items: &mut Vec<T>) -> Option<usize> {
        let i = self.index? as usize;
        if self.shared {
            let copy = items[i].clone();
            self.set(items, copy);
        }
        self.index.map(|i| i as usize)
    }
}

/// Appends `value` to `items` as the last item of `span`.
fn push_to<T>(span: &mut Span, items: &mut Vec<T>, value: T) {
    let before = items.len();
    items.push(value);
    span.grow(before, items);
}

/// The last item of `span` in `items`.
fn last_in<T>(span: Span, items: &mut [T]) -> Option<&mut T> {
    if span.is_empty() { None } else { items.get_mut(span.end as usize - 1) }
}

/// What an address segment (N3/N4) should fill, given the loop and the last NM1.
enum AddressTarget {
    None,
    Billing,
    PayTo,
    Subscriber,
    Patient,
    Payer,
    ClaimProvider,
}

/// Reads every 837 transaction set in `src` into claims: the envelope findings first, then the
/// reader's, set by set. Transaction sets are read on every core.
pub fn read_837(src: &[u8]) -> (Vec<Claim>, Vec<Finding>) {
    read_837_threads(src, crate::validate::default_threads())
}

/// Like [`read_837`], reading transaction sets on `threads` threads (the result is the same
/// whatever the number).
pub fn read_837_threads(src: &[u8], threads: usize) -> (Vec<Claim>, Vec<Finding>) {
    let src = x12::to_bytes(src);
    let mut env = x12::EnvelopeParser::new(&[], false);
    let mut claims = Vec::new();
    let mut read_findings = Vec::new();
    if threads <= 1 {
        // Each set read as soon as it closes, into a batch and a buffer reused from set to set.
        let mut set = Vec::new();
        let mut batch = ClaimBatch::default();
        each_set(&src, &mut env, &mut set, |set, _| {
            read_set(set, Some(&src), false, &mut batch, &mut read_findings);
            claims.extend(batch.claims().map(|c| c.to_claim()));
            batch.clear();
            set.clear();
        });
    } else {
        let work = |segs: &[Segment<'_>], sets: &[std::ops::Range<usize>]| {
            let mut batch = ClaimBatch::default();
            let f = read_sets(segs, sets, &src, &mut batch);
            (batch.claims().map(|c| c.to_claim()).collect::<Vec<_>>(), f)
        };
        on_threads(&src, &mut env, threads, work, |(c, f)| {
            claims.extend(c);
            read_findings.extend(f);
        });
    }
    let (_, mut findings) = env.finish();
    findings.extend(read_findings);
    (claims, findings)
}

/// Reads every 837 transaction set in `src` into typed claims borrowed from `src` (see
/// [`ClaimBatch`]), on `threads` threads: batches of claims in file order, then the envelope
/// findings and the reader's (the same as [`read_837`]'s). A UTF-16 file cannot be borrowed
/// from: decode it with [`x12::to_bytes`] first.
pub fn read_837_views(src: &[u8], threads: usize) -> (Vec<ClaimBatch<'_>>, Vec<Finding>) {
    let mut batches = Vec::new();
    let findings = views(src, threads, |batch| {
        batches.push(batch);
        None
    });
    (batches, findings)
}

/// Like [`read_837_views`], handing each batch of claims to `on_batch` in file order as soon as
/// it is read, and reusing its memory for a later batch: a file of any size is read in the memory
/// of the few batches in flight. Returns the findings.
pub fn read_837_views_each<'a>(
    src: &'a [u8],
    threads: usize,
    mut on_batch: impl FnMut(&ClaimBatch<'a>),
) -> Vec<Finding> {
    views(src, threads, |mut batch| {
        on_batch(&batch);
        batch.clear();
        Some(batch)
    })
}

/// The claims of `src` in batches of about [`SEGMENTS_PER_BATCH`] segments, handed to `on_batch`
/// in file order; a batch it gives back (emptied) is filled again. Returns the findings.
fn views<'a>(
    src: &'a [u8],
    threads: usize,
    mut on_batch: impl FnMut(ClaimBatch<'a>) -> Option<ClaimBatch<'a>>,
) -> Vec<Finding> {
    if x12::is_utf16(src) {
        return vec![Finding {
            pos: Position::default(),
            rule: "X12-837-ENC-001",
            message: "the file is UTF-16: decode it with x12::to_bytes before reading views".into(),
        }];
    }
    let mut env = x12::EnvelopeParser::new(&[], false);
    let mut read_findings = Vec::new();
    if threads <= 1 {
        let mut set = Vec::new();
        let (mut batch, mut segments) = (ClaimBatch::default(), 0);
        each_set(src, &mut env, &mut set, |set, _| {
            read_set(set, Some(src), false, &mut batch, &mut read_findings);
            segments += set.len();
            set.clear();
            if segments >= SEGMENTS_PER_BATCH {
                if let Some(empty) = on_batch(std::mem::take(&mut batch)) {
                    batch = empty;
                }
                segments = 0;
            }
        });
        if !batch.is_empty() {
            on_batch(batch);
        }
    } else {
        let pool: std::sync::Mutex<Vec<ClaimBatch<'a>>> = Default::default();
        let work = |segs: &[Segment<'a>], sets: &[std::ops::Range<usize>]| {
            let taken = pool.lock().ok().and_then(|mut p| p.pop());
            let mut batch = taken.unwrap_or_default();
            let f = read_sets(segs, sets, src, &mut batch);
            (batch, f)
        };
        on_threads(src, &mut env, threads, work, |(batch, f)| {
            read_findings.extend(f);
            if batch.is_empty() {
                return;
            }
            if let (Some(empty), Ok(mut pool)) = (on_batch(batch), pool.lock()) {
                pool.push(empty);
            }
        });
    }
    let (_, mut findings) = env.finish();
    findings.extend(read_findings);
    findings
}

/// Tokenizes `src` through the envelope checks and gathers each transaction set (ST to SE, or to
/// where it was cut off) at the end of `set`; when one closes, `on_set` gets the buffer and where
/// the set starts in it (it may empty the buffer or leave the set there). Each set is read on
/// its own: a set's loops never reach into the next.
fn each_set<'a>(
    src: &'a [u8],
    env: &mut x12::EnvelopeParser<'_>,
    set: &mut Vec<Segment<'a>>,
    mut on_set: impl FnMut(&mut Vec<Segment<'a>>, usize),
) {
    let mut open: Option<usize> = None;
    for item in x12::Tokenizer::new(src) {
        let seg = match item {
            Ok(seg) => seg,
            Err(e) => {
                env.error(&e);
                break;
            }
        };
        env.push(seg);
        let id = seg.id();
        if matches!(id, b"ST" | b"GE" | b"IEA" | b"GS" | b"ISA") {
            // The open set (if any) ends here; an ST opens the next.
            if let Some(start) = open.take() {
                on_set(set, start);
            }
            if id == b"ST" {
                open = Some(set.len());
                set.push(seg);
            }
        } else if open.is_some() {
            set.push(seg);
        }
    }
    if let Some(start) = open {
        on_set(set, start);
    }
}

/// Reads the claims of an 837 from `input` one transaction set at a time, in constant memory:
/// each set's segments are copied out of the stream, read when the set closes, and its claims
/// handed to `on_claim` in file order. Returns the envelope and reader findings (a batch with bad
/// claims yields the good claims and findings for the bad ones), or the read error.
pub fn read_837_each<R: std::io::Read>(
    input: R,
    mut on_claim: impl FnMut(Claim),
) -> Result<Vec<Finding>, std::io::Error> {
    let mut reader = x12::SegmentReader::new(input);
    let mut env = x12::EnvelopeParser::new(&[], false);
    let mut findings = Vec::new();
    // The open set: its bytes and, per segment, its range, position, delimiters, terminator.
    let mut bytes: Vec<u8> = Vec::new();
    let mut segs: Vec<(std::ops::Range<usize>, Position, x12::Delimiters, bool)> = Vec::new();
    let mut close = |bytes: &mut Vec<u8>,
                     segs: &mut Vec<(std::ops::Range<usize>, Position, x12::Delimiters, bool)>,
                     findings: &mut Vec<Finding>| {
        if segs.is_empty() {
            return;
        }
        let view: Vec<Segment<'_>> = segs
            .iter()
            .map(|(r, pos, delimiters, terminated)| Segment {
                raw: &bytes[r.clone()],
                pos: *pos,
                delimiters: *delimiters,
                terminated: *terminated,
            })
            .collect();
        let mut batch = ClaimBatch::default();
        read_set(&view, Some(&bytes[..]), false, &mut batch, findings);
        for c in batch.claims() {
            on_claim(c.to_claim());
        }
        drop(batch);
        bytes.clear();
        segs.clear();
    };
    while let Some(item) = reader.next() {
        let seg = match item {
            Ok(seg) => seg,
            Err(x12::Error::Io(e)) => return Err(std::io::Error::other(e)),
            Err(e) => {
                env.error(&e);
                break;
            }
        };
        env.push(seg);
        let id = seg.id();
        if matches!(id, b"ST" | b"GE" | b"IEA" | b"GS" | b"ISA") {
            close(&mut bytes, &mut segs, &mut findings);
            if id != b"ST" {
                continue;
            }
        } else if segs.is_empty() {
            continue;
        }
        let start = bytes.len();
        bytes.extend_from_slice(seg.raw);
        segs.push((start..bytes.len(), seg.pos, seg.delimiters, seg.terminated));
    }
    close(&mut bytes, &mut segs, &mut findings);
    let (_, mut out) = env.finish();
    out.extend(findings);
    Ok(out)
}

/// Segments of whole transaction sets gathered into one batch (for a worker thread, or for one
/// [`ClaimBatch`]).
const SEGMENTS_PER_BATCH: usize = 8192;

/// Tokenizes `src` through the envelope checks on this thread while `work` reads batches of whole
/// transaction sets (the segments and each set's range among them) on `threads` worker threads;
/// `on_result` gets the results on this thread in file order, as soon as each can be handed on.
fn on_threads<'a, R: Send>(
    src: &'a [u8],
    env: &mut x12::EnvelopeParser<'_>,
    threads: usize,
    work: impl Fn(&[Segment<'a>], &[std::ops::Range<usize>]) -> R + Sync,
    mut on_result: impl FnMut(R),
) {
    type Batch<'s> = (u64, Vec<Segment<'s>>, Vec<std::ops::Range<usize>>);
    let (jobs_tx, jobs_rx) = std::sync::mpsc::sync_channel::<Batch<'a>>(2 * threads);
    let (done_tx, done_rx) = std::sync::mpsc::channel::<(u64, R)>();
    // Segment buffers come back from the workers to be filled again (fresh ones would be
    // page-faulted in, batch after batch).
    let (free_tx, free_rx) = std::sync::mpsc::channel::<Vec<Segment<'a>>>();
    let jobs_rx = std::sync::Mutex::new(jobs_rx);
    let work = |(seq, mut segs, sets): Batch<'a>| {
        let r = work(&segs, &sets);
        segs.clear();
        let _ = free_tx.send(segs);
        (seq, r)
    };
    // Results that came back before an earlier one, and the place of the next to hand on.
    let mut waiting: std::collections::BTreeMap<u64, R> = Default::default();
    let mut next = 0u64;
    let mut arrived = |(seq, r): (u64, R)| {
        waiting.insert(seq, r);
        while let Some(r) = waiting.remove(&next) {
            on_result(r);
            next += 1;
        }
    };
    std::thread::scope(|scope| {
        crate::parallel::workers(scope, threads, &jobs_rx, &done_tx, &work);
        drop(done_tx);
        let fresh = || Vec::with_capacity(SEGMENTS_PER_BATCH * 2);
        let mut batch: Vec<Segment<'a>> = fresh();
        let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
        let mut sent = 0u64;
        let mut send = |batch: &mut Vec<Segment<'a>>, ranges: &mut Vec<std::ops::Range<usize>>| {
            let refill = free_rx.try_recv().unwrap_or_else(|_| fresh());
            let job = (sent, std::mem::replace(batch, refill), std::mem::take(ranges));
            if jobs_tx.send(job).is_ok() {
                sent += 1;
            }
            while let Ok(done) = done_rx.try_recv() {
                arrived(done);
            }
        };
        // Each set is gathered straight into the batch.
        each_set(src, env, &mut batch, |batch, start| {
            ranges.push(start..batch.len());
            if batch.len() >= SEGMENTS_PER_BATCH {
                send(batch, &mut ranges);
            }
        });
        if !ranges.is_empty() {
            send(&mut batch, &mut ranges);
        }
        // Closing the queue lets the workers end once it is empty.
        drop(jobs_tx);
        for done in done_rx.iter() {
            arrived(done);
        }
    });
}

/// Reads the transaction sets `sets` (ranges of `segs`, which lie in `src`) into `batch`;
/// returns the reader's findings.
fn read_sets<'a>(
    segs: &[Segment<'a>],
    sets: &[std::ops::Range<usize>],
    src: &'a [u8],
    batch: &mut ClaimBatch<'a>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for r in sets {
        read_set(&segs[r.clone()], Some(src), false, batch, &mut findings);
    }
    findings
}

/// The claims of the 837 transaction sets among `segs` (a file's or one transaction set's
/// segments, in order), with the reader's own findings (not the envelope checks).
pub fn claims_of(segs: &[Segment<'_>]) -> (Vec<Claim>, Vec<Finding>) {
    let (mut batch, mut findings) = (ClaimBatch::default(), Vec::new());
    read_set(segs, None, false, &mut batch, &mut findings);
    (batch.claims().map(|c| c.to_claim()).collect(), findings)
}

/// The reader's findings alone, for validation: names, addresses and codes are not read.
pub(crate) fn claim_findings(segs: &[Segment<'_>]) -> Vec<Finding> {
    let mut findings = Vec::new();
    read_set(segs, None, true, &mut ClaimBatch::default(), &mut findings);
    findings
}

/// The kind of an HI diagnosis other than the principal, by its qualifier (the ICD-10 one or
/// its ICD-9 predecessor): other, admitting, the patient's reason for visit, external cause.
fn secondary_diagnosis(qualifier: &str) -> Option<DiagnosisKind> {
    Some(match qualifier {
        "ABF" | "BF" => DiagnosisKind::Other,
        "ABJ" | "BJ" => DiagnosisKind::Admitting,
        "APR" | "PR" => DiagnosisKind::ReasonForVisit,
        "ABN" | "BN" => DiagnosisKind::ExternalCause,
        _ => return None,
    })
}

/// Reads the claims of `segs` (whole transaction sets, in order) into `out`, and the reader's
/// findings into `findings`. With `checks_only` (validation), names, addresses, contacts,
/// diagnosis codes, drug identifiers and a line's codes are not read: they yield no finding.
pub(crate) fn read_set<'a>(
    segs: &[Segment<'a>],
    src: Option<&'a [u8]>,
    checks_only: bool,
    out: &mut ClaimBatch<'a>,
    findings: &mut Vec<Finding>,
) {
    let first_claim = out.claims.len();
    let mut r = Fields { findings, set: Set::Claim837 };
    let tx = Texts::of(src, segs);

    let mut kind = ClaimKind::Professional;
    let mut in_837 = false;
    let mut lp = Loop::Header;
    let mut billing = Current::default();
    let mut pay_to = Current::default();
    let mut subscriber = Current::default();
    let mut payer = Current::default();
    let mut patient = Current::default();
    let mut target = AddressTarget::None;
    // Whether the batch's last claim is still being read.
    let mut open = false;

    for &seg in segs {
        // For the checks alone, names, addresses, contacts, diagnosis codes and drug
        // identifiers are not read (they yield no finding): only the billing provider's NM1,
        // whose absence is one.
        if checks_only
            && match seg.id() {
                b"N3" | b"N4" | b"PER" | b"PRV" | b"HI" | b"LIN" | b"CTP" => true,
                b"NM1" => lp != Loop::Billing,
                _ => false,
            }
        {
            continue;
        }
        let seg = Split::new(seg);
        let id = seg.id();
        if id == b"ST" {
            in_837 = seg.element(1) == Some(b"837");
            kind = if seg.text(3).contains("X223") {
                ClaimKind::Institutional
            } else {
                ClaimKind::Professional
            };
            lp = Loop::Header;
            continue;
        }
        if !in_837 {
            continue;
        }
        match id {
            b"GS" | b"GE" | b"IEA" | b"ISA" => {}
            b"SE" => {
                open = false;
                in_837 = false;
            }
            b"HL" => {
                open = false;
                match seg.element(3).unwrap_or_default() {
                    b"20" => {
                        lp = Loop::Billing;
                        billing = Current::default();
                        pay_to = Current::default();
                    }
                    b"22" => {
                        lp = Loop::Subscriber;
                        patient = Current::default();
                    }
                    b"23" => lp = Loop::Patient,
                    _ => r.find(
                        seg.pos,
                        Some(3),
                        "X12-837-HL-001",
                        format!("HL03 {:?} is not 20, 22 or 23", seg.text(3)),
                    ),
                }
            }
            b"SBR" if matches!(lp, Loop::Subscriber) => {
                subscriber.set(&mut out.subscribers, sbr(tx, &seg))
            }
            b"SBR" if open => {
                lp = Loop::OtherPayer;
                if let Some(c) = out.claims.last_mut() {
                    let before = out.other_payers.len();
                    out.other_payers.push(OtherPayerFields {
                        subscriber: sbr(tx, &seg),
                        payer: PayerView::default(),
                        paid: None,
                        claim_control_number: Str::default(),
                        adjustments: Span::default(),
                    });
                    c.other_payers.grow(before, &out.other_payers);
                }
            }
            b"PAT" if matches!(lp, Loop::Patient) => {
                patient.set(&mut out.patients, (person(tx, &seg), tx.el(&seg, 1)));
            }
            b"NM1" => {
                let code = tx.el(&seg, 1);
                let code = &*code;
                match (lp, code) {
                    (Loop::Billing, "85") => {
                        billing.set(&mut out.parties, party(tx, &seg));
                        target = AddressTarget::Billing;
                    }
                    (Loop::Billing, "87") => {
                        pay_to.set(&mut out.parties, party(tx, &seg));
                        target = AddressTarget::PayTo;
                    }
                    (Loop::Subscriber, "IL") => {
                        subscriber.get_or(&mut out.subscribers, SubscriberView::empty).person =
                            person(tx, &seg);
                        target = AddressTarget::Subscriber;
                    }
                    (Loop::Subscriber, "PR") => {
                        payer.set(&mut out.payers, self::payer(tx, &seg));
                        target = AddressTarget::Payer;
                    }
                    (Loop::Patient, "QC") => {
                        let rel =
                            patient.get(&out.patients).map(|p| p.1.clone()).unwrap_or_default();
                        patient.set(&mut out.patients, (person(tx, &seg), rel));
                        target = AddressTarget::Patient;
                    }
                    (Loop::OtherPayer, "IL" | "PR") => {
                        let op = out
                            .claims
                            .last()
                            .filter(|_| open)
                            .and_then(|c| last_in(c.other_payers, &mut out.other_payers));
                        if let Some(op) = op {
                            if code == "IL" {
                                op.subscriber.person = person(tx, &seg);
                            } else {
                                op.payer = self::payer(tx, &seg);
                            }
                        }
                        target = AddressTarget::None;
                    }
                    (Loop::Claim | Loop::Line, _) => {
                        let role = match code {
                            "DN" | "P3" => Some(ProviderRole::Referring),
                            "82" => Some(ProviderRole::Rendering),
                            "77" | "FA" => Some(ProviderRole::ServiceFacility),
                            "71" => Some(ProviderRole::Attending),
                            "72" => Some(ProviderRole::Operating),
                            "DQ" => Some(ProviderRole::Supervising),
                            _ => None,
                        };
                        if role.is_none() {
                            // Ambulance locations, ordering and purchased-service providers: not
                            // in the model; their N3/N4 must not land on the last provider.
                            target = AddressTarget::None;
                        }
                        if let (Some(role), Some(c)) =
                            (role, out.claims.last_mut().filter(|_| open))
                        {
                            if lp == Loop::Line && role == ProviderRole::Rendering {
                                if let Some(l) = last_in(c.lines, &mut out.lines) {
                                    out.parties.push(party(tx, &seg));
                                    l.rendering = Some(out.parties.len() as u32 - 1);
                                }
                                target = AddressTarget::None;
                            } else {
                                let before = out.providers.len();
                                out.providers.push((role, party(tx, &seg)));
                                c.providers.grow(before, &out.providers);
                                target = AddressTarget::ClaimProvider;
                            }
                        }
                    }
                    _ => target = AddressTarget::None,
                }
            }
            b"N3" | b"N4" => match target {
                AddressTarget::Billing => {
                    if let Some(p) = billing.get_mut(&mut out.parties) {
                        apply_address(tx, &mut p.address, &seg);
                    }
                }
                AddressTarget::PayTo => {
                    if let Some(p) = pay_to.get_mut(&mut out.parties) {
                        apply_address(tx, &mut p.address, &seg);
                    }
                }
                AddressTarget::Subscriber => {
                    let s = subscriber.get_or(&mut out.subscribers, SubscriberView::empty);
                    apply_address(tx, &mut s.person.address, &seg);
                }
                AddressTarget::Patient => {
                    if let Some(p) = patient.get_mut(&mut out.patients) {
                        apply_address(tx, &mut p.0.address, &seg);
                    }
                }
                AddressTarget::Payer => {
                    let p = payer.get_or(&mut out.payers, PayerView::default);
                    apply_address(tx, &mut p.address, &seg);
                }
                AddressTarget::ClaimProvider => {
                    let p = out
                        .claims
                        .last()
                        .filter(|_| open)
                        .and_then(|c| last_in(c.providers, &mut out.providers));
                    if let Some(p) = p {
                        apply_address(tx, &mut p.1.address, &seg);
                    }
                }
                AddressTarget::None => {}
            },
            b"DMG" => {
                let birth = r.date(&seg, 2);
                let sex = tx.el(&seg, 3).chars().next().unwrap_or('U');
                match lp {
                    Loop::Subscriber => {
                        let s = subscriber.get_or(&mut out.subscribers, SubscriberView::empty);
                        s.person.birth_date = birth;
                        s.person.sex = sex;
                    }
                    Loop::Patient => {
                        if let Some(p) = patient.get_mut(&mut out.patients) {
                            p.0.birth_date = birth;
                            p.0.sex = sex;
                        }
                    }
                    _ => {}
                }
            }
            b"REF" if lp == Loop::Billing && matches!(seg.element(1), Some(b"EI" | b"SY")) => {
                if let Some(b) = billing.get_mut(&mut out.parties) {
                    b.tax_id = tx.el(&seg, 2);
                }
            }
            b"PRV" if lp == Loop::Billing => {
                if let Some(b) = billing.get_mut(&mut out.parties) {
                    b.taxonomy = tx.el(&seg, 3);
                }
            }
            b"CLM" => {
                lp = Loop::Claim;
                let (facility, _) = comp_slices::<3>(&seg, 5);
                let freq =
                    tx.str(facility[2]).chars().next().map_or(Frequency::Original, |f| match f {
                        '1' => Frequency::Original,
                        '7' => Frequency::Replacement,
                        '8' => Frequency::Void,
                        c => Frequency::Other(c),
                    });
                let facility = tx.str(facility[0]);
                if billing.index.is_none() {
                    r.find(
                        seg.pos,
                        None,
                        "X12-837-STR-001",
                        "claim without a billing provider (loop 2010AA)".into(),
                    );
                }
                // From here on, a change to these goes to a copy.
                for c in [&mut billing, &mut pay_to, &mut subscriber, &mut payer, &mut patient] {
                    c.shared = true;
                }
                if matches!(target, AddressTarget::ClaimProvider) {
                    // The previous claim's provider: not this one's.
                    target = AddressTarget::None;
                }
                let professional = kind == ClaimKind::Professional;
                out.claims.push(ClaimFields {
                    position: seg.pos,
                    kind,
                    patient_control_number: tx.el(&seg, 1),
                    total_charge: r.money(&seg, 2),
                    place_of_service: if professional { facility.clone() } else { Str::default() },
                    facility_type: if professional { Str::default() } else { facility },
                    frequency: freq,
                    original_claim_number: Str::default(),
                    from: None,
                    to: None,
                    admission: None,
                    discharge: None,
                    discharge_status: Str::default(),
                    drg: Str::default(),
                    billing: billing.index,
                    pay_to: pay_to.index,
                    providers: Span::default(),
                    subscriber: subscriber.index,
                    patient: patient.index,
                    payer: payer.index,
                    diagnoses: Span::default(),
                    procedures: Span::default(),
                    condition_codes: Span::default(),
                    occurrences: Span::default(),
                    values: Span::default(),
                    lines: Span::default(),
                    other_payers: Span::default(),
                });
                open = true;
            }
            _ => {
                let Some(c) = out.claims.last_mut().filter(|_| open) else { continue };
                match id {
                    b"REF" if lp == Loop::Claim && tx.el(&seg, 1) == "F8" => {
                        c.original_claim_number = tx.el(&seg, 2)
                    }
                    b"REF" if lp == Loop::OtherPayer && tx.el(&seg, 1) == "F8" => {
                        if let Some(op) = last_in(c.other_payers, &mut out.other_payers) {
                            op.claim_control_number = tx.el(&seg, 2);
                        }
                    }
                    b"CL1" => c.discharge_status = tx.el(&seg, 3),
                    b"DTP" => {
                        let q = tx.el(&seg, 1);
                        let v = tx.el(&seg, 3);
                        let (from, to) = match &*tx.el(&seg, 2) {
                            "RD8" => {
                                let (a, b) = v.split_once('-').unwrap_or((&v, &v));
                                (Date::from_yyyymmdd(a), Date::from_yyyymmdd(b))
                            }
                            "D8" | "DT" => {
                                let d = r.date(&seg, 3);
                                (d, d)
                            }
                            // TM (a time) and other formats carry no date.
                            _ => (None, None),
                        };
                        match (lp, &*q) {
                            (Loop::Claim, "434") => {
                                c.from = from;
                                c.to = to;
                            }
                            (Loop::Claim, "435") => c.admission = from,
                            (Loop::Claim, "096") => c.discharge = from,
                            (Loop::Claim, "472") => {
                                c.from = from;
                                c.to = to;
                            }
                            (Loop::Line, "472") => {
                                if let Some(l) = last_in(c.lines, &mut out.lines) {
                                    l.date_from = from;
                                    l.date_to = to;
                                }
                                if c.from.is_none_or(|f| from.is_some_and(|d| d < f)) {
                                    c.from = from;
                                }
                                if c.to.is_none_or(|t| to.is_some_and(|d| d > t)) {
                                    c.to = to;
                                }
                            }
                            (Loop::LineAdjudication, "573") => {
                                let adjudication = last_in(c.lines, &mut out.lines)
                                    .and_then(|l| last_in(l.adjudications, &mut out.adjudications));
                                if let Some(a) = adjudication {
                                    a.date = from;
                                }
                            }
                            _ => {}
                        }
                    }
                    b"HI" => {
                        for n in 1..=12 {
                            if seg.element(n).is_none() {
                                break;
                            }
                            let (raw, count) = comp_slices::<9>(&seg, n);
                            if count < 2 {
                                continue;
                            }
                            let (q, code) = (tx.str(raw[0]), tx.str(raw[1]));
                            let part = |k: usize| (k < count).then(|| tx.str(raw[k]));
                            let poa = part(8).and_then(|p| match &*p {
                                "Y" => Some(Poa::Yes),
                                "N" => Some(Poa::No),
                                "U" => Some(Poa::Unknown),
                                "W" => Some(Poa::Undetermined),
                                "1" => Some(Poa::Exempt),
                                _ => None,
                            });
                            let dx = |kind| DiagnosisView { code: code.clone(), kind, poa };
                            if let Some(kind) = secondary_diagnosis(&q) {
                                push_to(&mut c.diagnoses, &mut out.diagnoses, dx(kind));
                                continue;
                            }
                            match &*q {
                                "ABK" | "BK" => {
                                    // The principal goes first.
                                    let before = out.diagnoses.len();
                                    let at = if c.diagnoses.is_empty() {
                                        before
                                    } else {
                                        c.diagnoses.start as usize
                                    };
                                    out.diagnoses.insert(at, dx(DiagnosisKind::Principal));
                                    c.diagnoses.grow(before, &out.diagnoses);
                                }
                                "BBR" | "BR" | "CAH" | "BBQ" | "BQ" => {
                                    let p = ProcedureView {
                                        code: code.clone(),
                                        principal: matches!(&*q, "BBR" | "BR" | "CAH"),
                                        date: part(3).and_then(|d| Date::from_yyyymmdd(&d)),
                                    };
                                    push_to(&mut c.procedures, &mut out.procedures, p);
                                }
                                "BG" => push_to(
                                    &mut c.condition_codes,
                                    &mut out.condition_codes,
                                    code.clone(),
                                ),
                                "DR" => c.drg = code.clone(),
                                "BH" | "BI" => {
                                    let span = part(3).unwrap_or_default();
                                    let (a, b) = span.split_once('-').unwrap_or((&span, &span));
                                    let v = CodedValueView {
                                        code: code.clone(),
                                        from: Date::from_yyyymmdd(a),
                                        to: Date::from_yyyymmdd(b),
                                        amount: None,
                                    };
                                    push_to(&mut c.occurrences, &mut out.occurrences, v);
                                }
                                "BE" => {
                                    let v = CodedValueView {
                                        code: code.clone(),
                                        from: None,
                                        to: None,
                                        amount: part(4).and_then(|a| a.parse().ok()),
                                    };
                                    push_to(&mut c.values, &mut out.values, v);
                                }
                                _ => {}
                            }
                        }
                    }
                    b"LX" => {
                        lp = Loop::Line;
                        let number = tx.el(&seg, 1).parse().unwrap_or(c.lines.len() as u32 + 1);
                        let before = out.lines.len();
                        out.lines.push(LineFields {
                            number,
                            procedure: Str::default(),
                            charge: Cents::ZERO,
                            units: Units(0),
                            unit_basis: Str::default(),
                            place_of_service: Str::default(),
                            revenue_code: Str::default(),
                            ndc: None,
                            date_from: None,
                            date_to: None,
                            modifiers: Span::default(),
                            pointers: Span::default(),
                            rendering: None,
                            adjudications: Span::default(),
                        });
                        c.lines.grow(before, &out.lines);
                    }
                    b"SV1" | b"SV2" => {
                        let prof = id == b"SV1";
                        let proc_el = if prof { 1 } else { 2 };
                        let (p, pn) = if checks_only {
                            Default::default()
                        } else {
                            comp_slices::<6>(&seg, proc_el)
                        };
                        let charge = r.money(&seg, if prof { 2 } else { 3 });
                        let units = r.units(&seg, if prof { 4 } else { 5 }).unwrap_or_default();
                        let Some(l) = last_in(c.lines, &mut out.lines) else {
                            r.find(
                                seg.pos,
                                None,
                                "X12-837-STR-002",
                                "service line without LX".into(),
                            );
                            continue;
                        };
                        l.charge = charge;
                        l.units = units;
                        if checks_only {
                            // The codes yield no finding here (the walk checks them).
                            continue;
                        }
                        l.procedure = tx.str(p[1]);
                        let before = out.modifiers.len();
                        out.modifiers.extend(
                            p[2..pn.max(2)].iter().map(|m| tx.str(m)).filter(|m| !m.is_empty()),
                        );
                        l.modifiers =
                            Span { start: before as u32, end: out.modifiers.len() as u32 };
                        l.unit_basis = tx.el(&seg, if prof { 3 } else { 4 });
                        if prof {
                            l.place_of_service = tx.el(&seg, 5);
                            let before = out.pointers.len();
                            out.pointers.extend(
                                seg.components(7).filter_map(|p| tx.str(p).parse::<u8>().ok()),
                            );
                            l.pointers =
                                Span { start: before as u32, end: out.pointers.len() as u32 };
                        } else {
                            l.revenue_code = tx.el(&seg, 1);
                        }
                    }
                    b"LIN" => {
                        if let Some(l) = last_in(c.lines, &mut out.lines) {
                            l.ndc = Some(NdcView { code: tx.el(&seg, 3), quantity: None });
                        }
                    }
                    b"CTP" => {
                        let ndc = last_in(c.lines, &mut out.lines).and_then(|l| l.ndc.as_mut());
                        if let Some(ndc) = ndc {
                            let unit = tx.str(comp_slices::<1>(&seg, 5).0[0]);
                            ndc.quantity = Some((tx.el(&seg, 4), unit));
                        }
                    }
                    b"SVD" => {
                        lp = Loop::LineAdjudication;
                        let paid = r.money(&seg, 2);
                        if let Some(l) = last_in(c.lines, &mut out.lines) {
                            let before = out.adjudications.len();
                            out.adjudications.push(LineAdjudicationFields {
                                payer_id: tx.el(&seg, 1),
                                paid,
                                date: None,
                                adjustments: Span::default(),
                            });
                            l.adjudications.grow(before, &out.adjudications);
                        }
                    }
                    b"CAS" => {
                        let before = out.adjustments.len();
                        r.cas_with(tx, &seg, |group, reason, amount, quantity| {
                            out.adjustments.push(AdjustmentView { group, reason, amount, quantity })
                        });
                        let span = match lp {
                            Loop::LineAdjudication => last_in(c.lines, &mut out.lines)
                                .and_then(|l| last_in(l.adjudications, &mut out.adjudications))
                                .map(|a| &mut a.adjustments),
                            Loop::OtherPayer => last_in(c.other_payers, &mut out.other_payers)
                                .map(|op| &mut op.adjustments),
                            _ => {
                                r.find(
                                    seg.pos,
                                    None,
                                    "X12-837-STR-003",
                                    "CAS outside loops 2320 and 2430".into(),
                                );
                                None
                            }
                        };
                        match span {
                            Some(span) => span.grow(before, &out.adjustments),
                            None => out.adjustments.truncate(before),
                        }
                    }
                    b"AMT" if lp == Loop::OtherPayer && tx.el(&seg, 1) == "D" => {
                        let paid = r.money(&seg, 2);
                        if let Some(op) = last_in(c.other_payers, &mut out.other_payers) {
                            op.paid = Some(paid);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    for c in out.claims().skip(first_claim) {
        let lines = c.line_total();
        if !c.lines.is_empty() && lines != c.total_charge {
            r.find(
                c.position,
                Some(2),
                "X12-837-BAL-001",
                format!(
                    "claim {}: CLM02 total {} ≠ the sum of its line charges {}",
                    c.patient_control_number, c.total_charge, lines
                ),
            );
        }
        if matches!(c.frequency, Frequency::Replacement | Frequency::Void)
            && c.original_claim_number.is_empty()
        {
            r.find(c.position, Some(5), "X12-837-SIT-001", format!(
                "claim {}: a replacement (7) or void (8) needs REF*F8 with the payer's original claim number",
                c.patient_control_number
            ));
        }
    }
}
