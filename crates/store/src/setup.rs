//! The billing service's reference data: organizations, practices (the tenant boundary), users
//! and their roles per practice, providers, locations, trading partners, payers, patients,
//! coverages, fee schedules and charge masters.

use code_sets::Date;
use sqlx::Row;

use crate::sql::{V, audit, insert, insert_many, new_ids};
use crate::{Actor, Context, Error, Result, Store};

/// A practice to add (and, with its ID, as the admin screen lists it).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewPractice {
    /// The organization (billing service) it belongs to (the server sets it).
    #[serde(default, skip_serializing)]
    pub org_id: i64,
    /// Name (billing provider name).
    pub name: String,
    /// Group NPI.
    pub npi: String,
    /// Tax ID (EIN).
    pub tax_id: String,
    /// Taxonomy.
    pub taxonomy: String,
    /// Street address.
    pub address: String,
    /// City.
    pub city: String,
    /// State.
    pub state: String,
    /// ZIP (9 digits for a billing provider).
    pub zip: String,
    /// Prefix of its patient control numbers (1–6 letters or digits, unique in the organization).
    pub claim_prefix: String,
}

/// A practice as stored.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Practice {
    /// ID.
    pub id: i64,
    /// Organization.
    pub org_id: i64,
    /// Name.
    pub name: String,
    /// NPI.
    pub npi: String,
    /// Tax ID.
    pub tax_id: String,
    /// Claim prefix.
    pub claim_prefix: String,
}

/// A provider to add.
#[derive(Clone, Debug, Default)]
pub struct NewProvider {
    /// Practice.
    pub practice_id: i64,
    /// NPI.
    pub npi: String,
    /// Last name.
    pub last: String,
    /// First name.
    pub first: String,
    /// Taxonomy.
    pub taxonomy: String,
    /// Roles, comma-separated: rendering, billing, attending, operating, referring.
    pub roles: String,
}

/// A trading partner (clearinghouse) to add.
#[derive(Clone, Debug, Default)]
pub struct NewTradingPartner {
    /// Organization.
    pub org_id: i64,
    /// Name.
    pub name: String,
    /// ISA06 (with qualifier ZZ).
    pub isa_sender_id: String,
    /// ISA08.
    pub isa_receiver_id: String,
    /// GS02.
    pub gs_sender: String,
    /// GS03.
    pub gs_receiver: String,
    /// 1000A submitter name, ID, contact, phone.
    pub submitter: (String, String, String, String),
    /// 1000B receiver name and ID.
    pub receiver: (String, String),
    /// `P` production, `T` test.
    pub usage: String,
}

/// A payer to add.
#[derive(Clone, Debug, Default)]
pub struct NewPayer {
    /// Organization.
    pub org_id: i64,
    /// Name.
    pub name: String,
    /// EDI payer ID.
    pub code: String,
    /// Claim filing indicator (`MB`, `MC`, `CI`, `BL`…).
    pub filing_indicator: String,
    /// Timely-filing limit, days from the date of service.
    pub timely_filing_days: i64,
    /// Days to appeal a denial.
    pub appeal_days: i64,
    /// The clearinghouse its claims go through.
    pub trading_partner_id: Option<i64>,
}

/// A patient to add.
#[derive(Clone, Debug, Default)]
pub struct NewPatient {
    /// Practice.
    pub practice_id: i64,
    /// The practice's account number (unique in the practice).
    pub account: String,
    /// Last name.
    pub last: String,
    /// First name.
    pub first: String,
    /// Birth date.
    pub birth_date: Option<Date>,
    /// `M`, `F`, `U`.
    pub sex: String,
    /// Street.
    pub address: String,
    /// City.
    pub city: String,
    /// State.
    pub state: String,
    /// ZIP.
    pub zip: String,
    /// Guarantor (another patient of the practice), when not the patient.
    pub guarantor_id: Option<i64>,
}

