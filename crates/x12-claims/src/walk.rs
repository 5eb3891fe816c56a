//! One transaction set walked through its implementation guide: each segment placed in its loop,
//! and the guide's requirements checked on the way (SNIP levels 1 and 2): segment placement and
//! order, required and repeated segments and loops, element and component usage, code values,
//! data types and lengths, and the standard's syntax notes.
//!
//! Rule IDs (stable; level 1 `X12-SYN-…`, level 2 `X12-IG-…`):
//!
//! | rule | problem |
//! |---|---|
//! | X12-SYN-010 | element longer than the standard allows |
//! | X12-SYN-011 | element shorter than the standard allows |
//! | X12-SYN-012 | not an integer in a numeric (N0) element |
//! | X12-SYN-013 | not a decimal number in a decimal (R) element |
//! | X12-SYN-014 | not a valid date (CCYYMMDD) |
//! | X12-SYN-015 | not a valid time (HHMM[SS]) |
//! | X12-SYN-016 | control character in an element |
//! | X12-SYN-017 | more elements than the segment has |
//! | X12-SYN-018 | more components than the composite has |
//! | X12-SYN-019 | segment ID not in the X12 standard |
//! | X12-SYN-020 | syntax note of the segment broken (paired, required, exclusive, conditional) |
//! | X12-SYN-021 | component separator inside a simple element |
//! | X12-IG-001 | segment the guide does not use in this transaction |
//! | X12-IG-002 | segment out of place (the guide has it, but not here or not in this order) |
//! | X12-IG-003 | required segment missing |
//! | X12-IG-004 | segment repeated more often than the guide allows |
//! | X12-IG-005 | required loop missing |
//! | X12-IG-006 | loop repeated more often than the guide allows |
//! | X12-IG-007 | required element missing |
//! | X12-IG-008 | element the guide does not use is present |
//! | X12-IG-009 | code value the guide does not allow here |
//! | X12-IG-010 | required component missing |
//! | X12-IG-011 | component the guide does not use is present |
//! | X12-IG-012 | a subscriber without patients, or a patient, has no claim |

use x12::{Finding, Position, Segment, Split};

use crate::guide::{
    DataElement, DataType, ElementUse, Guide, Item, LoopDef, SegmentUse, Slot, StandardSegment,
    SyntaxNote, Usage, id_code, standard,
};

/// The result of a walk: the loop of each segment (`""` outside any loop) and the findings.
pub(crate) struct Walk {
    /// Loop ID per segment, in order.
    pub loops: Vec<&'static str>,
    /// Findings, in segment order (missing-segment findings where the loop closes).
    pub findings: Vec<Finding>,
}

struct Frame {
    def: &'static LoopDef,
    /// Index of the item last matched.
    pos: usize,
    /// Occurrences per item in this iteration.
    /// Where its occurrence counts (one per item) start in the walk's count stack.
    base: usize,
    /// Where this iteration started.
    start: Position,
    /// HL04 was "0" (no child HL levels).
    no_children: bool,
}

impl Frame {
    /// A frame for an iteration of `def`, its counts pushed (zero) on `counts`: frames nest, so
    /// one vector serves as the stack of all open frames' counts.
    fn open(def: &'static LoopDef, start: Position, counts: &mut Vec<u32>) -> Frame {
        let base = counts.len();
        counts.resize(base + def.items.len(), 0);
        Frame { def, pos: 0, base, start, no_children: false }
    }
}

enum Found {
    Segment(&'static SegmentUse),
    Loop(&'static LoopDef),
}

/// The value of the key element (its first repetition), or of one of its components.
fn key_value<'a>(s: &Split<'a>, key: Option<(usize, usize)>) -> &'a [u8] {
    let Some((e, c)) = key else { return b"" };
    let d = s.delimiters;
    let raw = s.element(e).unwrap_or_default();
    let first = match d.repetition {
        Some(r) => raw.split(move |b| *b == r).next().unwrap_or_default(),
        None => raw,
    };
    if c == 0 { first } else { first.split(|b| *b == d.component).nth(c - 1).unwrap_or_default() }
}

/// A key (element, component) and its value in the segment.
type KeyCache<'a> = (Option<(usize, usize)>, &'a [u8]);

