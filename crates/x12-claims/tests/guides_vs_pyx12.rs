//! The project's implementation-guide definitions (`guides/*.def`) checked against pyx12's
//! machine-readable maps in `../shared/data/x12/pyx12_maps/` (read at test time when present,
//! never copied into the repository): loops, segment order, usage, repeats, element usage, data
//! element numbers, types and lengths, syntax notes and code lists.
//!
//! Every disagreement must be listed in `tests/guides_vs_pyx12.expected` with the reason we
//! differ (usually: pyx12 follows an older draft, or lists a code set that belongs to an external
//! code list). Places where pyx12 restricts a code list and we accept any value are counted and
//! printed, not failed: they are checks we have not written yet.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::events::Event;
use x12_claims::guide::{self, Item, LoopDef, SegmentUse, Slot, Usage};

#[derive(Debug, Default, Clone)]
struct PElement {
    usage: String,
    data_ele: String,
    codes: BTreeSet<String>,
    components: Vec<PElement>,
}

#[derive(Debug, Default, Clone)]
struct PSegment {
    id: String,
    usage: String,
    max_use: String,
    syntax: Vec<String>,
    elements: Vec<PElement>,
}

#[derive(Debug, Default, Clone)]
struct PLoop {
    id: String,
    usage: String,
    repeat: String,
    items: Vec<PItem>,
}

#[derive(Debug, Clone)]
enum PItem {
    Seg(PSegment),
    Loop(PLoop),
}

fn maps_dir() -> Option<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/x12/pyx12_maps");
    d.is_dir().then_some(d)
}

