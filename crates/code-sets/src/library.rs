//! Several releases side by side, each answering for the dates it is in force.

use std::sync::Arc;

use crate::index::Book;
use crate::release::{BILLABLE, Entry, NONE, NoteKind, Release};
use crate::search::{Field, Query};
use crate::{CodeKey, Date, System};

/// The installed releases of every system.
#[derive(Clone, Debug, Default)]
pub struct Library {
    /// Sorted by system, then effective date.
    releases: Vec<Arc<Release>>,
}

/// What a code is on a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Valid on the date and reportable on a claim.
    Billable,
    /// A category or subcategory (or a PCS table): valid, but not reportable by itself.
    Header,
    /// A HCPCS modifier valid on the date.
    Modifier,
    /// A CPT code known only by its format: no CPT or PFS release is installed to confirm it.
    FormatOnly,
    /// A real code, but not on this date.
    NotValidOnDate {
        /// Why, with the dates: "added 2026-04-01 (…)", "deleted after 2025-09-30 (…)".
        reason: String,
    },
    /// Not a code of the system.
    NotACode {
        /// Why (for ICD-10-PCS, which character breaks which table row).
        reason: String,
    },
}

impl Status {
    /// The stable name used in JSON.
    pub fn id(&self) -> &'static str {
        match self {
            Status::Billable => "billable",
            Status::Header => "header",
            Status::Modifier => "modifier",
            Status::FormatOnly => "format_only",
            Status::NotValidOnDate { .. } => "not_valid_on_date",
            Status::NotACode { .. } => "not_a_code",
        }
    }
}

/// A note that applies to a code, with the code (or chapter/section range) it stands under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteRef {
    /// The kind of note.
    pub kind: NoteKind,
    /// The text as the tabular prints it.
    pub text: String,
    /// Where it stands: the code itself, an ancestor, a section (`A00-A09`) or a chapter (`A00-B99`).
    pub from: String,
}

/// One ICD-10-PCS character and its meaning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Axis {
    /// 1 to 7.
    pub position: u8,
    /// The axis name in this section (e.g. "Body Part", "Approach").
    pub name: String,
    /// The character.
    pub value: char,
    /// What it means here; empty when the value does not exist in the table.
    pub meaning: String,
    /// The official definition of the value, when the definitions file is installed.
    pub definition: String,
}

/// Everything a coder needs to know about one code on one date.
#[derive(Clone, Debug)]
pub struct CodeInfo {
    /// The system.
    pub system: System,
    /// The code as printed (ICD-10-CM with its dot).
    pub code: String,
    /// The title (empty when the release has none, as for CPT from the PFS file).
    pub title: String,
    /// HCPCS short description.
    pub short_title: String,
    /// What the code is on the date.
    pub status: Status,
    /// Reportable on a claim on the date.
    pub billable: bool,
    /// Exists in the release in force on the date.
    pub valid: bool,
    /// The label of the release that answered.
    pub release: String,
    /// That release's first day in force.
    pub release_effective_from: Option<Date>,
    /// False when no installed release is in force on the date and the nearest answered.
    pub release_covers_date: bool,
    /// The date asked about.
    pub date: Date,
    /// Ancestors, nearest first: (code, title).
    pub parents: Vec<(String, String)>,
    /// Direct children: (code, title, billable).
    pub children: Vec<(String, String, bool)>,
    /// Chapter (id, range, title), ICD-10-CM.
    pub chapter: Option<(String, String, String)>,
    /// Section (range, title), ICD-10-CM.
    pub section: Option<(String, String)>,
    /// Every note that applies, the code's own first, then its ancestors', then section and chapter.
    pub notes: Vec<NoteRef>,
    /// The 7th characters that apply to this code's category, with where they are defined.
    pub seventh_characters: Vec<(char, String)>,
    /// Where the 7th-character definition stands.
    pub seventh_from: String,
    /// ICD-10-PCS axes.
    pub axes: Vec<Axis>,
    /// HCPCS dates and action code.
    pub hcpcs_dates: Option<HcpcsDates>,
}

impl CodeInfo {
    /// The notes of one kind.
    pub fn notes_of(&self, kind: NoteKind) -> impl Iterator<Item = &NoteRef> {
        self.notes.iter().filter(move |n| n.kind == kind)
    }
}

/// The dates a HCPCS record carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HcpcsDates {
    /// When the code was added.
    pub added: Option<Date>,
    /// When the latest action took effect.
    pub action_effective: Option<Date>,
    /// The last day the code may be used.
    pub terminated: Option<Date>,
    /// The action code (`N` no change, `A` added, `C` changed, `D` discontinued…), or a space.
    pub action: char,
}