/// A segment being placed: its ID and the key values asked for so far, found once.
struct Probe<'s, 'a> {
    s: &'s Split<'a>,
    id: &'a [u8],
    code: u32,
    keys: std::cell::Cell<[KeyCache<'a>; 2]>,
}

impl<'s, 'a> Probe<'s, 'a> {
    fn new(s: &'s Split<'a>) -> Probe<'s, 'a> {
        let id = s.id();
        Probe { s, id, code: id_code(id), keys: std::cell::Cell::new([(None, b""); 2]) }
    }

    fn key(&self, key: Option<(usize, usize)>) -> &'a [u8] {
        let mut cache = self.keys.get();
        if let Some((_, v)) = cache.iter().find(|(k, _)| k.is_some() && *k == key) {
            return v;
        }
        let v = key_value(self.s, key);
        cache[1] = cache[0];
        cache[0] = (key, v);
        self.keys.set(cache);
        v
    }
}

/// Whether `s` is the segment `su` describes: same ID and, when `keyed`, a key code it allows.
/// (Only called on items found by the ID's code, which for IDs of up to three bytes, as all
/// guide segments have, is the ID itself.)
fn matches(su: &SegmentUse, s: &Probe<'_, '_>, keyed: bool) -> bool {
    (su.id.len() <= 3 || su.id.as_bytes() == s.id) && (!keyed || su.key_matches(s.key(su.key)))
}

fn find(
    def: &'static LoopDef,
    range: std::ops::Range<usize>,
    s: &Probe<'_, '_>,
    keyed: bool,
) -> Option<(usize, Found)> {
    def.items_with_id(s.code).iter().filter(|&&i| range.contains(&i)).find_map(|&i| {
        match &def.items[i] {
            Item::Segment(su) if matches(su, s, keyed) => Some((i, Found::Segment(su))),
            Item::Loop(l) if l.trigger().is_some_and(|t| matches(t, s, keyed)) => {
                Some((i, Found::Loop(l)))
            }
            _ => None,
        }
    })
}

/// Where `s` goes: the first open loop, innermost first, that has it at or after its current
/// position. `keyed: false` ignores qualifiers (a segment with a wrong qualifier is placed where
/// its ID fits, and its element check reports the code).
fn search(stack: &[Frame], s: &Probe<'_, '_>, keyed: bool) -> Option<(usize, usize, Found)> {
    (0..stack.len()).rev().find_map(|level| {
        let f = &stack[level];
        // A loop's first segment is never repeated inside an iteration: it opens the next one
        // (found in the parent).
        let from = if level > 0 { f.pos.max(1) } else { f.pos };
        find(f.def, from..f.def.items.len(), s, keyed).map(|(i, found)| (level, i, found))
    })
}

fn finding(pos: Position, rule: &'static str, message: String) -> Finding {
    Finding { pos, rule, message }
}

fn loop_label(def: &LoopDef) -> String {
    if def.id.is_empty() {
        "the transaction header".to_string()
    } else {
        format!("loop {} ({})", def.id, def.name)
    }
}

fn seg_label(su: &SegmentUse) -> String {
    match su.key_codes() {
        [] => su.id.to_string(),
        [one] => format!("{}*{}", su.id, one),
        many => format!("{} ({})", su.id, many.join("/")),
    }
}

