//! What a rule reports: a finding with its rule, category, severity, line, message and fix.

use serde::Serialize;

/// How bad a finding is, worst first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A clearinghouse or payer front end would reject the claim.
    Reject,
    /// The payer would deny the claim (or the line) in adjudication.
    Deny,
    /// Worth a look before the claim goes out.
    Warn,
    /// For information.
    Info,
}

impl Severity {
    /// The JSON name: `reject`, `deny`, `warn`, `info`.
    pub fn id(self) -> &'static str {
        match self {
            Severity::Reject => "reject",
            Severity::Deny => "deny",
            Severity::Warn => "warn",
            Severity::Info => "info",
        }
    }

    /// Whether the claim should not go out with it (reject or deny).
    pub fn blocks(self) -> bool {
        matches!(self, Severity::Reject | Severity::Deny)
    }
}

macro_rules! categories {
    ($($(#[$doc:meta])* $variant:ident => $id:literal,)*) => {
        /// The family of a finding; the names are part of the output contract.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Category {
            $($(#[$doc])* $variant,)*
        }

        impl Category {
            /// Every category, in catalog order.
            pub const ALL: &'static [Category] = &[$(Category::$variant,)*];

            /// The contract name (`code-invalid`, `npi-invalid`…).
            pub fn id(self) -> &'static str {
                match self {
                    $(Category::$variant => $id,)*
                }
            }
        }
    };
}

categories! {
    /// A diagnosis or procedure code that is not a code of its system.
    CodeInvalid => "code-invalid",
    /// A header (category) code where a complete code is required.
    CodeNotBillable => "code-not-billable",
    /// A real code, but not on the date of service.
    CodeNotValidOnDate => "code-not-valid-on-date",
    /// A missing or wrong 7th character or placeholder X.
    SeventhCharacter => "seventh-character",
    /// No installed release covers the date of service.
    ReleaseMissing => "release-missing",
    /// Two codes an Excludes1 note forbids together.
    Excludes1 => "excludes1",
    /// Code-first, manifestation or use-additional-code sequencing.
    Sequencing => "sequencing",
    /// An unspecified code where a specific one is documented.
    Unspecified => "unspecified",
    /// A code that does not fit the patient's age.
    AgeConflict => "age-conflict",
    /// A code that does not fit the patient's sex.
    SexConflict => "sex-conflict",
    /// A code that cannot be the principal diagnosis.
    PrincipalDx => "principal-dx",
    /// A procedure Medicare does not cover, or covers only in some cases.
    ProcedureCoverage => "procedure-coverage",
    /// An NCCI procedure-to-procedure pair.
    NcciPtp => "ncci-ptp",
    /// Units above the Medically Unlikely Edit.
    Mue => "mue",
    /// An add-on code without its primary code.
    AddOn => "add-on",
    /// An NPI with a wrong check digit or shape.
    NpiInvalid => "npi-invalid",
    /// A provider taxonomy code not shaped like one.
    TaxonomyInvalid => "taxonomy-invalid",
    /// A place of service CMS has not assigned.
    PosInvalid => "pos-invalid",
    /// A Type of Bill that is not one.
    TobInvalid => "tob-invalid",
    /// A revenue code that is not one.
    RevenueCodeInvalid => "revenue-code-invalid",
    /// An unknown modifier, or modifiers that contradict each other.
    ModifierInvalid => "modifier-invalid",
    /// Diagnosis pointers missing, beyond the list, or too many.
    DiagnosisPointer => "diagnosis-pointer",
    /// Dates in the future, out of order, or before birth.
    DateInvalid => "date-invalid",
    /// Charges that are zero, negative or do not add up.
    ChargeInvalid => "charge-invalid",
    /// Units that are zero or negative.
    UnitsInvalid => "units-invalid",
    /// The same service twice on one claim.
    DuplicateLine => "duplicate-line",
    /// Data the implementation guide requires for the claim type is missing.
    MissingRequired => "missing-required",
    /// A rule the billing team wrote for a payer.
    PayerRule => "payer-rule",
}

impl serde::Serialize for Category {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// One problem found on a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The stable rule ID (`CODE-001`…, or a payer rule's own ID).
    pub rule: std::borrow::Cow<'static, str>,
    /// The rule's family.
    pub category: Category,
    /// How bad it is.
    pub severity: Severity,
    /// The service line it concerns (LX number), or `None` for the claim as a whole.
    pub line: Option<u32>,
    /// What is wrong, in a biller's words.
    pub message: String,
    /// How to fix it.
    pub fix: std::borrow::Cow<'static, str>,
    /// Where the edit comes from (CMS table and quarter, guideline section, implementation guide).
    pub source: std::borrow::Cow<'static, str>,
}

/// Sorts findings worst first, then by line (claim-level first), then by rule.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.severity, a.line.is_some(), a.line, &a.rule).cmp(&(
            b.severity,
            b.line.is_some(),
            b.line,
            &b.rule,
        ))
    });
}
