//! A rule's metadata and the helper it reports through.

use std::borrow::Cow;

use claim_model::Claim;

use crate::facts::Facts;
use crate::finding::{Category, Finding, Severity};

/// One edit: its stable ID, what it is called and why it matters, and the check itself.
///
/// IDs are a family prefix and a number (`CODE-001`, `DATA-003`); an ID is never reused for
/// another rule, even after a rule is removed.
pub struct Rule {
    /// Stable ID.
    pub id: &'static str,
    /// Named for the problem it flags (`UnassignedPlaceOfService`), not for the fix.
    pub name: &'static str,
    /// Its family (part of the output contract).
    pub category: Category,
    /// How bad its findings are.
    pub severity: Severity,
    /// What it checks.
    pub what: &'static str,
    /// Why a payer cares.
    pub why: &'static str,
    /// The usual fix (a finding may give a more precise one).
    pub fix: &'static str,
    /// Where the edit comes from.
    pub source: &'static str,
    /// The superbill version that made it stable.
    pub since: &'static str,
    /// Off by default (an extra check a user turns on); every rule of the families is on.
    pub optional: bool,
    pub(crate) check: fn(&Claim, &Facts<'_>, &mut Emit<'_>),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rule({} {})", self.id, self.name)
    }
}

/// Where a rule's findings go: each carries the rule's ID, category, severity and source.
pub(crate) struct Emit<'o> {
    pub(crate) rule: &'static Rule,
    pub(crate) out: &'o mut Vec<Finding>,
}

impl Emit<'_> {
    /// A finding on `line` (or the claim) with the rule's own fix hint.
    pub(crate) fn at(&mut self, line: Option<u32>, message: String) {
        self.push(line, message, Cow::Borrowed(self.rule.fix), Cow::Borrowed(self.rule.source));
    }

    /// A finding with a fix hint of its own.
    pub(crate) fn with_fix(&mut self, line: Option<u32>, message: String, fix: String) {
        self.push(line, message, Cow::Owned(fix), Cow::Borrowed(self.rule.source));
    }

    /// A finding that cites the exact table it was judged by (CMS's release, quarter and files)
    /// instead of the rule's general source.
    pub(crate) fn cited(&mut self, line: Option<u32>, message: String, source: String) {
        self.push(line, message, Cow::Borrowed(self.rule.fix), Cow::Owned(source));
    }

    fn push(
        &mut self,
        line: Option<u32>,
        message: String,
        fix: Cow<'static, str>,
        source: Cow<'static, str>,
    ) {
        self.out.push(Finding {
            rule: Cow::Borrowed(self.rule.id),
            category: self.rule.category,
            severity: self.rule.severity,
            line,
            message,
            fix,
            source,
        });
    }
}
