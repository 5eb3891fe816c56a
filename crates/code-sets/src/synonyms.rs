//! Clinical abbreviations and synonyms that coders and clinicians type, owned by this project.
//!
//! The list lives in `data/abbreviations.tsv`: `abbreviation<TAB>expansion` lines, and
//! `~word<TAB>variant|variant` lines for single-word synonyms (lay terms, spellings) that are tried
//! alongside the word rather than instead of it. Lines starting with `#` are comments.

use std::collections::HashMap;
use std::sync::LazyLock;

const LIST: &str = include_str!("../data/abbreviations.tsv");

struct Lists {
    phrases: HashMap<&'static str, &'static str>,
    variants: HashMap<&'static str, Vec<&'static str>>,
}

static LISTS: LazyLock<Lists> = LazyLock::new(|| {
    let mut phrases = HashMap::new();
    let mut variants = HashMap::new();
    for line in LIST.lines() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((k, v)) = line.split_once('\t') else { continue };
        if let Some(word) = k.strip_prefix('~') {
            variants.insert(word, v.split('|').collect());
        } else {
            phrases.insert(k, v);
        }
    }
    Lists { phrases, variants }
});

/// The expansion of an abbreviation or phrase (lower case, words separated by one space).
pub(crate) fn lookup(phrase: &str) -> Option<&'static str> {
    LISTS.phrases.get(phrase).copied()
}

/// Other words that may stand for `word` (lower case).
pub(crate) fn word_variants(word: &str) -> &'static [&'static str] {
    LISTS.variants.get(word).map_or(&[], |v| v.as_slice())
}

/// Every abbreviation and phrase with its expansion, sorted.
pub fn abbreviations() -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<_> = LISTS.phrases.iter().map(|(k, v)| (*k, *v)).collect();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_large_and_clean() {
        let all = abbreviations();
        assert!(all.len() >= 300, "only {} abbreviations", all.len());
        for (k, v) in all {
            assert_eq!(k, k.to_lowercase(), "keys are lower case: {k}");
            assert!(!v.trim().is_empty(), "{k} has no expansion");
            assert!(!v.contains('\t'), "{k}");
        }
    }
}