/// Walks `segs` (ST to SE of one transaction set) through `guide`.
pub(crate) fn walk(guide: &'static Guide, segs: &[Segment<'_>]) -> Walk {
    let mut out = Walk { loops: Vec::with_capacity(segs.len()), findings: Vec::new() };
    let Some(first) = segs.first() else { return out };
    // Loops nest a few levels deep: room for them from the start, no regrowth.
    let mut stack = Vec::with_capacity(8);
    let mut counts: Vec<u32> = Vec::with_capacity(256);
    stack.push(Frame::open(&guide.root, first.pos, &mut counts));
    for &seg in segs {
        // Split as it is walked (a split copy of a large set would not stay in cache).
        let split = Split::with_marks(seg);
        let s = &split;
        let probe = Probe::new(s);
        let mut out_of_order = None;
        let hit = search(&stack, &probe, true)
            .or_else(|| {
                // Earlier in the innermost loop: out of order, but placed there.
                let level = stack.len() - 1;
                let f = &stack[level];
                let first = usize::from(level > 0);
                let h = find(f.def, first..f.pos, &probe, true)?;
                out_of_order = Some(f.pos);
                Some((level, h.0, h.1))
            })
            .or_else(|| search(&stack, &probe, false));
        let Some((level, idx, found)) = hit else {
            out.findings.push(misplaced(&stack, s));
            out.loops.push(stack.last().map_or("", |f| f.def.id));
            continue;
        };
        while stack.len() > level + 1 {
            if let Some(f) = stack.pop() {
                close(&f, &counts[f.base..], &mut out.findings);
                counts.truncate(f.base);
            }
        }
        let Some(top) = stack.last_mut() else { break };
        counts[top.base + idx] += 1;
        if let Some(at) = out_of_order {
            let after = match &top.def.items[at] {
                Item::Segment(su) => seg_label(su),
                Item::Loop(l) => format!("loop {}", l.id),
            };
            out.findings.push(finding(
                s.pos,
                "X12-IG-002",
                format!(
                    "{} is out of order in {}: the guide puts it before {after}",
                    String::from_utf8_lossy(s.id()),
                    loop_label(top.def)
                ),
            ));
        } else {
            top.pos = idx;
        }
        let n = counts[top.base + idx];
        match found {
            Found::Segment(su) => {
                if su.max_use.is_some_and(|m| n > m) {
                    out.findings.push(finding(
                        s.pos,
                        "X12-IG-004",
                        format!(
                            "{} appears {n} times in {}; the guide allows {}",
                            seg_label(su),
                            loop_label(top.def),
                            su.max_use.unwrap_or(0)
                        ),
                    ));
                }
                out.loops.push(top.def.id);
                check_elements(s, su, top.def, &mut out.findings);
            }
            Found::Loop(l) => {
                if l.repeat.is_some_and(|m| n > m) {
                    out.findings.push(finding(
                        s.pos,
                        "X12-IG-006",
                        format!(
                            "{} repeats {n} times here; the guide allows {}",
                            loop_label(l),
                            l.repeat.unwrap_or(0)
                        ),
                    ));
                }
                let mut frame = Frame::open(l, s.pos, &mut counts);
                counts[frame.base] = 1;
                frame.no_children = s.id() == b"HL" && s.element(4) == Some(b"0");
                out.loops.push(l.id);
                if let Some(t) = l.trigger() {
                    check_elements(s, t, l, &mut out.findings);
                }
                stack.push(frame);
            }
        }
    }
    while let Some(f) = stack.pop() {
        close(&f, &counts[f.base..], &mut out.findings);
        counts.truncate(f.base);
    }
    out
}

fn misplaced(stack: &[Frame], s: &Split<'_>) -> Finding {
    let id = String::from_utf8_lossy(s.id());
    let here = stack.last().map_or_else(String::new, |f| loop_label(f.def));
    if !standard().segments.contains_key(id.as_ref()) {
        return finding(
            s.pos,
            "X12-SYN-019",
            format!("{id} is not a segment of the X12 standard; check the segment ID"),
        );
    }
    // Same ID in an open loop, with another qualifier: name the qualifiers allowed.
    for f in stack.iter().rev() {
        let allowed: Vec<&SegmentUse> = f
            .def
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Segment(su) if su.id.as_bytes() == s.id() && su.key.is_some() => Some(su),
                _ => None,
            })
            .collect();
        if let Some(first) = allowed.first() {
            let (e, c) = first.key.unwrap_or((1, 0));
            let value = String::from_utf8_lossy(key_value(s, first.key));
            let codes: Vec<&str> =
                allowed.iter().flat_map(|su| su.key_codes().iter().copied()).collect();
            let at = if c == 0 { format!("{id}{e:02}") } else { format!("{id}{e:02}-{c}") };
            return finding(
                Position {
                    element: Some(e as u16),
                    component: (c > 0).then_some(c as u16),
                    ..s.pos
                },
                "X12-IG-002",
                format!(
                    "{id} with {at} '{value}' is not expected in {}; there {at} may be {}",
                    loop_label(f.def),
                    list(&codes)
                ),
            );
        }
    }
    finding(
        s.pos,
        if in_guide(stack, s) { "X12-IG-002" } else { "X12-IG-001" },
        format!(
            "{id} is not expected here (in {here}); check the segment order and the loop it belongs to"
        ),
    )
}

