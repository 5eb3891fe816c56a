//! The ICD-10-PCS Tables XML (`icd10pcs_tables_YYYY.xml`, root `<ICD10PCS.tabular>`) and the
//! Definitions XML (`icd10pcs_definitions_YYYY.xml`, root `<ICD10PCS.definitions>`), as CMS
//! publishes them.
//!
//! Each `<pcsTable>` fixes characters 1–3 (section, body system, root operation); each `<pcsRow>`
//! lists the values allowed for characters 4–7. A code is valid only when one row of its table
//! allows all four of its last characters; the valid codes are the union of the rows' Cartesian
//! products.

use crate::release::{
    BILLABLE, Body, Counts, Entry, NONE, PcsAxisValue, PcsDefinition, PcsRow, PcsTable, Release,
};
use crate::xml::{Ev, Xml, attr};
use crate::{CodeKey, Date, LoadError, System};

/// The characters ICD-10-PCS uses (digits and letters but I and O).
fn is_pcs_char(c: u8) -> bool {
    (c.is_ascii_digit() || c.is_ascii_uppercase()) && c != b'I' && c != b'O'
}

struct AxisBuild {
    pos: u8,
    title: String,
    labels: Vec<(u8, String)>,
    definition: String,
    line: u64,
}

/// A row as read: its line, its axes and the code count it declares.
type RowBuild = (u64, Vec<AxisBuild>, u64);
/// A table as read: its line, its fixed axes and its rows.
type TableBuild = (u64, Vec<AxisBuild>, Vec<RowBuild>);

