//! The ICD-10-CM conventions a claim's diagnoses are checked against, read from the tabular
//! notes that apply to each code (its own and its ancestors', its section's and chapter's):
//! Excludes1 notes, code-first and use-additional-code notes, manifestation titles, and laterality
//! among a code's siblings.

use claim_model::Claim;
use code_sets::{CodeKey, CodeOrRange, Date, Library, NoteKind, System};

/// A code reference in a note: `(E10.-)`, `(R73.03)`, `(E08-E13)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CodeRef {
    /// The code and everything under it (no dot, upper case).
    Under(String),
    /// Categories from the first to the last (three characters each).
    Categories(String, String),
}

impl CodeRef {
    pub(crate) fn matches(&self, key: &str) -> bool {
        match self {
            CodeRef::Under(p) => key.starts_with(p.as_str()),
            CodeRef::Categories(a, b) => {
                key.len() >= 3 && a.as_str() <= &key[..3] && &key[..3] <= b.as_str()
            }
        }
    }
}

fn category_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 3
        && b[0].is_ascii_uppercase()
        && b[1].is_ascii_digit()
        && b[2].is_ascii_alphanumeric()
}

/// The code references in parentheses in a note's text.
pub(crate) fn code_refs(text: &str) -> Vec<CodeRef> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')') else { break };
        let inside = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        for item in inside.split(',') {
            let item = item.trim();
            let token: String = item
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
                .collect();
            if token.len() < 3 {
                continue;
            }
            if let Some((a, b)) = token.split_once('-')
                && !b.is_empty()
                && category_shaped(a)
                && category_shaped(b)
                && a.len() == 3
                && b.len() == 3
            {
                out.push(CodeRef::Categories(a.to_string(), b.to_string()));
                continue;
            }
            let code: String = token.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
            if category_shaped(&code) && code.len() <= 7 {
                out.push(CodeRef::Under(code));
            }
        }
    }
    out
}

/// What the conventions say about one diagnosis.
#[derive(Clone, Debug, Default)]
pub(crate) struct DxNotes {
    /// Codes an Excludes1 note forbids with this one, with where the note stands.
    pub(crate) excludes1: Vec<(CodeRef, String)>,
    /// A manifestation code ("in diseases classified elsewhere", with a code-first note).
    pub(crate) manifestation: bool,
    /// Use-additional-code notes that require a code (not "if applicable"/"if known"), each with
    /// the codes that satisfy it.
    pub(crate) use_additional: Vec<(String, Vec<CodeRef>)>,
    /// For a code with unspecified laterality: its siblings for the right and left side.
    pub(crate) sides: Option<(String, String)>,
    /// The title says "unspecified".
    pub(crate) unspecified: bool,
}

fn where_of(w: CodeOrRange<'_>) -> String {
    match w {
        CodeOrRange::Code(k) => System::Icd10Cm.display_code(&k),
        CodeOrRange::Range(r) => r.to_string(),
    }
}

/// What the notes say about each code, by the first day of the release that answered: worked out
/// once per code and release, shared by every claim (and thread) of a scrubber.
#[derive(Clone, Debug, Default)]
pub(crate) struct NotesCache(std::sync::Arc<std::sync::RwLock<NotesByCode>>);

/// Notes by (first day of the release, code).
type NotesByCode = rustc_hash::FxHashMap<(Date, CodeKey), std::sync::Arc<DxNotes>>;

impl NotesCache {
    pub(crate) fn get(&self, lib: &Library, key: &CodeKey, date: Date) -> std::sync::Arc<DxNotes> {
        let Some((release, _)) = lib.in_force(System::Icd10Cm, date) else {
            return Default::default();
        };
        let k = (release.meta.effective_from, *key);
        if let Some(n) = self.0.read().ok().and_then(|m| m.get(&k).cloned()) {
            return n;
        }
        let n = std::sync::Arc::new(dx_notes(lib, key, date));
        if let Ok(mut m) = self.0.write() {
            m.insert(k, n.clone());
        }
        n
    }
}