/// Reads a pyx12 map into a tree.
fn read_map(path: &Path) -> PLoop {
    let text = std::fs::read_to_string(path).unwrap();
    let mut r = Reader::from_str(&text);
    r.config_mut().trim_text(true);
    // Open containers: loops, a segment, elements/composites.
    let mut loops: Vec<PLoop> = vec![PLoop { id: "ROOT".into(), ..Default::default() }];
    let mut seg: Option<PSegment> = None;
    let mut els: Vec<PElement> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut text_buf = String::new();
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let xid = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == b"xid")
                    .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                    .unwrap_or_default();
                match name.as_str() {
                    "loop" => loops.push(PLoop { id: xid, ..Default::default() }),
                    "segment" => seg = Some(PSegment { id: xid, ..Default::default() }),
                    "element" | "composite" => els.push(PElement::default()),
                    _ => {}
                }
                path.push(name);
                text_buf.clear();
            }
            Event::Text(t) => text_buf = t.unescape().unwrap().into_owned(),
            Event::End(_) => {
                let name = path.pop().unwrap();
                let parent = path.last().map(String::as_str).unwrap_or("");
                let t = std::mem::take(&mut text_buf);
                match (name.as_str(), parent) {
                    ("loop", _) => {
                        let l = loops.pop().unwrap();
                        loops.last_mut().unwrap().items.push(PItem::Loop(l));
                    }
                    ("segment", _) => {
                        let s = seg.take().unwrap();
                        loops.last_mut().unwrap().items.push(PItem::Seg(s));
                    }
                    ("element" | "composite", _) => {
                        let e = els.pop().unwrap();
                        match els.last_mut() {
                            Some(c) => c.components.push(e),
                            None => seg.as_mut().unwrap().elements.push(e),
                        }
                    }
                    ("usage", "loop") => loops.last_mut().unwrap().usage = t,
                    ("repeat", "loop") => loops.last_mut().unwrap().repeat = t,
                    ("usage", "segment") => seg.as_mut().unwrap().usage = t,
                    ("max_use", "segment") => seg.as_mut().unwrap().max_use = t,
                    ("syntax", "segment") => seg.as_mut().unwrap().syntax.push(t),
                    ("usage", "element" | "composite") => els.last_mut().unwrap().usage = t,
                    ("data_ele", "element" | "composite") => els.last_mut().unwrap().data_ele = t,
                    ("code", "valid_codes") => {
                        els.last_mut().unwrap().codes.insert(t);
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut root = loops.pop().unwrap();
    // transaction > ISA_LOOP > GS_LOOP > ST_LOOP; HEADER, DETAIL and FOOTER are table wrappers.
    fn find_st(l: &PLoop) -> Option<PLoop> {
        for i in &l.items {
            if let PItem::Loop(c) = i {
                if c.id == "ST_LOOP" {
                    return Some(c.clone());
                }
                if let Some(f) = find_st(c) {
                    return Some(f);
                }
            }
        }
        None
    }
    root = find_st(&root).expect("ST_LOOP");
    fn unwrap_tables(l: &mut PLoop) {
        let mut items = Vec::new();
        for i in std::mem::take(&mut l.items) {
            match i {
                PItem::Loop(mut c) if matches!(c.id.as_str(), "HEADER" | "DETAIL" | "FOOTER") => {
                    unwrap_tables(&mut c);
                    items.extend(c.items);
                }
                PItem::Loop(mut c) => {
                    unwrap_tables(&mut c);
                    items.push(PItem::Loop(c));
                }
                s => items.push(s),
            }
        }
        l.items = items;
    }
    unwrap_tables(&mut root);
    root
}

fn read_dataele(path: &Path) -> HashMap<String, (String, String, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut r = Reader::from_str(&text);
    let mut out = HashMap::new();
    loop {
        match r.read_event().unwrap() {
            Event::Empty(e) | Event::Start(e) if e.name().as_ref() == b"data_ele" => {
                let get = |k: &[u8]| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == k)
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                        .unwrap_or_default()
                };
                out.insert(get(b"ele_num"), (get(b"data_type"), get(b"min_len"), get(b"max_len")));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

struct Diff {
    disagreements: Vec<String>,
    codes_not_checked: usize,
    elements_compared: usize,
}

fn repeat_text(r: Option<u32>) -> String {
    r.map_or(">1".into(), |n| n.to_string())
}

fn seg_label(s: &SegmentUse) -> String {
    match s.key_codes().first() {
        Some(c) => format!("{}*{}", s.id, c),
        None => s.id.to_string(),
    }
}

fn p_key(s: &PSegment) -> BTreeSet<String> {
    let Some(e) = s.elements.first() else { return BTreeSet::new() };
    if !e.codes.is_empty() {
        return e.codes.clone();
    }
    e.components.first().map(|c| c.codes.clone()).unwrap_or_default()
}

fn compare_loop(ours: &LoopDef, theirs: &PLoop, path: &str, d: &mut Diff) {
    let here = if ours.id.is_empty() { path.to_string() } else { format!("{path}/{}", ours.id) };
    if !ours.id.is_empty() {
        if ours.usage.letter().to_string() != theirs.usage {
            d.disagreements.push(format!(
                "{here}: loop usage {} vs {}",
                ours.usage.letter(),
                theirs.usage
            ));
        }
        if repeat_text(ours.repeat) != theirs.repeat {
            d.disagreements.push(format!(
                "{here}: loop repeat {} vs {}",
                repeat_text(ours.repeat),
                theirs.repeat
            ));
        }
    }
    // Segments in order; match each of theirs to the next of ours with the same ID and key.
    let our_segs: Vec<&SegmentUse> = ours
        .items
        .iter()
        .filter_map(|i| if let Item::Segment(s) = i { Some(s) } else { None })
        .collect();
    let their_segs: Vec<&PSegment> = theirs
        .items
        .iter()
        .filter_map(|i| if let PItem::Seg(s) = i { Some(s) } else { None })
        .filter(|s| !matches!(s.id.as_str(), "ISA" | "GS" | "GE" | "IEA" | "TA1"))
        .collect();
    let mut used = vec![false; our_segs.len()];
    for t in &their_segs {
        let tk = p_key(t);
        let found = our_segs.iter().enumerate().position(|(i, o)| {
            !used[i] && o.id == t.id && {
                let ok: BTreeSet<String> = o.key_codes().iter().map(|s| s.to_string()).collect();
                (ok.is_empty() && tk.is_empty()) || ok.intersection(&tk).next().is_some() ||
                    // Same ID, no key on one side: match in order.
                    ok.is_empty() || tk.is_empty()
            }
        });
        match found {
            Some(i) => {
                used[i] = true;
                compare_segment(our_segs[i], t, &here, d);
            }
            None => d.disagreements.push(format!(
                "{here}: segment {}{} missing from our guide",
                t.id,
                tk.first().map(|c| format!("*{c}")).unwrap_or_default()
            )),
        }
    }
    for (i, o) in our_segs.iter().enumerate() {
        if !used[i] {
            d.disagreements.push(format!("{here}: segment {} not in pyx12", seg_label(o)));
        }
    }
    // Child loops by ID.
    let our_loops: Vec<&LoopDef> = ours
        .items
        .iter()
        .filter_map(|i| if let Item::Loop(l) = i { Some(l) } else { None })
        .collect();
    for t in theirs.items.iter().filter_map(|i| if let PItem::Loop(l) = i { Some(l) } else { None })
    {
        match our_loops.iter().find(|o| o.id == t.id) {
            Some(o) => compare_loop(o, t, &here, d),
            None if t.usage == "N" => {}
            None => d.disagreements.push(format!("{here}: loop {} missing from our guide", t.id)),
        }
    }
    for o in &our_loops {
        if !theirs.items.iter().any(|i| matches!(i, PItem::Loop(l) if l.id == o.id)) {
            d.disagreements.push(format!("{here}: loop {} not in pyx12", o.id));
        }
    }
}

fn compare_segment(o: &SegmentUse, t: &PSegment, path: &str, d: &mut Diff) {
    let label = format!("{path} {}", seg_label(o));
    if o.usage.letter().to_string() != t.usage {
        d.disagreements.push(format!("{label}: usage {} vs {}", o.usage.letter(), t.usage));
    }
    if repeat_text(o.max_use) != t.max_use {
        d.disagreements.push(format!(
            "{label}: max use {} vs {}",
            repeat_text(o.max_use),
            t.max_use
        ));
    }
    let std = &guide::standard().segments[o.id];
    let ours_syn: BTreeSet<String> = std.syntax.iter().map(|s| s.code()).collect();
    let theirs_syn: BTreeSet<String> = t.syntax.iter().cloned().collect();
    if ours_syn != theirs_syn && !SYNTAX_REPORTED.with(|r| !r.borrow_mut().insert(o.id.to_string()))
    {
        d.disagreements.push(format!("{} syntax notes {ours_syn:?} vs {theirs_syn:?}", o.id));
    }
    for (i, te) in t.elements.iter().enumerate() {
        d.elements_compared += 1;
        let pos = format!("{label} {}{:02}", o.id, i + 1);
        let ou = o.elements.get(i).map_or(Usage::NotUsed, |e| e.usage);
        if ou.letter().to_string() != te.usage {
            d.disagreements.push(format!("{pos}: usage {} vs {}", ou.letter(), te.usage));
        }
        let Some(slot) = std.slots.get(i) else {
            d.disagreements.push(format!("{pos}: past the end of our standard segment"));
            continue;
        };
        if slot.reference() != te.data_ele {
            d.disagreements.push(format!("{pos}: element {} vs {}", slot.reference(), te.data_ele));
        }
        if ou == Usage::NotUsed {
            continue;
        }
        let Some(oe) = o.elements.get(i) else { continue };
        compare_codes(&oe.codes, &te.codes, &pos, d);
        if let Slot::Composite(_, comps) = slot {
            for (j, tc) in te.components.iter().enumerate() {
                let cpos = format!("{pos}-{}", j + 1);
                let cu = oe.components.get(j).map_or(Usage::NotUsed, |c| c.usage);
                if cu.letter().to_string() != tc.usage {
                    d.disagreements.push(format!("{cpos}: usage {} vs {}", cu.letter(), tc.usage));
                }
                if comps.get(j).map(|c| c.number.to_string()) != Some(tc.data_ele.clone()) {
                    d.disagreements.push(format!(
                        "{cpos}: element {:?} vs {}",
                        comps.get(j).map(|c| c.number),
                        tc.data_ele
                    ));
                }
                if cu != Usage::NotUsed
                    && let Some(oc) = oe.components.get(j)
                {
                    compare_codes(&oc.codes, &tc.codes, &cpos, d);
                }
            }
        }
    }
}

thread_local! {
    static SYNTAX_REPORTED: std::cell::RefCell<BTreeSet<String>> = Default::default();
}

fn compare_codes(ours: &[&str], theirs: &BTreeSet<String>, pos: &str, d: &mut Diff) {
    let o: BTreeSet<String> = ours.iter().map(|s| s.to_string()).collect();
    if o.is_empty() && !theirs.is_empty() {
        d.codes_not_checked += 1;
        if std::env::var_os("SHOW_UNCHECKED").is_some() {
            eprintln!("unchecked {pos}: {theirs:?}");
        }
    } else if !o.is_empty() && o != *theirs {
        let extra: Vec<_> = o.difference(theirs).collect();
        let missing: Vec<_> = theirs.difference(&o).collect();
        d.disagreements.push(format!("{pos}: codes: ours only {extra:?}, pyx12 only {missing:?}"));
    }
}

const PAIRS: &[(&str, &str, &str)] = &[
    ("837", "005010X222A1", "837.5010.X222.A1.xml"),
    ("837", "005010X223A2", "837Q3.I.5010.X223.A1.xml"),
    ("835", "005010X221A1", "835.5010.X221.A1.xml"),
    ("999", "005010X231A1", "999.5010X231.A1.xml"),
    ("277", "005010X214", "277.5010.X214.xml"),
];

#[test]
fn guides_agree_with_pyx12_maps() {
    let Some(dir) = maps_dir() else {
        eprintln!("skipped: ../shared/data/x12/pyx12_maps not present");
        return;
    };
    let mut all = Vec::new();
    let mut summary = String::new();
    for (set, version, file) in PAIRS {
        let ours = guide::guide(set, version).unwrap();
        let theirs = read_map(&dir.join(file));
        let mut d = Diff { disagreements: Vec::new(), codes_not_checked: 0, elements_compared: 0 };
        compare_loop(&ours.root, &theirs, version, &mut d);
        summary.push_str(&format!(
            "{version}: {} elements compared, {} disagreements, {} code lists pyx12 has and we do not check\n",
            d.elements_compared,
            d.disagreements.len(),
            d.codes_not_checked
        ));
        all.extend(d.disagreements);
    }
    let dataele = read_dataele(&dir.join("dataele.xml"));
    let mut nums: Vec<_> = guide::standard().elements.values().collect();
    nums.sort_by_key(|e| e.number);
    for e in nums {
        if let Some((ty, min, max)) = dataele.get(&e.number.to_string()) {
            let ours = (e.data_type.name().to_string(), e.min.to_string(), e.max.to_string());
            if ours != (ty.clone(), min.clone(), max.clone()) {
                all.push(format!("element {}: {:?} vs {:?}", e.number, ours, (ty, min, max)));
            }
        }
    }
    eprintln!("{summary}");
    let expected_text = include_str!("guides_vs_pyx12.expected");
    let expected: BTreeSet<&str> = expected_text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split(" ## ").next().unwrap_or(l).trim_end())
        .collect();
    let unexpected: Vec<&String> = all.iter().filter(|d| !expected.contains(d.as_str())).collect();
    let stale: Vec<&&str> = expected.iter().filter(|e| !all.iter().any(|d| d == **e)).collect();
    assert!(
        unexpected.is_empty() && stale.is_empty(),
        "{} disagreements with pyx12 not in guides_vs_pyx12.expected:\n{}\n\n{} expected ones no longer seen:\n{}",
        unexpected.len(),
        unexpected.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n"),
        stale.len(),
        stale.iter().map(|s| **s).collect::<Vec<_>>().join("\n")
    );
}
