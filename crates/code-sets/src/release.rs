//! One installed release of one code system: an immutable, indexed table of codes, their notes and
//! a search index, with a compact binary form that is read whole.

use serde::{Deserialize, Serialize};

use crate::search::SearchIndex;
use crate::{CodeKey, Date, System};

/// Sentinel for "no index" in the packed tables.
pub(crate) const NONE: u32 = u32::MAX;

/// What a release is: its system, its label and the first day it is in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseMeta {
    /// The code system.
    pub system: System,
    /// The version the file states (for ICD-10 the fiscal year, e.g. `2026`; for HCPCS `2026-JAN`).
    pub version: String,
    /// A person's name for the release, e.g. `ICD-10-CM FY2026 (April 1, 2026 update)`.
    pub label: String,
    /// The first day this release is in force.
    pub effective_from: Date,
    /// The file names it was built from.
    pub sources: Vec<String>,
    /// Counts a person checks against the publisher's figures.
    pub counts: Counts,
    /// Hex SHA-256 of the source files' bytes; set by the installer, used for idempotent imports.
    pub content_hash: String,
}

/// Counts of what a release holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Codes that can be reported (ICD-10-CM billable codes, PCS codes, HCPCS/CPT codes).
    pub billable: u32,
    /// Headers: categories and subcategories that are not billable, PCS tables.
    pub headers: u32,
    /// HCPCS modifiers.
    pub modifiers: u32,
    /// ICD-10-PCS tables.
    pub tables: u32,
    /// ICD-10-PCS table rows.
    pub rows: u32,
    /// Alphabetic index terms (main terms and subterms at every level).
    pub index_terms: u32,
    /// Chapters (ICD-10-CM) or sections (ICD-10-PCS).
    pub chapters: u32,
    /// Blocks of categories (ICD-10-CM sections).
    pub sections: u32,
    /// Codes listed in the file but terminated before this release took effect (HCPCS).
    pub terminated: u32,
}

/// A range of bytes in the release's text arena.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Text {
    pub(crate) start: u32,
    pub(crate) len: u32,
}

/// The kind of an instructional note in the ICD-10-CM tabular list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum NoteKind {
    /// `includes`: further defines the content of a category.
    Includes,
    /// `inclusionTerm`: conditions classified to the code.
    InclusionTerm,
    /// `excludes1`: never coded together with the code.
    Excludes1,
    /// `excludes2`: not included here; may be coded together.
    Excludes2,
    /// `codeFirst`: the underlying condition is sequenced first.
    CodeFirst,
    /// `useAdditionalCode`: a second code is needed.
    UseAdditionalCode,
    /// `codeAlso`: a second code may be needed; sequencing is discretionary.
    CodeAlso,
    /// `notes`: a general note.
    Note,
    /// `sevenChrNote`: how the 7th character applies.
    SeventhCharacterNote,
}

impl NoteKind {
    /// The JSON field name the CLI contract uses for this kind.
    pub fn field(self) -> &'static str {
        match self {
            NoteKind::Includes => "includes",
            NoteKind::InclusionTerm => "inclusion_terms",
            NoteKind::Excludes1 => "excludes1",
            NoteKind::Excludes2 => "excludes2",
            NoteKind::CodeFirst => "code_first",
            NoteKind::UseAdditionalCode => "use_additional",
            NoteKind::CodeAlso => "code_also",
            NoteKind::Note => "notes",
            NoteKind::SeventhCharacterNote => "seventh_character_notes",
        }
    }

    /// The heading a person reads.
    pub fn heading(self) -> &'static str {
        match self {
            NoteKind::Includes => "Includes",
            NoteKind::InclusionTerm => "Inclusion terms",
            NoteKind::Excludes1 => "Excludes1",
            NoteKind::Excludes2 => "Excludes2",
            NoteKind::CodeFirst => "Code first",
            NoteKind::UseAdditionalCode => "Use additional code",
            NoteKind::CodeAlso => "Code also",
            NoteKind::Note => "Notes",
            NoteKind::SeventhCharacterNote => "7th character",
        }
    }

    /// Every kind, in the order a coder reads them.
    pub const ALL: [NoteKind; 9] = [
        NoteKind::InclusionTerm,
        NoteKind::Includes,
        NoteKind::Excludes1,
        NoteKind::Excludes2,
        NoteKind::CodeFirst,
        NoteKind::UseAdditionalCode,
        NoteKind::CodeAlso,
        NoteKind::Note,
        NoteKind::SeventhCharacterNote,
    ];
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub(crate) struct Note {
    pub(crate) kind: NoteKind,
    pub(crate) text: Text,
}