/// The notes of one ICD-10-CM code on `date` (empty for a code not in the release).
pub(crate) fn dx_notes(lib: &Library, key: &CodeKey, date: Date) -> DxNotes {
    let Some(found) = lib.lookup(System::Icd10Cm, key, date) else {
        return DxNotes::default();
    };
    let mut out = DxNotes::default();
    for (text, w) in found.notes(NoteKind::Excludes1) {
        for r in code_refs(text) {
            out.excludes1.push((r, where_of(w)));
        }
    }
    let title = found.title.to_ascii_lowercase();
    out.manifestation = title.contains("in diseases classified elsewhere")
        || (title.contains("classified elsewhere") && !found.notes(NoteKind::CodeFirst).is_empty());
    // The tabular splits one "use additional code" instruction over several notes (a heading
    // line, then one line per code): the notes under one code or range form one instruction.
    let mut groups: Vec<(String, Vec<String>, Vec<CodeRef>)> = Vec::new();
    for (text, w) in found.notes(NoteKind::UseAdditionalCode) {
        // Section- and chapter-wide instructions are generic (tobacco exposure for a whole
        // chapter): only the code's own and its ancestors' count.
        if matches!(w, CodeOrRange::Range(_)) {
            continue;
        }
        let from = where_of(w);
        match groups.iter_mut().find(|g| g.0 == from) {
            Some(g) => {
                g.1.push(text.to_string());
                g.2.extend(code_refs(text));
            }
            None => groups.push((from, vec![text.to_string()], code_refs(text))),
        }
    }
    for (from, texts, refs) in groups {
        let all = texts.join(" ").to_ascii_lowercase();
        let conditional =
            ["if applicable", "where applicable", "if known", "if present", "if any", "such as"]
                .iter()
                .any(|w| all.contains(w));
        if !conditional && !refs.is_empty() {
            out.use_additional.push((format!("(note at {from}: {})", texts.join("; ")), refs));
        }
    }
    out.unspecified = title.contains("unspecified");
    if out.unspecified && !title.contains("right") && !title.contains("left") {
        out.sides = sides(lib, &found, date);
    }
    out
}

/// The right- and left-side codes beside a code of unspecified side: the siblings of the code
/// or of the nearest ancestor whose siblings name the sides (H40.1190 → H40.111, H40.112).
fn sides(lib: &Library, found: &code_sets::Lookup<'_>, date: Date) -> Option<(String, String)> {
    let ancestors: Vec<CodeKey> = found.ancestors().collect();
    for parent in ancestors.iter().take(3) {
        let p = lib.lookup(System::Icd10Cm, parent, date)?;
        let (mut right, mut left) = (None, None);
        for k in p.children() {
            let Some(s) = lib.lookup(System::Icd10Cm, &k, date) else { continue };
            let t = s.title.to_ascii_lowercase();
            let display = System::Icd10Cm.display_code(&k);
            if t.contains("right") && !t.contains("left") && right.is_none() {
                right = Some(display);
            } else if t.contains("left") && !t.contains("right") && left.is_none() {
                left = Some(display);
            }
        }
        if let Some(both) = right.zip(left) {
            return Some(both);
        }
    }
    None
}

/// The diagnosis keys of a claim (normalized; `None` for a malformed code).
pub(crate) fn dx_keys(claim: &Claim) -> Vec<Option<CodeKey>> {
    claim.diagnoses.iter().map(|d| System::Icd10Cm.normalize(&d.code).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_references_in_notes() {
        assert_eq!(code_refs("type 1 diabetes mellitus (E10.-)"), [CodeRef::Under("E10".into())]);
        assert_eq!(
            code_refs(
                "diabetes mellitus due to underlying condition (E08.-) drug or chemical induced diabetes mellitus (E09.-)"
            ),
            [CodeRef::Under("E08".into()), CodeRef::Under("E09".into())]
        );
        assert_eq!(code_refs("prediabetes (R73.03)"), [CodeRef::Under("R7303".into())]);
        assert_eq!(
            code_refs("neoplasms (C00-D49)"),
            [CodeRef::Categories("C00".into(), "D49".into())]
        );
        assert_eq!(code_refs("(O24.4-, O24.81-)").len(), 2);
        assert!(code_refs("with or without (see notes)").is_empty());
        assert!(CodeRef::Categories("C00".into(), "D49".into()).matches("C509"));
        assert!(!CodeRef::Categories("C00".into(), "D49".into()).matches("E119"));
    }
}