/// A coverage to add.
#[derive(Clone, Debug, Default)]
pub struct NewCoverage {
    /// Patient.
    pub patient_id: i64,
    /// Payer.
    pub payer_id: i64,
    /// 1, 2 or 3.
    pub rank: i64,
    /// Member ID.
    pub member_id: String,
    /// Group number.
    pub group_number: String,
    /// Relationship of the patient to the subscriber (`18` self).
    pub relationship: String,
    /// Subscriber's last and first name, birth date and sex, when not the patient.
    pub subscriber: Option<(String, String, Date, String)>,
    /// Medicare secondary payer type (SBR05), when Medicare is secondary.
    pub msp_type: String,
    /// First day covered.
    pub effective_from: Option<Date>,
    /// Last day covered.
    pub effective_to: Option<Date>,
}

/// A patient as listed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PatientRow {
    /// ID.
    pub id: i64,
    /// Practice.
    pub practice_id: i64,
    /// Account.
    pub account: String,
    /// Last name.
    pub last: String,
    /// First name.
    pub first: String,
    /// Birth date.
    pub birth_date: String,
}

/// The roles a user may hold in a practice.
pub const ROLES: [&str; 4] = ["admin", "coder", "biller", "auditor"];

pub(crate) fn need(ok: bool, msg: impl FnOnce() -> String) -> Result<()> {
    if ok { Ok(()) } else { Err(Error::Invalid(msg())) }
}

impl Store {
    /// Adds an organization (`billing_service` or `practice`).
    pub async fn create_organization(&self, name: &str, kind: &str) -> Result<i64> {
        need(matches!(kind, "billing_service" | "practice"), || {
            format!("organization kind {kind:?}: use billing_service or practice")
        })?;
        let mut c = self.pool.acquire().await.ctx("connecting")?;
        insert(
            &mut c,
            "organization",
            &[("name", name.into()), ("kind", kind.into()), ("created_at", crate::now().into())],
        )
        .await
    }

    /// The organization, creating it when the database has none (the CLI's single-tenant case).
    pub async fn default_organization(&self) -> Result<i64> {
        let row = sqlx::query("SELECT id FROM organization ORDER BY id LIMIT 1")
            .fetch_optional(&self.pool)
            .await
            .ctx("reading organizations")?;
        match row {
            Some(r) => Ok(r.get::<i64, _>(0)),
            None => self.create_organization("Billing service", "billing_service").await,
        }
    }

    /// Adds a practice.
    pub async fn create_practice(&self, actor: &Actor, p: &NewPractice) -> Result<i64> {
        self.create_practice_with_admin(actor, p, None).await
    }

    /// Adds a practice and, in the same transaction, grants `admin` in it to a user.
    pub async fn create_practice_with_admin(
        &self,
        actor: &Actor,
        p: &NewPractice,
        admin: Option<i64>,
    ) -> Result<i64> {
        need(
            !p.claim_prefix.is_empty()
                && p.claim_prefix.len() <= 6
                && p.claim_prefix.bytes().all(|b| b.is_ascii_alphanumeric()),
            || {
                format!(
                    "claim prefix {:?}: 1 to 6 letters or digits (patient control numbers are at most 17 characters)",
                    p.claim_prefix
                )
            },
        )?;
        need(p.npi.parse::<claim_model::Npi>().is_ok(), || {
            format!("practice NPI {:?} fails the NPI check digit", p.npi)
        })?;
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let id = insert(
            &mut tx,
            "practice",
            &[
                ("org_id", p.org_id.into()),
                ("name", (&p.name).into()),
                ("npi", (&p.npi).into()),
                ("tax_id", (&p.tax_id).into()),
                ("taxonomy", (&p.taxonomy).into()),
                ("address", (&p.address).into()),
                ("city", (&p.city).into()),
                ("state", (&p.state).into()),
                ("zip", (&p.zip).into()),
                ("claim_prefix", p.claim_prefix.to_ascii_uppercase().into()),
                ("created_at", crate::now().into()),
            ],
        )
        .await?;
        audit(&mut tx, actor, "create", "practice", Some(id), Some(id), &p.name).await?;
        if let Some(user) = admin {
            sqlx::query(
                "INSERT INTO user_role (user_id, practice_id, role) VALUES ($1, $2, 'admin')",
            )
            .bind(user)
            .bind(id)
            .execute(&mut *tx)
            .await
            .ctx("granting a role")?;
            audit(&mut tx, actor, "grant", "user_role", Some(user), Some(id), "admin").await?;
        }
        tx.commit().await.ctx("saving the practice")?;
        Ok(id)
    }

