//! The implementation guides as data: the X12 standard's data elements, composites and segments
//! (`guides/standard.def`) and, per transaction, its loops, segments, element usage, repeats and
//! code values (`guides/*.def`), written for this project from the ASC X12 TR3s. The format is
//! described in `guides/README.md`; [`guide`] parses a built-in guide once and keeps it.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Requirement designator of a loop, segment, element or component.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Usage {
    /// Required.
    Required,
    /// Situational: sent when its rule in the guide applies.
    Situational,
    /// Not used in this guide.
    NotUsed,
}

impl Usage {
    fn parse(c: char) -> Option<Usage> {
        match c {
            'R' => Some(Usage::Required),
            'S' => Some(Usage::Situational),
            'N' => Some(Usage::NotUsed),
            _ => None,
        }
    }

    /// `R`, `S` or `N`.
    pub fn letter(self) -> char {
        match self {
            Usage::Required => 'R',
            Usage::Situational => 'S',
            Usage::NotUsed => 'N',
        }
    }
}

/// X12 data element types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataType {
    /// String.
    An,
    /// Identifier (a code).
    Id,
    /// Date, CCYYMMDD.
    Dt,
    /// Time, HHMM[SS[D..]].
    Tm,
    /// Decimal number.
    R,
    /// Integer with no implied decimals.
    N0,
    /// Numeric with two implied decimals.
    N2,
}

impl DataType {
    /// The type as the standard writes it.
    pub fn name(self) -> &'static str {
        match self {
            DataType::An => "AN",
            DataType::Id => "ID",
            DataType::Dt => "DT",
            DataType::Tm => "TM",
            DataType::R => "R",
            DataType::N0 => "N0",
            DataType::N2 => "N2",
        }
    }
}

/// A data element of the standard dictionary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataElement {
    /// Its number (`1028`).
    pub number: u16,
    /// Type.
    pub data_type: DataType,
    /// Minimum length.
    pub min: u16,
    /// Maximum length.
    pub max: u16,
}

/// One position of a standard segment: a simple element or a composite.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slot {
    /// A simple element.
    Simple(DataElement),
    /// A composite (`C003`) and its components.
    Composite(&'static str, Vec<DataElement>),
}

impl Slot {
    /// The element number or composite ID as text.
    pub fn reference(&self) -> String {
        match self {
            Slot::Simple(d) => d.number.to_string(),
            Slot::Composite(id, _) => (*id).to_string(),
        }
    }
}

/// A syntax note of a segment (positions are 1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyntaxNote {
    /// P: all or none present.
    Paired(Vec<usize>),
    /// R: at least one present.
    AtLeastOne(Vec<usize>),
    /// E: not more than one present.
    Exclusive(Vec<usize>),
    /// C: if the first is present, all the others are.
    Conditional(usize, Vec<usize>),
    /// L: if the first is present, at least one of the others is.
    ListConditional(usize, Vec<usize>),
}

impl SyntaxNote {
    fn parse(s: &str) -> Option<SyntaxNote> {
        let (kind, digits) = s.split_at(1);
        if digits.len() < 4 || digits.len() % 2 != 0 || !digits.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let pos: Vec<usize> = digits
            .as_bytes()
            .chunks(2)
            .map(|c| usize::from((c[0] - b'0') * 10 + c[1] - b'0'))
            .collect();
        Some(match kind {
            "P" => SyntaxNote::Paired(pos),
            "R" => SyntaxNote::AtLeastOne(pos),
            "E" => SyntaxNote::Exclusive(pos),
            "C" => SyntaxNote::Conditional(pos[0], pos[1..].to_vec()),
            "L" => SyntaxNote::ListConditional(pos[0], pos[1..].to_vec()),
            _ => return None,
        })
    }

    /// The note as the standard writes it (`P0304`).
    pub fn code(&self) -> String {
        let (k, all): (char, Vec<usize>) = match self {
            SyntaxNote::Paired(p) => ('P', p.clone()),
            SyntaxNote::AtLeastOne(p) => ('R', p.clone()),
            SyntaxNote::Exclusive(p) => ('E', p.clone()),
            SyntaxNote::Conditional(f, p) => ('C', std::iter::once(*f).chain(p.clone()).collect()),
            SyntaxNote::ListConditional(f, p) => {
                ('L', std::iter::once(*f).chain(p.clone()).collect())
            }
        };
        std::iter::once(k.to_string()).chain(all.iter().map(|p| format!("{p:02}"))).collect()
    }
}

