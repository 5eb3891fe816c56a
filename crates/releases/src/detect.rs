//! Recognizes release files by their content (and, for CSVs, their names), unwrapping gzip, xz
//! and zip containers.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::{Error, io};

/// What a file is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// ICD-10-CM tabular XML.
    CmTabular,
    /// ICD-10-CM alphabetic index, external-cause index, neoplasm or drug table XML.
    CmIndex,
    /// ICD-10-PCS tables XML.
    PcsTables,
    /// ICD-10-PCS definitions XML.
    PcsDefinitions,
    /// HCPCS Level II alpha-numeric fixed-width file.
    Hcpcs,
    /// Medicare PFS relative value file (CSV).
    PfsRvu,
    /// A user-supplied CPT file (CSV: code, description).
    CptCsv,
    /// A Medicare Code Editor list (CSV in the layout of `docs/formats/mce-csv.md`).
    MceList,
    /// An NCCI procedure-to-procedure edit file (tab-delimited), for the setting its name says
    /// (`ccipra`/practitioner, `ccioph`/outpatient hospital), `None` when the name says neither.
    NcciPtp(Option<ncci::Setting>),
    /// An NCCI Medically Unlikely Edit file (CSV).
    NcciMue,
    /// An NCCI add-on code edit table (tab- or comma-separated).
    NcciAoc,
    /// MS-DRG definitions of one grouper version, in the JSON form of
    /// `docs/formats/msdrg-definitions.md` (`msdrg_v43.json`, usually xz-compressed).
    DrgDefinitions,
    /// A CMS IPPS table: 5 (MS-DRG weights), 6I (MCC list), 6J (CC list) or 6K (CC exclusions),
    /// by its number.
    IppsTable(&'static str),
    /// Not a release file; the text says what it seems to be.
    Unknown(String),
}

/// One file to import, unwrapped.
#[derive(Clone, Debug)]
pub struct Input {
    /// Path, with `!member` for a zip member.
    pub name: String,
    /// What it is.
    pub kind: Kind,
    /// The uncompressed bytes.
    pub bytes: Vec<u8>,
}

/// Reads files and folders (recursively, in name order) and unwraps containers.
pub fn read_inputs(paths: &[PathBuf]) -> Result<Vec<Input>, Error> {
    let mut files = Vec::new();
    for p in paths {
        collect(p, &mut files)?;
    }
    let mut out = Vec::new();
    for f in files {
        let bytes = fs::read(&f).map_err(|e| io(&f, e))?;
        unwrap(f.display().to_string(), bytes, &mut out, 0)?;
    }
    Ok(out)
}

fn collect(p: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let meta = fs::metadata(p).map_err(|e| io(p, e))?;
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = fs::read_dir(p)
            .map_err(|e| io(p, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for e in entries {
            collect(&e, out)?;
        }
    } else {
        out.push(p.to_path_buf());
    }
    Ok(())
}

fn unwrap(name: String, bytes: Vec<u8>, out: &mut Vec<Input>, depth: u32) -> Result<(), Error> {
    let bad = |message: String| Error::Load { file: name.clone(), line: None, message };
    if depth > 3 {
        return Err(bad("containers nested too deep".into()));
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut d = Vec::new();
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_end(&mut d)
            .map_err(|e| bad(format!("broken gzip data (truncated?): {e}")))?;
        return unwrap(name, d, out, depth + 1);
    }
    if bytes.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        let mut d = Vec::new();
        xz2::read::XzDecoder::new_multi_decoder(&bytes[..])
            .read_to_end(&mut d)
            .map_err(|e| bad(format!("broken xz data (truncated?): {e}")))?;
        return unwrap(name, d, out, depth + 1);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..]))
            .map_err(|e| bad(format!("broken zip archive (truncated?): {e}")))?;
        // A spreadsheet is a zip too: read it whole.
        if zip.index_for_name("xl/workbook.xml").is_some() {
            let kind = if ncci::is_aoc_workbook(&bytes) {
                Kind::NcciAoc
            } else {
                Kind::Unknown("a spreadsheet that is not CMS's NCCI add-on code table".into())
            };
            out.push(Input { name, kind, bytes });
            return Ok(());
        }
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).map_err(|e| bad(format!("zip member {i}: {e}")))?;
            if f.is_dir() {
                continue;
            }
            let member = format!("{name}!{}", f.name());
            let mut d = Vec::new();
            f.read_to_end(&mut d).map_err(|e| Error::Load {
                file: member.clone(),
                line: None,
                message: format!("cannot unpack (truncated zip?): {e}"),
            })?;
            unwrap(member, d, out, depth + 1)?;
        }
        return Ok(());
    }
    let kind = sniff(&name, &bytes);
    out.push(Input { name, kind, bytes });
    Ok(())
}

/// The root element's name of an XML document.
fn xml_root(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(8192)];
    let text = String::from_utf8_lossy(head);
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        let i = rest.find('<')?;
        rest = &rest[i + 1..];
        if rest.starts_with('?') || rest.starts_with('!') {
            continue;
        }
        let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
        return Some(rest[..end].to_string());
    }
}

/// The text of the first `<version>` element.
pub(crate) fn xml_version(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(8192)]).into_owned();
    let a = head.find("<version>")? + "<version>".len();
    let b = head[a..].find("</version>")? + a;
    Some(head[a..b].trim().to_string())
}