/// Entry flags.
pub(crate) const BILLABLE: u8 = 1;
/// A HCPCS modifier rather than a code.
pub(crate) const MODIFIER: u8 = 2;
/// An ICD-10-CM code formed by a 7th character: its title is its parent's title, a comma, and the
/// character's meaning, composed when asked (51,000 such titles would triple the text stored).
pub(crate) const SEVENTH_EXPANDED: u8 = 4;

/// One code (or header) of a release. Stored as fixed-size records (see [`Entries`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    pub(crate) key: CodeKey,
    pub(crate) title: Text,
    /// HCPCS short description; empty elsewhere.
    pub(crate) short: Text,
    /// Index of the parent entry, or `NONE`.
    pub(crate) parent: u32,
    /// ICD-10-CM: the section (block) index; ICD-10-PCS: the table index; else `NONE`.
    pub(crate) group: u32,
    pub(crate) flags: u8,
    /// The entry's own notes: `notes[notes_start..notes_start + notes_len]`.
    pub(crate) notes_start: u32,
    pub(crate) notes_len: u16,
    /// Index into `seventh` of the 7th-character definition this node carries, or `NONE`.
    pub(crate) seventh: u32,
    /// HCPCS dates: added, action effective, termination (zero when absent).
    pub(crate) added: u32,
    pub(crate) action_effective: u32,
    pub(crate) terminated: u32,
    /// HCPCS action code (`N`, `A`, `C`, `D`, `P`, `S`…), or 0.
    pub(crate) action: u8,
    /// ICD-10-PCS: the row index within the table.
    pub(crate) row: u32,
}

/// Size of one entry record in the binary form.
const ENTRY_BYTES: usize = 7 + 8 + 8 + 4 + 4 + 1 + 4 + 2 + 4 + 4 + 4 + 4 + 1 + 4;

impl Entry {
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.key.as_bytes());
        for t in [self.title, self.short] {
            out.extend_from_slice(&t.start.to_le_bytes());
            out.extend_from_slice(&t.len.to_le_bytes());
        }
        out.extend_from_slice(&self.parent.to_le_bytes());
        out.extend_from_slice(&self.group.to_le_bytes());
        out.push(self.flags);
        out.extend_from_slice(&self.notes_start.to_le_bytes());
        out.extend_from_slice(&self.notes_len.to_le_bytes());
        out.extend_from_slice(&self.seventh.to_le_bytes());
        out.extend_from_slice(&self.added.to_le_bytes());
        out.extend_from_slice(&self.action_effective.to_le_bytes());
        out.extend_from_slice(&self.terminated.to_le_bytes());
        out.push(self.action);
        out.extend_from_slice(&self.row.to_le_bytes());
    }

    fn read(b: &[u8]) -> Option<Entry> {
        let mut at = 7;
        let u32_at = |at: &mut usize| {
            let v = u32::from_le_bytes([b[*at], b[*at + 1], b[*at + 2], b[*at + 3]]);
            *at += 4;
            v
        };
        let key = CodeKey::from_bytes(&b[..7])?;
        let title = Text { start: u32_at(&mut at), len: u32_at(&mut at) };
        let short = Text { start: u32_at(&mut at), len: u32_at(&mut at) };
        let parent = u32_at(&mut at);
        let group = u32_at(&mut at);
        let flags = b[at];
        at += 1;
        let notes_start = u32_at(&mut at);
        let notes_len = u16::from_le_bytes([b[at], b[at + 1]]);
        at += 2;
        let seventh = u32_at(&mut at);
        let added = u32_at(&mut at);
        let action_effective = u32_at(&mut at);
        let terminated = u32_at(&mut at);
        let action = b[at];
        at += 1;
        let row = u32_at(&mut at);
        Some(Entry {
            key,
            title,
            short,
            parent,
            group,
            flags,
            notes_start,
            notes_len,
            seventh,
            added,
            action_effective,
            terminated,
            action,
            row,
        })
    }

    pub(crate) fn new(key: CodeKey, title: Text) -> Entry {
        Entry {
            key,
            title,
            short: Text::default(),
            parent: NONE,
            group: NONE,
            flags: 0,
            notes_start: 0,
            notes_len: 0,
            seventh: NONE,
            added: 0,
            action_effective: 0,
            terminated: 0,
            action: 0,
            row: NONE,
        }
    }
}

