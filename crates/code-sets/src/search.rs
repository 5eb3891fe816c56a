//! Coder-style search: an inverted index over titles, inclusion terms and alphabetic-index terms,
//! built once per release and queried without locks.
//!
//! Queries are tokenized and stemmed like the documents, clinical abbreviations and synonyms are
//! expanded (see `data/abbreviations.tsv`), word order does not matter, and unknown words are
//! matched by prefix and then by edit distance, so typos still find the code.

use std::collections::HashMap;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};

use crate::System;
use crate::packed::{PackedU8, PackedU32};
use crate::release::{BILLABLE, Body, IndexTerm, NONE, NoteKind};

/// Where a term was found, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// The code's title.
    Title = 0,
    /// One of the code's own inclusion terms, or a short description.
    Inclusion = 1,
    /// The alphabetic index.
    Index = 2,
    /// An inclusion term (or bracketed synonym) of an ancestor, read with the code's own title.
    Inherited = 3,
}

impl Field {
    fn from_u8(b: u8) -> Field {
        match b {
            0 => Field::Title,
            1 => Field::Inclusion,
            2 => Field::Index,
            _ => Field::Inherited,
        }
    }

    fn weight(self) -> f32 {
        match self {
            Field::Title => 1.0,
            Field::Inclusion => 0.92,
            Field::Index => 0.95,
            Field::Inherited => 0.8,
        }
    }
}

/// The stored index of one release.
///
/// Documents are *units*: a code's title, each of its inclusion terms, each index term that leads
/// to it, and its ancestors' inclusion terms read together with its own title. A code scores as its
/// best unit, so a short inclusion term ("Influenza NOS") is judged by its own length, not by the
/// length of the title it stands under.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct SearchIndex {
    /// Sorted vocabulary, concatenated; `term_ends[i]` is where term `i` ends.
    vocab: String,
    term_ends: PackedU32,
    /// Postings of term `i`: `postings[post_ends[i-1]..post_ends[i]]`, unit ids, ascending.
    post_ends: PackedU32,
    postings: PackedU32,
    /// The entry each unit belongs to.
    unit_entry: PackedU32,
    /// Each unit's essential length (low 7 bits) and whether it reads as the default choice.
    unit_len: PackedU8,
    /// Each unit's field.
    unit_field: PackedU8,
    /// (entry, index term) pairs, sorted, telling which index term led to a code.
    index_refs: Vec<(u32, u32)>,
}

thread_local! {
    /// Per-thread score, mask and touched-list buffers, reused across queries so a search does
    /// not allocate and zero a buffer the size of the release each time.
    static SCRATCH: std::cell::RefCell<Scratch> = const { std::cell::RefCell::new(Scratch::new()) };
}

/// Buffers one query needs, sized to the largest release seen.
struct Scratch {
    score: Vec<f32>,
    mask: Vec<u32>,
    touched: Vec<u32>,
    /// For each entry, the index of its best hit in the hit list, or `NONE`.
    best: Vec<u32>,
}

impl Scratch {
    const fn new() -> Scratch {
        Scratch { score: Vec::new(), mask: Vec::new(), touched: Vec::new(), best: Vec::new() }
    }
}

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

const STOPWORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "is", "of", "on", "or", "the", "to",
    "w", "was", "with", "pt", "patient", "hx", "s",
];

/// Splits text into lower-case words (letters and digits), dropping apostrophes inside words.
/// A hyphenated word also yields its parts joined ("pre-eclampsia" → pre, eclampsia, preeclampsia).
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut joined = String::new();
    let mut hyphenated = false;
    let flush = |cur: &mut String,
                 joined: &mut String,
                 hyphenated: &mut bool,
                 out: &mut Vec<String>,
                 end: bool| {
        if !cur.is_empty() {
            joined.push_str(cur);
            out.push(std::mem::take(cur));
        }
        if end {
            if *hyphenated && !joined.is_empty() {
                out.push(std::mem::take(joined));
            }
            joined.clear();
            *hyphenated = false;
        }
    };
    for c in text.chars() {
        let c = fold(c);
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if c == '\'' || c == '’' {
            // "Alzheimer's" → "alzheimers" → stemmed "alzheim".
        } else if c == '-' && !cur.is_empty() {
            flush(&mut cur, &mut joined, &mut hyphenated, &mut out, false);
            hyphenated = true;
        } else {
            flush(&mut cur, &mut joined, &mut hyphenated, &mut out, true);
        }
    }
    flush(&mut cur, &mut joined, &mut hyphenated, &mut out, true);
    out
}

