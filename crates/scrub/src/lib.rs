//! The claim scrubber: the edits a clearinghouse or payer applies, run before a claim leaves the
//! building (or, at a payer, on claims coming in).
//!
//! Rules take a claim, the code-set releases in force on its dates and the loaded edit tables as
//! values, and return findings, never errors. Each rule has a stable ID, a name for the problem,
//! a category from a fixed list, a severity, a message a biller understands, a fix hint and its
//! source; the catalog is `docs/rules.md`, generated from [`RULES`].
//!
//! ```
//! use scrub::{Context, Scrubber};
//! let codes = code_sets::Library::default();
//! let cx = Context::new(&codes, "2026-06-01".parse().unwrap());
//! let claim: claim_model::Claim = serde_json::from_str(include_str!("../tests/fixtures/professional.json")).unwrap();
//! let findings = Scrubber::default().scrub(&claim, &cx);
//! // No release is installed here: the codes could not be checked, and the scrubber says so.
//! assert!(findings.iter().any(|f| f.rule == "CODE-005"));
//! ```

mod catalog;
mod conventions;
mod facts;
mod finding;
mod payer_rules;
mod registry;
mod rule;
mod rules;

use claim_model::Claim;
use code_sets::{Date, Library};

pub use catalog::catalog_markdown;
pub use finding::{Category, Finding, Severity, sort_findings};
pub use payer_rules::{PayerRules, PayerRulesError};
pub use registry::{RULES, rule};
pub use rule::Rule;

/// What the rules judge a claim against: the code-set releases, the edit tables and the date
/// "today".
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The installed code-set releases; each code is judged by the release in force on its date.
    pub codes: &'a Library,
    /// The Medicare Code Editor lists, when installed.
    pub mce: Option<&'a mce::Tables>,
    /// The NCCI tables (PTP, MUE, add-on), when installed.
    pub ncci: Option<&'a ncci::Tables>,
    /// The billing team's payer rules, when given.
    pub payer_rules: Option<&'a PayerRules>,
    /// Today (dates of service after it are in the future).
    pub today: Date,
}

impl<'a> Context<'a> {
    /// A context over `codes` (no edit tables), with `today` as the current date.
    pub fn new(codes: &'a Library, today: Date) -> Context<'a> {
        Context { codes, mce: None, ncci: None, payer_rules: None, today }
    }

    /// The same context with the Medicare Code Editor lists.
    pub fn with_mce(self, mce: &'a mce::Tables) -> Context<'a> {
        Context { mce: Some(mce), ..self }
    }

    /// The same context with a billing team's payer rules.
    pub fn with_payer_rules(self, rules: &'a PayerRules) -> Context<'a> {
        Context { payer_rules: Some(rules), ..self }
    }

    /// The same context with the NCCI tables.
    pub fn with_ncci(self, ncci: &'a ncci::Tables) -> Context<'a> {
        Context { ncci: Some(ncci), ..self }
    }
}

/// A selection of rules (by default every stable rule) run on claims.
#[derive(Clone, Debug)]
pub struct Scrubber {
    rules: Vec<&'static Rule>,
    /// What the tabular notes say about each diagnosis code, per release: worked out once per
    /// code, shared by clones (and threads).
    notes: conventions::NotesCache,
}

impl Default for Scrubber {
    /// Every rule that is on by default.
    fn default() -> Scrubber {
        Scrubber::of(RULES.iter().copied().filter(|r| !r.optional).collect())
    }
}

impl Scrubber {
    fn of(rules: Vec<&'static Rule>) -> Scrubber {
        Scrubber { rules, notes: Default::default() }
    }

    /// Every rule, the optional ones too.
    pub fn with_optional() -> Scrubber {
        Scrubber::of(RULES.to_vec())
    }

    /// Only the rules whose IDs are given (unknown IDs are returned as the error).
    pub fn only(ids: &[&str]) -> Result<Scrubber, String> {
        let mut rules = Vec::new();
        for id in ids {
            rules.push(rule(id).ok_or_else(|| format!("{id} is not a rule ID"))?);
        }
        Ok(Scrubber::of(rules))
    }

    /// The same scrubber with one more rule (an optional one, say).
    pub fn with(mut self, id: &str) -> Result<Scrubber, String> {
        let r = rule(id).ok_or_else(|| format!("{id} is not a rule ID"))?;
        if !self.rules.iter().any(|x| x.id == r.id) {
            self.rules.push(r);
        }
        Ok(self)
    }

    /// The rules this scrubber runs.
    pub fn rules(&self) -> &[&'static Rule] {
        &self.rules
    }

    /// The findings on `claim`, worst first.
    pub fn scrub(&self, claim: &Claim, cx: &Context<'_>) -> Vec<Finding> {
        let mut out = Vec::new();
        self.scrub_into(claim, cx, &mut out);
        out
    }

    /// Appends the findings on `claim` to `out` (sorted worst first among themselves), so that a
    /// batch can reuse one vector.
    pub fn scrub_into(&self, claim: &Claim, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let start = out.len();
        let facts = facts::Facts::of(claim, cx, &self.notes);
        for &rule in &self.rules {
            let mut emit = rule::Emit { rule, out };
            (rule.check)(claim, &facts, &mut emit);
        }
        if let Some(p) = cx.payer_rules {
            p.check(claim, cx.today, out);
        }
        sort_findings(&mut out[start..]);
    }
}
