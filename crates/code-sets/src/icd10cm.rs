//! The ICD-10-CM Tabular List XML (`icd10cm_tabular_YYYY.xml`, root `<ICD10CM.tabular>`), as CDC/NCHS
//! publishes it: chapters, sections, nested `<diag>` elements with their instructional notes and
//! 7th-character definitions.
//!
//! Billable codes are the leaves of the `<diag>` tree. A leaf under a `<sevenChrDef>` (its own or an
//! ancestor's) is not billable itself: it is padded with the placeholder `X` to six characters and
//! each 7th character is appended. Tabular `<notes>` of the form "7th characters D and S do not apply
//! to codes in category S06 with 6th character 7 … or 8 …" restrict that expansion.

use crate::release::{
    BILLABLE, Body, Counts, Entry, Group, NONE, Note, NoteKind, Release, SEVENTH_EXPANDED, Seventh,
};
use crate::xml::{Ev, Xml, attr};
use crate::{CodeKey, Date, LoadError, System};

#[derive(Default)]
struct Node {
    name: String,
    desc: String,
    line: u64,
    parent: Option<usize>,
    section: u32,
    notes: Vec<(NoteKind, String)>,
    seventh: Option<Vec<(u8, String)>>,
    restrictions: Vec<Restriction>,
    has_children: bool,
}

/// "7th characters D and S do not apply to codes … with 6th character 7 … or 8 …".
#[derive(Clone, Debug, PartialEq, Eq)]
struct Restriction {
    /// 0-based position of the character the condition reads (6th character → 5).
    position: usize,
    when: Vec<u8>,
    excluded: Vec<u8>,
}

#[derive(Default)]
struct GroupBuild {
    id: String,
    title: String,
    parent: u32,
    notes: Vec<(NoteKind, String)>,
}

fn note_kind(element: &str) -> Option<NoteKind> {
    Some(match element {
        "includes" => NoteKind::Includes,
        "inclusionTerm" => NoteKind::InclusionTerm,
        "excludes1" => NoteKind::Excludes1,
        "excludes2" => NoteKind::Excludes2,
        "codeFirst" => NoteKind::CodeFirst,
        "useAdditionalCode" => NoteKind::UseAdditionalCode,
        "codeAlso" => NoteKind::CodeAlso,
        "notes" => NoteKind::Note,
        "sevenChrNote" => NoteKind::SeventhCharacterNote,
        _ => return None,
    })
}