/// A segment of the standard.
#[derive(Clone, Debug)]
pub struct StandardSegment {
    /// Its positions.
    pub slots: Vec<Slot>,
    /// Its syntax notes.
    pub syntax: Vec<SyntaxNote>,
}

/// How the guide uses one element (or one component of a composite).
#[derive(Clone, Debug)]
pub struct ElementUse {
    /// Usage.
    pub usage: Usage,
    /// The codes the guide allows, in the guide's order (empty: any value the type allows).
    pub codes: Vec<&'static str>,
    /// The same codes, for lookups.
    pub sorted: Codes,
    /// For a composite: how each component is used (empty for simple elements).
    pub components: Vec<ElementUse>,
}

impl ElementUse {
    /// Whether the guide allows `value` here (any value when it lists no codes).
    pub fn allows(&self, value: &[u8]) -> bool {
        self.sorted.is_empty() || self.sorted.contains(value)
    }
}

/// A code list for lookups: codes of up to seven bytes packed into sorted integers (one integer
/// comparison per probe), longer ones sorted as text.
#[derive(Clone, Debug, Default)]
pub struct Codes {
    short: Vec<u64>,
    long: Vec<&'static str>,
}

impl Codes {
    /// The lookup form of `codes`.
    pub fn new(codes: &[&'static str]) -> Codes {
        let mut c = Codes::default();
        for code in codes {
            match pack(code.as_bytes()) {
                Some(p) => c.short.push(p),
                None => c.long.push(code),
            }
        }
        c.short.sort_unstable();
        c.long.sort_unstable();
        c
    }

    /// No codes.
    pub fn is_empty(&self) -> bool {
        self.short.is_empty() && self.long.is_empty()
    }

    /// Whether `value` is one of the codes.
    pub fn contains(&self, value: &[u8]) -> bool {
        match pack(value) {
            // Most lists are a handful of codes: a straight scan beats a search.
            Some(p) if self.short.len() <= 16 => self.short.contains(&p),
            Some(p) => self.short.binary_search(&p).is_ok(),
            None => has_code(&self.long, value),
        }
    }
}

/// Up to seven bytes and their length in one integer (distinct values give distinct integers).
fn pack(v: &[u8]) -> Option<u64> {
    if v.len() > 7 {
        return None;
    }
    Some(v.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)) << 8 | v.len() as u64)
}

/// A segment in a loop of a guide.
#[derive(Clone, Debug)]
pub struct SegmentUse {
    /// Segment ID.
    pub id: &'static str,
    /// Usage.
    pub usage: Usage,
    /// Maximum occurrences in one loop iteration (`None`: unbounded).
    pub max_use: Option<u32>,
    /// Element usage by position (index 0 is element 01); positions past the end are not used.
    pub elements: Vec<ElementUse>,
    /// The element (and component) whose code tells this segment apart from others with the
    /// same ID in the loop, 1-based.
    pub key: Option<(usize, usize)>,
    /// The line of the guide file that defines it.
    pub line: u32,
    /// The segment in the standard dictionary.
    pub standard: &'static StandardSegment,
}

impl SegmentUse {
    /// The codes of the key element, when it has one.
    pub fn key_codes(&self) -> &[&'static str] {
        let Some((e, c)) = self.key else { return &[] };
        let Some(el) = self.elements.get(e - 1) else { return &[] };
        if c == 0 { &el.codes } else { el.components.get(c - 1).map_or(&[], |x| &x.codes) }
    }

    /// True when `value` (the key element's value) selects this segment definition.
    pub fn key_matches(&self, value: &[u8]) -> bool {
        let Some((e, c)) = self.key else { return true };
        let Some(el) = self.elements.get(e - 1) else { return true };
        let el = if c == 0 { Some(el) } else { el.components.get(c - 1) };
        el.is_none_or(|el| el.allows(value))
    }
}

