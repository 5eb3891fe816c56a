//! Medicare Code Editor (`MCE-…`): the `mce` crate evaluates CMS's lists on the claim (once per
//! claim, in `Facts`); each rule reports the CMS edits the table below gives it. Institutional
//! claims get every edit; professional claims the age and sex edits only.

pub(crate) mod age_conflict;
pub(crate) mod delivery_without_outcome;
pub(crate) mod duplicate_of_principal;
pub(crate) mod invalid_discharge_status;
pub(crate) mod limited_coverage;
pub(crate) mod no_mce_tables;
pub(crate) mod non_covered;
pub(crate) mod principal_not_allowed;
pub(crate) mod procedure_inconsistent_with_stay;
pub(crate) mod sex_conflict;
pub(crate) mod sex_conflict_last_lists;
pub(crate) mod unspecified;
pub(crate) mod unspecified_principal;
pub(crate) mod wrong_procedure;

use claim_model::{Claim, ClaimKind};
use mce::{EditName, Position};

use crate::facts::Facts;
use crate::rule::Emit;

/// Where on the claim a table entry applies.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum On {
    Any,
    Pdx,
    NotPdx,
}

/// Which rule (and so which scrubber category) reports each CMS edit, by position. `None`:
/// another family covers it (the code-validity rules judge every code against the full release).
pub(crate) const EDIT_RULES: &[(EditName, On, Option<&str>)] = &[
    (EditName::InvalidCode, On::Any, None),
    (EditName::InvalidAge, On::Any, Some("MCE-001")),
    (EditName::AgeConflict, On::Any, Some("MCE-001")),
    (EditName::SexConflict, On::Any, Some("MCE-002")),
    (EditName::ManifestationAsPdx, On::Any, Some("MCE-004")),
    (EditName::ECodeAsPdx, On::Any, Some("MCE-004")),
    (EditName::UnacceptablePdx, On::Any, Some("MCE-004")),
    (EditName::QuestionableAdmission, On::Any, Some("MCE-004")),
    (EditName::Unspecified, On::Pdx, Some("MCE-014")),
    (EditName::Unspecified, On::NotPdx, Some("MCE-005")),
    (EditName::DuplicateOfPdx, On::Any, Some("MCE-006")),
    (EditName::NonCovered, On::Any, Some("MCE-007")),
    (EditName::LimitedCoverage, On::Any, Some("MCE-008")),
    (EditName::WrongProcedurePerformed, On::Any, Some("MCE-009")),
    (EditName::QuestionableObstetricAdmission, On::Any, Some("MCE-010")),
    (EditName::InconsistentWithLengthOfStay, On::Any, Some("MCE-011")),
    (EditName::InvalidDischargeStatus, On::Any, Some("MCE-012")),
];

/// How a biller names an MCE position.
fn describe(p: Position) -> String {
    match p {
        Position::Claim => "claim".to_string(),
        Position::Pdx => "principal diagnosis".to_string(),
        Position::Sdx(i) => format!("secondary diagnosis {}", i + 1),
        Position::Procedure(i) => format!("procedure {}", i + 1),
    }
}

/// Reports the claim's MCE edits that the table gives to `rule_id` (institutional claims, or
/// every claim when `all_kinds`).
pub(crate) fn report(claim: &Claim, facts: &Facts<'_>, out: &mut Emit<'_>, all_kinds: bool) {
    if !all_kinds && claim.kind != ClaimKind::Institutional {
        return;
    }
    let id = out.rule.id;
    for e in &facts.mce {
        let here = |on: &On| match on {
            On::Any => true,
            On::Pdx => e.position == Position::Pdx,
            On::NotPdx => e.position != Position::Pdx,
        };
        let mine =
            EDIT_RULES.iter().any(|(name, on, r)| *name == e.edit && here(on) && *r == Some(id));
        if !mine {
            continue;
        }
        let code = e.code.as_deref().map(|c| format!(" {c}")).unwrap_or_default();
        out.at(None, format!("{} ({}{code}): {}", e.edit.name(), describe(e.position), e.detail));
    }
}