/// Parses an ICD-10-CM tabular XML file into a release effective on `effective_from`
/// (pass `None` to take October 1 of the fiscal year before the file's `<version>`).
pub fn parse_tabular(src: &[u8], effective_from: Option<Date>) -> Result<Release, LoadError> {
    let mut x = Xml::new(src);
    let mut version = String::new();
    let mut chapters: Vec<GroupBuild> = Vec::new();
    let mut sections: Vec<GroupBuild> = Vec::new();
    let mut nodes: Vec<Node> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    // Which of chapter/section/diag is innermost: 0 none, 1 chapter, 2 section, 3 diag.
    let mut scope: Vec<u8> = Vec::new();
    let mut note_container: Option<NoteKind> = None;
    loop {
        match x.next()? {
            Ev::Eof => break,
            Ev::Start { name, attrs } => {
                if x.depth() == 1 {
                    x.expect_root(&name, "ICD10CM.tabular", "an ICD-10-CM tabular file")?;
                    continue;
                }
                match name.as_str() {
                    "version" if x.depth() == 2 => version = x.text_content()?,
                    "introduction" | "sectionIndex" | "visualImpairment" => x.skip()?,
                    "chapter" => {
                        chapters.push(GroupBuild { parent: NONE, ..Default::default() });
                        scope.push(1);
                    }
                    "section" => {
                        let Some(ch) = chapters.len().checked_sub(1) else {
                            return Err(x.err("<section> outside a <chapter>"));
                        };
                        let id = attr(&attrs, "id").unwrap_or_default().to_string();
                        sections.push(GroupBuild { id, parent: ch as u32, ..Default::default() });
                        scope.push(2);
                    }
                    "diag" => {
                        if sections.is_empty() {
                            return Err(x.err("<diag> outside a <section>"));
                        }
                        let parent = open.last().copied();
                        if let Some(p) = parent {
                            nodes[p].has_children = true;
                        }
                        nodes.push(Node {
                            line: x.line(),
                            parent,
                            section: (sections.len() - 1) as u32,
                            ..Default::default()
                        });
                        open.push(nodes.len() - 1);
                        scope.push(3);
                    }
                    "name" => {
                        let t = x.text_content()?;
                        match scope.last() {
                            Some(3) => nodes[*open.last().unwrap_or(&0)].name = t,
                            Some(1) => {
                                if let Some(c) = chapters.last_mut() {
                                    c.id = t;
                                }
                            }
                            _ => {}
                        }
                    }
                    "desc" => {
                        let t = x.text_content()?;
                        match scope.last() {
                            Some(3) => nodes[*open.last().unwrap_or(&0)].desc = t,
                            Some(2) => {
                                if let Some(s) = sections.last_mut() {
                                    s.title = t;
                                }
                            }
                            Some(1) => {
                                if let Some(c) = chapters.last_mut() {
                                    c.title = t;
                                }
                            }
                            _ => {}
                        }
                    }
                    "sevenChrDef" => {
                        let Some(&n) = open.last() else {
                            return Err(x.err("<sevenChrDef> outside a <diag>"));
                        };
                        nodes[n].seventh.get_or_insert_with(Vec::new);
                        note_container = None;
                    }
                    "extension" => {
                        let ch = attr(&attrs, "char").unwrap_or_default().to_string();
                        let line = x.line();
                        let t = x.text_content()?;
                        let Some(&n) = open.last() else {
                            return Err(x.err("<extension> outside a <diag>"));
                        };
                        let b = ch.as_bytes();
                        if b.len() != 1 || !b[0].is_ascii_alphanumeric() {
                            return Err(LoadError::at(
                                line,
                                format!("7th character {ch:?} is not one letter or digit"),
                            ));
                        }
                        nodes[n].seventh.get_or_insert_with(Vec::new).push((b[0], t));
                    }
                    "note" => {
                        let t = x.text_content()?;
                        let Some(kind) = note_container else { continue };
                        match scope.last() {
                            Some(3) => {
                                let n = *open.last().unwrap_or(&0);
                                if kind == NoteKind::Note
                                    && let Some(r) = parse_restriction(&t)
                                {
                                    nodes[n].restrictions.push(r);
                                }
                                nodes[n].notes.push((kind, t));
                            }
                            Some(2) => {
                                if let Some(s) = sections.last_mut() {
                                    s.notes.push((kind, t));
                                }
                            }
                            Some(1) => {
                                if let Some(c) = chapters.last_mut() {
                                    c.notes.push((kind, t));
                                }
                            }
                            _ => {}
                        }
                    }
                    other => {
                        if let Some(kind) = note_kind(other) {
                            note_container = Some(kind);
                        }
                    }
                }
            }
            Ev::End(name) => match name.as_str() {
                "chapter" | "section" => {
                    scope.pop();
                }
                "diag" => {
                    let n = open.pop().unwrap_or(0);
                    scope.pop();
                    let node = &nodes[n];
                    if node.name.is_empty() {
                        return Err(LoadError::at(node.line, "<diag> without a <name>"));
                    }
                }
                other if note_kind(other).is_some() => note_container = None,
                _ => {}
            },
            Ev::Text(_) => {}
        }
    }
    if x.root() != Some("ICD10CM.tabular") {
        return Err(LoadError::whole("not an ICD-10-CM tabular file"));
    }
    if nodes.is_empty() {
        return Err(LoadError::whole("the tabular file holds no <diag> codes"));
    }
    let fy = fiscal_year(&version)?;
    build(fy, effective_from.unwrap_or(Date::fiscal_year_start(fy)), chapters, sections, nodes)
}

/// The fiscal year a release file's `<version>` states.
pub(crate) fn fiscal_year(version: &str) -> Result<u32, LoadError> {
    let fy: u32 = version
        .trim()
        .parse()
        .map_err(|_| LoadError::whole(format!("<version> is {version:?}, not a fiscal year")))?;
    if !(2000..=2200).contains(&fy) {
        return Err(LoadError::whole(format!("<version> {fy} is not a plausible fiscal year")));
    }
    Ok(fy)
}