/// Whether `codes` (sorted, as the guides keep them) holds `value`.
pub fn has_code(codes: &[&str], value: &[u8]) -> bool {
    codes.binary_search_by(|c| c.as_bytes().cmp(value)).is_ok()
}

/// Item indexes by segment ID code ([`id_code`]): an open-addressing table, so finding where a
/// segment can go is one multiplication and (nearly always) one probe.
#[derive(Clone, Debug, Default)]
pub struct IdTable {
    /// (code, start in `items`, count); code 0 marks an empty slot.
    slots: Vec<(u32, u32, u32)>,
    items: Vec<usize>,
    /// log2 of the number of slots.
    bits: u32,
}

impl IdTable {
    fn new(map: &std::collections::BTreeMap<u32, Vec<usize>>) -> IdTable {
        let mut bits = 1;
        while (1usize << bits) < 2 * map.len() {
            bits += 1;
        }
        let mut t = IdTable { slots: vec![(0, 0, 0); 1 << bits], items: Vec::new(), bits };
        for (&code, items) in map {
            let start = t.items.len() as u32;
            t.items.extend_from_slice(items);
            let mut i = t.slot(code);
            while t.slots[i].0 != 0 {
                i = (i + 1) & (t.slots.len() - 1);
            }
            t.slots[i] = (code, start, items.len() as u32);
        }
        t
    }

    fn slot(&self, code: u32) -> usize {
        (code.wrapping_mul(0x9E37_79B1) >> (32 - self.bits)) as usize
    }

    /// The item indexes for `code`, in order.
    pub fn get(&self, code: u32) -> &[usize] {
        if self.slots.is_empty() || code == 0 {
            return &[];
        }
        let mut i = self.slot(code);
        loop {
            let (c, start, len) = self.slots[i];
            if c == code {
                return &self.items[start as usize..(start + len) as usize];
            }
            if c == 0 {
                return &[];
            }
            i = (i + 1) & (self.slots.len() - 1);
        }
    }
}

/// A loop (or the transaction's top level, with an empty ID).
#[derive(Clone, Debug)]
pub struct LoopDef {
    /// Loop ID (`2010AA`), empty for the top level.
    pub id: &'static str,
    /// Name.
    pub name: &'static str,
    /// Usage.
    pub usage: Usage,
    /// Maximum repeats (`None`: unbounded).
    pub repeat: Option<u32>,
    /// Its segments and child loops, in order.
    pub items: Vec<Item>,
    /// Item indexes by segment ID (a child loop under its first segment's ID), sorted by ID:
    /// where a segment can go without scanning every item.
    pub by_id: IdTable,
    /// The items whose absence closing an iteration can report: required segments and loops,
    /// and the claim loop (2300).
    pub checked: Vec<usize>,
}

/// A segment ID packed into an integer for fast comparison.
pub fn id_code(id: &[u8]) -> u32 {
    id.iter().take(3).fold(0u32, |acc, &b| (acc << 8) | u32::from(b))
        | ((id.len().min(4) as u32) << 24)
}

impl LoopDef {
    /// The item indexes whose segment (or first segment) has this ID, in order.
    pub fn items_with_id(&self, code: u32) -> &[usize] {
        self.by_id.get(code)
    }

    fn index(&mut self) {
        self.checked = (0..self.items.len())
            .filter(|&i| match &self.items[i] {
                Item::Segment(su) => su.usage == Usage::Required,
                Item::Loop(l) => l.usage == Usage::Required || l.id == "2300",
            })
            .collect();
        let mut map: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
        for (i, item) in self.items.iter_mut().enumerate() {
            let id = match item {
                Item::Segment(su) => su.id,
                Item::Loop(l) => {
                    l.index();
                    match l.trigger() {
                        Some(t) => t.id,
                        None => continue,
                    }
                }
            };
            map.entry(id_code(id.as_bytes())).or_default().push(i);
        }
        self.by_id = IdTable::new(&map);
    }

    /// The segment that opens the loop.
    pub fn trigger(&self) -> Option<&SegmentUse> {
        match self.items.first() {
            Some(Item::Segment(s)) => Some(s),
            _ => None,
        }
    }
}