/// Where a note stands: a code (the code itself or an ancestor) or a section/chapter range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeOrRange<'a> {
    /// A code of the tabular list.
    Code(CodeKey),
    /// A section or chapter range (`E08-E13`).
    Range(&'a str),
}

/// A borrowed answer of [`Library::lookup`].
#[derive(Clone, Debug)]
pub struct Lookup<'a> {
    /// The title (borrowed, or composed for an ICD-10-PCS code).
    pub title: std::borrow::Cow<'a, str>,
    /// Reportable.
    pub billable: bool,
    /// False when the release is not in force on the date.
    pub release_covers_date: bool,
    release: &'a Release,
    idx: u32,
}

impl<'a> Lookup<'a> {
    /// Whether the code's own dates allow `date`: a HCPCS code added after it or terminated
    /// before it is not (other systems' codes carry no dates of their own: always true).
    pub fn in_force_on(&self, date: Date) -> bool {
        let e = &self.release.body.entries[self.idx as usize];
        let d = date.as_yyyymmdd();
        let terminated = e.terminated != 0 && d > e.terminated;
        let not_yet = e.added != 0 && d < e.added;
        !(terminated || not_yet)
    }

    /// The notes of `kind` that apply to the code, borrowed: its own, then its ancestors', then
    /// (ICD-10-CM) its section's and chapter's, each with the code or range it stands under.
    pub fn notes(&self, kind: NoteKind) -> Vec<(&'a str, CodeOrRange<'a>)> {
        let (release, body) = (self.release, &self.release.body);
        let mut out = Vec::new();
        let mut cur = self.idx;
        while cur != NONE {
            let a = &body.entries[cur as usize];
            for n in body.notes_of(a) {
                if n.kind == kind && !(kind == NoteKind::InclusionTerm && cur != self.idx) {
                    out.push((release.text(n.text), CodeOrRange::Code(a.key)));
                }
            }
            cur = a.parent;
        }
        let e = &body.entries[self.idx as usize];
        if release.meta.system == System::Icd10Cm && e.group != NONE {
            let mut g = e.group;
            while g != NONE {
                let group = &body.groups[g as usize];
                for n in &body.notes[group.notes_start as usize..][..group.notes_len as usize] {
                    if n.kind == kind {
                        out.push((
                            release.text(n.text),
                            CodeOrRange::Range(release.text(group.range)),
                        ));
                    }
                }
                g = group.parent;
            }
        }
        out
    }

    /// The direct children, as keys.
    pub fn children(&self) -> impl Iterator<Item = CodeKey> + 'a {
        let release = self.release;
        release.children_of(self.idx).iter().map(move |&c| release.body.entries[c as usize].key)
    }

    /// The ancestors, nearest first, as keys.
    pub fn ancestors(&self) -> impl Iterator<Item = CodeKey> + 'a {
        let release = self.release;
        let mut cur = release.body.entries[self.idx as usize].parent;
        std::iter::from_fn(move || {
            if cur == NONE {
                return None;
            }
            let e = &release.body.entries[cur as usize];
            cur = e.parent;
            Some(e.key)
        })
    }
}

/// Why `show` could not answer.
#[derive(Clone, Debug)]
pub enum ShowError {
    /// The text is not a code of any (or of the requested) system: the message says why.
    Malformed(String),
    /// The code exists in several systems; pass `--system`.
    Ambiguous(Vec<CodeInfo>),
    /// No release of the system is installed.
    NoRelease(System),
}

/// One search result.
#[derive(Clone, Debug)]
pub struct SearchResult {
    /// The system.
    pub system: System,
    /// The code as printed.
    pub code: String,
    /// Its title.
    pub title: String,
    /// Reportable.
    pub billable: bool,
    /// Relevance, higher is better.
    pub score: f32,
    /// What matched: `title`, `inclusion term: …`, `index: …`.
    pub matched: String,
    /// The release that answered.
    pub release: String,
    /// False when the release is not in force on the date.
    pub release_covers_date: bool,
}

/// The JSON form `codes search --json` prints and the web API answers: `code`, `system` (its
/// ID), `title`, `billable`, `score` (to three decimals), `matched`, `release`,
/// `release_covers_date`.
impl serde::Serialize for SearchResult {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("SearchResult", 8)?;
        m.serialize_field("code", &self.code)?;
        m.serialize_field("system", self.system.id())?;
        m.serialize_field("title", &self.title)?;
        m.serialize_field("billable", &self.billable)?;
        m.serialize_field("score", &((self.score as f64 * 1000.0).round() / 1000.0))?;
        m.serialize_field("matched", &self.matched)?;
        m.serialize_field("release", &self.release)?;
        m.serialize_field("release_covers_date", &self.release_covers_date)?;
        m.end()
    }
}

/// Parents, siblings and children of a code.
#[derive(Clone, Debug)]
pub struct BrowseAnswer {
    /// The code itself.
    pub info: CodeInfo,
    /// Codes sharing the parent: (code, title, billable).
    pub siblings: Vec<(String, String, bool)>,
}