/// Reads a restriction note; `None` for every other note.
fn parse_restriction(text: &str) -> Option<Restriction> {
    let lower = text.to_ascii_lowercase();
    let dna = lower.find("do not apply")?;
    let head = &text[..dna];
    let tail_start = lower[dna..].find("character")? + dna;
    // "with 6th character": the ordinal just before "character" in the tail.
    let before = lower[..tail_start].trim_end();
    let ordinal = before.rsplit(' ').next()?;
    let position: usize =
        ordinal.trim_end_matches(|c: char| c.is_ascii_alphabetic()).parse().ok()?;
    if !(1..=7).contains(&position) {
        return None;
    }
    let single = |w: &str| {
        let w = w.trim_matches(|c: char| c == ',' || c == '.');
        (w.len() == 1 && w.as_bytes()[0].is_ascii_alphanumeric()).then(|| w.as_bytes()[0])
    };
    let excluded: Vec<u8> = head
        .split_whitespace()
        .skip_while(|w| !w.to_ascii_lowercase().starts_with("character"))
        .filter_map(single)
        .collect();
    let words: Vec<&str> = text[tail_start..].split_whitespace().collect();
    let mut when = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if let Some(c) = single(w)
            && words.get(i + 1).is_some_and(|n| *n == "-" || n.starts_with('-'))
        {
            when.push(c);
        }
    }
    if excluded.is_empty() || when.is_empty() {
        return None;
    }
    Some(Restriction { position: position - 1, when, excluded })
}

fn build(
    fy: u32,
    effective_from: Date,
    chapters: Vec<GroupBuild>,
    sections: Vec<GroupBuild>,
    nodes: Vec<Node>,
) -> Result<Release, LoadError> {
    let mut body = Body::default();
    let mut counts = Counts {
        chapters: chapters.len() as u32,
        sections: sections.len() as u32,
        ..Counts::default()
    };
    // Groups: chapters first, then sections (section parents are chapter indexes).
    for g in chapters.iter() {
        let range = range_in(&g.title);
        push_group(&mut body, &g.id, &range, &g.title, NONE, &g.notes);
    }
    let nch = chapters.len() as u32;
    for s in sections.iter() {
        let range = if s.id.is_empty() { range_in(&s.title) } else { s.id.clone() };
        push_group(&mut body, &range, &range, &s.title, s.parent, &s.notes);
    }

    // Entries in document order, then sorted.
    struct Pending {
        key: CodeKey,
        title: String,
        parent: u32,
        node: Option<usize>,
        billable: bool,
        section: u32,
    }
    let mut pending: Vec<Pending> = Vec::with_capacity(nodes.len() * 2);
    let mut node_entry: Vec<u32> = vec![NONE; nodes.len()];
    let mut node_key: Vec<CodeKey> = Vec::with_capacity(nodes.len());
    for (i, n) in nodes.iter().enumerate() {
        let key = System::Icd10Cm
            .normalize(&n.name)
            .map_err(|e| LoadError::at(n.line, format!("bad code in <name>: {e}")))?;
        if let Some(p) = n.parent
            && !key.starts_with(&node_key[p])
        {
            return Err(LoadError::at(
                n.line,
                format!("code {} is nested under {} but does not extend it", n.name, nodes[p].name),
            ));
        }
        node_key.push(key);
        node_entry[i] = pending.len() as u32;
        pending.push(Pending {
            key,
            title: n.desc.clone(),
            parent: n.parent.map_or(NONE, |p| node_entry[p]),
            node: Some(i),
            billable: false,
            section: n.section + nch,
        });
        if n.has_children {
            continue;
        }
        // A leaf: billable itself, or expanded by the nearest 7th-character definition.
        let mut def = None;
        let mut restrictions = Vec::new();
        let mut cur = Some(i);
        while let Some(c) = cur {
            if def.is_none()
                && let Some(d) = &nodes[c].seventh
            {
                def = Some(d);
            }
            restrictions.extend(nodes[c].restrictions.iter());
            cur = nodes[c].parent;
        }
        let Some(def) = def else {
            pending[node_entry[i] as usize].billable = true;
            continue;
        };
        if def.is_empty() {
            return Err(LoadError::at(n.line, "<sevenChrDef> without <extension> values"));
        }
        let mut base = key.as_str().to_string();
        if base.len() > 6 {
            return Err(LoadError::at(
                n.line,
                format!("{} is too long to take a 7th character", n.name),
            ));
        }
        while base.len() < 6 {
            base.push('X');
        }
        for (ch, _) in def {
            let excluded = restrictions.iter().any(|r| {
                base.as_bytes().get(r.position).is_some_and(|c| r.when.contains(c))
                    && r.excluded.contains(ch)
            });
            if excluded {
                continue;
            }
            let mut code = base.clone();
            code.push(*ch as char);
            let Some(k) = CodeKey::new(&code) else {
                return Err(LoadError::at(n.line, format!("cannot form a code from {code:?}")));
            };
            pending.push(Pending {
                key: k,
                // Composed on demand from the leaf's title and the 7th character's meaning.
                title: String::new(),
                parent: node_entry[i],
                node: None,
                billable: true,
                section: n.section + nch,
            });
        }
    }

    // Sort by key and remap parent indexes.
    let mut order: Vec<u32> = (0..pending.len() as u32).collect();
    order.sort_by(|&a, &b| pending[a as usize].key.cmp(&pending[b as usize].key));
    let mut new_index = vec![0u32; pending.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old as usize] = new as u32;
    }
    for w in order.windows(2) {
        let (a, b) = (&pending[w[0] as usize], &pending[w[1] as usize]);
        if a.key == b.key {
            let line = b.node.or(a.node).map_or(0, |n| nodes[n].line);
            return Err(LoadError::at(line, format!("code {:?} appears twice", b.key)));
        }
    }
    for &old in &order {
        let p = &pending[old as usize];
        let title = body.push_text(&p.title);
        let mut e = Entry::new(p.key, title);
        if p.node.is_none() {
            e.flags |= SEVENTH_EXPANDED;
        }
        e.parent = if p.parent == NONE { NONE } else { new_index[p.parent as usize] };
        e.group = p.section;
        if p.billable {
            e.flags |= BILLABLE;
            counts.billable += 1;
        } else {
            counts.headers += 1;
        }
        if let Some(n) = p.node {
            let node = &nodes[n];
            e.notes_start = body.notes.len() as u32;
            e.notes_len = push_notes(&mut body, &node.notes);
            if let Some(def) = &node.seventh {
                let idx = body.seventh.len() as u32;
                let values = def.iter().map(|(c, t)| (*c, body.push_text(t))).collect();
                body.seventh.push(Seventh { values });
                e.seventh = idx;
            }
        }
        body.entries.push(e);
    }
    Ok(Release::finish(System::Icd10Cm, fy.to_string(), effective_from, counts, body))
}

