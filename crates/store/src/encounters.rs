//! Encounters: professional visits and facility stays, their diagnoses (with POA), ICD-10-PCS
//! procedures and charges (priced from the practice's fee schedule or charge master when no
//! amount is given).

use code_sets::Date;
use sqlx::Row;

use crate::sql::{V, audit, insert_many, new_ids};
use crate::{Actor, Context, Error, Result, Store};

/// A charge on an encounter.
#[derive(Clone, Debug, Default)]
pub struct NewCharge {
    /// HCPCS/CPT code.
    pub code: String,
    /// Modifiers.
    pub modifiers: Vec<String>,
    /// Revenue code (facility charges).
    pub revenue_code: String,
    /// Units in thousandths (1000 = one unit).
    pub units: i64,
    /// The amount, or `None` to price it from the fee schedule (professional) or charge master
    /// (facility), times the units.
    pub cents: Option<i64>,
    /// Date of service (the encounter's when `None`).
    pub date: Option<Date>,
    /// Diagnosis pointers (1-based).
    pub pointers: Vec<u8>,
}

/// An encounter with its coding.
#[derive(Clone, Debug, Default)]
pub struct NewEncounter {
    /// Practice.
    pub practice_id: i64,
    /// Patient.
    pub patient_id: i64,
    /// `professional`, `inpatient` or `outpatient`.
    pub kind: String,
    /// Date of service (the discharge date of a stay).
    pub service_date: Option<Date>,
    /// Admission date (stays).
    pub admission: Option<Date>,
    /// Discharge date (stays).
    pub discharge: Option<Date>,
    /// Discharge status (stays), e.g. `01`.
    pub discharge_status: String,
    /// Type of bill (facility), e.g. `0111`.
    pub type_of_bill: String,
    /// Rendering or attending provider.
    pub rendering_id: Option<i64>,
    /// Operating physician.
    pub operating_id: Option<i64>,
    /// Referring provider.
    pub referring_id: Option<i64>,
    /// Location.
    pub location_id: Option<i64>,
    /// Diagnoses (ICD-10-CM) with POA (`Y`, `N`, `U`, `W`, `1` or empty), principal first.
    pub diagnoses: Vec<(String, String)>,
    /// ICD-10-PCS procedures with their dates.
    pub procedures: Vec<(String, Option<Date>)>,
    /// Charges.
    pub charges: Vec<NewCharge>,
    /// True when the coding is complete (the encounter can be billed).
    pub coded: bool,
    /// The documentation the coder reads (visit note, discharge summary), plain text.
    pub note: String,
}

fn check(e: &NewEncounter) -> Result<Date> {
    let bad = |m: String| Err(Error::Invalid(m));
    if !matches!(e.kind.as_str(), "professional" | "inpatient" | "outpatient") {
        return bad(format!("encounter kind {:?}: professional, inpatient or outpatient", e.kind));
    }
    let date = match (e.service_date, e.discharge) {
        (Some(d), _) | (None, Some(d)) => d,
        _ => return bad("an encounter needs its date of service (or discharge date)".into()),
    };
    if e.kind == "inpatient" && (e.admission.is_none() || e.discharge.is_none()) {
        return bad("an inpatient stay needs its admission and discharge dates".into());
    }
    if let (Some(a), Some(d)) = (e.admission, e.discharge)
        && a > d
    {
        return bad(format!("admission {a} is after discharge {d}"));
    }
    if e.coded && e.diagnoses.is_empty() {
        return bad("a coded encounter needs at least one diagnosis".into());
    }
    for (code, poa) in &e.diagnoses {
        if code.is_empty() || !matches!(poa.as_str(), "" | "Y" | "N" | "U" | "W" | "1") {
            return bad(format!("diagnosis {code:?} POA {poa:?}: POA is Y, N, U, W, 1 or empty"));
        }
    }
    for c in &e.charges {
        if c.code.is_empty() && c.revenue_code.is_empty() {
            return bad("a charge needs a procedure code or a revenue code".into());
        }
        if c.units <= 0 {
            return bad(format!("charge {}: units must be positive", c.code));
        }
        if c.cents.is_some_and(|v| v < 0) {
            return bad(format!("charge {}: a charge cannot be negative", c.code));
        }
    }
    Ok(date)
}

impl Store {
    /// Adds one encounter with its coding and charges.
    pub async fn create_encounter(&self, actor: &Actor, e: &NewEncounter) -> Result<i64> {
        Ok(self.create_encounters(actor, std::slice::from_ref(e)).await?[0])
    }