/// Parses an ICD-10-PCS tables file into a release.
pub fn parse_tables(src: &[u8], effective_from: Option<Date>) -> Result<Release, LoadError> {
    let mut x = Xml::new(src);
    let mut version = String::new();
    let mut body = Body::default();
    let mut table: Option<TableBuild> = None;
    let mut row: Option<RowBuild> = None;
    let mut axis: Option<AxisBuild> = None;
    let mut tables: Vec<TableBuild> = Vec::new();
    loop {
        match x.next()? {
            Ev::Eof => break,
            Ev::Text(_) => {}
            Ev::Start { name, attrs } => {
                if x.depth() == 1 {
                    x.expect_root(&name, "ICD10PCS.tabular", "an ICD-10-PCS tables file")?;
                    continue;
                }
                match name.as_str() {
                    "version" if x.depth() == 2 => version = x.text_content()?,
                    "pcsTable" => table = Some((x.line(), Vec::new(), Vec::new())),
                    "pcsRow" => {
                        let codes = attr(&attrs, "codes").and_then(|c| c.parse().ok()).unwrap_or(0);
                        row = Some((x.line(), Vec::new(), codes));
                    }
                    "axis" => {
                        let pos =
                            attr(&attrs, "pos").and_then(|p| p.parse::<u8>().ok()).unwrap_or(0);
                        if !(1..=7).contains(&pos) {
                            return Err(x.err("<axis> without a pos between 1 and 7"));
                        }
                        axis = Some(AxisBuild {
                            pos,
                            title: String::new(),
                            labels: Vec::new(),
                            definition: String::new(),
                            line: x.line(),
                        });
                    }
                    "title" => {
                        let t = x.text_content()?;
                        if let Some(a) = axis.as_mut() {
                            a.title = t;
                        }
                    }
                    "definition" => {
                        let t = x.text_content()?;
                        if let Some(a) = axis.as_mut() {
                            a.definition = t;
                        }
                    }
                    "label" => {
                        let code = attr(&attrs, "code").unwrap_or_default().to_string();
                        let t = x.text_content()?;
                        let Some(a) = axis.as_mut() else {
                            return Err(x.err("<label> outside an <axis>"));
                        };
                        let b = code.as_bytes();
                        if b.len() != 1 || !is_pcs_char(b[0]) {
                            return Err(x.err(format!(
                                "label code {code:?} is not one ICD-10-PCS character"
                            )));
                        }
                        a.labels.push((b[0], t));
                    }
                    _ => {}
                }
            }
            Ev::End(name) => match name.as_str() {
                "axis" => {
                    let Some(a) = axis.take() else { continue };
                    if a.labels.is_empty() {
                        return Err(LoadError::at(a.line, "<axis> without <label> values"));
                    }
                    if let Some(r) = row.as_mut() {
                        r.1.push(a);
                    } else if let Some(t) = table.as_mut() {
                        t.1.push(a);
                    } else {
                        return Err(LoadError::at(a.line, "<axis> outside a <pcsTable>"));
                    }
                }
                "pcsRow" => {
                    let Some(r) = row.take() else { continue };
                    let Some(t) = table.as_mut() else {
                        return Err(LoadError::at(r.0, "<pcsRow> outside a <pcsTable>"));
                    };
                    t.2.push(r);
                }
                "pcsTable" => {
                    if let Some(t) = table.take() {
                        tables.push(t);
                    }
                }
                _ => {}
            },
        }
    }
    if tables.is_empty() {
        return Err(LoadError::whole("the tables file holds no <pcsTable>"));
    }
    let fy = crate::icd10cm::fiscal_year(&version)?;

    // Build tables and expand codes.
    let mut codes: Vec<(CodeKey, u32, u32, String)> = Vec::new();
    let mut counts = Counts::default();
    let mut sections = std::collections::BTreeSet::new();
    for (line, head, rows) in tables {
        let mut key = [0u8; 3];
        let mut head_vals = Vec::new();
        let mut definition = String::new();
        for pos in 1..=3u8 {
            let Some(a) = head.iter().find(|a| a.pos == pos) else {
                return Err(LoadError::at(line, format!("<pcsTable> has no axis {pos}")));
            };
            if a.labels.len() != 1 {
                return Err(LoadError::at(
                    a.line,
                    format!("table axis {pos} must have exactly one value"),
                ));
            }
            key[pos as usize - 1] = a.labels[0].0;
            if pos == 3 {
                definition = a.definition.clone();
            }
        }
        sections.insert(key[0]);
        let table_index = body.tables.len() as u32;
        for a in &head {
            let title = body.push_text(&a.title);
            let label = body.push_text(&a.labels[0].1);
            head_vals.push(PcsAxisValue { pos: a.pos, title, code: a.labels[0].0, label });
        }
        let key_str = String::from_utf8_lossy(&key).into_owned();
        if body.tables.iter().any(|t| t.key == key) {
            return Err(LoadError::at(line, format!("table {key_str} appears twice")));
        }
        let definition = body.push_text(&definition);
        let mut built_rows = Vec::new();
        for (ri, (rline, axes, declared)) in rows.iter().enumerate() {
            let mut ordered: Vec<&AxisBuild> = Vec::new();
            for pos in 4..=7u8 {
                let Some(a) = axes.iter().find(|a| a.pos == pos) else {
                    return Err(LoadError::at(
                        *rline,
                        format!("<pcsRow> of table {key_str} has no axis {pos}"),
                    ));
                };
                ordered.push(a);
            }
            let product: u64 = ordered.iter().map(|a| a.labels.len() as u64).product();
            if *declared != 0 && *declared != product {
                return Err(LoadError::at(
                    *rline,
                    format!(
                        "<pcsRow codes=\"{declared}\"> but its axes allow {product} codes: the row is damaged"
                    ),
                ));
            }
            // Cartesian product of positions 4–7.
            for (c4, _) in &ordered[0].labels {
                for (c5, _) in &ordered[1].labels {
                    for (c6, _) in &ordered[2].labels {
                        for (c7, _) in &ordered[3].labels {
                            let code = [key[0], key[1], key[2], *c4, *c5, *c6, *c7];
                            let text = String::from_utf8_lossy(&code).into_owned();
                            let Some(k) = CodeKey::new(&text) else { continue };
                            codes.push((k, table_index, ri as u32, String::new()));
                        }
                    }
                }
            }
            let axes_built = ordered
                .iter()
                .map(|a| {
                    let title = body.push_text(&a.title);
                    let vals = a.labels.iter().map(|(c, l)| (*c, body.push_text(l))).collect();
                    (title, vals)
                })
                .collect();
            built_rows.push(PcsRow { axes: axes_built });
        }
        counts.rows += built_rows.len() as u32;
        body.tables.push(PcsTable { key, head: head_vals, definition, rows: built_rows });
    }
    counts.tables = body.tables.len() as u32;
    counts.chapters = sections.len() as u32;

    // Entries: tables as headers, codes as billable, sorted by key.
    let mut all: Vec<(CodeKey, u32, u32, String, bool)> =
        Vec::with_capacity(codes.len() + body.tables.len());
    for (i, t) in body.tables.iter().enumerate() {
        let Some(k) = CodeKey::new(&String::from_utf8_lossy(&t.key)) else {
            return Err(LoadError::whole("a table key is not three ICD-10-PCS characters"));
        };
        let title = t.head.iter().map(|h| body.text(h.label)).collect::<Vec<_>>().join(", ");
        all.push((k, i as u32, NONE, title, false));
    }
    for (k, t, r, title) in codes {
        all.push((k, t, r, title, true));
    }
    all.sort_by_key(|a| a.0);
    for w in all.windows(2) {
        if w[0].0 == w[1].0 {
            return Err(LoadError::whole(format!(
                "code {:?} is allowed by two rows: the tables overlap",
                w[1].0
            )));
        }
    }
    let table_entry: Vec<u32> = {
        let mut v = vec![NONE; body.tables.len()];
        for (i, a) in all.iter().enumerate() {
            if !a.4 {
                v[a.1 as usize] = i as u32;
            }
        }
        v
    };
    for (k, t, r, title, billable) in all {
        let title = body.push_text(&title);
        let mut e = Entry::new(k, title);
        e.group = t;
        if billable {
            e.flags |= BILLABLE;
            e.row = r;
            e.parent = table_entry[t as usize];
            counts.billable += 1;
        } else {
            counts.headers += 1;
        }
        body.entries.push(e);
    }
    let effective_from = effective_from.unwrap_or(Date::fiscal_year_start(fy));
    Ok(Release::finish(System::Icd10Pcs, fy.to_string(), effective_from, counts, body))
}

