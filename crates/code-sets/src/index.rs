//! The ICD-10-CM alphabetic index files as CDC/NCHS publishes them with each release:
//! `icd10cm_index_YYYY.xml` (Index to Diseases and Injuries), `icd10cm_eindex_YYYY.xml` (External
//! Cause of Injuries Index), `icd10cm_neoplasm_YYYY.xml` and `icd10cm_drug_YYYY.xml` (the tables).
//!
//! Structure, per CDC's schemas `icd10cm_index.xsd` (id `cm_index`) and the drug/neoplasm
//! document definition (id `drug-neoplasm-schema`), both shipped in the CDC "code tables, tabular
//! and index" zip: root `<ICD10CM.index>` holds `<version>`, `<title>`, for the tables an
//! `<indexHeading>` of `<head>` column titles, then `<letter>` elements (`<title>` = the letter) of
//! `<mainTerm>`s. A `<mainTerm>` or a nested `<term level="N">` has a `<title>` (which may hold a
//! `<nemod>` nonessential modifier), then any of `<code>`, `<manif>` (manifestation code, printed in
//! brackets), `<see>`, `<seeAlso>`, `<seecat>`, `<subcat>`, table `<cell col="N">` values, and
//! subterms to any depth.

use crate::release::{IndexTerm, NONE, Release, Text};
use crate::xml::{Ev, Xml, attr, collapse};
use crate::{LoadError, System};

/// Which book of the index a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Book {
    /// Index to Diseases and Injuries.
    Diseases = 0,
    /// External Cause of Injuries Index.
    ExternalCauses = 1,
    /// Table of Neoplasms.
    Neoplasms = 2,
    /// Table of Drugs and Chemicals.
    Drugs = 3,
}

impl Book {
    /// A person's name for the book.
    pub fn name(self) -> &'static str {
        match self {
            Book::Diseases => "Index to Diseases and Injuries",
            Book::ExternalCauses => "External Cause of Injuries Index",
            Book::Neoplasms => "Table of Neoplasms",
            Book::Drugs => "Table of Drugs and Chemicals",
        }
    }

    pub(crate) fn from_u8(b: u8) -> Book {
        match b {
            1 => Book::ExternalCauses,
            2 => Book::Neoplasms,
            3 => Book::Drugs,
            _ => Book::Diseases,
        }
    }
}

/// One parsed index file, ready to attach to the ICD-10-CM release of the same year.
#[derive(Clone, Debug)]
pub struct IndexFile {
    /// Which book.
    pub book: Book,
    /// The `<version>`.
    pub version: String,
    terms: Vec<RawTerm>,
    headings: Vec<String>,
}

#[derive(Clone, Debug, Default)]
struct RawTerm {
    title: String,
    nemod: String,
    level: u8,
    parent: u32,
    codes: Vec<String>,
    see: String,
    see_also: String,
    manif: String,
    cells: Vec<(usize, String)>,
}