/// Entries, serialized as one run of fixed-size records so that opening a release copies them
/// rather than decoding a dozen variable-length integers per code.
#[derive(Clone, Debug, Default)]
pub(crate) struct Entries(pub(crate) Vec<Entry>);

impl std::ops::Deref for Entries {
    type Target = Vec<Entry>;
    fn deref(&self) -> &Vec<Entry> {
        &self.0
    }
}

impl std::ops::DerefMut for Entries {
    fn deref_mut(&mut self) -> &mut Vec<Entry> {
        &mut self.0
    }
}

impl<'a> IntoIterator for &'a Entries {
    type Item = &'a Entry;
    type IntoIter = std::slice::Iter<'a, Entry>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Serialize for Entries {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = Vec::with_capacity(self.0.len() * ENTRY_BYTES);
        for e in &self.0 {
            e.write(&mut out);
        }
        crate::packed::PackedU8(out).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Entries, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a byte string of entry records")
            }
            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Entries, E> {
                if !bytes.len().is_multiple_of(ENTRY_BYTES) {
                    return Err(E::custom("entry table length is not a whole number of records"));
                }
                bytes
                    .chunks_exact(ENTRY_BYTES)
                    .map(Entry::read)
                    .collect::<Option<Vec<Entry>>>()
                    .map(Entries)
                    .ok_or_else(|| E::custom("an entry key is not a code"))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Entries, E> {
                self.visit_bytes(&v)
            }
        }
        d.deserialize_bytes(V)
    }
}

/// A chapter or a block of categories (ICD-10-CM).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Group {
    /// `1`…`22` for chapters, `A00-A09` for sections.
    pub(crate) id: Text,
    /// The code range, e.g. `A00-B99`.
    pub(crate) range: Text,
    pub(crate) title: Text,
    /// For a section, its chapter's index; for a chapter `NONE`.
    pub(crate) parent: u32,
    pub(crate) notes_start: u32,
    pub(crate) notes_len: u16,
}

/// A 7th-character definition: the characters and their meanings.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Seventh {
    pub(crate) values: Vec<(u8, Text)>,
}

/// One term of the ICD-10-CM alphabetic index (or its tables), in document order.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct IndexTerm {
    pub(crate) title: Text,
    /// Nonessential modifiers in parentheses after the title.
    pub(crate) nemod: Text,
    /// 0 for a main term, 1… for subterms.
    pub(crate) level: u8,
    pub(crate) parent: u32,
    /// Which index: 0 diseases, 1 external causes, 2 neoplasm table, 3 drug table.
    pub(crate) book: u8,
    pub(crate) codes: Vec<Text>,
    pub(crate) see: Text,
    pub(crate) see_also: Text,
    pub(crate) manif: Text,
    /// Table cells: (column heading, code).
    pub(crate) cells: Vec<(Text, Text)>,
}

/// An ICD-10-PCS table: axes 1–3 fixed, rows list the values allowed for axes 4–7.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct PcsTable {
    pub(crate) key: [u8; 3],
    /// Axis titles and labels for positions 1–3: (title, code, label).
    pub(crate) head: Vec<PcsAxisValue>,
    /// The root operation definition, when given.
    pub(crate) definition: Text,
    pub(crate) rows: Vec<PcsRow>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct PcsAxisValue {
    pub(crate) pos: u8,
    pub(crate) title: Text,
    pub(crate) code: u8,
    pub(crate) label: Text,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct PcsRow {
    /// Values for positions 4–7, each axis a list of (code, label), with its title.
    pub(crate) axes: Vec<(Text, Vec<(u8, Text)>)>,
}

/// An ICD-10-PCS definition term (from the definitions XML).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct PcsDefinition {
    pub(crate) section: u8,
    pub(crate) pos: u8,
    pub(crate) axis_title: Text,
    pub(crate) titles: Vec<Text>,
    pub(crate) definition: Text,
    pub(crate) explanation: Text,
    pub(crate) includes: Vec<Text>,
}