/// One node of the alphabetic index.
#[derive(Clone, Debug)]
pub struct IndexNode {
    /// The path of titles from the main term.
    pub path: Vec<String>,
    /// Nonessential modifiers.
    pub nemod: String,
    /// Codes.
    pub codes: Vec<String>,
    /// Manifestation code (printed in brackets).
    pub manif: String,
    /// `see` cross-reference.
    pub see: String,
    /// `see also` cross-reference.
    pub see_also: String,
    /// Table cells: (column, code).
    pub cells: Vec<(String, String)>,
    /// Subterms one level down: (title, nemod, codes).
    pub subterms: Vec<(String, String, Vec<String>)>,
    /// The index book.
    pub book: &'static str,
}

/// The answer of an index look-up.
#[derive(Clone, Debug)]
pub struct IndexAnswer {
    /// The release that answered.
    pub release: String,
    /// Matching nodes (several when the same main term stands in several books).
    pub nodes: Vec<IndexNode>,
    /// Main terms close to the asked one, when nothing matched exactly.
    pub suggestions: Vec<String>,
}

impl Library {
    /// A library of these releases.
    pub fn new(mut releases: Vec<Arc<Release>>) -> Library {
        releases.sort_by(|a, b| {
            (a.meta.system, a.meta.effective_from).cmp(&(b.meta.system, b.meta.effective_from))
        });
        Library { releases }
    }

    /// Every release, by system and date.
    pub fn releases(&self) -> &[Arc<Release>] {
        &self.releases
    }

    fn of(&self, system: System) -> impl DoubleEndedIterator<Item = &Arc<Release>> {
        self.releases.iter().filter(move |r| r.meta.system == system)
    }

    /// The last day `release` is in force (the day before the next release of its system).
    pub fn release_end(&self, release: &Release) -> Option<Date> {
        self.of(release.meta.system)
            .map(|r| r.meta.effective_from)
            .find(|d| *d > release.meta.effective_from)
            .map(Date::pred)
    }

    /// The release in force on `date`: the newest effective on or before it. When none is, the
    /// oldest release answers and the flag is false.
    pub fn in_force(&self, system: System, date: Date) -> Option<(&Arc<Release>, bool)> {
        if let Some(r) = self.of(system).rev().find(|r| r.meta.effective_from <= date) {
            return Some((r, true));
        }
        self.of(system).next().map(|r| (r, false))
    }