/// A loop's content.
#[derive(Clone, Debug)]
pub enum Item {
    /// A segment.
    Segment(SegmentUse),
    /// A child loop.
    Loop(LoopDef),
}

/// One transaction's implementation guide.
#[derive(Clone, Debug)]
pub struct Guide {
    /// ST01.
    pub set: &'static str,
    /// The implementation convention reference (`005010X222A1`).
    pub version: &'static str,
    /// Name.
    pub name: &'static str,
    /// The top level: header segments, loops, trailer.
    pub root: LoopDef,
}

/// The built-in guides, by file.
const GUIDES: &[(&str, &str)] = &[
    ("837p.def", include_str!("../guides/837p.def")),
    ("837i.def", include_str!("../guides/837i.def")),
    ("835.def", include_str!("../guides/835.def")),
    ("999.def", include_str!("../guides/999.def")),
    ("277ca.def", include_str!("../guides/277ca.def")),
    ("270.def", include_str!("../guides/270.def")),
    ("271.def", include_str!("../guides/271.def")),
    ("276.def", include_str!("../guides/276.def")),
    ("277.def", include_str!("../guides/277.def")),
];

const STANDARD: &str = include_str!("../guides/standard.def");

/// The X12 standard dictionary.
pub fn standard() -> &'static Standard {
    static S: OnceLock<Standard> = OnceLock::new();
    S.get_or_init(|| match Standard::parse(STANDARD) {
        Ok(s) => s,
        Err(e) => unreachable!("guides/standard.def is tested to parse: {e}"),
    })
}

/// All built-in guides.
pub fn guides() -> &'static [Guide] {
    static G: OnceLock<Vec<Guide>> = OnceLock::new();
    G.get_or_init(|| {
        GUIDES
            .iter()
            .map(|(file, text)| match parse_guide(text, standard()) {
                Ok(g) => g,
                Err(e) => unreachable!("guides/{file} is tested to parse: {e}"),
            })
            .collect()
    })
}

/// The guide for a transaction set and version (GS08/ST03). Later errata of a version
/// (`005010X222A2`) and the base version without its addenda (`005010X222`) find the guide they
/// extend.
pub fn guide(set: &str, version: &str) -> Option<&'static Guide> {
    let all = guides();
    all.iter().find(|g| g.set == set && g.version == version).or_else(|| {
        let base = |v: &str| v.get(..10).map(str::to_string);
        let b = base(version)?;
        all.iter().find(|g| g.set == set && base(g.version).as_deref() == Some(b.as_str()))
    })
}

/// The standard: data elements, composites and segments.
#[derive(Clone, Debug, Default)]
pub struct Standard {
    /// Segments by ID.
    pub segments: HashMap<&'static str, StandardSegment>,
    /// Data elements by number.
    pub elements: HashMap<u16, DataElement>,
}

