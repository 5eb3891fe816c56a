//! The edits: which list each uses, on which codes, under which conditions (as CMS's MCE applies
//! them; see the README of the MCE lists for the rules).

use code_sets::{CodeKey, Date, System};

use crate::tables::Tables;

/// What the MCE needs of a claim.
#[derive(Clone, Debug)]
pub struct Claim<'a> {
    /// The discharge date: the rows in force on it apply.
    pub discharge: Date,
    /// The admission date (for the length of stay).
    pub admission: Option<Date>,
    /// Age in years at admission, when known.
    pub age: Option<u32>,
    /// `M`, `F` or `U`.
    pub sex: char,
    /// The principal diagnosis (ICD-10-CM, with or without the dot).
    pub pdx: &'a str,
    /// Secondary diagnoses, in claim order.
    pub sdx: Vec<&'a str>,
    /// ICD-10-PCS procedures, in claim order.
    pub procedures: Vec<&'a str>,
    /// Patient discharge status (two digits).
    pub discharge_status: &'a str,
}

impl<'a> Claim<'a> {
    /// A claim discharged on `discharge` with principal diagnosis `pdx` and nothing else.
    pub fn new(discharge: Date, pdx: &'a str) -> Claim<'a> {
        Claim {
            discharge,
            admission: None,
            age: None,
            sex: 'U',
            pdx,
            sdx: Vec::new(),
            procedures: Vec::new(),
            discharge_status: "",
        }
    }
}

/// Where an edit applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Position {
    /// The claim as a whole (age, discharge status).
    Claim,
    /// The principal diagnosis.
    Pdx,
    /// The n-th secondary diagnosis (0-based).
    Sdx(usize),
    /// The n-th procedure (0-based).
    Procedure(usize),
}

macro_rules! edits {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)*) => {
        /// An MCE edit, by CMS's name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum EditName {
            $($(#[$doc])* $variant,)*
        }

        impl EditName {
            /// Every edit.
            pub const ALL: &'static [EditName] = &[$(EditName::$variant,)*];

            /// CMS's name (`AGE_CONFLICT`…).
            pub fn name(self) -> &'static str {
                match self {
                    $(EditName::$variant => $name,)*
                }
            }
        }
    };
}

edits! {
    /// A code not in the MCE's valid list on the discharge date.
    InvalidCode => "INVALID_CODE",
    /// Age outside 0–124.
    InvalidAge => "INVALID_AGE",
    /// A discharge status not in the list.
    InvalidDischargeStatus => "INVALID_DISCHARGE_STATUS",
    /// A code of the newborn, pediatric, maternity or adult list for a patient outside its ages.
    AgeConflict => "AGE_CONFLICT",
    /// A male- or female-only code for a patient of the other sex (discharges before FY2025).
    SexConflict => "SEX_CONFLICT",
    /// A manifestation code as principal diagnosis.
    ManifestationAsPdx => "MANIFESTATION_AS_PDX",
    /// An external-cause code as principal diagnosis.
    ECodeAsPdx => "E_CODE_AS_PDX",
    /// A code unacceptable as principal diagnosis (some only without a secondary diagnosis).
    UnacceptablePdx => "UNACCEPTABLE_PDX",
    /// A questionable reason for admission as principal diagnosis.
    QuestionableAdmission => "QUESTIONABLE_ADMISSION",
    /// An unspecified code.
    Unspecified => "UNSPECIFIED",
    /// Wrong procedure performed (Y65.51–Y65.53).
    WrongProcedurePerformed => "WRONG_PROCEDURE_PERFORMED",
    /// A secondary diagnosis that repeats the principal.
    DuplicateOfPdx => "DUPLICATE_OF_PDX",
    /// A procedure Medicare does not cover (always, or with the diagnoses or age given).
    NonCovered => "NON_COVERED",
    /// A procedure Medicare covers only in some cases.
    LimitedCoverage => "LIMITED_COVERAGE",
    /// A cesarean or vaginal delivery without an outcome-of-delivery secondary diagnosis.
    QuestionableObstetricAdmission => "QUESTIONABLE_OBSTETRIC_ADMISSION",
    /// A procedure inconsistent with the length of stay.
    InconsistentWithLengthOfStay => "INCONSISTENT_WITH_LENGTH_OF_STAY",
}

/// One edit on one code (or the claim).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// CMS's edit.
    pub edit: EditName,
    /// Where.
    pub position: Position,
    /// The code it concerns, as given (`None` for claim-level edits).
    pub code: Option<String>,
    /// Why, in a biller's words (the list or the condition that fired it).
    pub detail: String,
}

