//! The coders' worklist: encounters by coding status, one encounter with its documentation,
//! coding and charges, and the claim its coding would make (for the coding screen's findings and
//! MS-DRG, before anything is saved).

use claim_model::Claim;
use code_sets::Date;
use sqlx::Row;

use crate::sql::id_list;
use crate::{Context, Error, Result, Store};

/// An encounter in the coders' worklist.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EncounterItem {
    /// ID.
    pub id: i64,
    /// Practice ID.
    pub practice: i64,
    /// Patient ID.
    pub patient_id: i64,
    /// The patient's name, `LAST, FIRST`.
    pub patient: String,
    /// `professional`, `inpatient` or `outpatient`.
    pub kind: String,
    /// Date of service (the discharge date of a stay).
    pub service_date: String,
    /// `open` (to code), `coded` or `billed`.
    pub status: String,
}

/// A diagnosis on an encounter.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodedDiagnosis {
    /// ICD-10-CM code (with or without the dot).
    pub code: String,
    /// Present on admission (`Y`, `N`, `U`, `W`, `1`; empty outside stays).
    #[serde(default)]
    pub poa: String,
}

/// An ICD-10-PCS procedure on an encounter.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodedProcedure {
    /// ICD-10-PCS code.
    pub code: String,
    /// When it was performed (YYYY-MM-DD), if known.
    #[serde(default)]
    pub date: Option<String>,
}

/// A charge on an encounter.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EncounterCharge {
    /// Line number.
    pub seq: i64,
    /// HCPCS/CPT code (the code only: descriptions of CPT codes are the AMA's).
    pub code: String,
    /// Modifiers, comma-separated.
    pub modifiers: String,
    /// Revenue code (facility charges).
    pub revenue_code: String,
    /// Units in thousandths.
    pub units: i64,
    /// Amount.
    pub charge_cents: i64,
}

/// An encounter as the coding screen shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EncounterDetail {
    /// The worklist's columns.
    #[serde(flatten)]
    pub item: EncounterItem,
    /// The documentation (visit note, discharge summary).
    pub note: String,
    /// Admission date (stays).
    pub admission_date: Option<String>,
    /// Discharge date (stays).
    pub discharge_date: Option<String>,
    /// Discharge status (stays).
    pub discharge_status: String,
    /// The patient's sex and date of birth (age and sex edits).
    pub patient_sex: String,
    /// Date of birth.
    pub patient_birth_date: String,
    /// Diagnoses, principal first.
    pub diagnoses: Vec<CodedDiagnosis>,
    /// ICD-10-PCS procedures.
    pub procedures: Vec<CodedProcedure>,
    /// Charges.
    pub charges: Vec<EncounterCharge>,
}

const ITEM: &str = "e.id, e.practice_id, e.patient_id, p.last_name || ', ' || p.first_name, e.kind, \
e.service_date, e.status";

fn item_of(r: &sqlx::any::AnyRow) -> EncounterItem {
    EncounterItem {
        id: r.get(0),
        practice: r.get(1),
        patient_id: r.get(2),
        patient: r.get(3),
        kind: r.get(4),
        service_date: r.get(5),
        status: r.get(6),
    }
}

/// The statuses of the worklist.
pub const STATUSES: [&str; 3] = ["open", "coded", "billed"];

impl Store {
    /// A page of the encounters of `practices` with `status`, oldest date of service first
    /// (what waits longest is coded first), after encounter `after` in that order.
    pub async fn encounters_page(
        &self,
        practices: &[i64],
        status: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<EncounterItem>> {
        if practices.is_empty() {
            return Ok(Vec::new());
        }
        if !STATUSES.contains(&status) {
            return Err(Error::Invalid(format!("status {status:?}: use {}", STATUSES.join(", "))));
        }
        // Keyed by ID (dates of service repeat); IDs grow with creation, close to date order.
        let rows = sqlx::query(&format!(
            "SELECT {ITEM} FROM encounter e JOIN patient p ON p.id = e.patient_id \
             WHERE e.practice_id IN ({}) AND e.status = $1 AND e.id > $2 ORDER BY e.id LIMIT $3",
            id_list(practices)
        ))
        .bind(status)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .ctx("listing encounters")?;
        Ok(rows.iter().map(item_of).collect())
    }

    /// One encounter with its documentation, coding and charges, if it exists.
    pub async fn encounter_detail(&self, id: i64) -> Result<Option<EncounterDetail>> {
        let Some(r) = sqlx::query(&format!(
            "SELECT {ITEM}, e.note, e.admission_date, e.discharge_date, e.discharge_status, p.sex, \
             COALESCE(p.birth_date, '') FROM encounter e JOIN patient p ON p.id = e.patient_id WHERE e.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .ctx("reading the encounter")?
        else {
            return Ok(None);
        };
        let diagnoses = sqlx::query(
            "SELECT code, poa FROM encounter_diagnosis WHERE encounter_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .ctx("reading the diagnoses")?
        .iter()
        .map(|d| CodedDiagnosis { code: d.get(0), poa: d.get(1) })
        .collect();
        let procedures = sqlx::query(
            "SELECT code, performed FROM encounter_procedure WHERE encounter_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .ctx("reading the procedures")?
        .iter()
        .map(|d| CodedProcedure { code: d.get(0), date: d.get(1) })
        .collect();
        let charges = sqlx::query(
            "SELECT seq, code, modifiers, revenue_code, units, charge_cents FROM charge \
             WHERE encounter_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .ctx("reading the charges")?
        .iter()
        .map(|c| EncounterCharge {
            seq: c.get(0),
            code: c.get(1),
            modifiers: c.get(2),
            revenue_code: c.get(3),
            units: c.get(4),
            charge_cents: c.get(5),
        })
        .collect();
        Ok(Some(EncounterDetail {
            item: item_of(&r),
            note: r.get(7),
            admission_date: r.get(8),
            discharge_date: r.get(9),
            discharge_status: r.get(10),
            patient_sex: r.get(11),
            patient_birth_date: r.get(12),
            diagnoses,
            procedures,
            charges,
        }))
    }

    /// The primary claim encounter `id` would make with this coding (nothing is saved): what
    /// the coding screen scrubs and groups as the coder works. `None` when the patient has no
    /// coverage in force on the date of service (the claim would go to the patient) or the
    /// encounter does not exist; the claim's control number is `PREVIEW`.
    pub async fn coding_preview(
        &self,
        id: i64,
        diagnoses: &[CodedDiagnosis],
        procedures: &[CodedProcedure],
    ) -> Result<Option<Claim>> {
        let mut conn = self.pool.acquire().await.ctx("connecting")?;
        let found =
            self.encounters_where(&mut conn, &format!("e.id = {id} AND $1 = $1"), 0).await?;
        let Some((mut enc, _, _)) = found.into_iter().next() else { return Ok(None) };
        enc.diagnoses = diagnoses
            .iter()
            .map(|d| {
                let poa = crate::claims::poa(d.poa.trim());
                (d.code.trim().replace('.', "").to_ascii_uppercase(), poa)
            })
            .collect();
        enc.procedures = procedures
            .iter()
            .map(|p| {
                let date = p.date.as_deref().and_then(|d| d.parse::<Date>().ok());
                (p.code.trim().to_ascii_uppercase(), date)
            })
            .collect();
        Ok(ledger::build::claim_for(&enc, 1, "PREVIEW", &[]))
    }
}