    /// The fast path: one code's title and billable flag in the release in force, borrowed, no
    /// notes and no allocation. `None` when the code is not in that release (or none is installed).
    ///
    /// ```
    /// # use code_sets::{CodeKey, Library, System};
    /// # let lib = Library::default();
    /// let key = System::Icd10Cm.normalize("E11.9").unwrap();
    /// assert!(lib.lookup(System::Icd10Cm, &key, "2026-05-01".parse().unwrap()).is_none());
    /// ```
    pub fn lookup(&self, system: System, key: &CodeKey, date: Date) -> Option<Lookup<'_>> {
        let (release, covers) = self.in_force(system, date)?;
        let idx = release.find(key)?;
        let e = &release.body.entries[idx as usize];
        Some(Lookup {
            title: release.body.title(idx),
            billable: e.flags & BILLABLE != 0,
            release_covers_date: covers,
            release,
            idx,
        })
    }

    /// Looks a code up. With `system` `None`, every system whose format fits is tried; when the
    /// code exists in more than one, the answer is ambiguous.
    pub fn show(
        &self,
        system: Option<System>,
        text: &str,
        date: Date,
    ) -> Result<CodeInfo, ShowError> {
        let systems = match system {
            Some(s) => {
                s.normalize(text).map_err(ShowError::Malformed)?;
                vec![s]
            }
            None => {
                let c = System::candidates(text);
                if c.is_empty() {
                    return Err(ShowError::Malformed(format!(
                        "{:?} is not shaped like an ICD-10-CM, ICD-10-PCS, HCPCS or CPT code",
                        text.trim()
                    )));
                }
                c
            }
        };
        let mut answers: Vec<CodeInfo> = Vec::new();
        for s in &systems {
            if let Some(info) = self.show_in(*s, text, date) {
                answers.push(info);
            }
        }
        if systems.len() == 1 {
            return answers.pop().ok_or(ShowError::NoRelease(systems[0]));
        }
        let found: Vec<CodeInfo> = answers
            .iter()
            .filter(|a| !matches!(a.status, Status::NotACode { .. }))
            .cloned()
            .collect();
        match found.len() {
            0 => answers.into_iter().next().ok_or(ShowError::NoRelease(systems[0])),
            1 => Ok(found.into_iter().next().unwrap_or_else(|| answers.remove(0))),
            _ => Err(ShowError::Ambiguous(found)),
        }
    }

    /// Looks a code up in one system; `None` when no release of it is installed (CPT answers by
    /// format then).
    fn show_in(&self, system: System, text: &str, date: Date) -> Option<CodeInfo> {
        let key = system.normalize(text).ok()?;
        let Some((release, covers)) = self.in_force(system, date) else {
            if system == System::Cpt && key.len() == 5 {
                let mut info = empty_info(system, &key, date);
                info.status = Status::FormatOnly;
                info.valid = true;
                info.billable = true;
                info.release = "none installed: checked by format only".to_string();
                return Some(info);
            }
            return None;
        };
        let mut info = empty_info(system, &key, date);
        info.release = release.meta.label.clone();
        info.release_effective_from = Some(release.meta.effective_from);
        info.release_covers_date = covers;
        if system == System::Hcpcs && key.len() == 2 {
            return Some(self.modifier_info(release, &key, info, date));
        }
        match release.find(&key) {
            Some(idx) => {
                fill(release, idx, &mut info);
                let e = &release.body.entries[idx as usize];
                info.status =
                    if e.flags & BILLABLE != 0 { Status::Billable } else { Status::Header };
                info.valid = true;
                if system == System::Hcpcs {
                    hcpcs_dates(e, &mut info, date);
                }
                info.billable = info.status == Status::Billable;
            }
            None => {
                info.status = self.absent(system, release, &key, date);
                if system == System::Icd10Pcs {
                    info.axes = decode_pcs(release, &key).1;
                }
            }
        }
        Some(info)
    }

    fn modifier_info(
        &self,
        release: &Release,
        key: &CodeKey,
        mut info: CodeInfo,
        date: Date,
    ) -> CodeInfo {
        let found = release.body.modifiers.binary_search_by(|e| e.key.cmp(key)).ok();
        match found {
            Some(i) => {
                let e = &release.body.modifiers[i];
                info.title = release.text(e.title).to_string();
                info.short_title = release.text(e.short).to_string();
                info.status = Status::Modifier;
                info.valid = true;
                hcpcs_dates(e, &mut info, date);
            }
            None => {
                info.status = Status::NotACode {
                    reason: format!(
                        "{} is not a HCPCS Level II modifier in {}",
                        key.as_str(),
                        release.meta.label
                    ),
                }
            }
        }
        info
    }

    /// Why a code is missing from the release in force: another release has it, or none does.
    fn absent(&self, system: System, in_force: &Release, key: &CodeKey, date: Date) -> Status {
        let display = system.display_code(key);
        let later = self.of(system).find(|r| {
            r.meta.effective_from > in_force.meta.effective_from && r.find(key).is_some()
        });
        if let Some(r) = later {
            return Status::NotValidOnDate {
                reason: format!(
                    "{display} was added on {} ({}); it is not valid on {date}",
                    r.meta.effective_from, r.meta.label
                ),
            };
        }
        let earlier = self.of(system).rev().find(|r| {
            r.meta.effective_from < in_force.meta.effective_from && r.find(key).is_some()
        });
        if let Some(r) = earlier {
            let end = self.release_end(r).map_or_else(|| "?".to_string(), |d| d.to_string());
            return Status::NotValidOnDate {
                reason: format!(
                    "{display} was deleted: last valid on {end} ({}); it is not valid on {date}",
                    r.meta.label
                ),
            };
        }
        let reason = match system {
            System::Icd10Pcs => decode_pcs(in_force, key).0,
            System::Icd10Cm => cm_absent_reason(in_force, key),
            _ => format!("{display} is not in {}", in_force.meta.label),
        };
        Status::NotACode { reason }
    }

    /// Parents, siblings and children of a code.
    pub fn browse(
        &self,
        system: Option<System>,
        text: &str,
        date: Date,
    ) -> Result<BrowseAnswer, ShowError> {
        let info = self.show(system, text, date)?;
        let mut siblings = Vec::new();
        if let Some((release, _)) = self.in_force(info.system, date)
            && let Ok(key) = info.system.normalize(text)
            && let Some(idx) = release.find(&key)
        {
            let parent = release.body.entries[idx as usize].parent;
            if parent != NONE {
                for &c in release.children_of(parent) {
                    if c != idx {
                        siblings.push(row(release, c));
                    }
                }
            }
        }
        Ok(BrowseAnswer { info, siblings })
    }

    /// Searches the releases in force on `date` (one per system, or only `system`).
    pub fn search(
        &self,
        query: &str,
        system: Option<System>,
        billable_only: bool,
        limit: usize,
        date: Date,
    ) -> Vec<SearchResult> {
        let mut q = Query::parse(query);
        // A word any release knows is not a typo: search by edit distance only for the others.
        let in_force: Vec<_> = System::ALL
            .into_iter()
            .filter(|s| system.is_none_or(|x| x == *s))
            .filter_map(|s| self.in_force(s, date).map(|(r, _)| r))
            .collect();
        for t in &mut q.terms {
            t.known = t.alternatives.iter().any(|a| in_force.iter().any(|r| r.search().knows(a)));
        }
        let mut out: Vec<(bool, bool, SearchResult)> = Vec::new();
        for s in System::ALL {
            if system.is_some_and(|x| x != s) {
                continue;
            }
            let Some((release, covers)) = self.in_force(s, date) else { continue };
            let mut hits = release.search().query(&release.body, &q, limit, billable_only);
            // A code typed into the search box finds itself first.
            if let Ok(key) = s.normalize(query)
                && let Some(idx) = release.find(&key)
            {
                hits.retain(|h| h.doc != idx);
                let e = &release.body.entries[idx as usize];
                hits.insert(
                    0,
                    crate::search::Hit {
                        doc: idx,
                        score: 1000.0,
                        complete: true,
                        billable: e.flags & BILLABLE != 0,
                        field: Field::Title,
                    },
                );
            }
            for h in hits {
                let e = &release.body.entries[h.doc as usize];
                let matched = if h.score >= 1000.0 {
                    "code".to_string()
                } else {
                    matched_text(release, h.doc, h.field, &q)
                };
                out.push((
                    h.complete,
                    h.billable,
                    SearchResult {
                        system: s,
                        code: s.display_code(&e.key),
                        title: release.body.title(h.doc).into_owned(),
                        billable: h.billable,
                        score: h.score,
                        matched,
                        release: release.meta.label.clone(),
                        release_covers_date: covers,
                    },
                ));
            }
        }
        out.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(b.2.score.total_cmp(&a.2.score)));
        out.into_iter().take(limit).map(|(_, _, r)| r).collect()
    }

    /// Navigates the alphabetic index: a main term, then subterms at each level.
    pub fn index_lookup(&self, path: &[String], date: Date) -> Option<IndexAnswer> {
        let (release, _) = self.in_force(System::Icd10Cm, date)?;
        let body = &release.body;
        if body.index.is_empty() || path.is_empty() {
            return Some(IndexAnswer {
                release: release.meta.label.clone(),
                nodes: Vec::new(),
                suggestions: Vec::new(),
            });
        }
        let norm = |s: &str| crate::search::words(s).join(" ");
        let head = norm(&path[0]);
        // Main terms match on the whole title or on its first comma-separated part ("Abdomen, abdominal").
        let mut level: Vec<u32> = (0..body.index.len() as u32)
            .filter(|&i| {
                let t = &body.index[i as usize];
                t.parent == NONE && {
                    let title = body.text(t.title);
                    norm(title) == head || title.split(',').any(|p| norm(p) == head)
                }
            })
            .collect();
        for sub in &path[1..] {
            let want = norm(sub);
            let mut next = Vec::new();
            for &p in &level {
                for (i, t) in body.index.iter().enumerate() {
                    if t.parent == p {
                        let title = body.text(t.title);
                        if norm(title) == want || norm(title).starts_with(&want) {
                            next.push(i as u32);
                        }
                    }
                }
            }
            level = next;
        }
        let mut suggestions = Vec::new();
        if level.is_empty() {
            let first = crate::search::stem(head.split(' ').next().unwrap_or(""));
            for t in body.index.iter().filter(|t| t.parent == NONE) {
                let title = body.text(t.title);
                if crate::search::terms(title).contains(&first) && suggestions.len() < 20 {
                    suggestions.push(title.to_string());
                }
            }
        }
        let nodes = level
            .into_iter()
            .map(|i| {
                let t = &body.index[i as usize];
                let mut path = Vec::new();
                let mut cur = i;
                while cur != NONE {
                    path.push(body.text(body.index[cur as usize].title).to_string());
                    cur = body.index[cur as usize].parent;
                }
                path.reverse();
                let subterms = body
                    .index
                    .iter()
                    .filter(|c| c.parent == i)
                    .map(|c| {
                        (
                            body.text(c.title).to_string(),
                            body.text(c.nemod).to_string(),
                            c.codes.iter().map(|x| body.text(*x).to_string()).collect(),
                        )
                    })
                    .collect();
                IndexNode {
                    path,
                    nemod: body.text(t.nemod).to_string(),
                    codes: t.codes.iter().map(|x| body.text(*x).to_string()).collect(),
                    manif: body.text(t.manif).to_string(),
                    see: body.text(t.see).to_string(),
                    see_also: body.text(t.see_also).to_string(),
                    cells: t
                        .cells
                        .iter()
                        .map(|(h, c)| (body.text(*h).to_string(), body.text(*c).to_string()))
                        .collect(),
                    subterms,
                    book: Book::from_u8(t.book).name(),
                }
            })
            .collect();
        Some(IndexAnswer { release: release.meta.label.clone(), nodes, suggestions })
    }
}