/// The title of a PCS code, composed from its table row (codes store no title of their own: the
/// 79,115 composed titles would double the size of the installed release).
pub(crate) fn code_title(body: &Body, table: u32, row: u32, key: &CodeKey) -> String {
    let Some(t) = body.tables.get(table as usize) else { return String::new() };
    let Some(r) = t.rows.get(row as usize) else { return String::new() };
    let code = key.as_str().as_bytes();
    let mut head: Vec<&str> = vec![""; 3];
    for h in &t.head {
        if (1..=3).contains(&h.pos) {
            head[h.pos as usize - 1] = body.text(h.label);
        }
    }
    let mut titles = [""; 4];
    let mut labels = [""; 4];
    for i in 0..4 {
        titles[i] = body.text(r.axes[i].0);
        labels[i] = r.axes[i]
            .1
            .iter()
            .find(|(c, _)| Some(c) == code.get(3 + i))
            .map_or("", |(_, l)| body.text(*l));
    }
    compose_title(t.key[0], &head, &titles, &labels)
}

/// A readable title composed from the axis labels, in the manner of the CMS long titles:
/// "Resection of Appendix, Percutaneous Endoscopic Approach".
fn compose_title(section: u8, head: &[&str], titles: &[&str; 4], labels: &[&str; 4]) -> String {
    let skip = |l: &str| l.starts_with("No ") || l == "None";
    let op = head.get(2).copied().unwrap_or("");
    if section == b'0' {
        let mut t = format!("{op} of {}", labels[0]);
        if !skip(labels[2]) {
            t.push_str(" with ");
            t.push_str(labels[2]);
        }
        if !skip(labels[3]) {
            t.push_str(if op == "Bypass" { ", to " } else { ", " });
            t.push_str(labels[3]);
        }
        t.push_str(", ");
        t.push_str(labels[1]);
        t.push_str(" Approach");
        return t;
    }
    let mut parts = vec![format!("{op}: {}", labels[0])];
    for i in 1..4 {
        if !skip(labels[i]) {
            parts.push(if titles[i] == "Approach" {
                format!("{} Approach", labels[i])
            } else {
                labels[i].to_string()
            });
        }
    }
    format!("{}, {}", head.get(1).copied().unwrap_or(""), parts.join(", "))
}