/// Folds the accented Latin letters of the tabular ("Sézary", "Charcôt") to plain ASCII, so a
/// query typed without accents finds them.
fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'A',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'É' | 'È' | 'Ê' | 'Ë' => 'E',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'Í' | 'Ì' | 'Î' | 'Ï' => 'I',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
        'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' | 'Ø' => 'O',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'Ú' | 'Ù' | 'Û' | 'Ü' => 'U',
        'ç' => 'c',
        'Ç' => 'C',
        'ñ' => 'n',
        'Ñ' => 'N',
        c => c,
    }
}

/// The stem of one lower-case word.
pub(crate) fn stem(word: &str) -> String {
    if word.bytes().any(|b| b.is_ascii_digit()) {
        return word.to_string();
    }
    STEMMER.stem(word).into_owned()
}

/// Stemmed, stopword-free terms of a text.
pub(crate) fn terms(text: &str) -> Vec<String> {
    words(text).into_iter().filter(|w| !STOPWORDS.contains(&w.as_str())).map(|w| stem(&w)).collect()
}

/// Title words that say "nothing more specific": they do not count against a title's length.
const NEUTRAL: &[&str] = &["unspecifi", "initi", "encount", "nos", "site", "elsewher", "classifi"];
/// After "unspecified", these words name the detail left unspecified ("unspecified ear").
const ASPECTS: &[&str] = &[
    "sever", "trimest", "ear", "eye", "side", "site", "later", "stage", "type", "part", "level",
    "organ", "episod", "bodi", "region", "lower", "upper", "limb", "leg", "arm", "foot", "hand",
    "femur", "finger", "toe", "joint", "vessel", "kidney", "lung", "fractur", "pressur", "acut",
    "chronic", "caus", "duration", "degre", "intract",
];
/// Set in `unit_len` for texts that are the default choice ("unspecified", "without complications", "NOS").
const DEFAULT_BIT: u8 = 0x80;

/// How many distinct essential terms a text has, and whether it reads as the default choice.
///
/// Parenthesized and bracketed words are nonessential; a clause that starts with "without" or
/// "not" describes what is absent; "unspecified ear" leaves a detail open; none of these make a
/// title more specific than the query.
///
/// With `cm_style` false (HCPCS, CPT, PCS titles) only the parenthesized words are set aside:
/// "not" in a HCPCS quality-measure title is content, not an absent detail.
fn essential(text: &str, cm_style: bool) -> (usize, bool) {
    let plain = strip_parenthesized(text);
    if !cm_style {
        let mut t = terms(&plain);
        t.sort();
        t.dedup();
        return (t.len(), false);
    }
    let mut kept: Vec<String> = Vec::new();
    let mut default = false;
    for clause in plain.split([',', ';']) {
        let ws = words(clause);
        if ws.is_empty() {
            continue;
        }
        if matches!(ws[0].as_str(), "without" | "not" | "no") {
            default = true;
            continue;
        }
        let mut skip_next = false;
        for (i, w) in ws.iter().enumerate() {
            if skip_next {
                skip_next = false;
                continue;
            }
            if matches!(w.as_str(), "without" | "not" | "no")
                && ws.get(i + 1).is_some_and(|n| n != "specified")
            {
                // "without complications": the rest of the clause names what is absent.
                default = true;
                break;
            }
            if STOPWORDS.contains(&w.as_str()) {
                continue;
            }
            let st = stem(w);
            if st == "unspecifi" || st == "nos" || (st == "specifi" && i > 0 && ws[i - 1] == "not")
            {
                default = true;
                if ws.get(i + 1).is_some_and(|n| ASPECTS.contains(&stem(n).as_str())) {
                    skip_next = true;
                }
                continue;
            }
            if st == "not"
                || st == "specifi" && ws.get(i.wrapping_sub(1)).is_some_and(|p| p == "not")
            {
                continue;
            }
            if NEUTRAL.contains(&st.as_str()) {
                continue;
            }
            kept.push(st);
        }
    }
    kept.sort();
    kept.dedup();
    (kept.len(), default)
}

struct Builder {
    cm_style: bool,
    map: HashMap<String, Vec<u32>>,
    unit_entry: Vec<u32>,
    unit_len: Vec<u8>,
    unit_field: Vec<u8>,
}

