//! What the CLI contract tests share: the repository's files, and a throwaway data directory to
//! run `superbill` against (with "today" fixed).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A path in the repository.
pub(crate) fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

/// A temporary directory holding a data directory and the test's input files.
pub(crate) struct Env {
    pub(crate) dir: tempfile::TempDir,
}

impl Env {
    /// An empty data directory.
    pub(crate) fn new() -> Env {
        Env { dir: tempfile::tempdir().unwrap() }
    }

    /// Runs `superbill` with this data directory and today = 2026-06-01.
    pub(crate) fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_superbill"))
            .args(args)
            .env("SUPERBILL_DATA_DIR", self.dir.path().join("data"))
            .env("SUPERBILL_TODAY", "2026-06-01")
            .output()
            .unwrap()
    }

    /// Runs `superbill`, requires exit 0, returns standard output.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    }

    /// Runs `superbill`, requires exit `code`, parses standard output as JSON.
    pub(crate) fn json(&self, args: &[&str], code: i32) -> Value {
        let o = self.run(args);
        let text = String::from_utf8_lossy(&o.stdout);
        assert_eq!(
            o.status.code(),
            Some(code),
            "{args:?}\n{text}\n{}",
            String::from_utf8_lossy(&o.stderr)
        );
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    /// Writes an input file into the directory.
    pub(crate) fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// Imports `paths` (repository paths) into the data directory, requiring success.
    pub(crate) fn import(&self, paths: &[PathBuf]) {
        let mut args = vec!["data", "import"];
        let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        args.extend(paths.iter().map(String::as_str));
        self.ok(&args);
    }
}