/// The serialized body of a release.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Body {
    pub(crate) arena: String,
    /// Sorted by key; keys are unique.
    pub(crate) entries: Entries,
    pub(crate) notes: Vec<Note>,
    pub(crate) groups: Vec<Group>,
    pub(crate) seventh: Vec<Seventh>,
    pub(crate) index: Vec<IndexTerm>,
    pub(crate) tables: Vec<PcsTable>,
    pub(crate) definitions: Vec<PcsDefinition>,
    /// HCPCS modifiers, sorted by key.
    pub(crate) modifiers: Entries,
}

/// One release of one code system, read-only once built.
#[derive(Clone, Debug)]
pub struct Release {
    /// What the release is.
    pub meta: ReleaseMeta,
    pub(crate) body: Body,
    /// The search index, decoded from `search_bytes` the first time a search needs it: a lookup
    /// (`codes show`) never pays for it.
    search: std::sync::OnceLock<SearchIndex>,
    search_bytes: Vec<u8>,
    /// Children of each entry (CSR form), derived on open.
    pub(crate) child_start: Vec<u32>,
    pub(crate) children: Vec<u32>,
}

/// Magic bytes of the binary form.
const MAGIC: &[u8; 8] = b"SBREL\0\0\x01";
/// Bumped whenever the binary form changes; older files must be re-imported.
pub const FORMAT_VERSION: u32 = 9;

/// Why a binary release could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The bytes do not start with the release magic.
    #[error("not a superbill release file")]
    NotARelease,
    /// Written by a different version of superbill.
    #[error(
        "release file format {found} is not the supported format {FORMAT_VERSION}: import the release again"
    )]
    Version {
        /// The version found in the file.
        found: u32,
    },
    /// The body is damaged.
    #[error("damaged release file: {0}; import the release again")]
    Damaged(String),
}

impl Release {
    pub(crate) fn from_body(meta: ReleaseMeta, body: Body) -> Release {
        let mut r = Release {
            meta,
            body,
            search: std::sync::OnceLock::new(),
            search_bytes: Vec::new(),
            child_start: Vec::new(),
            children: Vec::new(),
        };
        r.derive_children();
        r
    }

    fn derive_children(&mut self) {
        let n = self.body.entries.len();
        let mut counts = vec![0u32; n + 1];
        for e in &self.body.entries {
            if e.parent != NONE {
                counts[e.parent as usize + 1] += 1;
            }
        }
        for i in 1..=n {
            counts[i] += counts[i - 1];
        }
        let mut fill = counts.clone();
        let mut children = vec![0u32; counts[n] as usize];
        for (i, e) in self.body.entries.iter().enumerate() {
            if e.parent != NONE {
                let slot = &mut fill[e.parent as usize];
                children[*slot as usize] = i as u32;
                *slot += 1;
            }
        }
        self.child_start = counts;
        self.children = children;
    }