impl IndexFile {
    /// How many terms (main terms and subterms) the file holds.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// True when the file holds no terms.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// Parses one index file.
pub fn parse_index(src: &[u8]) -> Result<IndexFile, LoadError> {
    let mut x = Xml::new(src);
    let mut version = String::new();
    let mut title = String::new();
    let mut headings: Vec<String> = Vec::new();
    let mut terms: Vec<RawTerm> = Vec::new();
    let mut open: Vec<u32> = Vec::new();
    let mut root_name = String::new();
    loop {
        match x.next()? {
            Ev::Eof => break,
            Ev::Text(_) => {}
            Ev::Start { name, attrs } => {
                if x.depth() == 1 {
                    if !name.starts_with("ICD10CM.") || name == "ICD10CM.tabular" {
                        return Err(x.err(format!(
                            "root element is <{name}>, not <ICD10CM.index>: this is not an ICD-10-CM index file"
                        )));
                    }
                    root_name = name;
                    continue;
                }
                match name.as_str() {
                    "version" if x.depth() == 2 => version = x.text_content()?,
                    "title" if x.depth() == 2 => title = x.text_content()?,
                    "head" => headings.push(x.text_content()?),
                    "mainTerm" | "term" => {
                        let level = if name == "mainTerm" {
                            0
                        } else {
                            attr(&attrs, "level")
                                .and_then(|l| l.parse::<u8>().ok())
                                .unwrap_or(open.len() as u8)
                        };
                        let parent = open.last().copied().unwrap_or(NONE);
                        if name == "term" && parent == NONE {
                            return Err(x.err("<term> outside a <mainTerm>"));
                        }
                        terms.push(RawTerm { level, parent, ..Default::default() });
                        open.push((terms.len() - 1) as u32);
                    }
                    "title" => {
                        // A term title may hold <nemod>; read both.
                        let Some(&t) = open.last() else {
                            x.skip()?;
                            continue;
                        };
                        let depth = x.depth();
                        let mut main = String::new();
                        let mut nemod = String::new();
                        let mut in_nemod = false;
                        loop {
                            match x.next()? {
                                Ev::Text(s) => {
                                    let target = if in_nemod { &mut nemod } else { &mut main };
                                    if !target.is_empty() {
                                        target.push(' ');
                                    }
                                    target.push_str(&s);
                                }
                                Ev::Start { name, .. } => in_nemod = name == "nemod",
                                Ev::End(n) => {
                                    if x.depth() < depth {
                                        break;
                                    }
                                    if n == "nemod" {
                                        in_nemod = false;
                                    }
                                }
                                Ev::Eof => return Err(x.err("unexpected end of file in <title>")),
                            }
                        }
                        let term = &mut terms[t as usize];
                        term.title = collapse(&main);
                        term.nemod = collapse(&nemod);
                    }
                    "code" | "manif" | "see" | "seeAlso" | "seecat" | "subcat" | "cell" => {
                        let col = attr(&attrs, "col").and_then(|c| c.parse::<usize>().ok());
                        let text = x.text_content()?;
                        let Some(&t) = open.last() else { continue };
                        let term = &mut terms[t as usize];
                        match name.as_str() {
                            "code" | "subcat" => term.codes.push(text),
                            "manif" => term.manif = text,
                            "see" | "seecat" => term.see = text,
                            "seeAlso" => term.see_also = text,
                            _ => {
                                if let Some(c) = col
                                    && c >= 2
                                    && !text.is_empty()
                                    && text != "--"
                                    && text != "-"
                                {
                                    term.cells.push((c, text));
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            Ev::End(name) => {
                if (name == "mainTerm" || name == "term")
                    && let Some(t) = open.pop()
                    && terms[t as usize].title.is_empty()
                {
                    return Err(x.err(format!("<{name}> without a <title>")));
                }
            }
        }
    }
    if terms.is_empty() {
        return Err(LoadError::whole("the index file holds no <mainTerm>"));
    }
    let upper = title.to_ascii_uppercase();
    let book = if root_name.contains("drug") || (!headings.is_empty() && upper.contains("DRUG")) {
        Book::Drugs
    } else if root_name.contains("neoplasm") || upper.contains("NEOPLASM") {
        Book::Neoplasms
    } else if !headings.is_empty() {
        Book::Drugs
    } else if upper.contains("EXTERNAL") || root_name.contains("eindex") {
        Book::ExternalCauses
    } else {
        Book::Diseases
    };
    Ok(IndexFile { book, version, terms, headings })
}

impl Release {
    /// Attaches an index book to this ICD-10-CM release (replacing that book if present) and
    /// rebuilds the search index so that index terms find their codes.
    pub fn attach_index(&mut self, file: &IndexFile) -> Result<(), LoadError> {
        if self.meta.system != System::Icd10Cm {
            return Err(LoadError::whole(
                "an ICD-10-CM index attaches only to an ICD-10-CM release",
            ));
        }
        if !file.version.trim().is_empty() && file.version.trim() != self.meta.version {
            return Err(LoadError::whole(format!(
                "the index is for {} but the ICD-10-CM release is FY{}",
                file.version.trim(),
                self.meta.version
            )));
        }
        let book = file.book as u8;
        // Drop an earlier copy of the same book (re-import), remapping parents.
        let old = std::mem::take(&mut self.body.index);
        let mut remap = vec![NONE; old.len()];
        for (i, t) in old.into_iter().enumerate() {
            if t.book == book {
                continue;
            }
            remap[i] = self.body.index.len() as u32;
            let parent = if t.parent == NONE { NONE } else { remap[t.parent as usize] };
            self.body.index.push(IndexTerm { parent, ..t });
        }
        let base = self.body.index.len() as u32;
        let headings: Vec<Text> = file.headings.iter().map(|h| self.body.push_text(h)).collect();
        for t in &file.terms {
            let body = &mut self.body;
            let title = body.push_text(&t.title);
            let nemod = body.push_text(&t.nemod);
            let codes = t.codes.iter().map(|c| body.push_text(c)).collect();
            let see = body.push_text(&t.see);
            let see_also = body.push_text(&t.see_also);
            let manif = body.push_text(&t.manif);
            let cells = t
                .cells
                .iter()
                .map(|(col, code)| {
                    let head = headings.get(col - 1).copied().unwrap_or_default();
                    (head, body.push_text(code))
                })
                .collect();
            body.index.push(IndexTerm {
                title,
                nemod,
                level: t.level,
                parent: if t.parent == NONE { NONE } else { t.parent + base },
                book,
                codes,
                see,
                see_also,
                manif,
                cells,
            });
        }
        self.meta.counts.index_terms = self.body.index.len() as u32;
        self.rebuild_search();
        Ok(())
    }
}