fn in_guide(stack: &[Frame], s: &Split<'_>) -> bool {
    fn any(def: &LoopDef, id: &[u8]) -> bool {
        def.items.iter().any(|i| match i {
            Item::Segment(su) => su.id.as_bytes() == id,
            Item::Loop(l) => any(l, id),
        })
    }
    stack.first().is_some_and(|f| any(f.def, s.id()))
}

fn list(codes: &[&str]) -> String {
    if codes.len() > 12 {
        format!("{} … ({} codes)", codes[..12].join(", "), codes.len())
    } else {
        codes.join(", ")
    }
}

fn close(f: &Frame, counts: &[u32], out: &mut Vec<Finding>) {
    for &i in &f.def.checked {
        if counts.get(i).copied().unwrap_or(0) > 0 {
            continue;
        }
        match &f.def.items[i] {
            Item::Segment(su) if su.usage == Usage::Required && su.id != "SE" && su.id != "ST" => {
                out.push(finding(
                    f.start,
                    "X12-IG-003",
                    format!("{} is required in {} but missing", seg_label(su), loop_label(f.def)),
                ));
            }
            Item::Loop(l) if l.usage == Usage::Required => out.push(finding(
                f.start,
                "X12-IG-005",
                format!("{} is required in {} but missing", loop_label(l), loop_label(f.def)),
            )),
            Item::Loop(l)
                if l.id == "2300"
                    && (f.def.id == "2000C" || (f.def.id == "2000B" && f.no_children)) =>
            {
                out.push(finding(
                    f.start,
                    "X12-IG-012",
                    format!(
                        "{} has no claim (loop 2300); every patient, and every subscriber without \
                         patient levels, needs at least one",
                        loop_label(f.def)
                    ),
                ));
            }
            _ => {}
        }
    }
}

