//! Rules a billing team writes for its payers, in a TOML file (`docs/payer-rules.md`): conditions
//! on payer, codes and code ranges, modifiers, place of service, diagnoses, provider, patient age
//! and sex, claim type and days since service; actions reject, warn or hold, with the team's
//! message. The file is checked whole when it is loaded: an unknown payer, a malformed range or a
//! field that does not exist is an error naming the line, never a rule that silently does nothing.

use std::borrow::Cow;

use claim_model::{Claim, ClaimKind, ServiceLine};
use code_sets::Date;
use serde::Deserialize;

use crate::finding::{Category, Finding, Severity};

/// Why a payer rules file was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayerRulesError {
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for PayerRulesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for PayerRulesError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    payer: Vec<PayerDef>,
    #[serde(default)]
    rule: Vec<toml::Spanned<RuleDef>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PayerDef {
    id: String,
    #[serde(default)]
    payer_ids: Vec<String>,
    #[serde(default)]
    names: Vec<String>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Action {
    Reject,
    Warn,
    Hold,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    id: String,
    payer: String,
    action: Action,
    message: String,
    #[serde(default)]
    fix: String,
    #[serde(default)]
    when: When,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct When {
    #[serde(default)]
    codes: Vec<String>,
    #[serde(default)]
    modifiers_missing: Vec<String>,
    #[serde(default)]
    modifiers_present: Vec<String>,
    #[serde(default)]
    with_codes: Vec<String>,
    #[serde(default)]
    place_of_service: Vec<String>,
    #[serde(default)]
    diagnoses: Vec<String>,
    #[serde(default)]
    provider_npi: Vec<String>,
    age_min: Option<u32>,
    age_max: Option<u32>,
    sex: Option<char>,
    claim_kind: Option<String>,
    days_since_service_over: Option<u32>,
}

/// A code pattern: one code, a range `97110-97546` (same length, compared as text), or a prefix
/// `J*`.
#[derive(Clone, Debug)]
enum Pattern {
    Exact(String),
    Range(String, String),
    Prefix(String),
}

impl Pattern {
    fn parse(text: &str) -> Result<Pattern, String> {
        let t = text.trim().to_ascii_uppercase().replace('.', "");
        if let Some(p) = t.strip_suffix('*') {
            return Ok(Pattern::Prefix(p.to_string()));
        }
        if let Some((a, b)) = t.split_once('-') {
            let (a, b) = (a.trim(), b.trim());
            if a.len() != b.len() || a > b || a.is_empty() {
                return Err(format!(
                    "{text:?} is not a code range (two codes of one length, low first)"
                ));
            }
            return Ok(Pattern::Range(a.to_string(), b.to_string()));
        }
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(format!("{text:?} is not a code, a range (97110-97546) or a prefix (J*)"));
        }
        Ok(Pattern::Exact(t))
    }

    fn matches(&self, code: &str) -> bool {
        let c = code.trim().to_ascii_uppercase().replace('.', "");
        match self {
            Pattern::Exact(e) => c == *e,
            Pattern::Range(a, b) => {
                c.len() == a.len() && a.as_str() <= c.as_str() && c.as_str() <= b.as_str()
            }
            Pattern::Prefix(p) => c.starts_with(p.as_str()),
        }
    }
}

/// One loaded rule.
#[derive(Clone, Debug)]
struct PayerRule {
    id: String,
    /// `None`: every payer.
    payer: Option<(String, Vec<String>, Vec<String>)>,
    severity: Severity,
    hold: bool,
    message: String,
    fix: String,
    codes: Vec<Pattern>,
    modifiers_missing: Vec<String>,
    modifiers_present: Vec<String>,
    with_codes: Vec<Pattern>,
    place_of_service: Vec<String>,
    diagnoses: Vec<Pattern>,
    provider_npi: Vec<String>,
    age: (Option<u32>, Option<u32>),
    sex: Option<char>,
    kind: Option<ClaimKind>,
    days_since_service_over: Option<u32>,
}

/// A billing team's payer rules, checked and ready to run.
#[derive(Clone, Debug, Default)]
pub struct PayerRules {
    rules: Vec<PayerRule>,
}

/// Built-in rule ID prefixes, which a payer rule may not use.
const RESERVED: &[&str] = &["CODE-", "DATA-", "MCE-", "NCCI-", "MUE-", "ADDON-"];

impl PayerRules {
    /// Parses and checks a rules file.
    pub fn parse(text: &str) -> Result<PayerRules, PayerRulesError> {
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let file: File = toml::from_str(text).map_err(|e| PayerRulesError {
            line: e.span().map(|s| line_of(s.start)),
            message: e.message().to_string(),
        })?;
        let mut rules = Vec::new();
        for spanned in file.rule {
            let line = Some(line_of(spanned.span().start));
            let r = spanned.into_inner();
            let err = |message: String| PayerRulesError {
                line,
                message: format!("rule {:?}: {message}", r.id),
            };
            if r.id.is_empty()
                || !r.id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Err(err("the id must be letters, digits, - or _".into()));
            }
            if RESERVED.iter().any(|p| r.id.starts_with(p)) {
                return Err(err(format!(
                    "ids starting with {} are superbill's own",
                    RESERVED.join(", ")
                )));
            }
            if rules.iter().any(|x: &PayerRule| x.id == r.id) {
                return Err(err("the id is used twice".into()));
            }
            let payer = if r.payer == "*" {
                None
            } else {
                let p = file.payer.iter().find(|p| p.id == r.payer).ok_or_else(|| {
                    err(format!(
                        "payer {:?} is not defined in a [[payer]] table (or use \"*\" for every payer)",
                        r.payer
                    ))
                })?;
                if p.payer_ids.is_empty() && p.names.is_empty() {
                    return Err(err(format!("payer {:?} has neither payer_ids nor names", p.id)));
                }
                Some((
                    p.id.clone(),
                    p.payer_ids.clone(),
                    p.names.iter().map(|n| n.to_uppercase()).collect(),
                ))
            };
            let patterns = |list: &[String]| {
                list.iter().map(|c| Pattern::parse(c).map_err(&err)).collect::<Result<Vec<_>, _>>()
            };
            let kind = match r.when.claim_kind.as_deref() {
                None => None,
                Some("professional") => Some(ClaimKind::Professional),
                Some("institutional") => Some(ClaimKind::Institutional),
                Some(other) => {
                    return Err(err(format!(
                        "claim_kind {other:?} is not professional or institutional"
                    )));
                }
            };
            if let Some(s) = r.when.sex
                && !matches!(s, 'M' | 'F' | 'U')
            {
                return Err(err(format!("sex {s:?} is not M, F or U")));
            }
            if r.message.trim().is_empty() {
                return Err(err("the message is empty".into()));
            }
            rules.push(PayerRule {
                id: r.id.clone(),
                payer,
                severity: match r.action {
                    Action::Reject => Severity::Reject,
                    Action::Warn => Severity::Warn,
                    Action::Hold => Severity::Deny,
                },
                hold: r.action == Action::Hold,
                message: r.message.clone(),
                fix: r.fix.clone(),
                codes: patterns(&r.when.codes)?,
                modifiers_missing: r.when.modifiers_missing.clone(),
                modifiers_present: r.when.modifiers_present.clone(),
                with_codes: patterns(&r.when.with_codes)?,
                place_of_service: r.when.place_of_service.clone(),
                diagnoses: patterns(&r.when.diagnoses)?,
                provider_npi: r.when.provider_npi.clone(),
                age: (r.when.age_min, r.when.age_max),
                sex: r.when.sex,
                kind,
                days_since_service_over: r.when.days_since_service_over,
            });
        }
        Ok(PayerRules { rules })
    }

    /// How many rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Appends the findings of every rule on `claim`.
    pub(crate) fn check(&self, claim: &Claim, today: Date, out: &mut Vec<Finding>) {
        for r in &self.rules {
            r.check(claim, today, out);
        }
    }
}

