//! Installed code-set releases in the data directory.
//!
//! `import` reads release files (plain, gzip, xz, or inside a zip), recognizes what each is,
//! parses and validates every recognized file whole, and only then installs the new releases in one
//! step: the binary releases are written under unique names and a new `manifest.json` replaces the
//! old one by an atomic rename. A broken file installs nothing. Importing the same files again
//! changes nothing.
//!
//! This crate is a shell-side crate: it opens files. The parsing is `code-sets`'s.

mod detect;
mod names;

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use code_sets::{Date, Library, Release, ReleaseMeta, System};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use detect::{Input, Kind, read_inputs};
pub use names::effective_date_from_name;

/// What went wrong, naming the file and, where there is one, the line.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A release file is malformed.
    #[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Load {
        /// The file (and zip member).
        file: String,
        /// 1-based line.
        line: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// An installed release cannot be read.
    #[error("installed release {file} cannot be read: {message}")]
    Damaged {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// Nothing given was a release file.
    #[error("none of the files given is a release file superbill knows ({0})")]
    NothingRecognized(String),
    /// The import needs something the user must say.
    #[error("{0}")]
    Usage(String),
}

pub(crate) fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Io { path: path.display().to_string(), source }
}

/// One installed release, as the manifest lists it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Installed {
    /// The binary file, relative to the releases folder.
    pub file: String,
    /// `icd10cm`, `icd10pcs`, `hcpcs` or `cpt`.
    pub system: String,
    /// First day in force, `YYYY-MM-DD`.
    pub effective_from: String,
    /// The label.
    pub label: String,
    /// The stated version.
    pub version: String,
    /// Source file names.
    pub sources: Vec<String>,
    /// Hex SHA-256 of the source bytes.
    pub content_hash: String,
    /// Billable codes.
    pub billable: u32,
    /// Headers.
    pub headers: u32,
    /// Modifiers.
    pub modifiers: u32,
    /// Alphabetic index terms.
    pub index_terms: u32,
    /// PCS tables.
    pub tables: u32,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    releases: Vec<Installed>,
    /// Edit tables (the Medicare Code Editor lists; later NCCI and MUE).
    #[serde(default)]
    edit_tables: Vec<InstalledTable>,
}

/// One installed set of edit tables, as the manifest lists it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct InstalledTable {
    /// `mce`.
    pub kind: String,
    /// The binary file, relative to the releases folder.
    pub file: String,
    /// First day any row is in force, `YYYY-MM-DD`.
    pub effective_from: String,
    /// Last day any row is in force, `YYYY-MM-DD`.
    pub effective_to: String,
    /// Source file names (NCCI: each table with its CMS release, quarter and files).
    pub sources: Vec<String>,
    /// Hex SHA-256 of the source bytes.
    pub content_hash: String,
    /// Lists, and the codes in them.
    pub lists: u32,
    /// Codes over all lists.
    pub codes: u32,
}

/// What an import did.
#[derive(Clone, Debug, Default)]
pub struct ImportReport {
    /// Newly installed (or replaced) releases.
    pub installed: Vec<Installed>,
    /// Releases that were already installed with the same content.
    pub unchanged: Vec<Installed>,
    /// Files that were not recognized, with what they seem to be.
    pub skipped: Vec<(String, String)>,
    /// Newly installed (or replaced) edit tables.
    pub tables_installed: Vec<InstalledTable>,
    /// Edit tables already installed with the same content.
    pub tables_unchanged: Vec<InstalledTable>,
}