fn empty_info(system: System, key: &CodeKey, date: Date) -> CodeInfo {
    CodeInfo {
        system,
        code: system.display_code(key),
        title: String::new(),
        short_title: String::new(),
        status: Status::NotACode { reason: String::new() },
        billable: false,
        valid: false,
        release: String::new(),
        release_effective_from: None,
        release_covers_date: false,
        date,
        parents: Vec::new(),
        children: Vec::new(),
        chapter: None,
        section: None,
        notes: Vec::new(),
        seventh_characters: Vec::new(),
        seventh_from: String::new(),
        axes: Vec::new(),
        hcpcs_dates: None,
    }
}

fn row(release: &Release, idx: u32) -> (String, String, bool) {
    let e = &release.body.entries[idx as usize];
    (
        release.meta.system.display_code(&e.key),
        release.text(e.title).to_string(),
        e.flags & BILLABLE != 0,
    )
}

fn fill(release: &Release, idx: u32, info: &mut CodeInfo) {
    let body = &release.body;
    let system = release.meta.system;
    let e = &body.entries[idx as usize];
    info.title = body.title(idx).into_owned();
    info.short_title = release.text(e.short).to_string();
    info.children = release.children_of(idx).iter().map(|&c| row(release, c)).collect();
    // Own notes, then each ancestor's.
    let mut cur = idx;
    let mut first = true;
    while cur != NONE {
        let a = &body.entries[cur as usize];
        let from = system.display_code(&a.key);
        if !first {
            info.parents.push((from.clone(), release.text(a.title).to_string()));
        }
        for n in body.notes_of(a) {
            // Inclusion terms describe the code they stand under, not its descendants.
            if n.kind == NoteKind::InclusionTerm && !first {
                continue;
            }
            info.notes.push(NoteRef {
                kind: n.kind,
                text: release.text(n.text).to_string(),
                from: from.clone(),
            });
        }
        if info.seventh_characters.is_empty() && a.seventh != NONE {
            info.seventh_characters = body.seventh[a.seventh as usize]
                .values
                .iter()
                .map(|(c, t)| (*c as char, release.text(*t).to_string()))
                .collect();
            info.seventh_from = from.clone();
        }
        first = false;
        cur = a.parent;
    }
    if system == System::Icd10Cm && e.group != NONE {
        let section = &body.groups[e.group as usize];
        info.section = Some((
            release.text(section.range).to_string(),
            release.text(section.title).to_string(),
        ));
        push_group_notes(release, e.group, info);
        if section.parent != NONE {
            let ch = &body.groups[section.parent as usize];
            info.chapter = Some((
                release.text(ch.id).to_string(),
                release.text(ch.range).to_string(),
                release.text(ch.title).to_string(),
            ));
            push_group_notes(release, section.parent, info);
        }
    }
    if system == System::Icd10Pcs {
        info.axes = decode_pcs(release, &e.key).1;
    }
}