    /// The practices (of one organization, or all).
    pub async fn practices(&self, org_id: Option<i64>) -> Result<Vec<Practice>> {
        let rows = sqlx::query(
            "SELECT id, org_id, name, npi, tax_id, claim_prefix FROM practice WHERE ($1 = 0 OR org_id = $1) ORDER BY id",
        )
        .bind(org_id.unwrap_or(0))
        .fetch_all(&self.pool)
        .await
        .ctx("listing practices")?;
        Ok(rows
            .iter()
            .map(|r| Practice {
                id: r.get("id"),
                org_id: r.get("org_id"),
                name: r.get("name"),
                npi: r.get("npi"),
                tax_id: r.get("tax_id"),
                claim_prefix: r.get("claim_prefix"),
            })
            .collect())
    }

    /// A practice by ID or by name.
    pub async fn practice(&self, key: &str) -> Result<Practice> {
        let id: i64 = key.parse().unwrap_or(0);
        self.practices(None)
            .await?
            .into_iter()
            .find(|p| {
                p.id == id
                    || p.name.eq_ignore_ascii_case(key)
                    || p.claim_prefix.eq_ignore_ascii_case(key)
            })
            .ok_or_else(|| Error::NotFound(format!("practice {key:?}")))
    }

    /// Adds a user of the organization.
    pub async fn create_user(&self, org_id: i64, login: &str, name: &str) -> Result<i64> {
        let mut c = self.pool.acquire().await.ctx("connecting")?;
        insert(
            &mut c,
            "app_user",
            &[
                ("org_id", org_id.into()),
                ("login", login.into()),
                ("name", name.into()),
                ("created_at", crate::now().into()),
            ],
        )
        .await
    }

