//! ICD-10-CM conventions (`CONV-…`): Excludes1 pairs, manifestation sequencing, required
//! additional codes, unspecified laterality where the claim documents the side.

pub(crate) mod additional_code_missing;
pub(crate) mod excludes1_together;
pub(crate) mod manifestation_first;
pub(crate) mod unspecified_beside_specific;
pub(crate) mod unspecified_laterality;

use claim_model::Claim;
use code_sets::System;

/// A diagnosis as a biller reads it: "E11.9 (diagnosis 2)".
pub(crate) fn dx_name(claim: &Claim, i: usize) -> String {
    let code = &claim.diagnoses[i].code;
    let shown = System::Icd10Cm.normalize(code).map(|k| System::Icd10Cm.display_code(&k));
    format!("{} (diagnosis {})", shown.unwrap_or_else(|_| code.to_string()), i + 1)
}
