//! `superbill group FILE [--json|--csv]`: the MS-DRG of each inpatient claim, with the Medicare
//! Code Editor's edits and Table 5's weight.
//!
//! FILE is a CSV with the columns `id,version,age,sex,discharge_status,pdx,sdx,procs,
//! discharge_date,hospital_status[,admit_date]`, an 837I, or claim JSON. `--csv` prints
//! `id,initial_drg,initial_mdc,final_drg,final_mdc,final_severity,final_grc,hac_status,sdx_sev,
//! mce_edit_type,mce_edits`; `--json` the same per claim with the version, Table 5, the MCE
//! edits one by one, the reasons for each decision and notes on what could not be done. Exit 0
//! when every claim was grouped, 2 on usage, I/O or input errors (named by file and line).

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use drg::{GroupClaim, Grouper};

use crate::Outcome;

/// The arguments of `superbill group`.
#[derive(clap::Args, Debug)]
pub(crate) struct GroupArgs {
    /// A CSV of claims (docs/drg-grouper.md), an 837I, or claim JSON.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Print JSON: each claim with the reasons for each decision.
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print the contract's CSV columns.
    #[arg(long)]
    csv: bool,
}

pub(crate) fn run(ctx: &crate::Ctx, args: GroupArgs) -> Result<Outcome> {
    let file = args.file.display().to_string();
    let bytes = std::fs::read(&args.file).with_context(|| format!("reading {file}"))?;
    let claims = read_claims(&file, &bytes)?;
    let dir = releases::DataDir::new(&ctx.data_dir);
    // Only the versions the claims need are opened (each takes ~100 ms to open).
    let mut dates: Vec<code_sets::Date> =
        claims.iter().filter(|c| c.version.is_none()).map(|c| c.discharge_date).collect();
    dates.sort();
    dates.dedup();
    let mut asked: Vec<String> = claims.iter().filter_map(|c| c.version.clone()).collect();
    asked.sort();
    asked.dedup();
    let versions = dir
        .open_msdrg_for(&dates, &asked)
        .with_context(|| format!("reading the MS-DRG definitions in {}", ctx.data_dir.display()))?;
    let installed = dir
        .list_tables()
        .with_context(|| format!("reading {}", ctx.data_dir.display()))?
        .iter()
        .any(|t| t.kind == "msdrg");
    if !installed {
        bail!(
            "no MS-DRG definitions are installed in {}: superbill data import the msdrg_v*.json.xz files",
            ctx.data_dir.display()
        );
    }
    let ipps = dir
        .open_ipps()
        .with_context(|| format!("reading the IPPS tables in {}", ctx.data_dir.display()))?;
    let mce = dir
        .open_mce()
        .with_context(|| format!("reading the MCE lists in {}", ctx.data_dir.display()))?;
    let grouper = Grouper { versions: &versions, ipps: &ipps, mce: mce.as_ref() };
    // Every claim is checked before anything is printed (a claim no installed version covers is
    // an error naming its line, with no partial output); then each is grouped and printed in turn.
    for c in &claims {
        grouper.definitions(c).map_err(|e| match c.line {
            0 => anyhow::anyhow!("{file}: claim {}: {e}", c.id),
            l => anyhow::anyhow!("{file}:{l}: {e}"),
        })?;
    }
    let results = claims.iter().filter_map(|c| grouper.group(c).ok());
    if args.json {
        out!("{{\"claims\": [");
        for (i, r) in results.enumerate() {
            let sep = if i == 0 { "" } else { "," };
            out!("{sep}{}", serde_json::to_string_pretty(&r).unwrap_or_default());
        }
        out!("]}}");
    } else if args.csv {
        out!("{}", drg::CSV_OUTPUT);
        for r in results {
            out!("{}", r.csv_row());
        }
    } else {
        for r in results {
            print_result(&r);
        }
    }
    Ok(Outcome::Yes)
}

/// The claims of the file: the contract's CSV, an 837I, or claim JSON.
fn read_claims(file: &str, bytes: &[u8]) -> Result<Vec<GroupClaim>> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("id,") {
        return drg::parse_csv(bytes).map_err(|e| match e.line {
            Some(l) => anyhow::anyhow!("{file}:{l}: {}", e.message),
            None => anyhow::anyhow!("{file}: {}", e.message),
        });
    }
    let claims: Vec<claim_model::Claim> = if head.starts_with('{') || head.starts_with('[') {
        crate::scrubcmd::json_claims(std::path::Path::new(file))?
    } else if head.starts_with("ISA") {
        let (claims, findings) = x12_claims::read_837(bytes);
        // The claims that could be read are grouped; the file's X12 problems go to stderr.
        for f in &findings {
            eprintln!("{file}: segment {}: {} ({})", f.pos.segment_index, f.message, f.rule);
        }
        claims
    } else {
        bail!("{file}: neither a claim CSV (header {:?}), an 837I nor claim JSON", drg::CSV_INPUT);
    };
    claims
        .iter()
        .map(|c| GroupClaim::from_claim(c).map_err(|e| anyhow::anyhow!("{file}: {e}")))
        .collect()
}

fn print_result(r: &drg::GroupResult) {
    let weight = r.table5.as_ref().map_or(String::new(), |t| {
        format!("  weight {}  GMLOS {}", t.weight, t.gmlos.as_deref().unwrap_or("-"))
    });
    out!(
        "{}: MS-DRG {:03} (MDC {:02}, {}, {}) {}{weight}",
        r.id,
        r.final_drg,
        r.final_mdc,
        r.final_severity,
        r.final_grc,
        r.version
    );
    for why in &r.reasons {
        out!("  {why}");
    }
    for e in &r.mce_detail {
        out!("  MCE {}: {}", e.edit, e.detail);
    }
    for n in &r.notes {
        out!("  note: {n}");
    }
}