/// The data directory.
#[derive(Clone, Debug)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// A data directory at `root` (created on first import).
    pub fn new(root: &Path) -> DataDir {
        DataDir { root: root.to_path_buf() }
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn releases_dir(&self) -> PathBuf {
        self.root.join("releases")
    }

    fn manifest_path(&self) -> PathBuf {
        self.releases_dir().join("manifest.json")
    }

    fn manifest(&self) -> Result<Manifest, Error> {
        let p = self.manifest_path();
        match fs::read(&p) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::Damaged {
                file: p.display().to_string(),
                message: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
            Err(e) => Err(io(&p, e)),
        }
    }

    /// The installed releases, by system and date.
    pub fn list(&self) -> Result<Vec<Installed>, Error> {
        let mut r = self.manifest()?.releases;
        r.sort_by(|a, b| {
            (system_order(&a.system), &a.effective_from)
                .cmp(&(system_order(&b.system), &b.effective_from))
        });
        Ok(r)
    }

    /// The installed edit tables, by kind and date.
    pub fn list_tables(&self) -> Result<Vec<InstalledTable>, Error> {
        let mut t = self.manifest()?.edit_tables;
        t.sort_by(|a, b| (&a.kind, &a.effective_from).cmp(&(&b.kind, &b.effective_from)));
        Ok(t)
    }

    /// Every installed edit table of `kind`, read with `parse` from its binary file.
    fn open_tables<T>(
        &self,
        kind: &str,
        parse: impl Fn(&[u8]) -> Result<T, code_sets::LoadError>,
    ) -> Result<Vec<T>, Error> {
        self.open_tables_where(kind, |_| true, parse)
    }

    /// Like [`DataDir::open_tables`], for the installed tables `wanted` accepts (read from the
    /// manifest, before any table is decoded).
    fn open_tables_where<T>(
        &self,
        kind: &str,
        wanted: impl Fn(&InstalledTable) -> bool,
        parse: impl Fn(&[u8]) -> Result<T, code_sets::LoadError>,
    ) -> Result<Vec<T>, Error> {
        let mut out = Vec::new();
        for t in self.manifest()?.edit_tables.into_iter().filter(|t| t.kind == kind && wanted(t)) {
            let p = self.releases_dir().join(&t.file);
            let bytes = fs::read(&p).map_err(|e| io(&p, e))?;
            out.push(parse(&bytes).map_err(|e| Error::Damaged {
                file: p.display().to_string(),
                message: e.to_string(),
            })?);
        }
        Ok(out)
    }

    /// The installed NCCI tables (`None` when none are installed).
    pub fn open_ncci(&self) -> Result<Option<ncci::Tables>, Error> {
        Ok(self.open_tables("ncci", ncci::Tables::from_bytes)?.pop())
    }

    /// The installed MS-DRG definitions in force on any of `dates` or named in `versions`
    /// (`v43.1`), oldest first: a batch of claims opens only the versions it needs.
    pub fn open_msdrg_for(
        &self,
        dates: &[Date],
        versions: &[String],
    ) -> Result<Vec<drg::Definitions>, Error> {
        let wanted = |t: &InstalledTable| {
            let covers = |d: &Date| {
                let d = d.to_string();
                t.effective_from <= d && (t.effective_to.is_empty() || d <= t.effective_to)
            };
            dates.iter().any(covers) || t.sources.iter().any(|s| versions.contains(s))
        };
        let mut out = self.open_tables_where("msdrg", wanted, drg::Definitions::from_bytes)?;
        out.sort_by_key(drg::Definitions::effective_from);
        Ok(out)
    }

    /// The installed IPPS tables (MS-DRG weights, CC/MCC lists, exclusions), by fiscal year.
    pub fn open_ipps(&self) -> Result<Vec<drg::IppsTables>, Error> {
        let mut out = self.open_tables("ipps", drg::IppsTables::from_bytes)?;
        out.sort_by_key(|t| t.fiscal_year);
        Ok(out)
    }

    /// The installed Medicare Code Editor lists, merged (`None` when none are installed).
    pub fn open_mce(&self) -> Result<Option<mce::Tables>, Error> {
        let mut sets = self.open_tables("mce", mce::Tables::from_bytes)?.into_iter();
        let Some(mut merged) = sets.next() else { return Ok(None) };
        for t in sets {
            merged.merge(t);
        }
        Ok(Some(merged))
    }

    /// Opens the installed releases of `systems` (all when `None`) as a library.
    pub fn open(&self, systems: Option<&[System]>) -> Result<Library, Error> {
        self.open_with(systems, true)
    }

    /// Opens the installed releases for lookups only: the search index is not read, so a search
    /// finds nothing. `codes show` opens this way.
    pub fn open_for_lookup(&self, systems: Option<&[System]>) -> Result<Library, Error> {
        self.open_with(systems, false)
    }

    fn open_with(&self, systems: Option<&[System]>, search: bool) -> Result<Library, Error> {
        let mut out = Vec::new();
        for inst in self.manifest()?.releases {
            let Ok(system) = inst.system.parse::<System>() else { continue };
            if systems.is_some_and(|s| !s.contains(&system)) {
                continue;
            }
            let r = if search {
                self.read_release(&inst)?
            } else {
                self.read_release_for_lookup(&inst)?
            };
            out.push(Arc::new(r));
        }
        Ok(Library::new(out))
    }

    fn read_release(&self, inst: &Installed) -> Result<Release, Error> {
        let p = self.releases_dir().join(&inst.file);
        let bytes = fs::read(&p).map_err(|e| io(&p, e))?;
        Release::from_bytes(&bytes).map_err(|e| damaged(&p, e))
    }

    /// Reads only the part of the file before the search index.
    fn read_release_for_lookup(&self, inst: &Installed) -> Result<Release, Error> {
        use std::io::Read;
        let p = self.releases_dir().join(&inst.file);
        let mut f = fs::File::open(&p).map_err(|e| io(&p, e))?;
        // The header and metadata are small: read a first block, then exactly the rest.
        let mut bytes = Vec::new();
        (&mut f).take(64 * 1024).read_to_end(&mut bytes).map_err(|e| io(&p, e))?;
        let end = Release::search_offset(&bytes).map_err(|e| damaged(&p, e))?;
        if end > bytes.len() {
            let more = (end - bytes.len()) as u64;
            bytes.reserve_exact(end - bytes.len());
            (&mut f).take(more).read_to_end(&mut bytes).map_err(|e| io(&p, e))?;
        }
        bytes.truncate(end);
        Release::from_bytes_without_search(&bytes).map_err(|e| damaged(&p, e))
    }

    /// Imports release files and folders. See the crate documentation.
    pub fn import(
        &self,
        paths: &[PathBuf],
        effective_from: Option<Date>,
    ) -> Result<ImportReport, Error> {
        let inputs = read_inputs(paths)?;
        let mut report = ImportReport::default();
        // Parse every recognized input.
        let mut built: Vec<(Release, Vec<String>, Sha256)> = Vec::new();
        let mut indexes: Vec<(code_sets::index::IndexFile, Input)> = Vec::new();
        let mut definitions: Vec<Input> = Vec::new();
        let mut mce_tables: Option<(mce::Tables, Sha256)> = None;
        let mut ncci_tables: Option<(ncci::Tables, Sha256)> = None;
        let mut ipps: Option<(drg::IppsTables, Sha256, Vec<&'static str>)> = None;
        let mut definitions_built: Vec<(drg::Definitions, String)> = Vec::new();
        for input in &inputs {
            let load = |e: code_sets::LoadError| Error::Load {
                file: input.name.clone(),
                line: e.line,
                message: e.message,
            };
            let date =
                effective_from.or_else(|| effective_date_from_name(&input.name, &input.kind));
            let release = match input.kind {
                Kind::Unknown(ref why) => {
                    report.skipped.push((input.name.clone(), why.clone()));
                    continue;
                }
                Kind::CmTabular => {
                    code_sets::icd10cm::parse_tabular(&input.bytes, date).map_err(load)?
                }
                Kind::PcsTables => {
                    code_sets::icd10pcs::parse_tables(&input.bytes, date).map_err(load)?
                }
                Kind::Hcpcs => code_sets::hcpcs::parse_anweb(&input.bytes, date).map_err(load)?,
                Kind::PfsRvu | Kind::CptCsv => {
                    let Some(date) = date else {
                        return Err(Error::Usage(format!(
                            "{}: the file name does not say when it takes effect; pass --effective-from YYYY-MM-DD",
                            input.name
                        )));
                    };
                    if input.kind == Kind::PfsRvu {
                        code_sets::cpt::parse_pfs_rvu(&input.bytes, date).map_err(load)?
                    } else {
                        code_sets::cpt::parse_user_csv(&input.bytes, date).map_err(load)?
                    }
                }
                Kind::CmIndex => {
                    indexes.push((
                        code_sets::index::parse_index(&input.bytes).map_err(load)?,
                        input.clone(),
                    ));
                    continue;
                }
                Kind::PcsDefinitions => {
                    definitions.push(input.clone());
                    continue;
                }
                Kind::NcciPtp(_) | Kind::NcciMue | Kind::NcciAoc => {
                    let (t, h) =
                        ncci_tables.get_or_insert_with(|| (ncci::Tables::default(), Sha256::new()));
                    match input.kind {
                        Kind::NcciPtp(Some(setting)) => {
                            t.load_ptp(setting, &input.name, &input.bytes).map_err(load)?;
                        }
                        Kind::NcciPtp(None) => {
                            return Err(Error::Usage(format!(
                                "{}: an NCCI PTP file whose name says neither practitioner \
                                 (ccipra…) nor outpatient hospital (ccioph…): keep CMS's file name",
                                input.name
                            )));
                        }
                        Kind::NcciMue => {
                            let Some(date) = date else {
                                return Err(Error::Usage(format!(
                                    "{}: the file name does not say when the MUEs take effect \
                                     (CMS names them …_Eff_MM-DD-YYYY.csv); pass --effective-from YYYY-MM-DD",
                                    input.name
                                )));
                            };
                            t.load_mue(&input.name, &input.bytes, date).map_err(load)?;
                        }
                        _ => {
                            t.load_aoc(&input.name, &input.bytes).map_err(load)?;
                        }
                    }
                    h.update(input.name.as_bytes());
                    h.update(&input.bytes);
                    continue;
                }
                Kind::DrgDefinitions => {
                    let d = drg::Definitions::parse(&input.bytes).map_err(load)?;
                    let mut h = Sha256::new();
                    h.update(&input.bytes);
                    definitions_built.push((d, hex(&h.finalize())));
                    continue;
                }
                Kind::IppsTable(table) => {
                    let (t, h, seen) = ipps.get_or_insert_with(|| {
                        (drg::IppsTables::default(), Sha256::new(), Vec::new())
                    });
                    match table {
                        "5" => {
                            t.load_table5(&input.bytes).map_err(load)?;
                        }
                        "6K" => {
                            t.load_table6k(&input.bytes).map_err(load)?;
                        }
                        _ => {
                            t.load_cc_list(&input.bytes).map_err(load)?;
                        }
                    }
                    seen.push(table);
                    h.update(input.name.as_bytes());
                    h.update(&input.bytes);
                    continue;
                }
                Kind::MceList => {
                    let (t, h) =
                        mce_tables.get_or_insert_with(|| (mce::Tables::default(), Sha256::new()));
                    let short = input.name.rsplit(['/', '\\', '!']).next().unwrap_or(&input.name);
                    t.load(short, &input.bytes).map_err(load)?;
                    h.update(short.as_bytes());
                    h.update(&input.bytes);
                    continue;
                }
            };
            let mut h = Sha256::new();
            h.update(&input.bytes);
            built.push((release, vec![input.name.clone()], h));
        }
        // Attach index books and definitions to a release of the same system and version: one
        // built in this import, or else the installed ones.
        let manifest = self.manifest()?;
        let mut reopened: Vec<(Release, Vec<String>, Sha256, Installed)> = Vec::new();
        let mut attach = |system: System,
                          version: &str,
                          name: &str,
                          bytes: &[u8],
                          built: &mut Vec<(Release, Vec<String>, Sha256)>,
                          f: &mut dyn FnMut(&mut Release) -> Result<(), code_sets::LoadError>|
         -> Result<(), Error> {
            let load = |e: code_sets::LoadError| Error::Load {
                file: name.to_string(),
                line: e.line,
                message: e.message,
            };
            let mut done = false;
            for (r, sources, h) in built.iter_mut() {
                if r.meta.system == system && (version.is_empty() || r.meta.version == version) {
                    f(r).map_err(load)?;
                    sources.push(name.to_string());
                    h.update(bytes);
                    done = true;
                }
            }
            if done {
                return Ok(());
            }
            for inst in &manifest.releases {
                if inst.system == system.id() && (version.is_empty() || inst.version == version) {
                    let mut r = self.read_release(inst)?;
                    f(&mut r).map_err(load)?;
                    let mut h = Sha256::new();
                    h.update(inst.content_hash.as_bytes());
                    h.update(bytes);
                    let mut sources = inst.sources.clone();
                    if !sources.iter().any(|s| s == name) {
                        sources.push(name.to_string());
                    }
                    reopened.push((r, sources, h, inst.clone()));
                    done = true;
                }
            }
            if !done {
                return Err(Error::Usage(format!(
                    "{name}: there is no {} release{} to attach it to: import the {} file with it",
                    system.display_name(),
                    if version.is_empty() { String::new() } else { format!(" for {version}") },
                    if system == System::Icd10Cm { "tabular" } else { "tables" }
                )));
            }
            Ok(())
        };
        for (file, input) in &indexes {
            let version = file.version.trim().to_string();
            attach(System::Icd10Cm, &version, &input.name, &input.bytes, &mut built, &mut |r| {
                r.attach_index(file)
            })?;
        }
        for input in &definitions {
            let version = detect::xml_version(&input.bytes).unwrap_or_default();
            attach(System::Icd10Pcs, &version, &input.name, &input.bytes, &mut built, &mut |r| {
                code_sets::icd10pcs::attach_definitions(r, &input.bytes)
            })?;
        }
        if built.is_empty()
            && reopened.is_empty()
            && mce_tables.is_none()
            && ncci_tables.is_none()
            && ipps.is_none()
            && definitions_built.is_empty()
        {
            let names: Vec<&str> = report.skipped.iter().map(|(n, _)| n.as_str()).collect();
            return Err(Error::NothingRecognized(names.join(", ")));
        }
        let mut finished: Vec<Release> = Vec::new();
        for (mut r, sources, h) in built {
            r.meta.sources = sources;
            r.meta.content_hash = hex(&h.finalize());
            finished.push(r);
        }
        for (mut r, sources, h, _) in reopened {
            r.meta.sources = sources;
            r.meta.content_hash = hex(&h.finalize());
            finished.push(r);
        }
        // Two files for the same system and date in one import is a mistake.
        let mut seen = BTreeMap::new();
        for r in &finished {
            if let Some(prev) =
                seen.insert((r.meta.system, r.meta.effective_from), r.meta.sources.join(", "))
            {
                return Err(Error::Usage(format!(
                    "{} and {} both install {} effective {}: import one of them, or set --effective-from for each",
                    prev,
                    r.meta.sources.join(", "),
                    r.meta.system.display_name(),
                    r.meta.effective_from
                )));
            }
        }
        let mut tables: Vec<(&str, Vec<u8>, InstalledTable)> = Vec::new();
        if let Some((t, h)) = mce_tables {
            tables.push(("mce", t.to_bytes(), table_entry(&t, hex(&h.finalize()))));
        }
        if let Some((t, h)) = ncci_tables {
            // A newer quarter updates the installed tables (see `ncci::Tables::update`); the
            // same files again change nothing.
            let mut all = self.open_ncci()?.unwrap_or_default();
            let before = all.clone();
            all.update(t);
            let old = manifest.edit_tables.iter().find(|e| e.kind == "ncci");
            match old {
                Some(old) if all == before => tables.push(("ncci", Vec::new(), old.clone())),
                _ => {
                    let mut hash = Sha256::new();
                    if let Some(old) = old {
                        hash.update(old.content_hash.as_bytes());
                    }
                    hash.update(h.finalize());
                    let entry = ncci_entry(&all, hex(&hash.finalize()));
                    tables.push(("ncci", all.to_bytes(), entry));
                }
            }
        }
        if let Some((t, h, seen)) = ipps {
            // The four tables of a fiscal year are one release: all of them, in one import.
            let missing: Vec<&str> =
                ["5", "6I", "6J", "6K"].into_iter().filter(|x| !seen.contains(x)).collect();
            if !missing.is_empty() {
                return Err(Error::Usage(format!(
                    "IPPS tables are installed together: Table{} {} missing from this import",
                    if missing.len() > 1 { "s" } else { "" },
                    missing.join(", ")
                )));
            }
            let start = Date::fiscal_year_start(t.fiscal_year);
            let entry = InstalledTable {
                kind: "ipps".to_string(),
                file: String::new(),
                effective_from: effective_from.unwrap_or(start).to_string(),
                effective_to: Date::fiscal_year_start(t.fiscal_year + 1).pred().to_string(),
                sources: Vec::new(),
                content_hash: hex(&h.finalize()),
                lists: 4,
                codes: t.counts().iter().take(3).sum::<usize>() as u32,
            };
            tables.push(("ipps", t.to_bytes(), entry));
        }
        for (d, hash) in definitions_built {
            let start = d.effective_from();
            let end = drg::Definitions::version_end(&d.version);
            let [drgs, dx, pr, cc, _] = d.counts();
            let entry = InstalledTable {
                kind: "msdrg".to_string(),
                file: String::new(),
                effective_from: start.to_string(),
                effective_to: end.map(|e| e.to_string()).unwrap_or_default(),
                sources: vec![d.version.clone()],
                content_hash: hash,
                lists: drgs as u32,
                codes: (dx + pr + cc) as u32,
            };
            tables.push(("msdrg", d.to_bytes(), entry));
        }
        self.install(finished, tables, manifest, &mut report)?;
        Ok(report)
    }

    fn install(
        &self,
        releases: Vec<Release>,
        tables: Vec<(&str, Vec<u8>, InstalledTable)>,
        mut manifest: Manifest,
        report: &mut ImportReport,
    ) -> Result<(), Error> {
        let dir = self.releases_dir();
        fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        let mut written: Vec<PathBuf> = Vec::new();
        let mut replaced: Vec<String> = Vec::new();
        let result = (|| {
            for r in &releases {
                let system = r.meta.system.id();
                let date = r.meta.effective_from.to_string();
                let existing = manifest
                    .releases
                    .iter()
                    .position(|i| i.system == system && i.effective_from == date);
                if let Some(i) = existing
                    && manifest.releases[i].content_hash == r.meta.content_hash
                {
                    report.unchanged.push(manifest.releases[i].clone());
                    continue;
                }
                let file = format!("{system}-{date}-{}.sbr", &r.meta.content_hash[..12]);
                let path = dir.join(&file);
                write_atomic(&path, &r.to_bytes())?;
                written.push(path);
                let inst = installed(&r.meta, file);
                if let Some(i) = existing {
                    replaced.push(manifest.releases[i].file.clone());
                    manifest.releases[i] = inst.clone();
                } else {
                    manifest.releases.push(inst.clone());
                }
                report.installed.push(inst);
            }
            for (kind, bytes, mut entry) in tables {
                // One MCE set per first day; one NCCI set, updated in place.
                let existing = manifest.edit_tables.iter().position(|t| {
                    t.kind == kind && (kind == "ncci" || t.effective_from == entry.effective_from)
                });
                if let Some(i) = existing
                    && manifest.edit_tables[i].content_hash == entry.content_hash
                {
                    report.tables_unchanged.push(manifest.edit_tables[i].clone());
                    continue;
                }
                let file =
                    format!("{kind}-{}-{}.sbt", entry.effective_from, &entry.content_hash[..12]);
                let path = dir.join(&file);
                write_atomic(&path, &bytes)?;
                written.push(path);
                entry.file = file;
                if let Some(i) = existing {
                    replaced.push(manifest.edit_tables[i].file.clone());
                    manifest.edit_tables[i] = entry.clone();
                } else {
                    manifest.edit_tables.push(entry.clone());
                }
                report.tables_installed.push(entry);
            }
            if report.installed.is_empty() && report.tables_installed.is_empty() {
                return Ok(());
            }
            manifest.format = code_sets::FORMAT_VERSION;
            let json =
                serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Usage(e.to_string()))?;
            write_atomic(&self.manifest_path(), &json)
        })();
        match result {
            Ok(()) => {
                for f in replaced {
                    let still = manifest.releases.iter().any(|i| i.file == f)
                        || manifest.edit_tables.iter().any(|t| t.file == f);
                    if !still {
                        let _ = fs::remove_file(dir.join(f));
                    }
                }
                Ok(())
            }
            Err(e) => {
                for p in written {
                    let _ = fs::remove_file(p);
                }
                Err(e)
            }
        }
    }
}

