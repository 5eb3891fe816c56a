//! Every rule, in catalog order. A rule's ID is never reused: a removed rule's ID stays retired.

use crate::rule::Rule;
use crate::rules::{codes, conventions, integrity, mce, ncci};

/// Every stable rule, in catalog order.
pub static RULES: &[&Rule] = &[
    &codes::invalid_code::RULE,
    &codes::header_code::RULE,
    &codes::code_not_valid_on_date::RULE,
    &codes::seventh_character::RULE,
    &codes::no_release_for_date::RULE,
    &conventions::excludes1_together::RULE,
    &conventions::manifestation_first::RULE,
    &conventions::additional_code_missing::RULE,
    &conventions::unspecified_laterality::RULE,
    &conventions::unspecified_beside_specific::RULE,
    &integrity::invalid_npi::RULE,
    &integrity::malformed_taxonomy::RULE,
    &integrity::unassigned_place_of_service::RULE,
    &integrity::invalid_type_of_bill::RULE,
    &integrity::invalid_revenue_code::RULE,
    &integrity::unknown_modifier::RULE,
    &integrity::conflicting_modifiers::RULE,
    &integrity::diagnosis_pointer::RULE,
    &integrity::service_in_future::RULE,
    &integrity::dates_out_of_order::RULE,
    &integrity::charge_not_positive::RULE,
    &integrity::claim_total_mismatch::RULE,
    &integrity::units_not_positive::RULE,
    &integrity::duplicate_line::RULE,
    &integrity::missing_required::RULE,
    &integrity::zero_charge_line::RULE,
    &mce::age_conflict::RULE,
    &mce::sex_conflict::RULE,
    &mce::sex_conflict_last_lists::RULE,
    &mce::principal_not_allowed::RULE,
    &mce::unspecified::RULE,
    &mce::duplicate_of_principal::RULE,
    &mce::non_covered::RULE,
    &mce::limited_coverage::RULE,
    &mce::wrong_procedure::RULE,
    &mce::delivery_without_outcome::RULE,
    &mce::procedure_inconsistent_with_stay::RULE,
    &mce::invalid_discharge_status::RULE,
    &mce::no_mce_tables::RULE,
    &mce::unspecified_principal::RULE,
    &ncci::ptp_pair::RULE,
    &ncci::no_tables::RULE,
    &ncci::units_above_mue::RULE,
    &ncci::add_on_without_primary::RULE,
    &ncci::add_on_without_listed_primary::RULE,
];

/// The rule with this ID.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}