fn push_group(
    body: &mut Body,
    id: &str,
    range: &str,
    title: &str,
    parent: u32,
    notes: &[(NoteKind, String)],
) {
    let id = body.push_text(id);
    let range = body.push_text(range);
    let title = body.push_text(title);
    let notes_start = body.notes.len() as u32;
    let notes_len = push_notes(body, notes);
    body.groups.push(Group { id, range, title, parent, notes_start, notes_len });
}

fn push_notes(body: &mut Body, notes: &[(NoteKind, String)]) -> u16 {
    let n = notes.len().min(u16::MAX as usize);
    for (kind, t) in &notes[..n] {
        let text = body.push_text(t);
        body.notes.push(Note { kind: *kind, text });
    }
    n as u16
}

/// The code range in a chapter or section title: `… (A00-B99)` → `A00-B99`.
fn range_in(title: &str) -> String {
    match (title.rfind('('), title.rfind(')')) {
        (Some(a), Some(b)) if a < b => title[a + 1..b].trim().to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_s06_restriction() {
        let r = parse_restriction(
            "7th characters D and S do not apply to codes in category S06 with 6th character 7 - death due to brain injury prior to regaining consciousness, or 8 - death due to other cause prior to regaining consciousness.",
        )
        .unwrap();
        assert_eq!(
            r,
            Restriction { position: 5, when: vec![b'7', b'8'], excluded: vec![b'D', b'S'] }
        );
    }

    #[test]
    fn other_notes_are_not_restrictions() {
        assert_eq!(
            parse_restriction(
                "The drug giving rise to the adverse effect should be identified by use of codes from categories T36-T50 with fifth or sixth character 5."
            ),
            None
        );
    }

    #[test]
    fn ranges() {
        assert_eq!(range_in("Certain infectious and parasitic diseases (A00-B99)"), "A00-B99");
        assert_eq!(range_in("no range"), "");
    }
}
