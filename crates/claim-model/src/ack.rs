//! Acknowledgments as plain values: the 999 (was each transaction set accepted?) and the 277CA
//! (was each claim accepted into the payer's system?).

use code_sets::Date;
use serde::{Deserialize, Serialize};

use crate::Cents;

/// A 999's verdict on one transaction set (AK2 … IK5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetAck {
    /// AK201, the set acknowledged (`837`).
    pub set: String,
    /// AK202, its ST02 control number.
    pub control: String,
    /// IK501: `A` accepted, `E` accepted with errors, `R` rejected (and `M`, `W`, `X`).
    pub status: String,
    /// IK502–IK506: why a set was rejected.
    pub syntax_errors: Vec<String>,
    /// The segment errors (IK3) with their element errors (IK4).
    pub errors: Vec<SegmentError>,
}

/// One IK3 and its IK4s.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentError {
    /// IK301 segment ID.
    pub segment: String,
    /// IK302 position in the set (ST = 1).
    pub position: u32,
    /// IK303 loop ID.
    pub loop_id: String,
    /// IK304 segment error code.
    pub code: String,
    /// IK4: (element position, component position, error code, bad value).
    pub elements: Vec<(u16, Option<u16>, String, String)>,
}

/// A 999 for one functional group (AK1 … AK9).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupAck {
    /// AK101 functional identifier (`HC` for claims).
    pub functional_id: String,
    /// AK102, the GS06 control number acknowledged.
    pub group_control: String,
    /// AK103, the version acknowledged.
    pub version: String,
    /// AK901: `A`, `E`, `P` (partially accepted) or `R`.
    pub status: String,
    /// AK902–AK904: sets included, received, accepted.
    pub counts: (u32, u32, u32),
    /// Each set's verdict.
    pub sets: Vec<SetAck>,
}

/// A 277CA's verdict on one claim (loop 2200D), or a 277 status response's answer about one
/// (loops 2200D/2200E).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimAck {
    /// TRN02, the claim's patient control number (CLM01).
    pub patient_control_number: String,
    /// STC01-1 claim status category (`A1`/`A2` accepted, `A3`/`A6`/`A7`/`A8` rejected…).
    pub category: String,
    /// STC01-2 claim status code.
    pub status: String,
    /// STC01-3 entity the status is about, when given.
    pub entity: String,
    /// True when the payer took the claim into adjudication.
    pub accepted: bool,
    /// STC04 total charge.
    pub charge: Option<Cents>,
    /// STC05 amount paid (claim status responses), when given.
    #[serde(default)]
    pub paid: Option<Cents>,
    /// STC02 status date.
    #[serde(with = "crate::json::date")]
    pub date: Option<Date>,
    /// REF*1K, the payer's claim control number.
    pub payer_claim_number: String,
    /// STC12, the payer's free-text message.
    pub message: String,
}

impl ClaimAck {
    /// Categories that mean the claim is in the payer's system (A0–A2, and A5 split claims).
    pub fn category_accepts(category: &str) -> bool {
        matches!(category, "A0" | "A1" | "A2" | "A5")
    }
}