impl PayerRule {
    fn for_payer(&self, claim: &Claim) -> bool {
        match &self.payer {
            None => true,
            Some((_, ids, names)) => {
                ids.iter().any(|i| i == claim.payer.id.as_str())
                    || names.iter().any(|n| *n == claim.payer.name.to_uppercase())
            }
        }
    }

    /// Whether the claim-level conditions hold.
    fn claim_matches(&self, claim: &Claim, today: Date) -> bool {
        if !self.for_payer(claim) || self.kind.is_some_and(|k| k != claim.kind) {
            return false;
        }
        let person = crate::facts::patient(claim);
        if self.sex.is_some_and(|s| s != person.sex) {
            return false;
        }
        let start = claim.admission.or(claim.from);
        if self.age.0.is_some() || self.age.1.is_some() {
            let Some(age) = person.birth_date.zip(start).and_then(|(b, d)| b.years_until(d)) else {
                return false;
            };
            if self.age.0.is_some_and(|m| age < m) || self.age.1.is_some_and(|m| age > m) {
                return false;
            }
        }
        if !self.diagnoses.is_empty()
            && !claim.diagnoses.iter().any(|d| self.diagnoses.iter().any(|p| p.matches(&d.code)))
        {
            return false;
        }
        if !self.with_codes.is_empty()
            && !claim.lines.iter().any(|l| self.with_codes.iter().any(|p| p.matches(&l.procedure)))
        {
            return false;
        }
        if !self.provider_npi.is_empty()
            && !claim.providers.iter().any(|(_, p)| {
                p.npi.as_deref().is_some_and(|n| self.provider_npi.iter().any(|x| x == n))
            })
        {
            return false;
        }
        if let Some(days) = self.days_since_service_over {
            let Some(last) = claim.to.or(claim.from) else { return false };
            if last.days_until(today) <= i64::from(days) {
                return false;
            }
        }
        true
    }