fn push_group_notes(release: &Release, g: u32, info: &mut CodeInfo) {
    let body = &release.body;
    let group = &body.groups[g as usize];
    let from = release.text(group.range).to_string();
    for n in &body.notes[group.notes_start as usize..][..group.notes_len as usize] {
        info.notes.push(NoteRef {
            kind: n.kind,
            text: release.text(n.text).to_string(),
            from: from.clone(),
        });
    }
}

fn hcpcs_dates(e: &Entry, info: &mut CodeInfo, date: Date) {
    let d = |n: u32| if n == 0 { None } else { Date::from_yyyymmdd(&n.to_string()) };
    let (added, effective, terminated) = (d(e.added), d(e.action_effective), d(e.terminated));
    info.hcpcs_dates = Some(HcpcsDates {
        added,
        action_effective: effective,
        terminated,
        action: if e.action == 0 { ' ' } else { e.action as char },
    });
    if let Some(t) = terminated
        && date > t
    {
        info.status = Status::NotValidOnDate {
            reason: format!(
                "{} was terminated: last valid on {t}; it is not valid on {date}",
                info.code
            ),
        };
        info.valid = false;
        info.billable = false;
    } else if let Some(a) = added
        && date < a
    {
        info.status = Status::NotValidOnDate {
            reason: format!("{} was added on {a}; it is not valid on {date}", info.code),
        };
        info.valid = false;
        info.billable = false;
    }
}

