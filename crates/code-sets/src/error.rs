//! The error a loader returns when a release file cannot be read.

use std::fmt;

/// Why a release file was rejected. The shell adds the file name; the loader knows the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// 1-based line of the problem, when it has one.
    pub line: Option<u64>,
    /// What is wrong, in words a person can act on.
    pub message: String,
}

impl LoadError {
    /// An error at a line.
    pub fn at(line: u64, message: impl Into<String>) -> LoadError {
        LoadError { line: Some(line), message: message.into() }
    }

    /// An error about the file as a whole.
    pub fn whole(message: impl Into<String>) -> LoadError {
        LoadError { line: None, message: message.into() }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for LoadError {}