    /// Grants a role (`admin`, `coder`, `biller`, `auditor`) in one practice.
    pub async fn grant_role(
        &self,
        actor: &Actor,
        user_id: i64,
        practice_id: i64,
        role: &str,
    ) -> Result<()> {
        need(ROLES.contains(&role), || {
            format!("role {role:?}: use admin, coder, biller or auditor")
        })?;
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        sqlx::query("INSERT INTO user_role (user_id, practice_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(user_id)
            .bind(practice_id)
            .bind(role)
            .execute(&mut *tx)
            .await
            .ctx("granting a role")?;
        audit(&mut tx, actor, "grant", "user_role", Some(user_id), Some(practice_id), role).await?;
        tx.commit().await.ctx("saving the role")
    }

    /// The roles a user holds, by practice.
    pub async fn roles(&self, user_id: i64) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query(
            "SELECT practice_id, role FROM user_role WHERE user_id = $1 ORDER BY practice_id, role",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await
        .ctx("reading roles")?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// Adds a provider.
    pub async fn create_provider(&self, p: &NewProvider) -> Result<i64> {
        need(p.npi.parse::<claim_model::Npi>().is_ok(), || {
            format!("provider NPI {:?} fails the NPI check digit", p.npi)
        })?;
        let mut c = self.pool.acquire().await.ctx("connecting")?;
        insert(
            &mut c,
            "provider",
            &[
                ("practice_id", p.practice_id.into()),
                ("npi", (&p.npi).into()),
                ("last_name", (&p.last).into()),
                ("first_name", (&p.first).into()),
                ("taxonomy", (&p.taxonomy).into()),
                ("roles", if p.roles.is_empty() { "rendering".into() } else { (&p.roles).into() }),
            ],
        )
        .await
    }

    /// Adds a location (service facility) with its place of service.
    pub async fn create_location(&self, practice_id: i64, name: &str, pos: &str) -> Result<i64> {
        need(pos.len() == 2 && pos.bytes().all(|b| b.is_ascii_digit()), || {
            format!("place of service {pos:?}: two digits")
        })?;
        let mut c = self.pool.acquire().await.ctx("connecting")?;
        insert(
            &mut c,
            "location",
            &[
                ("practice_id", practice_id.into()),
                ("name", name.into()),
                ("place_of_service", pos.into()),
            ],
        )
        .await
    }

    /// Adds a trading partner.
    pub async fn create_trading_partner(&self, t: &NewTradingPartner) -> Result<i64> {
        need(t.isa_sender_id.len() <= 15 && t.isa_receiver_id.len() <= 15, || {
            "ISA06 and ISA08 are at most 15 characters".to_string()
        })?;
        let mut c = self.pool.acquire().await.ctx("connecting")?;
        insert(
            &mut c,
            "trading_partner",
            &[
                ("org_id", t.org_id.into()),
                ("name", (&t.name).into()),
                ("isa_sender_id", (&t.isa_sender_id).into()),
                ("isa_receiver_id", (&t.isa_receiver_id).into()),
                ("gs_sender", (&t.gs_sender).into()),
                ("gs_receiver", (&t.gs_receiver).into()),
                ("submitter_name", (&t.submitter.0).into()),
                ("submitter_id", (&t.submitter.1).into()),
                ("contact_name", (&t.submitter.2).into()),
                ("contact_phone", (&t.submitter.3).into()),
                ("receiver_name", (&t.receiver.0).into()),
                ("receiver_id", (&t.receiver.1).into()),
                (
                    "usage_indicator",
                    if t.usage.is_empty() { "P".into() } else { (&t.usage).into() },
                ),
            ],
        )
        .await
    }

    /// Adds a payer.
    pub async fn create_payer(&self, p: &NewPayer) -> Result<i64> {
        need(!p.code.is_empty(), || format!("payer {:?} needs its EDI payer ID", p.name))?;
        let mut c = self.pool.acquire().await.ctx("connecting")?;
        insert(
            &mut c,
            "payer",
            &[
                ("org_id", p.org_id.into()),
                ("name", (&p.name).into()),
                ("payer_code", (&p.code).into()),
                (
                    "filing_indicator",
                    if p.filing_indicator.is_empty() {
                        "CI".into()
                    } else {
                        (&p.filing_indicator).into()
                    },
                ),
                (
                    "timely_filing_days",
                    if p.timely_filing_days > 0 { p.timely_filing_days } else { 365 }.into(),
                ),
                ("appeal_days", if p.appeal_days > 0 { p.appeal_days } else { 120 }.into()),
                ("trading_partner_id", p.trading_partner_id.into()),
            ],
        )
        .await
    }

    /// Adds a patient (recorded in the audit log).
    pub async fn create_patient(&self, actor: &Actor, p: &NewPatient) -> Result<i64> {
        Ok(self.create_patients(actor, &[(p.clone(), Vec::new())]).await?[0])
    }

    /// Adds patients with their coverages (each coverage's `patient_id` is filled in) in one
    /// transaction: all or none.
    pub async fn create_patients(
        &self,
        actor: &Actor,
        list: &[(NewPatient, Vec<NewCoverage>)],
    ) -> Result<Vec<i64>> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let ids = new_ids(&mut tx, "patient", list.len()).await?;
        let n_cov: usize = list.iter().map(|(_, c)| c.len()).sum();
        let cov_ids = new_ids(&mut tx, "coverage", n_cov).await?;
        let now = crate::now();
        let (mut patients, mut coverages) =
            (Vec::with_capacity(list.len()), Vec::with_capacity(n_cov));
        let mut k = 0;
        for ((p, covs), id) in list.iter().zip(&ids) {
            patients.push(patient_row(*id, p, &now)?);
            for c in covs {
                let c = NewCoverage { patient_id: *id, ..c.clone() };
                coverages.push(coverage_row(cov_ids[k], &c)?);
                k += 1;
            }
        }
        insert_many(&mut tx, "patient", PATIENT_COLUMNS, &patients).await?;
        insert_many(&mut tx, "coverage", COVERAGE_COLUMNS, &coverages).await?;
        let practice = list.first().map(|(p, _)| p.practice_id);
        let detail = if ids.len() == 1 { String::new() } else { format!("{} patients", ids.len()) };
        audit(&mut tx, actor, "create", "patient", ids.first().copied(), practice, &detail).await?;
        tx.commit().await.ctx("saving patients")?;
        self.refresh_statistics(ids.len(), &["patient", "coverage"]).await;
        Ok(ids)
    }

    /// The patients of a practice (recorded in the audit log as a read).
    pub async fn patients(&self, actor: &Actor, practice_id: i64) -> Result<Vec<PatientRow>> {
        let rows = sqlx::query(
            "SELECT id, practice_id, account, last_name, first_name, birth_date FROM patient WHERE practice_id = $1 ORDER BY last_name, first_name, id",
        )
        .bind(practice_id)
        .fetch_all(&self.pool)
        .await
        .ctx("listing patients")?;
        let mut c = self.pool.acquire().await.ctx("connecting")?;
        audit(
            &mut c,
            actor,
            "read",
            "patient",
            None,
            Some(practice_id),
            &format!("list of {}", rows.len()),
        )
        .await?;
        Ok(rows
            .iter()
            .map(|r| PatientRow {
                id: r.get("id"),
                practice_id: r.get("practice_id"),
                account: r.get("account"),
                last: r.get("last_name"),
                first: r.get("first_name"),
                birth_date: r.get("birth_date"),
            })
            .collect())
    }

    /// Adds a coverage.
    pub async fn create_coverage(&self, actor: &Actor, c: &NewCoverage) -> Result<i64> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let id = new_ids(&mut tx, "coverage", 1).await?[0];
        insert_many(&mut tx, "coverage", COVERAGE_COLUMNS, &[coverage_row(id, c)?]).await?;
        audit(&mut tx, actor, "create", "coverage", Some(id), None, "").await?;
        tx.commit().await.ctx("saving the coverage")?;
        Ok(id)
    }