impl Standard {
    fn parse(text: &'static str) -> Result<Standard, String> {
        let mut std = Standard::default();
        let mut composites: HashMap<&'static str, Vec<DataElement>> = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            let err = |m: &str| format!("standard.def line {}: {m}", n + 1);
            let words: Vec<&'static str> =
                line.split('#').next().unwrap_or("").split_whitespace().collect();
            let Some((&kind, rest)) = words.split_first() else { continue };
            match kind {
                "el" => {
                    let [num, ty, min, max] = rest else { return Err(err("el NUM TYPE MIN MAX")) };
                    let data_type = match *ty {
                        "AN" => DataType::An,
                        "ID" => DataType::Id,
                        "DT" => DataType::Dt,
                        "TM" => DataType::Tm,
                        "R" => DataType::R,
                        "N0" => DataType::N0,
                        "N2" => DataType::N2,
                        _ => return Err(err("unknown type")),
                    };
                    let p = |s: &str| s.parse::<u16>().map_err(|_| err("bad number"));
                    let number = p(num)?;
                    std.elements.insert(
                        number,
                        DataElement { number, data_type, min: p(min)?, max: p(max)? },
                    );
                }
                "comp" => {
                    let (id, nums) = rest.split_first().ok_or_else(|| err("comp ID NUM..."))?;
                    let els = nums
                        .iter()
                        .map(|x| {
                            x.parse::<u16>()
                                .ok()
                                .and_then(|k| std.elements.get(&k).copied())
                                .ok_or_else(|| err(&format!("unknown element {x}")))
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    composites.insert(id, els);
                }
                "seg" => {
                    let (id, refs) = rest.split_first().ok_or_else(|| err("seg ID REF..."))?;
                    let slots = refs
                        .iter()
                        .map(|r| {
                            if let Some(c) = composites.get_key_value(r) {
                                Ok(Slot::Composite(c.0, c.1.clone()))
                            } else {
                                r.parse::<u16>()
                                    .ok()
                                    .and_then(|k| std.elements.get(&k).copied())
                                    .map(Slot::Simple)
                                    .ok_or_else(|| err(&format!("unknown element {r}")))
                            }
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    std.segments.insert(id, StandardSegment { slots, syntax: Vec::new() });
                }
                "syn" => {
                    let (id, notes) = rest.split_first().ok_or_else(|| err("syn ID NOTE..."))?;
                    let seg = std.segments.get_mut(id).ok_or_else(|| err("syn before seg"))?;
                    for note in notes {
                        let parsed = SyntaxNote::parse(note).ok_or_else(|| err("bad note"))?;
                        if parsed.positions_max() > seg.slots.len() {
                            return Err(err("note past the segment's end"));
                        }
                        seg.syntax.push(parsed);
                    }
                }
                _ => return Err(err("unknown line")),
            }
        }
        Ok(std)
    }
}

impl SyntaxNote {
    fn positions_max(&self) -> usize {
        match self {
            SyntaxNote::Paired(p) | SyntaxNote::AtLeastOne(p) | SyntaxNote::Exclusive(p) => {
                p.iter().copied().max().unwrap_or(0)
            }
            SyntaxNote::Conditional(f, p) | SyntaxNote::ListConditional(f, p) => {
                p.iter().copied().chain([*f]).max().unwrap_or(0)
            }
        }
    }
}

/// Expands `use NAME` lines with the lines of `block NAME`, indented where the `use` stands.
fn expand(text: &'static str) -> Result<Vec<(u32, String)>, String> {
    let mut main: Vec<(u32, &'static str)> = Vec::new();
    let mut blocks: HashMap<&str, Vec<(u32, &'static str)>> = HashMap::new();
    let mut current: Option<&str> = None;
    for (n, line) in text.lines().enumerate() {
        let code = line.split('#').next().unwrap_or("");
        if code.trim().is_empty() {
            continue;
        }
        if let Some(name) = code.strip_prefix("block ") {
            current = Some(name.trim());
            blocks.entry(name.trim()).or_default();
            continue;
        }
        let ln = n as u32 + 1;
        match current {
            Some(b) => blocks.entry(b).or_default().push((ln, code)),
            None => main.push((ln, code)),
        }
    }
    let mut out = Vec::new();
    for (ln, code) in main {
        let trimmed = code.trim_start();
        if let Some(name) = trimmed.strip_prefix("use ") {
            let indent = &code[..code.len() - trimmed.len()];
            let block = blocks.get(name.trim()).ok_or(format!("line {ln}: no block {name}"))?;
            out.extend(block.iter().map(|(l, c)| (*l, format!("{indent}{c}"))));
        } else {
            out.push((ln, code.to_string()));
        }
    }
    Ok(out)
}

fn parse_guide(text: &'static str, std: &'static Standard) -> Result<Guide, String> {
    let lines = expand(text)?;
    let mut header: Option<(&'static str, &'static str, &'static str)> = None;
    // Stack of open loops; index 0 is the top level.
    let mut stack: Vec<LoopDef> = vec![LoopDef {
        id: "",
        name: "",
        usage: Usage::Required,
        repeat: Some(1),
        items: Vec::new(),
        by_id: IdTable::default(),
        checked: Vec::new(),
    }];
    for (ln, line) in lines {
        let err = |m: &str| format!("line {ln}: {m}");
        let indent = line.len() - line.trim_start().len();
        if indent % 2 != 0 {
            return Err(err("indent by two spaces"));
        }
        let depth = indent / 2;
        let words: Vec<&'static str> = leak(line.trim()).split_whitespace().collect();
        let Some((&kind, rest)) = words.split_first() else { continue };
        if kind == "transaction" {
            let [set, version, name @ ..] = rest else {
                return Err(err("transaction SET VERSION NAME"));
            };
            header = Some((set, version, leak(&name.join(" "))));
            continue;
        }
        if depth + 1 > stack.len() {
            return Err(err("indented deeper than its loop"));
        }
        while stack.len() > depth + 1 {
            close(&mut stack);
        }
        match kind {
            "loop" => {
                let [id, usage, repeat, name @ ..] = rest else {
                    return Err(err("loop ID USAGE REPEAT NAME"));
                };
                stack.push(LoopDef {
                    id,
                    name: leak(&name.join(" ")),
                    usage: one_usage(usage).ok_or_else(|| err("usage R, S or N"))?,
                    repeat: repeat_count(repeat).ok_or_else(|| err("repeat: a number or >1"))?,
                    items: Vec::new(),
                    by_id: IdTable::default(),
                    checked: Vec::new(),
                });
            }
            "seg" => {
                let seg = parse_segment(rest, std, ln).map_err(|m| err(&m))?;
                if let Some(top) = stack.last_mut() {
                    top.items.push(Item::Segment(seg));
                }
            }
            _ => return Err(err("expected transaction, loop, seg, block or use")),
        }
    }
    while stack.len() > 1 {
        close(&mut stack);
    }
    let (set, version, name) = header.ok_or("no transaction line")?;
    let mut root = stack.pop().ok_or("empty")?;
    check_loops(&root)?;
    root.index();
    Ok(Guide { set, version, name, root })
}

fn close(stack: &mut Vec<LoopDef>) {
    if let Some(done) = stack.pop()
        && let Some(parent) = stack.last_mut()
    {
        parent.items.push(Item::Loop(done));
    }
}

fn check_loops(l: &LoopDef) -> Result<(), String> {
    for item in &l.items {
        if let Item::Loop(child) = item {
            if child.trigger().is_none() {
                return Err(format!("loop {} does not start with a segment", child.id));
            }
            check_loops(child)?;
        }
    }
    Ok(())
}

/// Guide text is `'static`; words borrowed from expanded lines are leaked once per process (the
/// guides are parsed once).
fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

fn one_usage(s: &str) -> Option<Usage> {
    let mut c = s.chars();
    let u = Usage::parse(c.next()?)?;
    c.next().is_none().then_some(u)
}

fn repeat_count(s: &str) -> Option<Option<u32>> {
    if s == ">1" { Some(None) } else { s.parse().ok().map(Some) }
}

fn parse_segment(
    words: &[&'static str],
    std: &'static Standard,
    line: u32,
) -> Result<SegmentUse, String> {
    let [id, usage, max, usages, opts @ ..] = words else {
        return Err("seg ID USAGE MAX ELEMENT-USAGES [options]".into());
    };
    let def = std.segments.get(id).ok_or(format!("{id} is not in standard.def"))?;
    if usages.len() > def.slots.len() {
        return Err(format!("{id} has {} elements, usage lists {}", def.slots.len(), usages.len()));
    }
    let mut elements = usages
        .chars()
        .zip(&def.slots)
        .map(|(c, slot)| {
            let usage = Usage::parse(c).ok_or(format!("usage letter {c}"))?;
            let components = match slot {
                Slot::Composite(_, comps) => {
                    // Unless told otherwise: first component required, the rest situational.
                    (0..comps.len())
                        .map(|i| ElementUse {
                            sorted: Codes::default(),
                            usage: if i == 0 { Usage::Required } else { Usage::Situational },
                            codes: Vec::new(),
                            components: Vec::new(),
                        })
                        .collect()
                }
                Slot::Simple(_) => Vec::new(),
            };
            Ok(ElementUse { usage, codes: Vec::new(), sorted: Codes::default(), components })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let mut key = None;
    for opt in opts {
        let (lhs, rhs) = opt.split_once('=').ok_or(format!("option {opt}: NAME=VALUE"))?;
        if lhs == "key" {
            let (e, c) = match rhs.split_once('.') {
                Some((e, c)) => (e, c.parse().map_err(|_| "key=NN.C")?),
                None => (rhs, 0),
            };
            key = Some((e.parse().map_err(|_| "key=NN")?, c));
            continue;
        }
        if let Some(pos) = lhs.strip_prefix('c') {
            // `c05=RRN`: component usage of element 05; `c*=…`: of every composite element.
            let targets: Vec<usize> = if pos == "*" {
                (0..elements.len()).filter(|&i| !elements[i].components.is_empty()).collect()
            } else {
                vec![pos.parse::<usize>().map_err(|_| format!("option {opt}"))?.wrapping_sub(1)]
            };
            for t in targets {
                let el = elements.get_mut(t).ok_or(format!("{opt}: no such element"))?;
                if rhs.len() > el.components.len() {
                    return Err(format!("{opt}: more components than the composite has"));
                }
                for (c, u) in rhs.chars().zip(el.components.iter_mut()) {
                    u.usage = Usage::parse(c).ok_or(format!("usage letter {c}"))?;
                }
                for u in el.components.iter_mut().skip(rhs.len()) {
                    u.usage = Usage::NotUsed;
                }
            }
            continue;
        }
        // `_` stands for a space inside a code (`SITUATIONAL_TRIGGER`).
        let codes: Vec<&'static str> = rhs
            .split(',')
            .map(|c| if c.contains('_') { leak(&c.replace('_', " ")) } else { c })
            .collect();
        let (e, c) = match lhs.split_once('.') {
            Some((e, c)) => (e, Some(c.parse::<usize>().map_err(|_| format!("option {opt}"))?)),
            None => (lhs, None),
        };
        if e == "*" || e == "+" {
            // `*.9=…`: that component of every composite element; `+.1=…`: of every composite
            // element after the first.
            let c = c.ok_or(format!("option {opt}: *.C=…"))?;
            let skip = usize::from(e == "+");
            for el in elements.iter_mut().filter(|el| !el.components.is_empty()).skip(skip) {
                el.components
                    .get_mut(c.wrapping_sub(1))
                    .ok_or(format!("{opt}: no component"))?
                    .codes = codes.clone();
            }
            continue;
        }
        let e: usize = e.parse().map_err(|_| format!("option {opt}"))?;
        let el = elements.get_mut(e.wrapping_sub(1)).ok_or(format!("{opt}: element not used"))?;
        match c {
            None => el.codes = codes,
            Some(c) => {
                el.components
                    .get_mut(c.wrapping_sub(1))
                    .ok_or(format!("{opt}: no component"))?
                    .codes = codes
            }
        }
    }
    // A lookup copy of each code list; the written order stays for messages.
    for el in &mut elements {
        el.sorted = Codes::new(&el.codes);
        for c in &mut el.components {
            c.sorted = Codes::new(&c.codes);
        }
    }
    if key.is_none() {
        if elements.first().is_some_and(|e| !e.codes.is_empty()) {
            key = Some((1, 0));
        } else if elements
            .first()
            .and_then(|e| e.components.first())
            .is_some_and(|c| !c.codes.is_empty())
        {
            key = Some((1, 1));
        }
    }
    Ok(SegmentUse {
        id,
        usage: one_usage(usage).ok_or("usage R, S or N")?,
        max_use: repeat_count(max).ok_or("max use: a number or >1")?,
        elements,
        key,
        line,
        standard: def,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_guide_parses() {
        Standard::parse(STANDARD).unwrap();
        for (file, text) in GUIDES {
            let g = parse_guide(text, standard()).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(!g.root.items.is_empty(), "{file}");
        }
        assert_eq!(guide("837", "005010X222A1").unwrap().name, "Health Care Claim: Professional");
        assert_eq!(guide("837", "005010X222A2").unwrap().version, "005010X222A1");
        assert_eq!(guide("835", "005010X221").unwrap().version, "005010X221A1");
        assert!(guide("837", "004010X098A1").is_none());
    }

    #[test]
    fn syntax_notes_round_trip() {
        for code in ["P0304", "R0203", "E0207", "C0605", "L050607", "R020305"] {
            assert_eq!(SyntaxNote::parse(code).unwrap().code(), code);
        }
        assert!(SyntaxNote::parse("P03").is_none());
        assert!(SyntaxNote::parse("X0304").is_none());
    }
}