/// The age groups in CMS's order of checking, with the ranges CMS has used since FY2016 when the
/// loaded tables do not carry them.
const AGE_GROUPS: [(&str, &str, u32, u32); 4] = [
    ("icd10cm/pediatric", "Pediatric", 0, 17),
    ("icd10cm/newborn", "Newborn", 0, 0),
    ("icd10cm/maternity", "Maternity", 9, 64),
    ("icd10cm/adult", "Adult", 15, 124),
];

impl Tables {
    /// The MCE edits on `claim`, judged by the rows in force on its discharge date, in claim
    /// order (claim-level first, then diagnoses, then procedures).
    pub fn edit(&self, claim: &Claim<'_>) -> Vec<Edit> {
        let d = claim.discharge;
        let mut out = Vec::new();
        let mut push = |edit, position, code: Option<&str>, detail: String| {
            out.push(Edit { edit, position, code: code.map(str::to_string), detail });
        };
        if let Some(age) = claim.age
            && age > 124
        {
            push(
                EditName::InvalidAge,
                Position::Claim,
                None,
                format!("age {age} is outside 0–124"),
            );
        }
        if self.discharge_status_in_force(d) {
            let ok = self
                .discharge_status
                .get(claim.discharge_status.trim())
                .is_some_and(|spans| spans.iter().any(|s| s.covers(d)));
            if !ok {
                push(
                    EditName::InvalidDischargeStatus,
                    Position::Claim,
                    None,
                    format!("discharge status {:?} is not in the MCE list", claim.discharge_status),
                );
            }
        }
        let cm = |code: &str| System::Icd10Cm.normalize(code).ok();
        let pcs = |code: &str| System::Icd10Pcs.normalize(code).ok();
        let dx_keys: Vec<Option<CodeKey>> =
            std::iter::once(claim.pdx).chain(claim.sdx.iter().copied()).map(cm).collect();
        let any_dx = |list: &str| dx_keys.iter().flatten().any(|k| self.has(list, k, d));
        let sdx_in = |list: &str| dx_keys[1..].iter().flatten().any(|k| self.has(list, k, d));
        let dx_valid_list = self.list_in_force("icd10cm/valid", d);
        let pdx_key = dx_keys[0];
        for (i, key) in dx_keys.iter().enumerate() {
            let (pos, code) = if i == 0 {
                (Position::Pdx, claim.pdx)
            } else {
                (Position::Sdx(i - 1), claim.sdx[i - 1])
            };
            let Some(k) = key else {
                // A missing principal diagnosis makes the claim ungroupable; it is not a code
                // the MCE can call invalid (CMS's MCE reports no edit for it).
                if !code.trim().is_empty() {
                    push(
                        EditName::InvalidCode,
                        pos,
                        Some(code),
                        "not shaped like an ICD-10-CM code".into(),
                    );
                }
                continue;
            };
            if dx_valid_list && !self.has("icd10cm/valid", k, d) {
                push(
                    EditName::InvalidCode,
                    pos,
                    Some(code),
                    "not in the MCE's valid ICD-10-CM codes".into(),
                );
                continue;
            }
            if pos == Position::Pdx {
                if self.has("icd10cm/ecodepdx", k, d) {
                    push(
                        EditName::ECodeAsPdx,
                        pos,
                        Some(code),
                        "an external-cause code cannot be the principal diagnosis".into(),
                    );
                }
                if self.has("icd10cm/manifestation", k, d) {
                    push(
                        EditName::ManifestationAsPdx,
                        pos,
                        Some(code),
                        "a manifestation code cannot be the principal diagnosis".into(),
                    );
                }
                let needs_sdx = self.has("icd10cm/reqsdx", k, d);
                if self.has("icd10cm/unacceptable", k, d) && (!needs_sdx || claim.sdx.is_empty()) {
                    let why = if needs_sdx {
                        "unacceptable as principal diagnosis without a secondary diagnosis"
                    } else {
                        "unacceptable as principal diagnosis"
                    };
                    push(EditName::UnacceptablePdx, pos, Some(code), why.into());
                }
                if self.has("icd10cm/qadm", k, d) {
                    push(
                        EditName::QuestionableAdmission,
                        pos,
                        Some(code),
                        "a questionable reason for an inpatient admission".into(),
                    );
                }
            }
            if let Some(age) = claim.age {
                for (list, name, min, max) in AGE_GROUPS {
                    if !self.has(list, k, d) {
                        continue;
                    }
                    let (min, max) = self
                        .age_groups
                        .iter()
                        .find(|g| g.name.eq_ignore_ascii_case(name) && g.span.covers(d))
                        .map_or((min, max), |g| (g.min, g.max));
                    if age < min || age > max {
                        push(
                            EditName::AgeConflict,
                            pos,
                            Some(code),
                            format!(
                                "a {} code (ages {min}–{max}) for a patient aged {age}",
                                name.to_lowercase()
                            ),
                        );
                    }
                    // At most one age conflict per code.
                    break;
                }
            }
            if claim.sex == 'M' && self.has("icd10cm/female", k, d) {
                push(
                    EditName::SexConflict,
                    pos,
                    Some(code),
                    "a female-only diagnosis for a male patient".into(),
                );
            }
            if claim.sex == 'F' && self.has("icd10cm/male", k, d) {
                push(
                    EditName::SexConflict,
                    pos,
                    Some(code),
                    "a male-only diagnosis for a female patient".into(),
                );
            }
            if self.has("icd10cm/unspecified", k, d) {
                push(EditName::Unspecified, pos, Some(code), "an unspecified code".into());
            }
            if self.has("icd10cm/wrngproc", k, d) {
                push(
                    EditName::WrongProcedurePerformed,
                    pos,
                    Some(code),
                    "the wrong procedure was performed".into(),
                );
            }
            if i > 0 && pdx_key == Some(*k) {
                push(
                    EditName::DuplicateOfPdx,
                    pos,
                    Some(code),
                    "the same code as the principal diagnosis".into(),
                );
            }
        }
        let pcs_keys: Vec<Option<CodeKey>> = claim.procedures.iter().map(|c| pcs(c)).collect();
        let any_proc = |list: &str| pcs_keys.iter().flatten().any(|k| self.has(list, k, d));
        let pcs_valid_list = self.list_in_force("icd10pcs/valid", d);
        let los = claim.admission.map(|a| a.days_until(d));
        for (i, key) in pcs_keys.iter().enumerate() {
            let (pos, code) = (Position::Procedure(i), claim.procedures[i]);
            let Some(k) = key else {
                push(
                    EditName::InvalidCode,
                    pos,
                    Some(code),
                    "not shaped like an ICD-10-PCS code".into(),
                );
                continue;
            };
            if pcs_valid_list && !self.has("icd10pcs/valid", k, d) {
                push(
                    EditName::InvalidCode,
                    pos,
                    Some(code),
                    "not in the MCE's valid ICD-10-PCS codes".into(),
                );
                continue;
            }
            if claim.sex == 'M' && self.has("icd10pcs/female", k, d) {
                push(
                    EditName::SexConflict,
                    pos,
                    Some(code),
                    "a female-only procedure for a male patient".into(),
                );
            }
            if claim.sex == 'F' && self.has("icd10pcs/male", k, d) {
                push(
                    EditName::SexConflict,
                    pos,
                    Some(code),
                    "a male-only procedure for a female patient".into(),
                );
            }
            let has = |list: &str| self.has(list, k, d);
            let noncovered = if has("icd10pcs/noncovered") {
                Some("a procedure Medicare never covers")
            } else if has("icd10pcs/ncov6") && any_dx("icd10cm/ncov6") {
                Some("not covered with a leukemia not in remission on the claim")
            } else if has("icd10pcs/ncov_z302") && any_dx("icd10cm/ncov_z302") {
                Some("not covered with a sterilization encounter (Z30.2) on the claim")
            } else if has("icd10pcs/ncov45")
                && !any_proc("icd10pcs/kidneyxp")
                && !any_dx("icd10cm/diabtypeI")
            {
                Some(
                    "a pancreas transplant is covered only with a kidney transplant or type 1 diabetes",
                )
            } else if has("icd10pcs/ncov12agele60") && claim.age.is_some_and(|a| a > 60) {
                Some("not covered for a patient over 60")
            } else {
                None
            };
            if let Some(why) = noncovered {
                push(EditName::NonCovered, pos, Some(code), why.into());
            } else if has("icd10pcs/lcov") {
                push(
                    EditName::LimitedCoverage,
                    pos,
                    Some(code),
                    "covered only when Medicare's coverage conditions are met".into(),
                );
            }
            if (has("icd10pcs/csect") || has("icd10pcs/vagdel")) && !sdx_in("icd10cm/delout") {
                push(
                    EditName::QuestionableObstetricAdmission,
                    pos,
                    Some(code),
                    "a delivery without an outcome-of-delivery (Z37) secondary diagnosis".into(),
                );
            }
            if has("icd10pcs/los") && los.is_some_and(|n| n < 5) {
                push(
                    EditName::InconsistentWithLengthOfStay,
                    pos,
                    Some(code),
                    format!("ventilation over 96 hours in a stay of {} days", los.unwrap_or(0)),
                );
            }
        }
        out
    }
}