    /// Sets a fee-schedule charge (per code and modifier).
    pub async fn set_fee(
        &self,
        practice_id: i64,
        code: &str,
        modifier: &str,
        cents: i64,
    ) -> Result<()> {
        need(cents >= 0, || format!("fee for {code}: a charge cannot be negative"))?;
        sqlx::query(
            "INSERT INTO fee_schedule (practice_id, code, modifier, charge_cents) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (practice_id, code, modifier) DO UPDATE SET charge_cents = excluded.charge_cents",
        )
        .bind(practice_id)
        .bind(code)
        .bind(modifier)
        .bind(cents)
        .execute(&self.pool)
        .await
        .ctx("setting a fee")?;
        Ok(())
    }

    /// Sets a charge-master line (per revenue code and optional HCPCS code).
    pub async fn set_charge_master(
        &self,
        practice_id: i64,
        revenue_code: &str,
        code: &str,
        description: &str,
        cents: i64,
    ) -> Result<()> {
        need(revenue_code.len() == 4 && revenue_code.bytes().all(|b| b.is_ascii_digit()), || {
            format!("revenue code {revenue_code:?}: four digits")
        })?;
        sqlx::query(
            "INSERT INTO charge_master (practice_id, revenue_code, code, description, charge_cents) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (practice_id, revenue_code, code) DO UPDATE SET charge_cents = excluded.charge_cents, description = excluded.description",
        )
        .bind(practice_id)
        .bind(revenue_code)
        .bind(code)
        .bind(description)
        .bind(cents)
        .execute(&self.pool)
        .await
        .ctx("setting a charge-master line")?;
        Ok(())
    }

    /// Counts the rows of a table (tests and the demo's summary).
    pub async fn count(&self, table: &str) -> Result<i64> {
        need(table.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), || {
            format!("table {table:?}")
        })?;
        let row = sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&self.pool)
            .await
            .ctx(&format!("counting {table}"))?;
        Ok(row.get::<i64, _>(0))
    }
}

impl Store {
    /// A provider of a practice by NPI.
    pub async fn provider_by_npi(&self, practice_id: i64, npi: &str) -> Result<i64> {
        sqlx::query("SELECT id FROM provider WHERE practice_id = $1 AND npi = $2")
            .bind(practice_id)
            .bind(npi)
            .fetch_optional(&self.pool)
            .await
            .ctx("reading providers")?
            .map(|r| r.get(0))
            .ok_or_else(|| {
                Error::NotFound(format!("provider with NPI {npi} in practice {practice_id}"))
            })
    }

