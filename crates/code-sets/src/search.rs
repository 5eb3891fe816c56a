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

use crate::release::{BILLABLE, Body, IndexTerm, NONE, NoteKind};

/// Where a term was found, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// The code's title.
    Title = 0,
    /// An inclusion term, an includes note or a short description.
    Inclusion = 1,
    /// The alphabetic index.
    Index = 2,
}

const FIELD_WEIGHT: [f32; 4] = [1.0, 0.8, 0.9, 0.5];

/// The stored index of one release.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct SearchIndex {
    /// Sorted vocabulary, concatenated; `term_ends[i]` is where term `i` ends.
    vocab: String,
    term_ends: Vec<u32>,
    /// Postings of term `i`: `postings[post_ends[i-1]..post_ends[i]]`, each `doc << 2 | field`.
    post_ends: Vec<u32>,
    postings: Vec<u32>,
    /// Number of distinct terms in each document's title (for length normalization).
    doc_len: Vec<u8>,
    /// (doc, index term) pairs, sorted, telling which index term led to a code.
    index_refs: Vec<(u32, u32)>,
}

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

const STOPWORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "is", "of", "on", "or", "the", "to",
    "w", "was", "with", "pt", "patient", "hx", "s",
];

/// Splits text into lower-case words (letters and digits), dropping apostrophes inside words.
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if c == '\'' || c == '’' {
            // "Alzheimer's" → "alzheimers" → stemmed "alzheim".
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
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
const NEUTRAL: &[&str] = &["unspecifi", "without", "complic", "initi", "encount"];
/// Set in `doc_len` for titles that are the default choice ("unspecified", "without complications").
const DEFAULT_BIT: u8 = 0x80;

struct Builder {
    map: HashMap<String, Vec<u32>>,
}

impl Builder {
    fn add(&mut self, doc: u32, field: Field, text: &str) -> usize {
        let ts = terms(text);
        let n = ts.len();
        for t in ts {
            self.map.entry(t).or_default().push(doc << 2 | field as u32);
        }
        n
    }
}

impl SearchIndex {
    pub(crate) fn build(body: &Body) -> SearchIndex {
        let mut b = Builder { map: HashMap::new() };
        let mut doc_len = Vec::with_capacity(body.entries.len());
        for (i, e) in body.entries.iter().enumerate() {
            let doc = i as u32;
            let mut seen = terms(body.text(e.title));
            seen.sort();
            seen.dedup();
            let default = seen.iter().any(|t| t == "unspecifi")
                || (seen.iter().any(|t| t == "without") && seen.iter().any(|t| t == "complic"));
            // Words in parentheses are nonessential modifiers: they do not make a title longer.
            let mut essential = terms(&strip_parenthesized(body.text(e.title)));
            essential.sort();
            essential.dedup();
            let specific = essential.iter().filter(|t| !NEUTRAL.contains(&t.as_str())).count();
            doc_len.push(specific.min(127) as u8 | if default { DEFAULT_BIT } else { 0 });
            b.add(doc, Field::Title, body.text(e.title));
            if e.short.len > 0 {
                b.add(doc, Field::Inclusion, body.text(e.short));
            }
            let notes = &body.notes[e.notes_start as usize..][..e.notes_len as usize];
            for n in notes {
                if matches!(n.kind, NoteKind::InclusionTerm) {
                    b.add(doc, Field::Inclusion, body.text(n.text));
                }
            }
        }
        // Alphabetic index: each term, read with its ancestors, points to its codes.
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
                path.push(' ');
                cur = term.parent;
            }
            for doc in targets {
                b.add(doc, Field::Index, &path);
                index_refs.push((doc, ti as u32));
            }
        }
        index_refs.sort_unstable();
        index_refs.dedup();
        let mut vocab_terms: Vec<(String, Vec<u32>)> = b.map.into_iter().collect();
        vocab_terms.sort_by(|a, b| a.0.cmp(&b.0));
        let mut idx = SearchIndex { doc_len, index_refs, ..Default::default() };
        for (term, mut posts) in vocab_terms {
            // One posting per document, keeping the best field.
            posts.sort_unstable();
            posts.dedup_by(|next, kept| (*next >> 2) == (*kept >> 2));
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
        for &e in &self.term_ends {
            let e = e as usize;
            if e < prev || e > self.vocab.len() || !self.vocab.is_char_boundary(e) {
                return Err("vocabulary offsets out of range".into());
            }
            prev = e;
        }
        let mut prev = 0u32;
        for &e in &self.post_ends {
            if e < prev || e as usize > self.postings.len() {
                return Err("posting offsets out of range".into());
            }
            prev = e;
        }
        if self.postings.iter().any(|p| p >> 2 >= docs)
            || self.doc_len.len() != docs as usize
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
    fn candidates(&self, q: &str) -> Vec<(usize, f32)> {
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
                if out.is_empty() {
                    let n = q.chars().count();
                    let max = match n {
                        0..=3 => 0,
                        4..=7 => 1,
                        _ => 2,
                    };
                    if max > 0 {
                        for i in 0..self.len() {
                            let t = self.term(i);
                            let tn = t.len();
                            if tn + max < n || tn > n + max {
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

    /// Scores the documents of this release for the query terms.
    pub(crate) fn query(
        &self,
        body: &Body,
        q: &Query,
        limit: usize,
        billable_only: bool,
    ) -> Vec<Hit> {
        let docs = self.doc_len.len();
        let nterms = q.terms.len().min(32);
        if nterms == 0 || docs == 0 {
            return Vec::new();
        }
        let mut score = vec![0f32; docs];
        let mut mask = vec![0u32; docs];
        let mut best_field = vec![3u8; docs];
        let mut touched: Vec<u32> = Vec::new();
        for (ti, alternatives) in q.terms.iter().take(nterms).enumerate() {
            let bit = 1u32 << ti;
            for alt in alternatives {
                for (vi, weight) in self.candidates(alt) {
                    let posts = self.posts(vi);
                    let idf = (1.0 + docs as f32 / (1.0 + posts.len() as f32)).ln();
                    for &p in posts {
                        let doc = (p >> 2) as usize;
                        let field = (p & 3) as usize;
                        if mask[doc] == 0 {
                            touched.push(doc as u32);
                        }
                        if mask[doc] & bit == 0 {
                            mask[doc] |= bit;
                            score[doc] += idf * FIELD_WEIGHT[field] * weight;
                        }
                        best_field[doc] = best_field[doc].min(field as u8);
                    }
                }
            }
        }
        let full = if nterms == 32 { u32::MAX } else { (1u32 << nterms) - 1 };
        let mut hits: Vec<Hit> = Vec::with_capacity(touched.len().min(4096));
        for &d in &touched {
            let d = d as usize;
            let e = &body.entries[d];
            let billable = e.flags & BILLABLE != 0;
            if billable_only && !billable {
                continue;
            }
            let matched = mask[d].count_ones() as usize;
            // Require most of the query: all terms for short queries, all but one for long ones.
            let needed = if nterms <= 2 { nterms } else { nterms - 1 };
            if matched < needed {
                continue;
            }
            let len = self.doc_len[d] & !DEFAULT_BIT;
            let extra = (len as f32 - matched as f32).max(0.0);
            let mut s = score[d] / (1.0 + 0.08 * extra);
            if self.doc_len[d] & DEFAULT_BIT != 0 {
                s *= 1.05;
            }
            // Prefer the less specific of equally good matches: a query that names no detail wants
            // the code that assumes none. Depth is the number of characters past the category.
            let depth = e.key.len().saturating_sub(3) as f32;
            s /= 1.0 + 0.03 * depth;
            hits.push(Hit {
                doc: d as u32,
                score: s,
                complete: mask[d] == full,
                billable,
                field: match best_field[d] {
                    0 => Field::Title,
                    1 => Field::Inclusion,
                    _ => Field::Index,
                },
            });
        }
        hits.sort_by(|a, b| {
            b.complete
                .cmp(&a.complete)
                .then(b.billable.cmp(&a.billable))
                .then(b.score.total_cmp(&a.score))
                .then(a.doc.cmp(&b.doc))
        });
        hits.truncate(limit);
        hits
    }

    /// The index terms that point to a document.
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

/// A parsed query: for each position, the stemmed alternatives it may match.
#[derive(Clone, Debug, Default)]
pub struct Query {
    pub(crate) terms: Vec<Vec<String>>,
    /// The query after abbreviation expansion, for display.
    pub expanded: String,
}

impl Query {
    /// Parses a query, expanding clinical abbreviations and synonyms.
    pub fn parse(text: &str) -> Query {
        let raw = words(text);
        let mut expanded_words: Vec<String> = Vec::new();
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
                    expanded_words.extend(words(exp));
                    i += n;
                    matched = true;
                    break;
                }
            }
            if !matched {
                expanded_words.push(raw[i].clone());
                i += 1;
            }
        }
        let mut terms: Vec<Vec<String>> = Vec::new();
        for w in &expanded_words {
            if STOPWORDS.contains(&w.as_str()) {
                continue;
            }
            let s = stem(w);
            if terms.iter().any(|t| t[0] == s) {
                continue;
            }
            let mut alts = vec![s];
            for syn in crate::synonyms::word_variants(w) {
                let st = stem(syn);
                if !alts.contains(&st) {
                    alts.push(st);
                }
            }
            terms.push(alts);
        }
        Query { terms, expanded: expanded_words.join(" ") }
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

/// Levenshtein distance if it is at most `max`, computed with early exit.
fn bounded_levenshtein(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
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
    }

    #[test]
    fn abbreviations_expand() {
        let q = Query::parse("HTN w CKD");
        assert!(q.expanded.contains("hypertension"), "{}", q.expanded);
        assert!(q.expanded.contains("chronic kidney disease"), "{}", q.expanded);
    }
}