    fn line_level(&self) -> bool {
        !self.codes.is_empty()
            || !self.modifiers_missing.is_empty()
            || !self.modifiers_present.is_empty()
            || !self.place_of_service.is_empty()
    }

    fn line_matches(&self, claim: &Claim, l: &ServiceLine) -> bool {
        let has = |m: &String| l.modifiers.iter().any(|x| x == m);
        let pos = if l.place_of_service.is_empty() {
            &claim.place_of_service
        } else {
            &l.place_of_service
        };
        (self.codes.is_empty()
            || self.codes.iter().any(|p| p.matches(&l.procedure) || p.matches(&l.revenue_code)))
            && (self.modifiers_missing.is_empty() || !self.modifiers_missing.iter().any(has))
            && (self.modifiers_present.is_empty() || self.modifiers_present.iter().any(has))
            && (self.place_of_service.is_empty()
                || self.place_of_service.iter().any(|p| p == pos.as_str()))
    }

    fn check(&self, claim: &Claim, today: Date, out: &mut Vec<Finding>) {
        if !self.claim_matches(claim, today) {
            return;
        }
        let source = match &self.payer {
            Some((id, _, _)) => format!("payer rules file: rule {} for payer {id}", self.id),
            None => format!("payer rules file: rule {} for every payer", self.id),
        };
        let mut emit = |line: Option<u32>, code: &str| {
            let text = self
                .message
                .replace("{code}", code)
                .replace("{line}", &line.map_or(String::new(), |l| l.to_string()));
            out.push(Finding {
                rule: Cow::Owned(self.id.clone()),
                category: Category::PayerRule,
                severity: self.severity,
                line,
                message: if self.hold { format!("hold: {text}") } else { text },
                fix: Cow::Owned(self.fix.clone()),
                source: Cow::Owned(source.clone()),
            });
        };
        if !self.line_level() {
            emit(None, "");
            return;
        }
        for l in &claim.lines {
            if self.line_matches(claim, l) {
                let code = if l.procedure.is_empty() { &l.revenue_code } else { &l.procedure };
                emit(Some(l.number), code);
            }
        }
    }
}
