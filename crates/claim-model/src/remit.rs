//! Remittances (835) and acknowledgments as plain values.

use code_sets::Date;
use serde::{Deserialize, Serialize};

use crate::{Cents, Text};

/// CAS01: who an adjustment is charged to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AdjustmentGroup {
    /// CO: contractual obligation (the provider writes it off).
    Contractual,
    /// PR: patient responsibility (deductible, coinsurance, copay).
    Patient,
    /// OI: other insurance (4010; kept for older files).
    OtherInsurance,
    /// OA: other adjustments.
    Other,
    /// PI: payer initiated.
    PayerInitiated,
    /// CR: correction and reversal.
    Correction,
}

impl AdjustmentGroup {
    /// From the two-letter X12 code.
    pub fn from_code(code: &str) -> Option<AdjustmentGroup> {
        Some(match code.trim() {
            "CO" => AdjustmentGroup::Contractual,
            "PR" => AdjustmentGroup::Patient,
            "OI" => AdjustmentGroup::OtherInsurance,
            "OA" => AdjustmentGroup::Other,
            "PI" => AdjustmentGroup::PayerInitiated,
            "CR" => AdjustmentGroup::Correction,
            _ => return None,
        })
    }

    /// The two-letter X12 code.
    pub fn code(self) -> &'static str {
        match self {
            AdjustmentGroup::Contractual => "CO",
            AdjustmentGroup::Patient => "PR",
            AdjustmentGroup::OtherInsurance => "OI",
            AdjustmentGroup::Other => "OA",
            AdjustmentGroup::PayerInitiated => "PI",
            AdjustmentGroup::Correction => "CR",
        }
    }
}

/// One reason/amount/quantity of a CAS segment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    /// Group.
    pub group: AdjustmentGroup,
    /// Claim adjustment reason code (CARC), kept as sent: the list changes several times a year.
    pub reason: Text,
    /// Amount (positive reduces payment).
    pub amount: Cents,
    /// Quantity, when given.
    pub quantity: Option<crate::Units>,
}

impl Adjustment {
    /// An adjustment without a quantity.
    pub fn new(group: AdjustmentGroup, reason: &str, amount: Cents) -> Adjustment {
        Adjustment { group, reason: reason.into(), amount, quantity: None }
    }
}

/// One service line of a claim payment (SVC).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinePayment {
    /// The procedure as adjudicated (SVC01).
    pub procedure: Text,
    /// Modifiers as adjudicated.
    pub modifiers: Vec<Text>,
    /// The procedure as billed, when the payer changed it (SVC06).
    pub billed_procedure: Option<Text>,
    /// Charge.
    pub charge: Cents,
    /// Paid.
    pub paid: Cents,
    /// Units paid.
    pub units: Option<crate::Units>,
    /// Service date.
    #[serde(with = "crate::json::date")]
    pub date: Option<Date>,
    /// Adjustments.
    pub adjustments: Vec<Adjustment>,
    /// Remark codes (LQ, RARC).
    pub remarks: Vec<Text>,
}

/// One claim in a remittance (CLP).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimPayment {
    /// CLP01, the patient control number from the claim.
    pub patient_control_number: Text,
    /// CLP02 status (`1` processed as primary, `4` denied, `22` reversal…).
    pub status: Text,
    /// CLP03 charge.
    pub charge: Cents,
    /// CLP04 paid.
    pub paid: Cents,
    /// CLP05 patient responsibility.
    pub patient_responsibility: Cents,
    /// CLP07, the payer's claim control number.
    pub payer_claim_number: Text,
    /// CLP06, the claim filing indicator (`MB`, `MC`, `CI`, `12`…).
    #[serde(default)]
    pub filing_indicator: Text,
    /// The patient as the payer names them (NM1*QC).
    #[serde(default)]
    pub patient: Option<crate::Name>,
    /// Claim-level adjustments.
    pub adjustments: Vec<Adjustment>,
    /// Lines.
    pub lines: Vec<LinePayment>,
}