    /// A payer by its EDI payer ID.
    pub async fn payer_by_code(&self, org_id: i64, code: &str) -> Result<i64> {
        sqlx::query("SELECT id FROM payer WHERE org_id = $1 AND payer_code = $2")
            .bind(org_id)
            .bind(code)
            .fetch_optional(&self.pool)
            .await
            .ctx("reading payers")?
            .map(|r| r.get(0))
            .ok_or_else(|| Error::NotFound(format!("payer with payer ID {code:?}")))
    }

    /// A trading partner by name.
    pub async fn trading_partner_by_name(&self, org_id: i64, name: &str) -> Result<i64> {
        sqlx::query("SELECT id FROM trading_partner WHERE org_id = $1 AND name = $2")
            .bind(org_id)
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .ctx("reading trading partners")?
            .map(|r| r.get(0))
            .ok_or_else(|| Error::NotFound(format!("clearinghouse {name:?}")))
    }

    /// The payers: (id, name, payer ID, filing indicator, timely-filing days).
    pub async fn payers(&self, org_id: i64) -> Result<Vec<(i64, String, String, String, i64)>> {
        let rows = sqlx::query(
            "SELECT id, name, payer_code, filing_indicator, timely_filing_days FROM payer WHERE org_id = $1 ORDER BY name",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await
        .ctx("reading payers")?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4))).collect())
    }
}

const PATIENT_COLUMNS: &[&str] = &[
    "id",
    "practice_id",
    "account",
    "last_name",
    "first_name",
    "birth_date",
    "sex",
    "address",
    "city",
    "state",
    "zip",
    "guarantor_id",
    "created_at",
];

fn patient_row(id: i64, p: &NewPatient, now: &str) -> Result<Vec<V>> {
    need(matches!(p.sex.as_str(), "M" | "F" | "U"), || {
        format!("patient {}: sex {:?}: M, F or U", p.account, p.sex)
    })?;
    let birth = p.birth_date.ok_or_else(|| {
        Error::Invalid(format!("patient {}: a patient needs a birth date", p.account))
    })?;
    need(!p.last.is_empty() && !p.first.is_empty(), || {
        format!("patient {}: a patient needs a first and last name", p.account)
    })?;
    need(!p.account.is_empty(), || "a patient needs the practice's account number".into())?;
    Ok(vec![
        V::I(id),
        V::I(p.practice_id),
        V::T(p.account.clone()),
        V::T(p.last.clone()),
        V::T(p.first.clone()),
        birth.into(),
        V::T(p.sex.clone()),
        V::T(p.address.clone()),
        V::T(p.city.clone()),
        V::T(p.state.clone()),
        V::T(p.zip.clone()),
        p.guarantor_id.into(),
        V::T(now.to_string()),
    ])
}

const COVERAGE_COLUMNS: &[&str] = &[
    "id",
    "patient_id",
    "payer_id",
    "rank",
    "member_id",
    "group_number",
    "relationship",
    "subscriber_last",
    "subscriber_first",
    "subscriber_birth_date",
    "subscriber_sex",
    "msp_type",
    "effective_from",
    "effective_to",
];

fn coverage_row(id: i64, c: &NewCoverage) -> Result<Vec<V>> {
    need((1..=3).contains(&c.rank), || format!("coverage rank {}: 1, 2 or 3", c.rank))?;
    need(!c.member_id.is_empty(), || "a coverage needs the member ID".into())?;
    let from = c
        .effective_from
        .ok_or_else(|| Error::Invalid("a coverage needs its effective date".into()))?;
    let (sl, sf, sb, ss) = match &c.subscriber {
        Some((l, f, b, s)) => (l.clone(), f.clone(), b.to_string(), s.clone()),
        None => Default::default(),
    };
    Ok(vec![
        V::I(id),
        V::I(c.patient_id),
        V::I(c.payer_id),
        V::I(c.rank),
        V::T(c.member_id.clone()),
        V::T(c.group_number.clone()),
        V::T(if c.relationship.is_empty() { "18".into() } else { c.relationship.clone() }),
        V::T(sl),
        V::T(sf),
        V::T(sb),
        V::T(if ss.is_empty() { "U".into() } else { ss }),
        V::T(c.msp_type.clone()),
        from.into(),
        V::T(c.effective_to.map(|d| d.to_string()).unwrap_or_else(|| "9999-12-31".into())),
    ])
}
