//! The back office's money rules, as plain values (no I/O, no clock, no database).
//!
//! Every movement of money is an [`Entry`] in a journal: integer cents, signed from the point of
//! view of what is owed to the practice (a charge is positive, a payment or a write-off negative),
//! charged to one responsible [`Party`] (a payer or the patient). Balances are derived by summing
//! entries, never stored; a correction is a new entry. A transfer moves an amount from one party
//! to another as two entries that sum to zero, so a claim's balance is always
//! `charges − payments − adjustments`, whoever owes it.
//!
//! - [`posting`]: what one 835 claim payment (CLP) means for a claim's journal, and whether a
//!   remittance's deposit balances.
//! - [`lifecycle`]: the claim's states and the transitions allowed between them.
//! - [`denial`]: denial categories from the adjustment reason codes, and the appeal deadline.
//! - [`aging`]: A/R aging buckets.
//! - [`build`]: claims (837P/837I, primary and later payers) from encounters.
//! - [`edit`]: a biller's fix of a claim not yet adjudicated (codes, modifiers, units,
//!   pointers; never charges).

pub mod aging;
pub mod build;
pub mod denial;
pub mod edit;
pub mod lifecycle;
pub mod posting;

pub use claim_model::Cents;
use code_sets::Date;
use serde::{Deserialize, Serialize};

/// A payer, by the store's identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PayerId(pub i64);

/// Who owes an amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Party {
    /// An insurer.
    Payer(PayerId),
    /// The patient (their guarantor).
    Patient,
}

/// What an entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntryKind {
    /// A charge billed (positive).
    Charge,
    /// Money received (negative; positive when a reversal takes it back).
    Payment,
    /// A write-off: contractual, payer-initiated, other adjustments (negative).
    Adjustment,
    /// Half of a move between parties (the two halves sum to zero).
    Transfer,
    /// Money paid back to a party that overpaid (positive: it undoes a credit).
    Refund,
}

impl EntryKind {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Charge => "charge",
            EntryKind::Payment => "payment",
            EntryKind::Adjustment => "adjustment",
            EntryKind::Transfer => "transfer",
            EntryKind::Refund => "refund",
        }
    }

    /// From the stored name.
    pub fn parse(s: &str) -> Option<EntryKind> {
        Some(match s {
            "charge" => EntryKind::Charge,
            "payment" => EntryKind::Payment,
            "adjustment" => EntryKind::Adjustment,
            "transfer" => EntryKind::Transfer,
            "refund" => EntryKind::Refund,
            _ => return None,
        })
    }
}

/// One journal entry of a claim (the store adds the claim, posting date, deposit and source).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// What it records.
    pub kind: EntryKind,
    /// Who owes (or paid) it.
    pub party: Party,
    /// Signed amount: positive increases what `party` owes.
    pub amount: Cents,
    /// The claim line (0-based) it concerns, when known.
    pub line: Option<u32>,
    /// Adjustment group (`CO`, `PR`…) for adjustments and 835 transfers.
    pub group: String,
    /// Reason: the CARC of an adjustment, or a short word (`coinsurance`, `refund`…).
    pub reason: String,
    /// The date the money movement takes effect (the 835's payment date, the charge's date).
    pub effective: Date,
}

/// Balances derived from a claim's entries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Balances {
    /// Σ charges.
    pub charges: Cents,
    /// Σ payments (as a positive amount received).
    pub payments: Cents,
    /// Σ adjustments (as a positive amount written off).
    pub adjustments: Cents,
    /// Σ refunds.
    pub refunds: Cents,
    /// Each party's balance (positive: owes; negative: credit), in party order, zeros dropped.
    pub by_party: Vec<(Party, Cents)>,
}

impl Balances {
    /// Sums entries.
    pub fn of<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Balances {
        let mut b = Balances::default();
        let mut parties: std::collections::BTreeMap<Party, Cents> = Default::default();
        for e in entries {
            match e.kind {
                EntryKind::Charge => b.charges += e.amount,
                EntryKind::Payment => b.payments -= e.amount,
                EntryKind::Adjustment => b.adjustments -= e.amount,
                EntryKind::Refund => b.refunds += e.amount,
                EntryKind::Transfer => {}
            }
            *parties.entry(e.party).or_default() += e.amount;
        }
        b.by_party = parties.into_iter().filter(|(_, c)| *c != Cents::ZERO).collect();
        b
    }

    /// What is still owed on the claim: charges − payments − adjustments + refunds.
    pub fn total(&self) -> Cents {
        self.charges - self.payments - self.adjustments + self.refunds
    }

    /// What one party owes (negative: a credit balance).
    pub fn of_party(&self, party: Party) -> Cents {
        self.by_party.iter().find(|(p, _)| *p == party).map(|(_, c)| *c).unwrap_or_default()
    }
}