impl Builder {
    /// Adds a unit: `text` is what it matches; `len_text` what its length is judged by.
    fn unit(&mut self, entry: u32, field: Field, text: &str, len_text: &str) {
        let unit = self.unit_entry.len() as u32;
        let (len, default) = essential(len_text, self.cm_style);
        self.unit_entry.push(entry);
        self.unit_len.push(len.min(127) as u8 | if default { DEFAULT_BIT } else { 0 });
        self.unit_field.push(field as u8);
        for t in terms(text) {
            let posts = self.map.entry(t).or_default();
            if posts.last() != Some(&unit) {
                posts.push(unit);
            }
        }
    }
}

/// Bracketed synonyms in a title: "Thyrotoxicosis [hyperthyroidism]" → "hyperthyroidism".
fn bracketed(title: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = title;
    while let Some(a) = rest.find('[') {
        let Some(b) = rest[a..].find(']') else { break };
        out.push(&rest[a + 1..a + b]);
        rest = &rest[a + b + 1..];
    }
    out
}

impl SearchIndex {
    pub(crate) fn build(body: &Body, system: System) -> SearchIndex {
        let mut b = Builder {
            cm_style: system == System::Icd10Cm,
            map: HashMap::new(),
            unit_entry: Vec::new(),
            unit_len: Vec::new(),
            unit_field: Vec::new(),
        };
        let inclusion = |i: usize| -> Vec<&str> {
            let e = &body.entries[i];
            let mut v: Vec<&str> = body
                .notes_of(e)
                .iter()
                .filter(|n| n.kind == NoteKind::InclusionTerm)
                .map(|n| body.text(n.text))
                .collect();
            if e.row == NONE {
                v.extend(bracketed(body.text(e.title)));
            }
            v
        };
        for (i, e) in body.entries.iter().enumerate() {
            let entry = i as u32;
            let title = body.title(entry);
            let title = title.as_ref();
            b.unit(entry, Field::Title, title, title);
            if e.short.len > 0 {
                let short = body.text(e.short);
                b.unit(entry, Field::Inclusion, short, title);
            }
            for t in inclusion(i) {
                b.unit(entry, Field::Inclusion, t, t);
            }
            // The nearest ancestor with inclusion terms lends them, read with this title.
            let mut cur = e.parent;
            while cur != NONE {
                let lent = inclusion(cur as usize);
                if !lent.is_empty() {
                    for t in lent {
                        let text = format!("{t} {title}");
                        b.unit(entry, Field::Inherited, &text, title);
                    }
                    break;
                }
                cur = body.entries[cur as usize].parent;
            }
        }
        // Alphabetic index: each term, read with its ancestors, leads to its codes.
        let mut index_refs = Vec::new();
        for (ti, t) in body.index.iter().enumerate() {
            let targets = index_targets(body, t);
            if targets.is_empty() {
                continue;
            }
            let mut path = String::new();
            let mut cur = ti as u32;
            while cur != NONE {
                let term = &body.index[cur as usize];
                path.push_str(body.text(term.title));
                path.push_str(", ");
                cur = term.parent;
            }
            for entry in targets {
                b.unit(entry, Field::Index, &path, &path);
                index_refs.push((entry, ti as u32));
            }
        }
        index_refs.sort_unstable();
        index_refs.dedup();
        let mut vocab_terms: Vec<(String, Vec<u32>)> = b.map.into_iter().collect();
        vocab_terms.sort_by(|a, b| a.0.cmp(&b.0));
        let mut idx = SearchIndex {
            unit_entry: PackedU32(b.unit_entry),
            unit_len: PackedU8(b.unit_len),
            unit_field: PackedU8(b.unit_field),
            index_refs,
            ..Default::default()
        };
        for (term, posts) in vocab_terms {
            idx.vocab.push_str(&term);
            idx.term_ends.push(idx.vocab.len() as u32);
            idx.postings.extend_from_slice(&posts);
            idx.post_ends.push(idx.postings.len() as u32);
        }
        idx
    }

    /// Checks bounds so that a damaged file cannot cause a panic later.
    pub(crate) fn check(&self, docs: u32, index: &[IndexTerm]) -> Result<(), String> {
        if self.term_ends.len() != self.post_ends.len() {
            return Err("term and posting tables differ in length".into());
        }
        let mut prev = 0usize;
        for &e in self.term_ends.iter() {
            let e = e as usize;
            if e < prev || e > self.vocab.len() || !self.vocab.is_char_boundary(e) {
                return Err("vocabulary offsets out of range".into());
            }
            prev = e;
        }
        let mut prev = 0u32;
        for &e in self.post_ends.iter() {
            if e < prev || e as usize > self.postings.len() {
                return Err("posting offsets out of range".into());
            }
            prev = e;
        }
        let units = self.unit_entry.len();
        if self.unit_len.len() != units
            || self.unit_field.len() != units
            || self.postings.iter().any(|&p| p as usize >= units)
            || self.unit_entry.iter().any(|&e| e >= docs)
            || self.index_refs.iter().any(|&(d, t)| d >= docs || t as usize >= index.len())
        {
            return Err("postings point outside the release".into());
        }
        Ok(())
    }