/// Why an ICD-10-CM code is not in the release: an incomplete code, a missing 7th character…
fn cm_absent_reason(release: &Release, key: &CodeKey) -> String {
    let display = System::Icd10Cm.display_code(key);
    let s = key.as_str();
    // The longest prefix that exists.
    for n in (3..s.len()).rev() {
        let Some(pk) = CodeKey::new(&s[..n]) else { continue };
        if let Some(idx) = release.find(&pk) {
            let p = System::Icd10Cm.display_code(&pk);
            if let Some(r) = seventh_restriction(release, idx, key) {
                return r;
            }
            let kids = release.children_of(idx);
            if kids.is_empty() {
                return format!(
                    "{display} is not a code: {p} is a complete code and takes no further characters"
                );
            }
            let sample: Vec<String> = kids.iter().take(6).map(|&c| row(release, c).0).collect();
            return format!(
                "{display} is not a code in {}: under {p} the next level is {}{}",
                release.meta.label,
                sample.join(", "),
                if kids.len() > 6 { ", …" } else { "" }
            );
        }
    }
    format!("{display} is not an ICD-10-CM code in {}", release.meta.label)
}

/// When `key` is a 7-character code whose 7th character is defined for its category but excluded by
/// a tabular note (S06 codes with 6th character 7 or 8 take no D or S), says so with the note.
fn seventh_restriction(release: &Release, parent: u32, key: &CodeKey) -> Option<String> {
    if key.len() != 7 {
        return None;
    }
    let body = &release.body;
    let ch = key.as_str().as_bytes()[6];
    let mut cur = parent;
    let mut defined = false;
    let mut note = None;
    while cur != NONE {
        let e = &body.entries[cur as usize];
        if !defined && e.seventh != NONE {
            defined = body.seventh[e.seventh as usize].values.iter().any(|(c, _)| *c == ch);
        }
        for n in body.notes_of(e) {
            let t = release.text(n.text);
            if n.kind == NoteKind::Note && t.contains("do not apply") && note.is_none() {
                note = Some((t.to_string(), System::Icd10Cm.display_code(&e.key)));
            }
        }
        cur = e.parent;
    }
    let (text, from) = note?;
    defined.then(|| {
        format!(
            "{} is not a code: 7th character {} does not apply here (note at {from}: \"{text}\")",
            System::Icd10Cm.display_code(key),
            ch as char
        )
    })
}

/// Decodes an ICD-10-PCS code (or as much of it as its table allows) and says why it is invalid.
fn decode_pcs(release: &Release, key: &CodeKey) -> (String, Vec<Axis>) {
    let body = &release.body;
    let code = key.as_str().as_bytes();
    let display = key.as_str();
    let mut axes = Vec::new();
    let table = body.tables.iter().find(|t| code.len() >= 3 && t.key == code[..3]);
    let Some(table) = table else {
        // Say which of the first three characters has no table.
        let mut reason = format!(
            "{display}: no ICD-10-PCS table starts with {}",
            String::from_utf8_lossy(&code[..code.len().min(3)])
        );
        for n in (1..=2).rev() {
            if code.len() >= n && body.tables.iter().any(|t| t.key[..n] == code[..n]) {
                let names = ["section", "body system", "root operation"];
                reason = format!(
                    "{display}: character {} ({}) {:?} is not used after {}",
                    n + 1,
                    names[n],
                    code.get(n).map(|&c| c as char).unwrap_or(' '),
                    String::from_utf8_lossy(&code[..n])
                );
                break;
            }
        }
        return (reason, axes);
    };
    for h in &table.head {
        axes.push(Axis {
            position: h.pos,
            name: release.text(h.title).to_string(),
            value: h.code as char,
            meaning: release.text(h.label).to_string(),
            definition: definition_of(release, table.key[0], h.pos, release.text(h.label)),
        });
    }
    axes.sort_by_key(|a| a.position);
    if code.len() < 7 {
        return (format!("{display} names table {}; a code has 7 characters", display), axes);
    }
    // The row that matches most of characters 4–7.
    let mut best: Option<(usize, [bool; 4])> = None;
    for (ri, r) in table.rows.iter().enumerate() {
        let mut ok = [false; 4];
        for i in 0..4 {
            ok[i] = r.axes[i].1.iter().any(|(c, _)| *c == code[3 + i]);
        }
        let n = ok.iter().filter(|x| **x).count();
        if best.is_none_or(|(_, b)| b.iter().filter(|x| **x).count() < n) {
            best = Some((ri, ok));
        }
    }
    let Some((ri, ok)) = best else {
        return (
            format!("{display}: table {} has no rows", String::from_utf8_lossy(&table.key)),
            axes,
        );
    };
    let r = &table.rows[ri];
    for i in 0..4 {
        let name = release.text(r.axes[i].0).to_string();
        let value = code[3 + i];
        // The meaning from any row of the table (a value may exist in another row).
        let meaning = table
            .rows
            .iter()
            .flat_map(|row| row.axes[i].1.iter())
            .find(|(c, _)| *c == value)
            .map(|(_, l)| release.text(*l).to_string())
            .unwrap_or_default();
        let definition = definition_of(release, table.key[0], 4 + i as u8, &meaning);
        axes.push(Axis { position: 4 + i as u8, name, value: value as char, meaning, definition });
    }
    if ok.iter().all(|x| *x) {
        return (String::new(), axes);
    }
    let tname = String::from_utf8_lossy(&table.key).into_owned();
    let mut problems = Vec::new();
    for i in 0..4 {
        let a = &axes[3 + i];
        let exists_anywhere = !a.meaning.is_empty();
        if !exists_anywhere {
            problems.push(format!(
                "character {} ({}) {:?} is not a value in table {tname}",
                a.position, a.name, a.value
            ));
        }
    }
    if problems.is_empty() {
        let bad: Vec<String> = (0..4)
            .filter(|&i| !ok[i])
            .map(|i| {
                let a = &axes[3 + i];
                format!("{} {} ({})", a.name.to_lowercase(), a.value, a.meaning)
            })
            .collect();
        let good: Vec<String> = (0..4)
            .filter(|&i| ok[i])
            .map(|i| {
                let a = &axes[3 + i];
                format!("{} {} ({})", a.name.to_lowercase(), a.value, a.meaning)
            })
            .collect();
        problems.push(format!(
            "no row of table {tname} allows {} together with {}",
            bad.join(" and "),
            if good.is_empty() { "the other characters".to_string() } else { good.join(", ") }
        ));
    }
    (format!("{display} is not a valid ICD-10-PCS code: {}", problems.join("; ")), axes)
}