fn check_elements(s: &Split<'_>, su: &SegmentUse, def: &LoopDef, out: &mut Vec<Finding>) {
    let std = su.standard;
    let d = s.delimiters;
    let mut present = [false; 32];
    let mut count = 0;
    // Most segments carry no component separator at all: one scan of the segment spares a scan
    // of each of its simple elements.
    let has_component = s.has_component();
    // Repetitions are rarer still: looked for in each element only when the segment has one.
    let repetition = d.repetition.filter(|_| s.has_repetition());
    // The last date/time format qualifier (element 1250) seen, for the period (1251) after it.
    let mut format: &[u8] = b"";
    for (i, raw) in s.elements().enumerate() {
        count = i + 1;
        let n = i + 1;
        let at = |component: Option<usize>| Position {
            element: Some(n as u16),
            component: component.map(|c| c as u16),
            ..s.pos
        };
        let name = || format!("{}{n:02}", su.id);
        let Some(slot) = std.slots.get(i) else {
            out.push(finding(
                at(None),
                "X12-SYN-017",
                format!("{} has {} elements at most; this one has more", su.id, std.slots.len()),
            ));
            break;
        };
        if let Some(p) = present.get_mut(i) {
            *p = !raw.is_empty();
        }
        let usage = su.elements.get(i).map_or(Usage::NotUsed, |e| e.usage);
        if raw.is_empty() {
            if usage == Usage::Required {
                out.push(finding(
                    at(None),
                    "X12-IG-007",
                    format!("{} is required in {} but is empty", name(), loop_label(def)),
                ));
            }
            continue;
        }
        if usage == Usage::NotUsed {
            out.push(finding(
                at(None),
                "X12-IG-008",
                format!("{} is not used in {}; remove the value", name(), loop_label(def)),
            ));
            continue;
        }
        let Some(eu) = su.elements.get(i) else { continue };
        // Repetitions (rare): each is checked like the element.
        let rep = repetition.filter(|r| raw.contains(r)).unwrap_or(0);
        let values = raw.split(move |b| rep != 0 && *b == rep);
        for v in values {
            match slot {
                Slot::Simple(_) if has_component && v.contains(&d.component) => {
                    let why = if d.repetition.is_none() {
                        " (this interchange's ISA11 names no repetition separator of its own, so \
                         repeats cannot be sent)"
                    } else {
                        ""
                    };
                    out.push(finding(
                        at(None),
                        "X12-SYN-021",
                        format!(
                            "{} is a simple element but contains the component separator {:?}{why}",
                            name(),
                            char::from(d.component)
                        ),
                    ));
                }
                Slot::Simple(de) => {
                    let problem = check_value(v, de, eu)
                        .or_else(|| (de.number == 1251).then(|| check_period(format, v)).flatten());
                    if let Some((rule, why)) = problem {
                        out.push(finding(
                            at(None),
                            rule,
                            format!("{} {why}{}", name(), where_(def)),
                        ));
                    }
                    if de.number == 1250 {
                        format = v;
                    }
                }
                Slot::Composite(_, comps) => {
                    let mut parts: [&[u8]; 16] = [&[]; 16];
                    let mut count = 0;
                    for p in v.split(|b| *b == d.component) {
                        if let Some(slot) = parts.get_mut(count) {
                            *slot = p;
                        }
                        count += 1;
                    }
                    if count > comps.len() {
                        out.push(finding(
                            at(Some(comps.len() + 1)),
                            "X12-SYN-018",
                            format!("{} has {} components at most", name(), comps.len()),
                        ));
                    }
                    for (j, cu) in eu.components.iter().enumerate() {
                        let cname = || format!("{}-{}", name(), j + 1);
                        let part = parts.get(j).copied().unwrap_or_default();
                        if part.is_empty() {
                            if cu.usage == Usage::Required {
                                out.push(finding(
                                    at(Some(j + 1)),
                                    "X12-IG-010",
                                    format!("{} is required{} but is empty", cname(), where_(def)),
                                ));
                            }
                            continue;
                        }
                        if cu.usage == Usage::NotUsed {
                            out.push(finding(
                                at(Some(j + 1)),
                                "X12-IG-011",
                                format!("{} is not used{}; remove the value", cname(), where_(def)),
                            ));
                            continue;
                        }
                        let Some(de) = comps.get(j) else { continue };
                        if de.number == 1250 {
                            format = part;
                        }
                        let problem = check_value(part, de, cu).or_else(|| {
                            (de.number == 1251).then(|| check_period(format, part)).flatten()
                        });
                        if let Some((rule, why)) = problem {
                            out.push(finding(
                                at(Some(j + 1)),
                                rule,
                                format!("{} {why}{}", cname(), where_(def)),
                            ));
                        }
                    }
                }
            }
        }
    }
    for (i, eu) in su.elements.iter().enumerate().skip(count) {
        if eu.usage == Usage::Required {
            out.push(finding(
                Position { element: Some(i as u16 + 1), component: None, ..s.pos },
                "X12-IG-007",
                format!("{}{:02} is required in {} but is missing", su.id, i + 1, loop_label(def)),
            ));
        }
    }
    check_syntax(s, std, &present, out);
}

fn where_(def: &LoopDef) -> String {
    if def.id.is_empty() { String::new() } else { format!(" (loop {})", def.id) }
}

fn check_syntax(
    s: &Split<'_>,
    std: &StandardSegment,
    present: &[bool; 32],
    out: &mut Vec<Finding>,
) {
    let has = |p: &usize| present.get(p.wrapping_sub(1)).copied().unwrap_or(false);
    if std.syntax.is_empty() {
        return;
    }
    let id = || String::from_utf8_lossy(s.id()).into_owned();
    let names =
        |ps: &[usize]| ps.iter().map(|p| format!("{}{p:02}", id())).collect::<Vec<_>>().join(", ");
    for note in &std.syntax {
        let broken = match note {
            SyntaxNote::Paired(ps) => {
                let n = ps.iter().filter(|p| has(p)).count();
                (n != 0 && n != ps.len())
                    .then(|| format!("{} must be all present or all absent", names(ps)))
            }
            SyntaxNote::AtLeastOne(ps) => {
                (!ps.iter().any(has)).then(|| format!("at least one of {} is required", names(ps)))
            }
            SyntaxNote::Exclusive(ps) => (ps.iter().filter(|p| has(p)).count() > 1)
                .then(|| format!("only one of {} may be present", names(ps))),
            SyntaxNote::Conditional(f, ps) => (has(f) && !ps.iter().all(has))
                .then(|| format!("when {}{f:02} is present, {} must be too", id(), names(ps))),
            SyntaxNote::ListConditional(f, ps) => (has(f) && !ps.iter().any(has)).then(|| {
                format!("when {}{f:02} is present, at least one of {} must be too", id(), names(ps))
            }),
        };
        if let Some(why) = broken {
            out.push(finding(s.pos, "X12-SYN-020", format!("{why} (syntax note {})", note.code())));
        }
    }
}