    fn len(&self) -> usize {
        self.term_ends.len()
    }

    fn term(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.term_ends[i - 1] as usize };
        &self.vocab[start..self.term_ends[i] as usize]
    }

    fn posts(&self, i: usize) -> &[u32] {
        let start = if i == 0 { 0 } else { self.post_ends[i - 1] as usize };
        &self.postings[start..self.post_ends[i] as usize]
    }

    fn find(&self, term: &str) -> Result<usize, usize> {
        let (mut lo, mut hi) = (0usize, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.term(mid).cmp(term) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Ok(mid),
            }
        }
        Err(lo)
    }

    /// Vocabulary terms a query term may stand for, with how much each match counts.
    /// True when the vocabulary holds `q` or a word starting with it.
    pub(crate) fn knows(&self, q: &str) -> bool {
        match self.find(q) {
            Ok(_) => true,
            Err(i) => q.chars().count() >= 3 && i < self.len() && self.term(i).starts_with(q),
        }
    }

    fn candidates(&self, q: &str, fuzzy: bool) -> Vec<(usize, f32)> {
        let mut out = Vec::new();
        match self.find(q) {
            Ok(i) => out.push((i, 1.0)),
            Err(start) => {
                // Prefix: "cardiomyo" finds "cardiomyopathi".
                if q.chars().count() >= 3 {
                    let mut i = start;
                    while i < self.len() && self.term(i).starts_with(q) && out.len() < 64 {
                        out.push((i, 0.85));
                        i += 1;
                    }
                }
                if out.is_empty() && fuzzy {
                    let n = q.chars().count();
                    let max = match n {
                        0..=3 => 0,
                        4..=7 => 1,
                        _ => 2,
                    };
                    if max > 0 {
                        let qmask = letter_mask(q);
                        for i in 0..self.len() {
                            let t = self.term(i);
                            let tn = t.len();
                            if tn + max < n || tn > n + max {
                                continue;
                            }
                            // Each edit changes at most two letters of the set of letters used.
                            if (letter_mask(t) ^ qmask).count_ones() as usize > 2 * max {
                                continue;
                            }
                            if let Some(d) = bounded_levenshtein(q, t, max) {
                                out.push((i, if d == 1 { 0.75 } else { 0.6 }));
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// Scores the codes of this release for the query.
    pub(crate) fn query(
        &self,
        body: &Body,
        q: &Query,
        limit: usize,
        billable_only: bool,
    ) -> Vec<Hit> {
        let units = self.unit_entry.len();
        let nterms = q.terms.len().min(32);
        if nterms == 0 || units == 0 {
            return Vec::new();
        }
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let s = &mut *scratch;
            if s.score.len() < units {
                s.score.resize(units, 0.0);
                s.mask.resize(units, 0);
            }
            if s.best.len() < body.entries.len() {
                s.best.resize(body.entries.len(), NONE);
            }
            let hits = self.score(body, q, nterms, limit, billable_only, s);
            // Leave the scratch clean for the next query: reset only what was touched.
            for &u in &s.touched {
                s.score[u as usize] = 0.0;
                s.mask[u as usize] = 0;
            }
            s.touched.clear();
            hits
        })
    }

    fn score(
        &self,
        body: &Body,
        q: &Query,
        nterms: usize,
        limit: usize,
        billable_only: bool,
        s: &mut Scratch,
    ) -> Vec<Hit> {
        let units = self.unit_entry.len();
        let Scratch { score, mask, touched, best } = s;
        for (ti, term) in q.terms.iter().take(nterms).enumerate() {
            let bit = 1u32 << ti;
            for alt in &term.alternatives {
                for (vi, weight) in self.candidates(alt, !term.known) {
                    let posts = self.posts(vi);
                    let idf = (1.0 + units as f32 / (1.0 + posts.len() as f32)).ln();
                    for &u in posts {
                        let u = u as usize;
                        if mask[u] == 0 {
                            touched.push(u as u32);
                        }
                        if mask[u] & bit == 0 {
                            mask[u] |= bit;
                            score[u] += idf * weight * if term.optional { 0.5 } else { 1.0 };
                        }
                    }
                }
            }
        }
        let required: u32 = q
            .terms
            .iter()
            .take(nterms)
            .enumerate()
            .filter(|(_, t)| !t.optional)
            .fold(0, |m, (i, _)| m | 1 << i);
        let nreq = required.count_ones() as usize;
        // Require most of the query: all required words for short queries, all but one for long.
        let needed = if nreq <= 2 { nreq } else { nreq - 1 };
        // Best unit per entry.
        let mut hits: Vec<Hit> = Vec::new();
        for &u in touched.iter() {
            let u = u as usize;
            let matched_req = (mask[u] & required).count_ones() as usize;
            if matched_req < needed.max(1) {
                continue;
            }
            let entry = self.unit_entry[u];
            let e = &body.entries[entry as usize];
            let billable = e.flags & BILLABLE != 0;
            if billable_only && !billable {
                continue;
            }
            let field = Field::from_u8(self.unit_field[u]);
            let len = self.unit_len[u] & !DEFAULT_BIT;
            let matched = mask[u].count_ones() as f32;
            let extra = (len as f32 - matched).max(0.0);
            let mut s = score[u] * field.weight() / (1.0 + 0.08 * extra);
            if self.unit_len[u] & DEFAULT_BIT != 0 {
                s *= 1.05;
            }
            // Prefer the less specific of equally good matches: a query that names no detail
            // wants the code that assumes none. Depth counts characters past the category.
            let depth = e.key.len().saturating_sub(3) as f32;
            s /= 1.0 + 0.03 * depth;
            let hit = Hit {
                doc: entry,
                score: s,
                complete: mask[u] & required == required,
                billable,
                field,
            };
            let slot = &mut best[entry as usize];
            if *slot == NONE {
                *slot = hits.len() as u32;
                hits.push(hit);
            } else {
                let h = &mut hits[*slot as usize];
                if (hit.complete, hit.score) > (h.complete, h.score) {
                    *h = hit;
                }
            }
        }
        for h in &hits {
            best[h.doc as usize] = NONE;
        }
        let order = |a: &Hit, b: &Hit| {
            b.complete
                .cmp(&a.complete)
                .then(b.billable.cmp(&a.billable))
                .then(b.score.total_cmp(&a.score))
                .then(a.doc.cmp(&b.doc))
        };
        if limit > 0 && hits.len() > limit {
            hits.select_nth_unstable_by(limit - 1, order);
        }
        hits.truncate(limit);
        hits.sort_by(order);
        hits
    }

    /// The index terms that point to a code.
    pub(crate) fn index_terms_of(&self, doc: u32) -> impl Iterator<Item = u32> + '_ {
        let start = self.index_refs.partition_point(|&(d, _)| d < doc);
        self.index_refs[start..].iter().take_while(move |&&(d, _)| d == doc).map(|&(_, t)| t)
    }
}

/// Documents an index term refers to: its codes (a trailing `-` or a category names the header).
fn index_targets(body: &Body, t: &IndexTerm) -> Vec<u32> {
    let mut out = Vec::new();
    let codes =
        t.codes.iter().map(|c| body.text(*c)).chain(t.cells.iter().map(|(_, c)| body.text(*c)));
    for code in codes {
        let clean: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        let clean = clean.to_ascii_uppercase();
        if let Some(k) = crate::CodeKey::new(&clean)
            && let Ok(i) = body.entries.binary_search_by(|e| e.key.cmp(&k))
        {
            out.push(i as u32);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// One scored document.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hit {
    pub(crate) doc: u32,
    pub(crate) score: f32,
    pub(crate) complete: bool,
    pub(crate) billable: bool,
    pub(crate) field: Field,
}

/// One query word: the stems it may match, and whether it is required.
#[derive(Clone, Debug, Default)]
pub(crate) struct QueryTerm {
    pub(crate) alternatives: Vec<String>,
    /// Some release searched knows the word (exactly or as a prefix): no typo search is needed.
    pub(crate) known: bool,
    /// From an expansion's `[optional]` words: adds score when matched, never required.
    pub(crate) optional: bool,
}

/// A parsed query: for each position, the stemmed alternatives it may match.
#[derive(Clone, Debug, Default)]
pub struct Query {
    pub(crate) terms: Vec<QueryTerm>,
    /// The query after abbreviation expansion, for display.
    pub expanded: String,
}

impl Query {
    /// Parses a query, expanding clinical abbreviations and synonyms.
    pub fn parse(text: &str) -> Query {
        let raw = words(text);
        let mut expanded: Vec<(String, bool)> = Vec::new();
        let mut i = 0;
        while i < raw.len() {
            // Longest phrase first (three words, two, one).
            let mut matched = false;
            for n in (1..=3).rev() {
                if i + n > raw.len() {
                    continue;
                }
                let phrase = raw[i..i + n].join(" ");
                if let Some(exp) = crate::synonyms::lookup(&phrase) {
                    for part in exp.split_whitespace() {
                        let optional = part.starts_with('[');
                        for w in words(part) {
                            expanded.push((w, optional));
                        }
                    }
                    i += n;
                    matched = true;
                    break;
                }
            }
            if !matched {
                expanded.push((raw[i].clone(), false));
                i += 1;
            }
        }
        let mut terms: Vec<QueryTerm> = Vec::new();
        for (w, optional) in &expanded {
            if STOPWORDS.contains(&w.as_str()) {
                continue;
            }
            let s = stem(w);
            if let Some(t) = terms.iter_mut().find(|t| t.alternatives[0] == s) {
                t.optional &= *optional;
                continue;
            }
            let mut alternatives = vec![s];
            for syn in crate::synonyms::word_variants(w) {
                let st = stem(syn);
                if !alternatives.contains(&st) {
                    alternatives.push(st);
                }
            }
            terms.push(QueryTerm { alternatives, optional: *optional, known: false });
        }
        let expanded = expanded.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>().join(" ");
        Query { terms, expanded }
    }

    /// True when nothing searchable is left.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// The text without its parenthesized parts.
fn strip_parenthesized(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0u32;
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The set of ASCII letters and digits a word uses, as bits.
fn letter_mask(w: &str) -> u64 {
    w.bytes().fold(0u64, |m, c| match c {
        b'a'..=b'z' => m | 1 << (c - b'a'),
        b'0'..=b'9' => m | 1 << (26 + c - b'0'),
        _ => m | 1 << 63,
    })
}

/// Levenshtein distance (over bytes) if it is at most `max`, with early exit and no allocation.
/// Words longer than 63 bytes are never near anything.
fn bounded_levenshtein(a: &str, b: &str, max: usize) -> Option<usize> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > max || a.len() > 63 || b.len() > 63 {
        return None;
    }
    let mut prev = [0usize; 64];
    let mut cur = [0usize; 64];
    for (j, p) in prev.iter_mut().enumerate().take(b.len() + 1) {
        *p = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            row_min = row_min.min(cur[j]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[b.len()] <= max).then_some(prev[b.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levenshtein() {
        assert_eq!(bounded_levenshtein("pnemonia", "pneumonia", 2), Some(1));
        assert_eq!(bounded_levenshtein("diabetis", "diabetes", 1), Some(1));
        assert_eq!(bounded_levenshtein("abc", "xyz", 1), None);
    }

    #[test]
    fn terms_are_stemmed_and_stopped() {
        assert_eq!(terms("Fractures of the femur"), vec!["fractur", "femur"]);
        assert_eq!(words("Alzheimer's disease"), vec!["alzheimers", "disease"]);
        assert_eq!(words("Sézary disease"), vec!["sezary", "disease"]);
        assert_eq!(words("Pre-eclampsia, mild"), vec!["pre", "eclampsia", "preeclampsia", "mild"]);
    }

    fn essential_cm(text: &str) -> (usize, bool) {
        essential(text, true)
    }

    #[test]
    fn essential_length_ignores_what_is_left_open() {
        assert_eq!(
            essential_cm("Migraine, unspecified, not intractable, without status migrainosus"),
            (1, true)
        );
        assert_eq!(essential_cm("Otitis media, unspecified, unspecified ear"), (2, true));
        assert_eq!(essential_cm("Urinary tract infection, site not specified"), (3, true));
        assert_eq!(essential_cm("Secondary hypertension, unspecified"), (2, true));
        assert_eq!(essential_cm("Essential (primary) hypertension"), (2, false));
        assert_eq!(essential_cm("Type 2 diabetes mellitus without complications"), (4, true));
    }

    #[test]
    fn abbreviations_expand() {
        let q = Query::parse("HTN w CKD");
        assert!(q.expanded.contains("hypertension"), "{}", q.expanded);
        assert!(q.expanded.contains("chronic kidney disease"), "{}", q.expanded);
    }
}
