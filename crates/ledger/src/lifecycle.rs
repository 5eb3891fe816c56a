//! The claim lifecycle as an explicit state machine.
//!
//! ```text
//! draft → scrubbed → ready → submitted → accepted ─┬→ paid / partially_paid / denied / forwarded
//!   ↑        ↑  (findings)        └→ rejected (999/277CA) ──→ draft (corrected)
//!   └────────┴── edits before submission                 ├→ reversed (835 CLP02 = 22) → re-adjudicated
//! paid / partially_paid → secondary_billed (the next payer's claim goes out) → patient_billed → closed
//! denied → appealed → paid / partially_paid / denied;  any submitted state → voided (frequency 8)
//! ```
//! Every transition the store records goes through [`ClaimState::can_move_to`]; the store adds
//! who, when and why.

use serde::{Deserialize, Serialize};

/// Where a claim is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimState {
    /// Built from an encounter, not yet scrubbed (or edited since).
    Draft,
    /// Scrubbed, with findings that block it.
    Scrubbed,
    /// Scrubbed clean: goes out in the next batch.
    Ready,
    /// In a batch sent to the clearinghouse.
    Submitted,
    /// Accepted by the 999 and/or the payer's 277CA.
    Accepted,
    /// Rejected by a 999 or 277CA: fix and resubmit.
    Rejected,
    /// Paid by the payer.
    Paid,
    /// Paid in part, with lines denied.
    PartiallyPaid,
    /// Denied by the payer.
    Denied,
    /// The payer reversed its payment (a corrected one usually follows).
    Reversed,
    /// The payer forwarded the claim to the next payer itself (crossover): wait for its 835.
    Forwarded,
    /// Appealed after a denial.
    Appealed,
    /// The next payer's claim has gone out.
    SecondaryBilled,
    /// The patient's share is on a statement.
    PatientBilled,
    /// Nothing left to do.
    Closed,
    /// Voided (a frequency-8 claim went out, or it was cancelled before submission).
    Voided,
}

use ClaimState::*;

/// Every state, in lifecycle order.
pub const ALL: [ClaimState; 16] = [
    Draft,
    Scrubbed,
    Ready,
    Submitted,
    Accepted,
    Rejected,
    Paid,
    PartiallyPaid,
    Denied,
    Reversed,
    Forwarded,
    Appealed,
    SecondaryBilled,
    PatientBilled,
    Closed,
    Voided,
];

impl ClaimState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Draft => "draft",
            Scrubbed => "scrubbed",
            Ready => "ready",
            Submitted => "submitted",
            Accepted => "accepted",
            Rejected => "rejected",
            Paid => "paid",
            PartiallyPaid => "partially_paid",
            Denied => "denied",
            Reversed => "reversed",
            Forwarded => "forwarded",
            Appealed => "appealed",
            SecondaryBilled => "secondary_billed",
            PatientBilled => "patient_billed",
            Closed => "closed",
            Voided => "voided",
        }
    }

    /// From the stored name.
    pub fn parse(s: &str) -> Option<ClaimState> {
        ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// True once the claim has been sent to a payer (edits then need a corrected claim).
    pub fn is_submitted(self) -> bool {
        !matches!(self, Draft | Scrubbed | Ready | Voided)
    }

    /// True when the payer has decided the claim (an 835 came).
    pub fn is_adjudicated(self) -> bool {
        matches!(
            self,
            Paid | PartiallyPaid | Denied | Reversed | Forwarded | SecondaryBilled | PatientBilled
        )
    }

    /// Whether the lifecycle allows `self → to`.
    pub fn can_move_to(self, to: ClaimState) -> bool {
        let adjudications = [Paid, PartiallyPaid, Denied, Reversed, Forwarded];
        match self {
            Draft => matches!(to, Scrubbed | Ready | Voided),
            Scrubbed | Ready => {
                matches!(to, Draft | Scrubbed | Ready | Voided)
                    || (self == Ready && to == Submitted)
            }
            // An 835 may come before (or instead of) the 277CA.
            Submitted => matches!(to, Accepted | Rejected | Voided) || adjudications.contains(&to),
            // A 277CA can reject a claim the 999 accepted.
            Accepted => matches!(to, Rejected | Voided) || adjudications.contains(&to),
            Rejected => matches!(to, Draft | Accepted | Voided) || adjudications.contains(&to),
            Paid | PartiallyPaid => {
                matches!(
                    to,
                    Reversed | SecondaryBilled | PatientBilled | Closed | Voided | Appealed
                ) || (to != self && adjudications.contains(&to))
            }
            Denied => {
                matches!(to, Appealed | Reversed | Closed | Voided | Draft | PatientBilled)
                    || adjudications.contains(&to) && to != Denied
            }
            Reversed => {
                adjudications.contains(&to) && to != Reversed
                    || matches!(to, Draft | Voided | Closed)
            }
            Forwarded => {
                matches!(to, Reversed | PatientBilled | Closed | Paid | PartiallyPaid | Denied)
            }
            Appealed => adjudications.contains(&to) || matches!(to, Closed),
            SecondaryBilled => {
                matches!(to, Reversed | PatientBilled | Closed) || adjudications.contains(&to)
            }
            PatientBilled => matches!(to, Closed | Reversed | PatientBilled),
            Closed => matches!(to, Reversed | PatientBilled),
            Voided => false,
        }
    }
}

/// A transition refused by the lifecycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a claim cannot go from {} to {}", from.as_str(), to.as_str())]
pub struct BadTransition {
    /// The state it was in.
    pub from: ClaimState,
    /// The state asked for.
    pub to: ClaimState,
}

/// Checks a transition.
pub fn transition(from: ClaimState, to: ClaimState) -> Result<ClaimState, BadTransition> {
    if from.can_move_to(to) { Ok(to) } else { Err(BadTransition { from, to }) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in ALL {
            assert_eq!(ClaimState::parse(s.as_str()), Some(s));
        }
        assert_eq!(ClaimState::parse("lost"), None);
    }

    #[test]
    fn the_happy_path_and_refusals() {
        let path = [
            Draft,
            Scrubbed,
            Ready,
            Submitted,
            Accepted,
            Paid,
            SecondaryBilled,
            PatientBilled,
            Closed,
        ];
        for w in path.windows(2) {
            assert!(transition(w[0], w[1]).is_ok(), "{:?} → {:?}", w[0], w[1]);
        }
        assert!(transition(Draft, Submitted).is_err());
        assert!(transition(Scrubbed, Submitted).is_err());
        assert!(transition(Voided, Draft).is_err());
        assert_eq!(
            transition(Paid, Draft).unwrap_err().to_string(),
            "a claim cannot go from paid to draft"
        );
        // Rejections are corrected through a new draft; denials are appealed.
        assert!(transition(Rejected, Draft).is_ok());
        assert!(transition(Denied, Appealed).is_ok());
        assert!(transition(Appealed, Paid).is_ok());
        assert!(transition(Paid, Reversed).is_ok());
        assert!(transition(Reversed, Paid).is_ok());
        // Every state but voided has a way out.
        for s in ALL {
            assert_eq!(ALL.iter().any(|t| s.can_move_to(*t)), s != Voided, "{s:?}");
        }
    }
}