    /// The binary form: magic, format version, metadata length, metadata, body length, body,
    /// search index.
    pub fn to_bytes(&self) -> Vec<u8> {
        let meta = postcard::to_stdvec(&self.meta).unwrap_or_default();
        let body = postcard::to_stdvec(&self.body).unwrap_or_default();
        let search = postcard::to_stdvec(self.search()).unwrap_or_default();
        let mut out = Vec::with_capacity(24 + meta.len() + body.len() + search.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(meta.len() as u32).to_le_bytes());
        out.extend_from_slice(&meta);
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&body);
        out.extend_from_slice(&(search.len() as u64).to_le_bytes());
        out.extend_from_slice(&search);
        out
    }

    /// The search index (decoded on first use; a damaged one searches as empty).
    pub(crate) fn search(&self) -> &SearchIndex {
        self.search.get_or_init(|| {
            postcard::from_bytes::<SearchIndex>(&self.search_bytes)
                .ok()
                .filter(|s| s.check(self.body.entries.len() as u32, &self.body.index).is_ok())
                .unwrap_or_default()
        })
    }

    /// Reads only the metadata of a binary release (for listings).
    pub fn read_meta(bytes: &[u8]) -> Result<ReleaseMeta, DecodeError> {
        let (meta, _) = split(bytes)?;
        postcard::from_bytes(meta).map_err(|e| DecodeError::Damaged(e.to_string()))
    }

    /// Reads a whole binary release.
    pub fn from_bytes(bytes: &[u8]) -> Result<Release, DecodeError> {
        let end = Release::search_offset(bytes)?;
        let rest = bytes.get(end..).unwrap_or_default();
        let (len, search) = rest.split_at_checked(8).ok_or_else(|| {
            DecodeError::Damaged("the search index is missing (truncated file)".into())
        })?;
        let len = u64::from_le_bytes(len.try_into().unwrap_or([0xff; 8]));
        if search.len() as u64 != len {
            return Err(DecodeError::Damaged(format!(
                "the search index has {} of its {len} bytes (truncated file)",
                search.len()
            )));
        }
        let mut r = Release::from_bytes_without_search(&bytes[..end])?;
        r.search_bytes = search.to_vec();
        Ok(r)
    }

    /// Where the search index starts: the bytes before it are all a lookup needs. Reading the
    /// first `search_offset` bytes of a file and passing them to
    /// [`Release::from_bytes_without_search`] opens it for lookups at a fraction of the cost.
    /// Needs the header (the first 16 bytes), the metadata and the 8-byte body length.
    pub fn search_offset(bytes: &[u8]) -> Result<usize, DecodeError> {
        let (meta, rest) = split(bytes)?;
        let len = rest.get(..8).ok_or_else(|| DecodeError::Damaged("truncated".into()))?;
        let len = u64::from_le_bytes(len.try_into().unwrap_or([0xff; 8]));
        let len = usize::try_from(len).map_err(|_| DecodeError::Damaged("body length".into()))?;
        16usize
            .checked_add(meta.len())
            .and_then(|n| n.checked_add(8))
            .and_then(|n| n.checked_add(len))
            .ok_or_else(|| DecodeError::Damaged("body length".into()))
    }

    /// Reads a binary release without its search index (see [`Release::search_offset`]): lookups
    /// work; a search finds nothing.
    pub fn from_bytes_without_search(bytes: &[u8]) -> Result<Release, DecodeError> {
        let (meta, rest) = split(bytes)?;
        let meta: ReleaseMeta =
            postcard::from_bytes(meta).map_err(|e| DecodeError::Damaged(e.to_string()))?;
        let (len, rest) =
            rest.split_at_checked(8).ok_or_else(|| DecodeError::Damaged("truncated".into()))?;
        let len = u64::from_le_bytes(len.try_into().unwrap_or([0xff; 8]));
        let len = usize::try_from(len).map_err(|_| DecodeError::Damaged("body length".into()))?;
        let body = rest.get(..len).ok_or_else(|| DecodeError::Damaged("truncated body".into()))?;
        let body: Body =
            postcard::from_bytes(body).map_err(|e| DecodeError::Damaged(e.to_string()))?;
        body.check().map_err(DecodeError::Damaged)?;
        Ok(Release::from_body(meta, body))
    }

    /// Builds a freshly parsed release: metadata, label and search index.
    pub(crate) fn finish(
        system: System,
        version: String,
        effective_from: Date,
        counts: Counts,
        body: Body,
    ) -> Release {
        let meta = ReleaseMeta {
            system,
            version,
            label: String::new(),
            effective_from,
            sources: Vec::new(),
            counts,
            content_hash: String::new(),
        };
        let mut release = Release::from_body(meta, body);
        release.set_effective_from(effective_from);
        release.rebuild_search();
        release
    }

    /// Sets the first day in force, and the label that names it.
    pub fn set_effective_from(&mut self, date: Date) {
        self.meta.effective_from = date;
        let name = self.meta.system.display_name();
        let v = &self.meta.version;
        self.meta.label = match self.meta.system {
            System::Icd10Cm | System::Icd10Pcs => {
                if date.month() == 10 && date.day() == 1 && date.fiscal_year().to_string() == *v {
                    format!("{name} FY{v}")
                } else {
                    format!("{name} FY{v} ({} update)", long_date(date))
                }
            }
            System::Hcpcs => format!("{name} {} quarter", long_month(date)),
            System::Cpt => {
                if self.has_descriptions() {
                    format!("{name} (user file, from {})", long_date(date))
                } else {
                    format!(
                        "{name} codes from the Medicare PFS file of {} (no descriptions)",
                        long_month(date)
                    )
                }
            }
        };
    }

    /// Rebuilds the search index (after the alphabetic index is attached).
    pub fn rebuild_search(&mut self) {
        self.search = std::sync::OnceLock::from(SearchIndex::build(&self.body, self.meta.system));
        self.search_bytes = Vec::new();
    }

    /// The number of entries (codes and headers).
    pub fn len(&self) -> usize {
        self.body.entries.len()
    }

    /// True when the release holds nothing.
    pub fn is_empty(&self) -> bool {
        self.body.entries.is_empty()
    }

    pub(crate) fn text(&self, t: Text) -> &str {
        self.body.text(t)
    }

    /// Finds an entry by key.
    pub(crate) fn find(&self, key: &CodeKey) -> Option<u32> {
        self.body.entries.binary_search_by(|e| e.key.cmp(key)).ok().map(|i| i as u32)
    }

    pub(crate) fn children_of(&self, idx: u32) -> &[u32] {
        let i = idx as usize;
        &self.children[self.child_start[i] as usize..self.child_start[i + 1] as usize]
    }
}