/// Checks one value against its data element and the guide's codes.
fn check_value(v: &[u8], de: &DataElement, eu: &ElementUse) -> Option<(&'static str, String)> {
    let codes = &eu.codes;
    let shown = || String::from_utf8_lossy(v).into_owned();
    let numeric = matches!(de.data_type, DataType::N0 | DataType::N2 | DataType::R);
    // One pass: control characters, and for numbers the digits, points and anything else.
    let (mut control, mut digits, mut points, mut other) = (false, 0usize, 0usize, false);
    if numeric {
        let body = v.strip_prefix(b"-").unwrap_or(v);
        for &b in body {
            if b.is_ascii_digit() {
                digits += 1;
            } else if b == b'.' {
                points += 1;
            } else {
                control |= b < 0x20 || b == 0x7f;
                other = true;
            }
        }
    } else {
        control = v.iter().any(|&b| b < 0x20 || b == 0x7f);
    }
    if control {
        return Some(("X12-SYN-016", "contains a control character".to_string()));
    }
    if !codes.is_empty() {
        return (!eu.allows(v))
            .then(|| ("X12-IG-009", format!("is '{}'; allowed here: {}", shown(), list(codes))));
    }
    let len = if numeric { digits } else { v.len() };
    match de.data_type {
        DataType::N0 | DataType::N2 => {
            if digits == 0 || points > 0 || other {
                return Some(("X12-SYN-012", format!("is '{}', not a whole number", shown())));
            }
        }
        DataType::R => {
            if points > 1 || digits == 0 || other {
                return Some(("X12-SYN-013", format!("is '{}', not a decimal number", shown())));
            }
        }
        DataType::Dt => {
            if !valid_date(v) {
                return Some((
                    "X12-SYN-014",
                    format!("is '{}', not a valid date (CCYYMMDD)", shown()),
                ));
            }
        }
        DataType::Tm => {
            if !valid_time(v) {
                return Some(("X12-SYN-015", format!("is '{}', not a valid time (HHMM)", shown())));
            }
        }
        DataType::An | DataType::Id => {}
    }
    if len > usize::from(de.max) {
        return Some(("X12-SYN-010", format!("is {len} long; at most {} allowed", de.max)));
    }
    if len < usize::from(de.min) {
        return Some(("X12-SYN-011", format!("is {len} long; at least {} required", de.min)));
    }
    None
}

/// A date/time period (element 1251) against its format qualifier (element 1250).
fn check_period(format: &[u8], v: &[u8]) -> Option<(&'static str, String)> {
    let bad = |what: &str| {
        Some(("X12-SYN-014", format!("is '{}', not {what}", String::from_utf8_lossy(v))))
    };
    match format {
        b"D8" if !valid_date(v) => bad("a valid date (CCYYMMDD)"),
        b"RD8" => {
            let ok = v.len() == 17
                && v[8] == b'-'
                && valid_date(&v[..8])
                && valid_date(&v[9..])
                && v[..8] <= v[9..];
            if ok {
                None
            } else {
                bad("a valid date range (CCYYMMDD-CCYYMMDD, start not after end)")
            }
        }
        b"DT" => {
            let ok = v.len() == 12 && valid_date(&v[..8]) && valid_time(&v[8..]);
            if ok { None } else { bad("a valid date and time (CCYYMMDDHHMM)") }
        }
        b"TM" if !(v.len() == 4 && valid_time(v)) => bad("a valid time (HHMM)"),
        _ => None,
    }
}