    /// Adds encounters in one transaction (all or none).
    pub async fn create_encounters(
        &self,
        actor: &Actor,
        list: &[NewEncounter],
    ) -> Result<Vec<i64>> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let mut ids = Vec::with_capacity(list.len());
        let fees = self.price_list(&mut tx, list).await?;
        let (mut dx_rows, mut px_rows, mut charge_rows) = (Vec::new(), Vec::new(), Vec::new());
        let now = crate::now();
        let keys = new_ids(&mut tx, "encounter", list.len()).await?;
        let mut enc_rows = Vec::with_capacity(list.len());
        for (n, e) in list.iter().enumerate() {
            let date =
                check(e).map_err(|err| Error::Invalid(format!("encounter {}: {err}", n + 1)))?;
            let id = keys[n];
            enc_rows.push(vec![
                V::I(id),
                V::I(e.practice_id),
                V::I(e.patient_id),
                V::T(e.kind.clone()),
                date.into(),
                e.admission.into(),
                e.discharge.into(),
                V::T(e.discharge_status.clone()),
                V::T(e.type_of_bill.clone()),
                e.rendering_id.into(),
                e.operating_id.into(),
                e.referring_id.into(),
                e.location_id.into(),
                V::T(if e.coded { "coded" } else { "open" }.into()),
                V::T(now.clone()),
                V::T(e.note.clone()),
            ]);
            ids.push(id);
            for (i, (code, poa)) in e.diagnoses.iter().enumerate() {
                dx_rows.push(vec![
                    V::I(id),
                    V::I(i as i64 + 1),
                    V::T(code.replace('.', "")),
                    V::T(poa.clone()),
                ]);
            }
            for (i, (code, date)) in e.procedures.iter().enumerate() {
                px_rows.push(vec![
                    V::I(id),
                    V::I(i as i64 + 1),
                    V::T(code.clone()),
                    (*date).into(),
                ]);
            }
            for (i, c) in e.charges.iter().enumerate() {
                let cents = match c.cents {
                    Some(v) => v,
                    None => {
                        let key = if e.kind == "professional" {
                            (
                                e.practice_id,
                                c.code.clone(),
                                c.modifiers.first().cloned().unwrap_or_default(),
                                String::new(),
                            )
                        } else {
                            (e.practice_id, c.code.clone(), String::new(), c.revenue_code.clone())
                        };
                        let unit = fees.get(&key).or_else(|| {
                            fees.get(&(key.0, key.1.clone(), String::new(), key.3.clone()))
                        });
                        let unit = unit.ok_or_else(|| {
                            Error::Invalid(format!(
                                "encounter {}: no charge for {}{} in the practice's {}: give an amount or add it",
                                n + 1,
                                c.code,
                                if c.revenue_code.is_empty() { String::new() } else { format!(" (revenue code {})", c.revenue_code) },
                                if e.kind == "professional" { "fee schedule" } else { "charge master" }
                            ))
                        })?;
                        unit * c.units / 1000
                    }
                };
                charge_rows.push(vec![
                    V::I(id),
                    V::I(i as i64 + 1),
                    V::T(c.code.clone()),
                    V::T(c.modifiers.join(",")),
                    V::T(c.revenue_code.clone()),
                    V::I(c.units),
                    V::I(cents),
                    V::T(c.date.unwrap_or(date).to_string()),
                    V::T(c.pointers.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(",")),
                ]);
            }
        }
        insert_many(
            &mut tx,
            "encounter",
            &[
                "id",
                "practice_id",
                "patient_id",
                "kind",
                "service_date",
                "admission_date",
                "discharge_date",
                "discharge_status",
                "type_of_bill",
                "rendering_id",
                "operating_id",
                "referring_id",
                "location_id",
                "status",
                "created_at",
                "note",
            ],
            &enc_rows,
        )
        .await?;
        insert_many(
            &mut tx,
            "encounter_diagnosis",
            &["encounter_id", "seq", "code", "poa"],
            &dx_rows,
        )
        .await?;
        insert_many(
            &mut tx,
            "encounter_procedure",
            &["encounter_id", "seq", "code", "performed"],
            &px_rows,
        )
        .await?;
        insert_many(
            &mut tx,
            "charge",
            &[
                "encounter_id",
                "seq",
                "code",
                "modifiers",
                "revenue_code",
                "units",
                "charge_cents",
                "service_date",
                "pointers",
            ],
            &charge_rows,
        )
        .await?;
        let practice = list.first().map(|e| e.practice_id);
        audit(
            &mut tx,
            actor,
            "create",
            "encounter",
            ids.first().copied(),
            practice,
            &format!("{} encounters", ids.len()),
        )
        .await?;
        tx.commit().await.ctx("saving encounters")?;
        self.refresh_statistics(
            ids.len(),
            &["encounter", "encounter_diagnosis", "encounter_procedure", "charge"],
        )
        .await;
        Ok(ids)
    }

    /// Replaces an open or coded encounter's coding and marks it coded.
    pub async fn code_encounter(
        &self,
        actor: &Actor,
        id: i64,
        diagnoses: &[(String, String)],
        procedures: &[(String, Option<Date>)],
    ) -> Result<()> {
        if diagnoses.is_empty() {
            return Err(Error::Invalid("coding needs at least one diagnosis".into()));
        }
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let row = sqlx::query("SELECT status, practice_id FROM encounter WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .ctx("reading the encounter")?
            .ok_or_else(|| Error::NotFound(format!("encounter {id}")))?;
        let status: String = row.get(0);
        if status == "billed" {
            drop(tx);
            let why = format!(
                "encounter {id} is already billed: correct its claim (frequency 7) instead of recoding it"
            );
            // The refused change waits in the suspense queue, so the correction is not forgotten.
            let practice: i64 = row.get(1);
            let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
            sqlx::query(
                "INSERT INTO suspense (org_id, kind, reason, amount_cents, created_at) \
                 SELECT org_id, 'edited_after_billing', $1, 0, $2 FROM practice WHERE id = $3",
            )
            .bind(why.as_str())
            .bind(crate::now())
            .bind(practice)
            .execute(&mut *tx)
            .await
            .ctx("queueing the refused change")?;
            audit(&mut tx, actor, "refused recoding", "encounter", Some(id), Some(practice), "")
                .await?;
            tx.commit().await.ctx("queueing the refused change")?;
            return Err(Error::Invalid(why));
        }
        for t in ["encounter_diagnosis", "encounter_procedure"] {
            sqlx::query(&format!("DELETE FROM {t} WHERE encounter_id = $1"))
                .bind(id)
                .execute(&mut *tx)
                .await
                .ctx("replacing the coding")?;
        }
        let dx: Vec<Vec<V>> = diagnoses
            .iter()
            .enumerate()
            .map(|(i, (c, p))| {
                vec![V::I(id), V::I(i as i64 + 1), V::T(c.replace('.', "")), V::T(p.clone())]
            })
            .collect();
        let px: Vec<Vec<V>> = procedures
            .iter()
            .enumerate()
            .map(|(i, (c, d))| vec![V::I(id), V::I(i as i64 + 1), V::T(c.clone()), (*d).into()])
            .collect();
        insert_many(&mut tx, "encounter_diagnosis", &["encounter_id", "seq", "code", "poa"], &dx)
            .await?;
        insert_many(
            &mut tx,
            "encounter_procedure",
            &["encounter_id", "seq", "code", "performed"],
            &px,
        )
        .await?;
        sqlx::query("UPDATE encounter SET status = 'coded' WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .ctx("marking the encounter coded")?;
        audit(&mut tx, actor, "code", "encounter", Some(id), Some(row.get(1)), "").await?;
        tx.commit().await.ctx("saving the coding")
    }

    /// The fee schedules and charge masters of the practices in `list`: (practice, code,
    /// modifier, revenue code) → cents per unit.
    async fn price_list(
        &self,
        conn: &mut sqlx::AnyConnection,
        list: &[NewEncounter],
    ) -> Result<std::collections::HashMap<(i64, String, String, String), i64>> {
        let mut out = std::collections::HashMap::new();
        let mut practices: Vec<i64> = list.iter().map(|e| e.practice_id).collect();
        practices.sort_unstable();
        practices.dedup();
        for p in practices {
            for r in sqlx::query(
                "SELECT code, modifier, charge_cents FROM fee_schedule WHERE practice_id = $1",
            )
            .bind(p)
            .fetch_all(&mut *conn)
            .await
            .ctx("reading the fee schedule")?
            {
                out.insert((p, r.get(0), r.get(1), String::new()), r.get(2));
            }
            for r in sqlx::query(
                "SELECT code, revenue_code, charge_cents FROM charge_master WHERE practice_id = $1",
            )
            .bind(p)
            .fetch_all(&mut *conn)
            .await
            .ctx("reading the charge master")?
            {
                out.insert((p, r.get(0), String::new(), r.get(1)), r.get(2));
            }
        }
        Ok(out)
    }
}