impl ClaimPayment {
    /// True for a reversal of an earlier payment (CLP02 = 22).
    pub fn is_reversal(&self) -> bool {
        self.status == "22"
    }

    /// charge − paid − Σ adjustments (claim and line level): zero when the claim balances.
    pub fn imbalance(&self) -> Cents {
        let adj: Cents = self
            .adjustments
            .iter()
            .chain(self.lines.iter().flat_map(|l| &l.adjustments))
            .map(|a| a.amount)
            .sum();
        self.charge - self.paid - adj
    }
}

/// A provider-level adjustment (PLB): positive amounts reduce the payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderAdjustment {
    /// Provider identifier (PLB01).
    pub provider: Text,
    /// Fiscal period date.
    #[serde(with = "crate::json::date")]
    pub date: Option<Date>,
    /// Reason code (`WO` recoupment, `FB` forward balance, `L6` interest…).
    pub reason: Text,
    /// Reference (often the old claim's number).
    pub reference: Text,
    /// Amount.
    pub amount: Cents,
}

/// A remittance advice (one 835 transaction).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remittance {
    /// BPR02, the total actual provider payment.
    pub payment: Cents,
    /// BPR04 method (`ACH`, `CHK`, `NON`).
    pub method: Text,
    /// BPR16 payment date.
    #[serde(with = "crate::json::date")]
    pub date: Option<Date>,
    /// TRN02 trace number (check or EFT number).
    pub trace: Text,
    /// Payer name and ID.
    pub payer: (Text, Text),
    /// Payee name and NPI or tax ID.
    pub payee: (Text, Text),
    /// Payer address (1000A N3/N4).
    #[serde(default)]
    pub payer_address: Option<crate::Address>,
    /// Payee address (1000B N3/N4).
    #[serde(default)]
    pub payee_address: Option<crate::Address>,
    /// Claim payments.
    pub claims: Vec<ClaimPayment>,
    /// Provider-level adjustments.
    pub provider_adjustments: Vec<ProviderAdjustment>,
}

impl Remittance {
    /// Σ CLP04 − Σ PLB − BPR02: zero when the file balances.
    pub fn imbalance(&self) -> Cents {
        let paid: Cents = self.claims.iter().map(|c| c.paid).sum();
        let plb: Cents = self.provider_adjustments.iter().map(|p| p.amount).sum();
        paid - plb - self.payment
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adj(group: &str, reason: &str, cents: i64) -> Adjustment {
        Adjustment::new(AdjustmentGroup::from_code(group).unwrap(), reason, Cents(cents))
    }

    #[test]
    fn balancing() {
        let claim = ClaimPayment {
            patient_control_number: "PAT1".into(),
            status: "1".into(),
            charge: Cents(15000),
            paid: Cents(8000),
            patient_responsibility: Cents(2000),
            payer_claim_number: "X".into(),
            filing_indicator: "MB".into(),
            patient: None,
            adjustments: vec![adj("PR", "1", 2000)],
            lines: vec![LinePayment {
                procedure: "99213".into(),
                modifiers: vec![],
                billed_procedure: None,
                charge: Cents(15000),
                paid: Cents(8000),
                units: None,
                date: None,
                adjustments: vec![adj("CO", "45", 5000)],
                remarks: vec![],
            }],
        };
        assert_eq!(claim.imbalance(), Cents::ZERO);
        // Interest is reported negative in PLB and increases the payment.
        let remit = Remittance {
            payment: Cents(8025),
            method: "ACH".into(),
            date: None,
            trace: "T".into(),
            payer: ("P".into(), "1".into()),
            payee: ("C".into(), "2".into()),
            payer_address: None,
            payee_address: None,
            claims: vec![claim],
            provider_adjustments: vec![ProviderAdjustment {
                provider: "2".into(),
                date: None,
                reason: "L6".into(),
                reference: Text::default(),
                amount: Cents(-25),
            }],
        };
        assert_eq!(remit.imbalance(), Cents::ZERO);
        assert_eq!(AdjustmentGroup::from_code("CO").unwrap().code(), "CO");
        assert!(AdjustmentGroup::from_code("XX").is_none());
    }
}
