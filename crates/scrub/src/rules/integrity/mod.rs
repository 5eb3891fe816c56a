//! Data integrity (`DATA-…`): identifiers, code lists that need no release, dates, money, units,
//! duplicates and what the 837 implementation guides require.

pub(crate) mod charge_not_positive;
pub(crate) mod claim_total_mismatch;
pub(crate) mod conflicting_modifiers;
pub(crate) mod dates_out_of_order;
pub(crate) mod diagnosis_pointer;
pub(crate) mod duplicate_line;
pub(crate) mod invalid_npi;
pub(crate) mod invalid_revenue_code;
pub(crate) mod invalid_type_of_bill;
pub(crate) mod malformed_taxonomy;
pub(crate) mod missing_required;
pub(crate) mod service_in_future;
pub(crate) mod unassigned_place_of_service;
pub(crate) mod units_not_positive;
pub(crate) mod unknown_modifier;
pub(crate) mod zero_charge_line;

use claim_model::{Claim, Party, ProviderRole};

/// How a biller names a provider role.
pub(crate) fn role_name(role: ProviderRole) -> &'static str {
    match role {
        ProviderRole::Billing => "billing provider",
        ProviderRole::PayTo => "pay-to provider",
        ProviderRole::Rendering => "rendering provider",
        ProviderRole::Referring => "referring provider",
        ProviderRole::Attending => "attending provider",
        ProviderRole::Operating => "operating provider",
        ProviderRole::ServiceFacility => "service facility",
        ProviderRole::Supervising => "supervising provider",
    }
}

/// Every party on the claim with its role and the line it belongs to (for a line's own
/// rendering provider).
pub(crate) fn parties(claim: &Claim) -> impl Iterator<Item = (ProviderRole, Option<u32>, &Party)> {
    let header = claim.providers.iter().map(|(r, p)| (*r, None, p));
    let lines = claim.lines.iter().filter_map(|l| {
        l.rendering.as_deref().map(|p| (ProviderRole::Rendering, Some(l.number), p))
    });
    header.chain(lines)
}