fn definition_of(release: &Release, section: u8, pos: u8, label: &str) -> String {
    if label.is_empty() {
        return String::new();
    }
    for d in &release.body.definitions {
        if d.section == section
            && d.pos == pos
            && d.titles.iter().any(|t| release.text(*t).eq_ignore_ascii_case(label))
        {
            let mut s = release.text(d.definition).to_string();
            if !d.includes.is_empty() {
                let inc: Vec<&str> = d.includes.iter().map(|t| release.text(*t)).collect();
                if !s.is_empty() {
                    s.push_str(". ");
                }
                s.push_str("Includes: ");
                s.push_str(&inc.join("; "));
            }
            return s;
        }
    }
    String::new()
}

fn matched_text(release: &Release, doc: u32, field: Field, q: &Query) -> String {
    let body = &release.body;
    let e = &body.entries[doc as usize];
    let hits = |text: &str| {
        let ts = crate::search::terms(text);
        q.terms
            .iter()
            .filter(|qt| {
                qt.alternatives.iter().any(|a| ts.iter().any(|t| t.starts_with(a.as_str())))
            })
            .count()
    };
    // The inclusion term of an entry that shares most words with the query.
    let best_inclusion = |entry: &crate::release::Entry| -> Option<&str> {
        let mut best: Option<(usize, &str)> = None;
        for n in body.notes_of(entry) {
            if n.kind == NoteKind::InclusionTerm {
                let t = release.text(n.text);
                let h = hits(t);
                if best.is_none_or(|(b, _)| h > b) {
                    best = Some((h, t));
                }
            }
        }
        best.map(|(_, t)| t)
    };
    match field {
        Field::Title => "title".to_string(),
        Field::Inclusion => match best_inclusion(e) {
            Some(t) => format!("inclusion term: {t}"),
            None if e.short.len > 0 => format!("short description: {}", release.text(e.short)),
            None => "inclusion term".to_string(),
        },
        Field::Inherited => {
            let mut cur = e.parent;
            while cur != NONE {
                let a = &body.entries[cur as usize];
                if let Some(t) = best_inclusion(a) {
                    return format!(
                        "inclusion term of {}: {t}",
                        release.meta.system.display_code(&a.key)
                    );
                }
                if release.text(a.title).contains('[') {
                    return format!(
                        "title of {}: {}",
                        release.meta.system.display_code(&a.key),
                        release.text(a.title)
                    );
                }
                cur = a.parent;
            }
            "inclusion term of a parent".to_string()
        }
        Field::Index => {
            let mut best: Option<(usize, String)> = None;
            for t in release.search().index_terms_of(doc) {
                let mut path = Vec::new();
                let mut cur = t;
                while cur != NONE {
                    path.push(release.text(body.index[cur as usize].title));
                    cur = body.index[cur as usize].parent;
                }
                path.reverse();
                let p = path.join(", ");
                let h = hits(&p);
                if best.as_ref().is_none_or(|(b, _)| h > *b) {
                    best = Some((h, p));
                }
            }
            best.map_or_else(|| "index".to_string(), |(_, p)| format!("index: {p}"))
        }
    }
}