fn damaged(p: &Path, e: code_sets::DecodeError) -> Error {
    Error::Damaged { file: p.display().to_string(), message: e.to_string() }
}

fn installed(meta: &ReleaseMeta, file: String) -> Installed {
    Installed {
        file,
        system: meta.system.id().to_string(),
        effective_from: meta.effective_from.to_string(),
        label: meta.label.clone(),
        version: meta.version.clone(),
        sources: meta.sources.clone(),
        content_hash: meta.content_hash.clone(),
        billable: meta.counts.billable,
        headers: meta.counts.headers,
        modifiers: meta.counts.modifiers,
        index_terms: meta.counts.index_terms,
        tables: meta.counts.tables,
    }
}

/// The manifest entry of the NCCI tables (its file name is set when it is written).
fn ncci_entry(t: &ncci::Tables, content_hash: String) -> InstalledTable {
    let (ptp, mue, aoc) = t.counts();
    let quarters = t.mue_quarters();
    InstalledTable {
        kind: "ncci".to_string(),
        file: String::new(),
        effective_from: quarters.first().map(|d| d.to_string()).unwrap_or_default(),
        effective_to: String::new(),
        sources: t.releases(),
        content_hash,
        lists: [ptp, mue, aoc].iter().filter(|n| **n > 0).count() as u32,
        codes: (ptp + mue + aoc) as u32,
    }
}

/// The manifest entry of an MCE table set (its file name is set when it is written).
fn table_entry(t: &mce::Tables, content_hash: String) -> InstalledTable {
    let span = t.span();
    let counts = t.counts();
    InstalledTable {
        kind: "mce".to_string(),
        file: String::new(),
        effective_from: span.map(|s| s.start.to_string()).unwrap_or_default(),
        effective_to: span.map(|s| s.end.to_string()).unwrap_or_default(),
        sources: t.sources().to_vec(),
        content_hash,
        lists: counts.len() as u32,
        codes: counts.iter().map(|(_, n)| *n as u32).sum(),
    }
}

fn system_order(s: &str) -> usize {
    System::ALL.iter().position(|x| x.id() == s).unwrap_or(99)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes a file through a temporary sibling, synced, then renamed over the target.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let mut f = fs::File::create(&tmp).map_err(|e| io(&tmp, e))?;
    f.write_all(bytes).map_err(|e| io(&tmp, e))?;
    f.sync_all().map_err(|e| io(&tmp, e))?;
    drop(f);
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io(path, e)
    })
}
