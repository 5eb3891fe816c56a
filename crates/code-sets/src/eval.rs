//! The search evaluation set and its scorer: realistic coder queries with the codes a coder would
//! pick, and hit@1 / hit@5 over a library.

use crate::{Date, Library, Status};

/// The evaluation set, `query<TAB>codes` lines (see `data/search_eval.tsv`).
pub const EVAL_SET: &str = include_str!("../data/search_eval.tsv");

/// The outcome of an evaluation run.
#[derive(Clone, Debug, Default)]
pub struct EvalReport {
    /// Queries run.
    pub queries: usize,
    /// Queries whose first result is an expected code.
    pub hit1: usize,
    /// Queries with an expected code among the first five results.
    pub hit5: usize,
    /// Misses at 5: (query, expected, first five codes).
    pub misses: Vec<(String, String, Vec<String>)>,
    /// Expected codes that are not valid billable codes on the date (the set must stay honest).
    pub invalid: Vec<String>,
}

/// Runs the set against `lib` on `date`.
pub fn run(lib: &Library, set: &str, date: Date) -> EvalReport {
    let mut r = EvalReport::default();
    for line in set.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((q, want)) = line.split_once('\t') else { continue };
        let want: Vec<&str> = want.split(',').map(str::trim).collect();
        for w in &want {
            let billable = crate::System::candidates(w).into_iter().any(|s| {
                lib.show(Some(s), w, date).is_ok_and(|info| info.status == Status::Billable)
            });
            if !billable {
                r.invalid.push(format!("{w} (for {q:?})"));
            }
        }
        let got: Vec<String> =
            lib.search(q, None, false, 5, date).into_iter().map(|x| x.code).collect();
        r.queries += 1;
        if got.first().is_some_and(|g| want.contains(&g.as_str())) {
            r.hit1 += 1;
        }
        if got.iter().any(|g| want.contains(&g.as_str())) {
            r.hit5 += 1;
        } else {
            r.misses.push((q.to_string(), want.join(","), got));
        }
    }
    r
}