fn sniff(name: &str, bytes: &[u8]) -> Kind {
    let base = name.rsplit(['/', '\\', '!']).next().unwrap_or(name).to_ascii_lowercase();
    if let Some(root) = xml_root(bytes).filter(|_| looks_like_xml(bytes)) {
        return match root.as_str() {
            "ICD10CM.tabular" => Kind::CmTabular,
            "ICD10CM.index" | "ICD10CM.eindex" | "ICD10CM.neoplasm" | "ICD10CM.drug" => {
                Kind::CmIndex
            }
            "ICD10PCS.tabular" => Kind::PcsTables,
            "ICD10PCS.definitions" => Kind::PcsDefinitions,
            "ICD10PCS.index" => Kind::Unknown("ICD-10-PCS index (not used yet)".into()),
            "xsd:schema" | "xs:schema" => Kind::Unknown("XML schema".into()),
            other => Kind::Unknown(format!("XML with root <{other}>")),
        };
    }
    let first_line = bytes
        .split(|&b| b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace))
        .unwrap_or(&[]);
    let first_line = first_line.strip_suffix(b"\r").unwrap_or(first_line);
    if first_line.len() >= 293
        && matches!(first_line.get(10), Some(b'3' | b'7'))
        && first_line[5..10].iter().all(u8::is_ascii_digit)
    {
        return Kind::Hcpcs;
    }
    if mce::is_mce_csv(bytes) {
        return Kind::MceList;
    }
    if base.contains("msdrg")
        && base.contains(".json")
        && bytes.trim_ascii_start().starts_with(b"{")
    {
        return Kind::DrgDefinitions;
    }
    // CMS IPPS tables: the first line names the table (Windows-1252 text).
    let first = drg::decode_windows_1252(&bytes[..bytes.len().min(400)]).to_ascii_uppercase();
    let first = first.trim_start_matches(['"', ' ']);
    for (prefix, table) in
        [("TABLE 5", "5"), ("TABLE 6I", "6I"), ("TABLE 6J", "6J"), ("TABLE 6K", "6K")]
    {
        if first.starts_with(prefix)
            && first[prefix.len()..].starts_with(|c: char| !c.is_ascii_alphanumeric())
        {
            return Kind::IppsTable(table);
        }
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(16384)]);
    if head.lines().any(|l| l.starts_with("Column 1\tColumn 2") || l.starts_with("Column1/Column2"))
    {
        let setting = if base.contains("pra") || base.contains("practitioner") {
            Some(ncci::Setting::Practitioner)
        } else if base.contains("oph") || base.contains("hosp") || base.contains("outpatient") {
            Some(ncci::Setting::OutpatientHospital)
        } else {
            None
        };
        return Kind::NcciPtp(setting);
    }
    let upper = head.to_ascii_uppercase();
    if upper.contains("MUE ADJUDICATION INDICATOR") {
        return Kind::NcciMue;
    }
    if upper.contains("AOC EDIT TYPE") {
        return Kind::NcciAoc;
    }
    let text_head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_uppercase();
    if base.starts_with("pprrvu") || text_head.lines().any(|l| l.starts_with("HCPCS,MOD,")) {
        return Kind::PfsRvu;
    }
    if (base.contains("cpt") && (base.ends_with(".csv") || base.ends_with(".txt")))
        || looks_like_cpt_csv(bytes)
    {
        return Kind::CptCsv;
    }
    if base.ends_with(".pdf") {
        return Kind::Unknown("PDF document".into());
    }
    if base.contains("readme") || base.contains("licen") || base.ends_with(".md") {
        return Kind::Unknown("documentation or licence text".into());
    }
    Kind::Unknown("not a release file superbill knows".into())
}

/// A CSV whose rows start with a CPT-shaped code and a description (a header row allowed).
fn looks_like_cpt_csv(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(8192)]);
    let rows: Vec<&str> = head.lines().filter(|l| !l.trim().is_empty()).take(50).collect();
    if rows.len() < 2 {
        return false;
    }
    let cpt_rows = rows
        .iter()
        .filter(|l| {
            let mut f = l.split(',');
            let code = f.next().unwrap_or("").trim().trim_matches('"');
            let desc = f.next().unwrap_or("").trim();
            let b = code.as_bytes();
            b.len() == 5
                && b[..4].iter().all(u8::is_ascii_digit)
                && (b[4].is_ascii_digit() || matches!(b[4], b'F' | b'T' | b'U'))
                && desc.chars().any(char::is_alphabetic)
        })
        .count();
    cpt_rows * 10 >= rows.len() * 8
}

/// True when the first non-blank character (after a byte-order mark) opens a tag.
fn looks_like_xml(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    b.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'<')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_roots() {
        assert_eq!(
            sniff("x.xml", b"\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- c -->\n<ICD10CM.tabular>"),
            Kind::CmTabular
        );
        assert_eq!(sniff("x.xml", b"<ICD10PCS.definitions>"), Kind::PcsDefinitions);
        assert!(matches!(sniff("README.txt", b"hello"), Kind::Unknown(_)));
        assert!(matches!(sniff("mods.csv", b"modifier,long\nLT,<20 chars>\n"), Kind::Unknown(_)));
        assert_eq!(sniff("PPRRVU2025_Oct.csv", b"HCPCS,MOD,,CODE\n"), Kind::PfsRvu);
        assert_eq!(sniff("my_cpt_2026.csv", b"code,description\n99213,x\n"), Kind::CptCsv);
    }
}