/// Reads an ICD-10-PCS definitions file and attaches it to `release` (a PCS tables release).
pub fn attach_definitions(release: &mut Release, src: &[u8]) -> Result<(), LoadError> {
    let mut x = Xml::new(src);
    let mut defs: Vec<PcsDefinition> = Vec::new();
    let mut section: u8 = 0;
    let mut axis: Option<(u8, String)> = None;
    struct TermBuild {
        titles: Vec<String>,
        definition: String,
        explanation: String,
        includes: Vec<String>,
    }
    let mut term: Option<TermBuild> = None;
    let mut found_terms = 0usize;
    let mut built: Vec<(u8, u8, String, TermBuild)> = Vec::new();
    loop {
        match x.next()? {
            Ev::Eof => break,
            Ev::Text(_) => {}
            Ev::Start { name, attrs } => {
                if x.depth() == 1 {
                    x.expect_root(&name, "ICD10PCS.definitions", "an ICD-10-PCS definitions file")?;
                    continue;
                }
                match name.as_str() {
                    "deviceAggregation" => x.skip()?,
                    "section" => {
                        section = attr(&attrs, "code").and_then(|c| c.bytes().next()).unwrap_or(0);
                    }
                    "axis" => {
                        let pos = attr(&attrs, "pos").and_then(|p| p.parse().ok()).unwrap_or(0);
                        axis = Some((pos, String::new()));
                    }
                    "terms" => {
                        term = Some(TermBuild {
                            titles: Vec::new(),
                            definition: String::new(),
                            explanation: String::new(),
                            includes: Vec::new(),
                        })
                    }
                    "title" => {
                        let t = x.text_content()?;
                        if let Some(tb) = term.as_mut() {
                            tb.titles.push(t);
                        } else if let Some(a) = axis.as_mut() {
                            a.1 = t;
                        }
                    }
                    "definition" | "explanation" | "includes" => {
                        let t = x.text_content()?;
                        if let Some(tb) = term.as_mut() {
                            match name.as_str() {
                                "definition" => tb.definition = t,
                                "explanation" => tb.explanation = t,
                                _ => tb.includes.push(t),
                            }
                        }
                    }
                    _ => {}
                }
            }
            Ev::End(name) => match name.as_str() {
                "terms" => {
                    if let (Some(tb), Some((pos, title))) = (term.take(), axis.as_ref()) {
                        found_terms += 1;
                        built.push((section, *pos, title.clone(), tb));
                    }
                }
                "axis" => axis = None,
                _ => {}
            },
        }
    }
    if found_terms == 0 {
        return Err(LoadError::whole("the definitions file holds no <terms>"));
    }
    let body = &mut release.body;
    for (section, pos, axis_title, tb) in built {
        let axis_title = body.push_text(&axis_title);
        let titles = tb.titles.iter().map(|t| body.push_text(t)).collect();
        let definition = body.push_text(&tb.definition);
        let explanation = body.push_text(&tb.explanation);
        let includes = tb.includes.iter().map(|t| body.push_text(t)).collect();
        defs.push(PcsDefinition {
            section,
            pos,
            axis_title,
            titles,
            definition,
            explanation,
            includes,
        });
    }
    body.definitions = defs;
    Ok(())
}