/// A short run of digits (at most eight) as a number.
fn num(v: &[u8]) -> Option<u32> {
    if v.is_empty() || v.len() > 8 {
        return None;
    }
    v.iter().try_fold(0u32, |acc, &b| b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0')))
}

fn valid_date(v: &[u8]) -> bool {
    if v.len() != 8 {
        return false;
    }
    let (Some(y), Some(m), Some(d)) = (num(&v[..4]), num(&v[4..6]), num(&v[6..])) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn valid_time(v: &[u8]) -> bool {
    if !(4..=8).contains(&v.len()) || v.len() == 5 {
        return false;
    }
    let (Some(h), Some(m)) = (num(&v[..2]), num(&v[2..4])) else { return false };
    let s_ok = v.len() < 6 || num(&v[4..6]).is_some_and(|s| s < 60);
    let rest_ok = v.len() <= 6 || num(&v[6..]).is_some();
    h < 24 && m < 60 && s_ok && rest_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guide::guide;

    fn run(set: &str, version: &str, edi: &[u8]) -> Walk {
        let segs: Vec<Segment<'_>> = x12::Tokenizer::new(edi).map(Result::unwrap).collect();
        let st = segs.iter().position(|s| s.id() == b"ST").unwrap();
        let se = segs.iter().position(|s| s.id() == b"SE").unwrap();
        walk(guide(set, version).unwrap(), &segs[st..=se])
    }

    const ISA: &[u8] = b"ISA*00*          *00*          *ZZ*A              *ZZ*B              *260101*1200*^*00501*000000001*0*T*:~GS*HC*A*B*20260101*1200*1*X*005010X222A1~";

    fn p837(body: &str) -> Vec<u8> {
        let mut v = ISA.to_vec();
        v.extend_from_slice(body.as_bytes());
        v
    }

    const GOOD: &str = "ST*837*0001*005010X222A1~BHT*0019*00*1*20260101*1200*CH~\
NM1*41*2*BILLING SVC*****46*S1~PER*IC*DESK*TE*5555551212~NM1*40*2*PAYER*****46*R1~\
HL*1**20*1~NM1*85*2*CLINIC*****XX*1234567893~N3*1 MAIN ST~N4*CITY*ST*12345~REF*EI*123456789~\
HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JANE****MI*M1~NM1*PR*2*PAYER*****PI*P1~\
CLM*A1*100***11:B:1*Y*A*Y*Y~HI*ABK:J109~LX*1~SV1*HC:99213*100*UN*1***1~DTP*472*D8*20260101~SE*21*0001~";

    #[test]
    fn a_good_claim_walks_clean_and_gets_its_loops() {
        let w = run("837", "005010X222A1", &p837(GOOD));
        assert!(w.findings.is_empty(), "{:#?}", w.findings);
        assert_eq!(
            w.loops,
            [
                "", "", "1000A", "1000A", "1000B", "2000A", "2010AA", "2010AA", "2010AA", "2010AA",
                "2000B", "2000B", "2010BA", "2010BB", "2300", "2300", "2400", "2400", "2400", ""
            ]
        );
    }

    fn rules(w: &Walk) -> Vec<&'static str> {
        w.findings.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn each_ig_rule_fires() {
        let cases: &[(&str, &str, &str)] = &[
            ("N4*CITY*ST*12345~", "N4*CITY*ST*12345~NTE*ADD*X~", "X12-IG-002"),
            ("N3*1 MAIN ST~N4*CITY*ST*12345~", "", "X12-IG-003"),
            ("DTP*472*D8*20260101~", "DTP*472*D8*20260101~DTP*472*D8*20260102~", "X12-IG-004"),
            ("NM1*41*2*BILLING SVC*****46*S1~", "", "X12-IG-005"),
            ("N4*CITY*ST*12345~", "N4*CITY*ST*12345~BPR*I~", "X12-IG-001"),
            ("SBR*P*18*******CI~", "SBR**18*******CI~", "X12-IG-007"),
            ("NM1*IL*1*DOE*JANE****MI*M1~", "NM1*IL*1*DOE*JANE****MI*M1*XX~", "X12-IG-008"),
            ("SV1*HC:99213*100*UN*1***1~", "SV1*HC:99213*100*XX*1***1~", "X12-IG-009"),
            ("HI*ABK:J109~", "HI*ABK~", "X12-IG-010"),
            ("SV1*HC:99213*100*UN*1***1~", "SV1*HC:99213::::::X*100*UN*1***1~", "X12-IG-011"),
            (
                "CLM*A1*100***11:B:1*Y*A*Y*Y~HI*ABK:J109~LX*1~SV1*HC:99213*100*UN*1***1~DTP*472*D8*20260101~",
                "",
                "X12-IG-012",
            ),
            ("DTP*472*D8*20260101~", "DTP*472*D8*20260231~", "X12-SYN-014"),
            ("DTP*472*D8*20260101~", "DTP*472*RD8*20260105-20260101~", "X12-SYN-014"),
            ("BHT*0019*00*1*20260101*1200*CH~", "BHT*0019*00*1*20260101*2560*CH~", "X12-SYN-015"),
            ("LX*1~", "LX*A~", "X12-SYN-012"),
            ("CLM*A1*100*", "CLM*A1*1.0.0*", "X12-SYN-013"),
            ("N4*CITY*ST*12345~", "N4*C*ST*12345~", "X12-SYN-011"),
            ("LX*1~", "LX*1234567~", "X12-SYN-010"),
            ("LX*1~", "LX*1*2~", "X12-SYN-017"),
            ("HI*ABK:J109~", "HI*ABK:J109::::::::X~", "X12-SYN-018"),
            ("N4*CITY*ST*12345~", "N4*CITY*ST*12345~ZZZ*1~", "X12-SYN-019"),
            ("PER*IC*DESK*TE*5555551212~", "PER*IC*DESK*TE~", "X12-SYN-020"),
            ("N3*1 MAIN ST~", "N3*1 MAIN\x01ST~", "X12-SYN-016"),
            ("N3*1 MAIN ST~", "N3*1 MAIN:ST~", "X12-SYN-021"),
        ];
        for (from, to, rule) in cases {
            assert!(GOOD.contains(from), "{from}");
            let w = run("837", "005010X222A1", &p837(&GOOD.replacen(from, to, 1)));
            assert!(rules(&w).contains(rule), "{rule} for {to:?}: {:#?}", w.findings);
        }
    }

    #[test]
    fn a_misqualified_segment_is_placed_by_its_id_and_names_the_allowed_codes() {
        let w = run("837", "005010X222A1", &p837(&GOOD.replacen("REF*EI", "REF*XY", 1)));
        assert_eq!(rules(&w), ["X12-IG-009"], "{:#?}", w.findings);
        let f = &w.findings[0];
        assert!(f.message.contains("'XY'") && f.message.contains("EI, SY"), "{}", f.message);
        assert_eq!(f.pos.element, Some(1));
        assert_eq!(w.loops[9], "2010AA");
        // A loop trigger with a wrong qualifier still opens its loop: the rest places normally.
        let w = run("837", "005010X222A1", &p837(&GOOD.replacen("SV1*HC:", "SV1*XX:", 1)));
        assert_eq!(rules(&w), ["X12-IG-009"], "{:#?}", w.findings);
    }

    #[test]
    fn out_of_order_segments_are_placed_and_reported_once() {
        let body =
            GOOD.replacen("N3*1 MAIN ST~N4*CITY*ST*12345~", "N4*CITY*ST*12345~N3*1 MAIN ST~", 1);
        let w = run("837", "005010X222A1", &p837(&body));
        assert_eq!(rules(&w), ["X12-IG-002"], "{:#?}", w.findings);
        assert!(w.findings[0].message.contains("out of order"), "{}", w.findings[0].message);
        assert_eq!(w.loops[7], "2010AA");
    }

    #[test]
    fn dates_and_times() {
        assert!(valid_date(b"20240229") && !valid_date(b"20230229") && !valid_date(b"2024013"));
        assert!(valid_time(b"2359") && valid_time(b"235959") && valid_time(b"23595999"));
        assert!(!valid_time(b"2400") && !valid_time(b"12345") && !valid_time(b"1260"));
    }
}
