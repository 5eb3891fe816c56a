//! `superbill data update`: download the official releases and import them.

use std::io::Read;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use code_sets::Date;
use releases::DataDir;

use crate::Outcome;

/// The public addresses of the current official releases.
pub(crate) const OFFICIAL: &[&str] = &[
    "https://ftp.cdc.gov/pub/Health_Statistics/NCHS/Publications/ICD10CM/2026-update/icd10cm-table-index-April-1-2026.zip",
    "https://www.cms.gov/files/zip/2026-icd-10-pcs-code-tables-and-index.zip",
    "https://www.cms.gov/files/zip/january-2026-alpha-numeric-hcpcs-file.zip",
];

pub(crate) fn run(dir: &DataDir, from: &[String], effective_from: Option<Date>) -> Result<Outcome> {
    let urls: Vec<String> = if from.is_empty() {
        OFFICIAL.iter().map(|s| s.to_string()).collect()
    } else {
        from.to_vec()
    };
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(10))
        .timeout(Duration::from_secs(300))
        .build();
    let tmp = std::env::temp_dir().join(format!("superbill-update-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    let result = (|| {
        let mut paths = Vec::new();
        for url in &urls {
            eprintln!("downloading {url}");
            let resp = match agent.get(url).call() {
                Ok(r) => r,
                Err(ureq::Error::Status(code, _)) => {
                    bail!("{url}: the server answered HTTP {code}")
                }
                Err(e) => bail!(
                    "cannot reach {url}: {e}\nThis machine seems to be offline (or the address moved). Download the files by hand and run `superbill data import FILE…`."
                ),
            };
            let mut bytes = Vec::new();
            resp.into_reader()
                .take(2 << 30)
                .read_to_end(&mut bytes)
                .with_context(|| format!("reading {url}"))?;
            let name = url.rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or("download.bin");
            let path = tmp.join(name);
            std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
            paths.push(path);
        }
        let report = dir.import(&paths, effective_from)?;
        crate::data::print_report(&report, false);
        Ok(Outcome::Yes)
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result
}
