//! Tidy checks: the layer table, module docs, and no real-looking identifiers in fixtures.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

/// The repository root.
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Which workspace crates each crate may depend on (docs/ARCHITECTURE.md, ../shared/STYLE.md).
const ALLOWED: &[(&str, &[&str])] = &[
    ("code-sets", &[]),
    ("releases", &["code-sets", "mce", "ncci", "drg"]),
    ("drg", &["code-sets", "claim-model", "mce"]),
    ("mce", &["code-sets"]),
    ("ncci", &["code-sets"]),
    (
        "cli",
        &[
            "code-sets",
            "releases",
            "x12-claims",
            "claim-model",
            "scrub",
            "drg",
            "store",
            "backoffice",
            "ledger",
            "mce",
            "ncci",
            "server",
        ],
    ),
    ("server", &["code-sets", "store", "backoffice", "scrub", "ledger"]),
    ("x12", &[]),
    ("claim-model", &["code-sets"]),
    ("x12-claims", &["x12", "claim-model", "code-sets"]),
    ("scrub", &["claim-model", "code-sets", "mce", "ncci"]),
    ("ledger", &["claim-model", "code-sets"]),
    ("store", &["claim-model", "code-sets", "ledger"]),
    ("test-support", &["store", "claim-model", "code-sets", "releases"]),
    (
        "backoffice",
        &[
            "claim-model",
            "code-sets",
            "ledger",
            "store",
            "scrub",
            "x12-claims",
            "drg",
            "mce",
            "ncci",
            "releases",
        ],
    ),
    ("xtask", &[]),
];

/// Runs every check and returns the problems found.
pub(crate) fn check(root: &Path) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    layer_table(root, &mut problems)?;
    module_docs(&root.join("crates"), &mut problems)?;
    no_phi_in_fixtures(&root.join("fixtures"), &mut problems)?;
    Ok(problems)
}

fn layer_table(root: &Path, problems: &mut Vec<String>) -> Result<()> {
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(root)
        .output()
        .context("running cargo metadata")?;
    let meta: serde_json::Value =
        serde_json::from_slice(&out.stdout).context("parsing cargo metadata")?;
    let members: Vec<String> = meta["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["name"].as_str().map(str::to_string))
        .collect();
    for p in meta["packages"].as_array().into_iter().flatten() {
        let name = p["name"].as_str().unwrap_or("");
        let Some((_, allowed)) = ALLOWED.iter().find(|(n, _)| *n == name) else {
            problems.push(format!(
                "crate {name} is not in the layer table (xtask/src/tidy.rs, docs/ARCHITECTURE.md)"
            ));
            continue;
        };
        for d in p["dependencies"].as_array().into_iter().flatten() {
            let dep = d["name"].as_str().unwrap_or("");
            let dev = d["kind"].as_str() == Some("dev");
            if members.iter().any(|m| m == dep) && !dev && !allowed.contains(&dep) {
                problems
                    .push(format!("{name} depends on {dep}, which the layer table does not allow"));
            }
        }
    }
    Ok(())
}

fn module_docs(dir: &Path, problems: &mut Vec<String>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| dir.display().to_string())? {
        let path = entry?.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target" || n == "node_modules") {
                continue;
            }
            module_docs(&path, problems)?;
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.components().any(|c| c.as_os_str() == "src")
        {
            let text = std::fs::read_to_string(&path)?;
            if !text.starts_with("//!") {
                problems.push(format!("{} does not open with a //! module doc", path.display()));
            }
        }
    }
    Ok(())
}

/// Fixtures are synthetic: nothing shaped like a Social Security number.
fn no_phi_in_fixtures(dir: &Path, problems: &mut Vec<String>) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            no_phi_in_fixtures(&path, problems)?;
            continue;
        }
        let bytes = std::fs::read(&path)?;
        let text = String::from_utf8_lossy(&bytes);
        let b = text.as_bytes();
        for i in 0..b.len().saturating_sub(10) {
            let w = &b[i..i + 11];
            let shaped = w
                .iter()
                .enumerate()
                .all(|(j, c)| if j == 3 || j == 6 { *c == b'-' } else { c.is_ascii_digit() });
            let bounded = (i == 0 || !b[i - 1].is_ascii_digit())
                && b.get(i + 11).is_none_or(|c| !c.is_ascii_digit());
            if shaped && bounded {
                problems.push(format!("{} holds an SSN-shaped number at byte {i}", path.display()));
                break;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn tidy() {
        let problems = super::check(&super::workspace_root()).unwrap();
        assert!(problems.is_empty(), "tidy problems:\n{}", problems.join("\n"));
    }
}