fn split(bytes: &[u8]) -> Result<(&[u8], &[u8]), DecodeError> {
    if bytes.len() < 16 || &bytes[..8] != MAGIC {
        return Err(DecodeError::NotARelease);
    }
    let version = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    if version != FORMAT_VERSION {
        return Err(DecodeError::Version { found: version });
    }
    let len = u32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]) as usize;
    let rest = &bytes[16..];
    if rest.len() < len {
        return Err(DecodeError::Damaged("truncated metadata".into()));
    }
    Ok(rest.split_at(len))
}

impl Body {
    pub(crate) fn text(&self, t: Text) -> &str {
        let s = t.start as usize;
        self.arena.get(s..s + t.len as usize).unwrap_or("")
    }

    /// The notes an entry carries itself (not its ancestors').
    pub(crate) fn notes_of(&self, e: &Entry) -> &[Note] {
        &self.notes[e.notes_start as usize..][..e.notes_len as usize]
    }

    /// The title of entry `idx` (composed from its table for an ICD-10-PCS code).
    pub(crate) fn title(&self, idx: u32) -> std::borrow::Cow<'_, str> {
        let e = &self.entries[idx as usize];
        if e.row != NONE && e.title.len == 0 {
            std::borrow::Cow::Owned(crate::icd10pcs::code_title(self, e.group, e.row, &e.key))
        } else if e.flags & SEVENTH_EXPANDED != 0 {
            std::borrow::Cow::Owned(self.seventh_title(e))
        } else {
            std::borrow::Cow::Borrowed(self.text(e.title))
        }
    }

    /// "Fracture of …, initial encounter for closed fracture": the parent's title and the meaning
    /// of the 7th character, from the nearest definition above.
    fn seventh_title(&self, e: &Entry) -> String {
        let Some(parent) = self.entries.get(e.parent as usize) else { return String::new() };
        let ch = e.key.as_str().as_bytes().last().copied().unwrap_or(0);
        let mut cur = e.parent;
        while let Some(a) = self.entries.get(cur as usize) {
            if let Some(def) = self.seventh.get(a.seventh as usize)
                && let Some((_, meaning)) = def.values.iter().find(|(c, _)| *c == ch)
            {
                let (a, b) = (self.text(parent.title), self.text(*meaning));
                let mut t = String::with_capacity(a.len() + 2 + b.len());
                t.push_str(a);
                t.push_str(", ");
                t.push_str(b);
                return t;
            }
            cur = a.parent;
        }
        self.text(parent.title).to_string()
    }

    pub(crate) fn push_text(&mut self, s: &str) -> Text {
        if s.is_empty() {
            return Text::default();
        }
        let start = self.arena.len() as u32;
        self.arena.push_str(s);
        Text { start, len: s.len() as u32 }
    }

    /// Checks the invariants that the lookups rely on, so a damaged file cannot cause a panic.
    fn check(&self) -> Result<(), String> {
        let n = self.entries.len() as u32;
        let text_ok = |t: Text| {
            let s = t.start as usize;
            let e = s + t.len as usize;
            e <= self.arena.len()
                && self.arena.is_char_boundary(s)
                && self.arena.is_char_boundary(e)
        };
        for w in self.entries.windows(2) {
            if w[0].key >= w[1].key {
                return Err("entries out of order".into());
            }
        }
        for e in self.entries.iter().chain(&self.modifiers) {
            if !(text_ok(e.title) && text_ok(e.short))
                || (e.parent != NONE && e.parent >= n)
                || (e.notes_start as usize + e.notes_len as usize) > self.notes.len()
                || (e.seventh != NONE && e.seventh as usize >= self.seventh.len())
                || (e.group != NONE && e.group as usize >= self.groups.len().max(self.tables.len()))
            {
                return Err(format!("entry {:?} points outside the file", e.key));
            }
        }
        if self.notes.iter().any(|n| !text_ok(n.text)) {
            return Err("note text outside the file".into());
        }
        for g in &self.groups {
            if !(text_ok(g.id) && text_ok(g.title) && text_ok(g.range))
                || (g.parent != NONE && g.parent as usize >= self.groups.len())
                || (g.notes_start as usize + g.notes_len as usize) > self.notes.len()
            {
                return Err("group points outside the file".into());
            }
        }
        for s in &self.seventh {
            if s.values.iter().any(|(_, t)| !text_ok(*t)) {
                return Err("7th character text outside the file".into());
            }
        }
        let nterms = self.index.len() as u32;
        for t in &self.index {
            let texts = [t.title, t.nemod, t.see, t.see_also, t.manif];
            if !texts.iter().all(|x| text_ok(*x))
                || !t.codes.iter().all(|x| text_ok(*x))
                || !t.cells.iter().all(|(a, b)| text_ok(*a) && text_ok(*b))
                || (t.parent != NONE && t.parent >= nterms)
            {
                return Err("index term outside the file".into());
            }
        }
        for t in &self.tables {
            if !t.head.iter().all(|a| text_ok(a.title) && text_ok(a.label))
                || !text_ok(t.definition)
            {
                return Err("PCS table text outside the file".into());
            }
            for r in &t.rows {
                if r.axes.len() != 4
                    || !r.axes.iter().all(|(title, vals)| {
                        text_ok(*title) && vals.iter().all(|(_, l)| text_ok(*l))
                    })
                {
                    return Err("PCS row malformed".into());
                }
            }
        }
        for e in &self.entries {
            if e.row != NONE {
                let Some(t) = self.tables.get(e.group as usize) else {
                    return Err("PCS code without its table".into());
                };
                if e.row as usize >= t.rows.len() {
                    return Err("PCS code row outside its table".into());
                }
            }
        }
        for d in &self.definitions {
            let texts = [d.axis_title, d.definition, d.explanation];
            if !texts.iter().all(|x| text_ok(*x))
                || !d.includes.iter().chain(&d.titles).all(|x| text_ok(*x))
            {
                return Err("PCS definition outside the file".into());
            }
        }
        Ok(())
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "April 1, 2026".
pub(crate) fn long_date(d: Date) -> String {
    format!("{} {}, {}", MONTHS[(d.month() - 1) as usize % 12], d.day(), d.year())
}

/// "January 2026".
pub(crate) fn long_month(d: Date) -> String {
    format!("{} {}", MONTHS[(d.month() - 1) as usize % 12], d.year())
}
