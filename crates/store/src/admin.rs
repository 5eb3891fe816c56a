//! What the admin screens change: users (create, rename, disable, unlock, new password), their
//! roles per practice, practices, payers and fee schedules. Every change is one transaction with
//! its audit event. Who may change what is the server's rule; this module checks the data (a
//! login's form, a payer's filing indicator, a fee's code) and refuses to leave a practice
//! without an admin.

use sqlx::Row;

use crate::setup::{NewPractice, need};
use crate::sql::{audit, insert};
use crate::{Actor, Context, Error, Result, Store};

/// A role held in a practice.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleGrant {
    /// Practice ID.
    pub practice: i64,
    /// `admin`, `coder`, `biller` or `auditor`.
    pub role: String,
}

/// A user as the admin screen lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserItem {
    /// ID.
    pub id: i64,
    /// Login.
    pub login: String,
    /// Display name.
    pub name: String,
    /// Disabled users cannot sign in and their tokens stop working.
    pub disabled: bool,
    /// Locked after failed sign-ins, until this time (RFC 3339).
    pub locked_until: Option<String>,
    /// Failed sign-ins in a row.
    pub failed_logins: i64,
    /// Whether the TOTP second factor is on.
    pub second_factor: bool,
    /// Whether a password is set.
    pub has_password: bool,
    /// Roles per practice.
    pub roles: Vec<RoleGrant>,
}

/// A practice as the admin screen lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PracticeItem {
    /// ID.
    pub id: i64,
    /// Its details.
    #[serde(flatten)]
    pub practice: NewPractice,
}

/// A payer as the admin screen lists and edits it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayerItem {
    /// ID (ignored when creating).
    #[serde(default)]
    pub id: i64,
    /// Name.
    pub name: String,
    /// EDI payer ID (NM109 of loop 2010BB).
    pub code: String,
    /// Claim filing indicator (SBR09): `MB` Medicare Part B, `MA` Part A, `MC` Medicaid, `CI`
    /// commercial, `BL` Blue Cross/Blue Shield, `HM` HMO…
    pub filing_indicator: String,
    /// Days after service a claim may still be filed.
    pub timely_filing_days: i64,
    /// Days after a denial an appeal may still be filed.
    pub appeal_days: i64,
    /// The clearinghouse its claims go through (trading partner ID).
    #[serde(default)]
    pub trading_partner: Option<i64>,
}

/// One fee: the charge for a code (and modifier) in a practice's fee schedule.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeeItem {
    /// HCPCS or CPT code (five characters).
    pub code: String,
    /// Modifier (two characters) or empty.
    #[serde(default)]
    pub modifier: String,
    /// Charge in cents.
    pub charge_cents: i64,
}

/// The claim filing indicator codes of the 837 (SBR09).
pub const FILING_INDICATORS: &[&str] = &[
    "11", "12", "13", "14", "15", "16", "17", "AM", "BL", "CH", "CI", "DS", "FI", "HM", "LM", "MA",
    "MB", "MC", "OF", "TV", "VA", "WC", "ZZ",
];

/// Checks a login: 3 to 64 letters, digits and `. _ - @`.
pub fn check_login(login: &str) -> Result<()> {
    need(
        (3..=64).contains(&login.len())
            && login.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-@".contains(&b)),
        || format!("login {login:?}: 3 to 64 letters, digits, dots, dashes, underscores or @"),
    )
}

fn check_payer(p: &PayerItem) -> Result<()> {
    need(!p.name.trim().is_empty(), || "payer name: required".into())?;
    need(
        !p.code.is_empty()
            && p.code.len() <= 80
            && p.code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'),
        || format!("payer ID {:?}: the payer's EDI ID, letters and digits", p.code),
    )?;
    need(FILING_INDICATORS.contains(&p.filing_indicator.as_str()), || {
        format!(
            "filing indicator {:?}: one of {} (MB Medicare Part B, MC Medicaid, CI commercial…)",
            p.filing_indicator,
            FILING_INDICATORS.join(", ")
        )
    })?;
    need((1..=3650).contains(&p.timely_filing_days), || {
        format!("timely filing {} days: 1 to 3650", p.timely_filing_days)
    })?;
    need((1..=3650).contains(&p.appeal_days), || {
        format!("appeal window {} days: 1 to 3650", p.appeal_days)
    })
}

fn check_fee(f: &FeeItem) -> Result<()> {
    need(f.code.len() == 5 && f.code.bytes().all(|b| b.is_ascii_alphanumeric()), || {
        format!("code {:?}: a five-character HCPCS or CPT code", f.code)
    })?;
    need(
        f.modifier.is_empty()
            || (f.modifier.len() == 2 && f.modifier.bytes().all(|b| b.is_ascii_alphanumeric())),
        || format!("modifier {:?}: two letters or digits, or none", f.modifier),
    )?;
    need((0..=10_000_000_000).contains(&f.charge_cents), || {
        format!("charge for {}: from $0 to $100,000,000", f.code)
    })
}

/// Changes to a user, applied together by [`Store::update_user`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserUpdate {
    /// A new name.
    pub name: Option<String>,
    /// A new password's hash (argon2id, made by the caller).
    pub password_hash: Option<String>,
    /// Disable (`true`) or enable (`false`).
    pub disabled: Option<bool>,
    /// Lift a lockout.
    pub unlock: bool,
}

impl Store {
    /// The users of an organization with their roles, by login.
    pub async fn users(&self, org_id: i64) -> Result<Vec<UserItem>> {
        let rows = sqlx::query(
            "SELECT id, login, name, disabled, locked_until, failed_logins, totp_secret, password_hash \
             FROM app_user WHERE org_id = $1 ORDER BY login",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await
        .ctx("listing users")?;
        let grants = sqlx::query(
            "SELECT r.user_id, r.practice_id, r.role FROM user_role r JOIN app_user u ON u.id = r.user_id \
             WHERE u.org_id = $1 ORDER BY r.practice_id, r.role",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await
        .ctx("listing roles")?;
        Ok(rows
            .iter()
            .map(|r| {
                let id: i64 = r.get(0);
                UserItem {
                    id,
                    login: r.get(1),
                    name: r.get(2),
                    disabled: r.get::<i64, _>(3) != 0,
                    locked_until: r.get(4),
                    failed_logins: r.get(5),
                    second_factor: !r.get::<String, _>(6).is_empty(),
                    has_password: !r.get::<String, _>(7).is_empty(),
                    roles: grants
                        .iter()
                        .filter(|g| g.get::<i64, _>(0) == id)
                        .map(|g| RoleGrant { practice: g.get(1), role: g.get(2) })
                        .collect(),
                }
            })
            .collect())
    }

    /// Adds a user with a password hash the caller made and roles, in one transaction
    /// (audited). A login already taken is refused.
    pub async fn add_user(
        &self,
        actor: &Actor,
        org_id: i64,
        login: &str,
        name: &str,
        password_hash: &str,
        roles: &[RoleGrant],
    ) -> Result<i64> {
        check_login(login)?;
        need(!name.trim().is_empty() && name.len() <= 200, || {
            "name: the person's name, up to 200 characters".into()
        })?;
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let taken = sqlx::query("SELECT 1 FROM app_user WHERE lower(login) = lower($1)")
            .bind(login)
            .fetch_optional(&mut *tx)
            .await
            .ctx("reading users")?;
        need(taken.is_none(), || format!("login {login:?} is taken: choose another"))?;
        let id = insert(
            &mut tx,
            "app_user",
            &[
                ("org_id", org_id.into()),
                ("login", login.into()),
                ("name", name.trim().into()),
                ("password_hash", password_hash.into()),
                ("created_at", crate::now().into()),
            ],
        )
        .await?;
        audit(&mut tx, actor, "create", "user", Some(id), None, login).await?;
        for g in roles {
            need(crate::setup::ROLES.contains(&g.role.as_str()), || {
                format!("role {:?}: use admin, coder, biller or auditor", g.role)
            })?;
            sqlx::query("INSERT INTO user_role (user_id, practice_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(g.practice)
                .bind(&g.role)
                .execute(&mut *tx)
                .await
                .ctx("granting a role")?;
            audit(&mut tx, actor, "grant", "user_role", Some(id), Some(g.practice), &g.role)
                .await?;
        }
        tx.commit().await.ctx("saving the user")?;
        Ok(id)
    }

    /// Renames a user (audited).
    pub async fn rename_user(&self, actor: &Actor, user_id: i64, name: &str) -> Result<()> {
        let change = UserUpdate { name: Some(name.to_string()), ..UserUpdate::default() };
        self.update_user(actor, user_id, &change).await
    }

    /// Disables a user (ends the user's sessions; tokens stop working while disabled) or enables
    /// one again (audited).
    pub async fn set_user_disabled(
        &self,
        actor: &Actor,
        user_id: i64,
        disabled: bool,
    ) -> Result<()> {
        let change = UserUpdate { disabled: Some(disabled), ..UserUpdate::default() };
        self.update_user(actor, user_id, &change).await
    }

    /// Lifts a lockout and clears the failures in a row (audited).
    pub async fn unlock_user(&self, actor: &Actor, user_id: i64) -> Result<()> {
        self.update_user(actor, user_id, &UserUpdate { unlock: true, ..UserUpdate::default() })
            .await
    }

    /// Changes a user in one transaction — all of it or, when any part is refused, none —, each
    /// part audited: a new name, a new password (its hash; the user's sessions end), disabled
    /// (sessions end; tokens stop working) or enabled, a lockout lifted.
    pub async fn update_user(
        &self,
        actor: &Actor,
        user_id: i64,
        change: &UserUpdate,
    ) -> Result<()> {
        if let Some(name) = &change.name {
            need(!name.trim().is_empty() && name.len() <= 200, || {
                "name: the person's name, up to 200 characters".into()
            })?;
        }
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let exists = sqlx::query("SELECT 1 FROM app_user WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await
            .ctx("reading the user")?;
        if exists.is_none() {
            return Err(Error::NotFound(format!("user {user_id}")));
        }
        let mut end_sessions = false;
        if let Some(name) = &change.name {
            sqlx::query("UPDATE app_user SET name = $1 WHERE id = $2")
                .bind(name.trim())
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .ctx("renaming a user")?;
            audit(&mut tx, actor, "rename", "user", Some(user_id), None, "").await?;
        }
        if let Some(hash) = &change.password_hash {
            sqlx::query("UPDATE app_user SET password_hash = $1 WHERE id = $2")
                .bind(hash)
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .ctx("setting a password")?;
            audit(&mut tx, actor, "set password", "user", Some(user_id), None, "").await?;
            end_sessions = true;
        }
        if let Some(disabled) = change.disabled {
            sqlx::query("UPDATE app_user SET disabled = $1 WHERE id = $2")
                .bind(i64::from(disabled))
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .ctx("disabling a user")?;
            let what = if disabled { "disable" } else { "enable" };
            audit(&mut tx, actor, what, "user", Some(user_id), None, "").await?;
            end_sessions |= disabled;
        }
        if change.unlock {
            sqlx::query("UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .ctx("unlocking a user")?;
            audit(&mut tx, actor, "unlock", "user", Some(user_id), None, "").await?;
        }
        if end_sessions {
            sqlx::query("DELETE FROM web_session WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .ctx("ending sessions")?;
        }
        tx.commit().await.ctx("saving the user")
    }

    /// Takes a role away (audited). Refused when it is the practice's last admin (someone must
    /// be able to manage it); taking away a role the user does not hold is not an error.
    pub async fn revoke_role(
        &self,
        actor: &Actor,
        user_id: i64,
        practice_id: i64,
        role: &str,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        if role == "admin" {
            let others: i64 = sqlx::query(
                "SELECT COUNT(*) FROM user_role r JOIN app_user u ON u.id = r.user_id \
                 WHERE r.practice_id = $1 AND r.role = 'admin' AND r.user_id <> $2 AND u.disabled = 0",
            )
            .bind(practice_id)
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await
            .ctx("counting admins")?
            .get(0);
            need(others > 0, || {
                format!(
                    "practice {practice_id} would have no admin left: grant admin to someone else first"
                )
            })?;
        }
        let n = sqlx::query(
            "DELETE FROM user_role WHERE user_id = $1 AND practice_id = $2 AND role = $3",
        )
        .bind(user_id)
        .bind(practice_id)
        .bind(role)
        .execute(&mut *tx)
        .await
        .ctx("revoking a role")?
        .rows_affected();
        if n > 0 {
            audit(&mut tx, actor, "revoke", "user_role", Some(user_id), Some(practice_id), role)
                .await?;
        }
        tx.commit().await.ctx("saving the roles")
    }

    /// Practices with their details, by ID (all when `ids` is `None`).
    pub async fn practice_items(&self, ids: Option<&[i64]>) -> Result<Vec<PracticeItem>> {
        let rows = sqlx::query(
            "SELECT id, name, npi, tax_id, taxonomy, address, city, state, zip, claim_prefix, org_id FROM practice ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .ctx("listing practices")?;
        Ok(rows
            .iter()
            .filter(|r| ids.is_none_or(|ids| ids.contains(&r.get::<i64, _>(0))))
            .map(|r| PracticeItem {
                id: r.get(0),
                practice: NewPractice {
                    org_id: r.get(10),
                    name: r.get(1),
                    npi: r.get(2),
                    tax_id: r.get(3),
                    taxonomy: r.get(4),
                    address: r.get(5),
                    city: r.get(6),
                    state: r.get(7),
                    zip: r.get(8),
                    claim_prefix: r.get(9),
                },
            })
            .collect())
    }

    /// Adds a practice and makes `admin_user` its admin, in one transaction (audited). The claim
    /// prefix must be unused: patient control numbers are unique across the billing service.
    pub async fn add_practice(
        &self,
        actor: &Actor,
        p: &NewPractice,
        admin_user: i64,
    ) -> Result<i64> {
        need(!p.name.trim().is_empty(), || "practice name: required".into())?;
        need(p.tax_id.len() == 9 && p.tax_id.bytes().all(|b| b.is_ascii_digit()), || {
            format!("tax ID {:?}: nine digits (the EIN without its dash)", p.tax_id)
        })?;
        let taken = sqlx::query(
            "SELECT name FROM practice WHERE org_id = $1 AND (upper(claim_prefix) = upper($2) OR lower(name) = lower($3))",
        )
        .bind(p.org_id)
        .bind(&p.claim_prefix)
        .bind(p.name.trim())
        .fetch_optional(&self.pool)
        .await
        .ctx("reading practices")?;
        if let Some(r) = taken {
            let other: String = r.get(0);
            return Err(Error::Invalid(if other.eq_ignore_ascii_case(p.name.trim()) {
                format!("a practice is already named {other:?}: choose another name")
            } else {
                format!("claim prefix {:?} is practice {other:?}'s: choose another", p.claim_prefix)
            }));
        }
        self.create_practice_with_admin(actor, p, Some(admin_user)).await
    }

    /// The payers of an organization, by name.
    pub async fn payer_items(&self, org_id: i64) -> Result<Vec<PayerItem>> {
        let rows = sqlx::query(
            "SELECT id, name, payer_code, filing_indicator, timely_filing_days, appeal_days, trading_partner_id \
             FROM payer WHERE org_id = $1 ORDER BY name, id",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await
        .ctx("listing payers")?;
        Ok(rows
            .iter()
            .map(|r| PayerItem {
                id: r.get(0),
                name: r.get(1),
                code: r.get(2),
                filing_indicator: r.get(3),
                timely_filing_days: r.get(4),
                appeal_days: r.get(5),
                trading_partner: r.get(6),
            })
            .collect())
    }

    /// Adds a payer (audited).
    pub async fn add_payer(&self, actor: &Actor, org_id: i64, p: &PayerItem) -> Result<i64> {
        let p = &PayerItem { id: 0, ..p.clone() };
        check_payer(p)?;
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        self.check_payer_refs(&mut tx, org_id, p).await?;
        let id = insert(
            &mut tx,
            "payer",
            &[
                ("org_id", org_id.into()),
                ("name", p.name.trim().into()),
                ("payer_code", (&p.code).into()),
                ("filing_indicator", (&p.filing_indicator).into()),
                ("timely_filing_days", p.timely_filing_days.into()),
                ("appeal_days", p.appeal_days.into()),
                ("trading_partner_id", p.trading_partner.into()),
            ],
        )
        .await?;
        audit(&mut tx, actor, "create", "payer", Some(id), None, &p.code).await?;
        tx.commit().await.ctx("saving the payer")?;
        Ok(id)
    }

    /// Changes a payer of the organization (audited); the change applies to claims built from
    /// now on.
    pub async fn update_payer(&self, actor: &Actor, org_id: i64, p: &PayerItem) -> Result<()> {
        check_payer(p)?;
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        self.check_payer_refs(&mut tx, org_id, p).await?;
        let n = sqlx::query(
            "UPDATE payer SET name = $1, payer_code = $2, filing_indicator = $3, timely_filing_days = $4, \
             appeal_days = $5, trading_partner_id = $6 WHERE id = $7 AND org_id = $8",
        )
        .bind(p.name.trim())
        .bind(&p.code)
        .bind(&p.filing_indicator)
        .bind(p.timely_filing_days)
        .bind(p.appeal_days)
        .bind(p.trading_partner)
        .bind(p.id)
        .bind(org_id)
        .execute(&mut *tx)
        .await
        .ctx("changing a payer")?
        .rows_affected();
        if n == 0 {
            return Err(Error::NotFound(format!("payer {}", p.id)));
        }
        audit(&mut tx, actor, "update", "payer", Some(p.id), None, &p.code).await?;
        tx.commit().await.ctx("saving the payer")
    }

    /// A payer's ID is another payer's, or its clearinghouse is not the organization's.
    async fn check_payer_refs(
        &self,
        conn: &mut sqlx::AnyConnection,
        org_id: i64,
        p: &PayerItem,
    ) -> Result<()> {
        let other = sqlx::query(
            "SELECT name FROM payer WHERE org_id = $1 AND upper(payer_code) = upper($2) AND id <> $3",
        )
        .bind(org_id)
        .bind(&p.code)
        .bind(p.id)
        .fetch_optional(&mut *conn)
        .await
        .ctx("reading payers")?;
        if let Some(r) = other {
            let name: String = r.get(0);
            return Err(Error::Invalid(format!(
                "payer ID {:?} is {name:?}'s: each payer has its own",
                p.code
            )));
        }
        let Some(id) = p.trading_partner else { return Ok(()) };
        let found = sqlx::query("SELECT 1 FROM trading_partner WHERE id = $1 AND org_id = $2")
            .bind(id)
            .bind(org_id)
            .fetch_optional(&mut *conn)
            .await
            .ctx("reading trading partners")?;
        need(found.is_some(), || format!("trading partner {id}: no such clearinghouse"))
    }

    /// The organization's clearinghouses (trading partners): ID and name.
    pub async fn trading_partner_names(&self, org_id: i64) -> Result<Vec<(i64, String)>> {
        let rows =
            sqlx::query("SELECT id, name FROM trading_partner WHERE org_id = $1 ORDER BY name")
                .bind(org_id)
                .fetch_all(&self.pool)
                .await
                .ctx("listing trading partners")?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// A practice's fee schedule, by code and modifier.
    pub async fn fees(&self, practice_id: i64) -> Result<Vec<FeeItem>> {
        let rows = sqlx::query(
            "SELECT code, modifier, charge_cents FROM fee_schedule WHERE practice_id = $1 ORDER BY code, modifier",
        )
        .bind(practice_id)
        .fetch_all(&self.pool)
        .await
        .ctx("reading the fee schedule")?;
        Ok(rows
            .iter()
            .map(|r| FeeItem { code: r.get(0), modifier: r.get(1), charge_cents: r.get(2) })
            .collect())
    }

    /// Sets one fee (audited with the old and new charge); charges already on claims stay.
    pub async fn change_fee(&self, actor: &Actor, practice_id: i64, f: &FeeItem) -> Result<()> {
        let f = FeeItem {
            code: f.code.trim().to_ascii_uppercase(),
            modifier: f.modifier.trim().to_ascii_uppercase(),
            charge_cents: f.charge_cents,
        };
        check_fee(&f)?;
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let old = self.fee_in(&mut tx, practice_id, &f.code, &f.modifier).await?;
        sqlx::query(
            "INSERT INTO fee_schedule (practice_id, code, modifier, charge_cents) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (practice_id, code, modifier) DO UPDATE SET charge_cents = excluded.charge_cents",
        )
        .bind(practice_id)
        .bind(&f.code)
        .bind(&f.modifier)
        .bind(f.charge_cents)
        .execute(&mut *tx)
        .await
        .ctx("setting a fee")?;
        let detail = format!(
            "{}{}{}: {} -> {}",
            f.code,
            if f.modifier.is_empty() { "" } else { "-" },
            f.modifier,
            old.map_or("none".into(), |c| c.to_string()),
            f.charge_cents
        );
        audit(&mut tx, actor, "set fee", "fee_schedule", None, Some(practice_id), &detail).await?;
        tx.commit().await.ctx("saving the fee")
    }

    /// Removes a fee (audited); a code without a fee is billed at the charge typed on the
    /// encounter.
    pub async fn remove_fee(
        &self,
        actor: &Actor,
        practice_id: i64,
        code: &str,
        modifier: &str,
    ) -> Result<()> {
        let (code, modifier) =
            (code.trim().to_ascii_uppercase(), modifier.trim().to_ascii_uppercase());
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let old = self.fee_in(&mut tx, practice_id, &code, &modifier).await?;
        let Some(old) = old else {
            return Err(Error::NotFound(format!("fee for {code}")));
        };
        sqlx::query(
            "DELETE FROM fee_schedule WHERE practice_id = $1 AND code = $2 AND modifier = $3",
        )
        .bind(practice_id)
        .bind(&code)
        .bind(&modifier)
        .execute(&mut *tx)
        .await
        .ctx("removing a fee")?;
        let detail = format!(
            "{code}{}{modifier}: {old} -> none",
            if modifier.is_empty() { "" } else { "-" }
        );
        audit(&mut tx, actor, "remove fee", "fee_schedule", None, Some(practice_id), &detail)
            .await?;
        tx.commit().await.ctx("saving the fee schedule")
    }

    async fn fee_in(
        &self,
        conn: &mut sqlx::AnyConnection,
        practice_id: i64,
        code: &str,
        modifier: &str,
    ) -> Result<Option<i64>> {
        let r = sqlx::query(
            "SELECT charge_cents FROM fee_schedule WHERE practice_id = $1 AND code = $2 AND modifier = $3",
        )
        .bind(practice_id)
        .bind(code)
        .bind(modifier)
        .fetch_optional(&mut *conn)
        .await
        .ctx("reading the fee schedule")?;
        Ok(r.map(|r| r.get(0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payer() -> PayerItem {
        PayerItem {
            id: 0,
            name: "Acme Health".into(),
            code: "ACME1".into(),
            filing_indicator: "CI".into(),
            timely_filing_days: 180,
            appeal_days: 60,
            trading_partner: None,
        }
    }

    #[test]
    fn logins_payers_and_fees_are_checked() {
        assert!(check_login("biller-a").is_ok());
        assert!(check_login("j.doe@example.com").is_ok());
        for bad in ["ab", "has space", "semi;colon", &"x".repeat(65)] {
            assert!(check_login(bad).is_err(), "{bad}");
        }
        assert!(check_payer(&payer()).is_ok());
        let e = check_payer(&PayerItem { filing_indicator: "XX".into(), ..payer() }).unwrap_err();
        assert!(e.to_string().contains("filing indicator \"XX\""), "{e}");
        assert!(check_payer(&PayerItem { timely_filing_days: 0, ..payer() }).is_err());
        assert!(check_payer(&PayerItem { code: "A B".into(), ..payer() }).is_err());
        let fee = FeeItem { code: "99213".into(), modifier: String::new(), charge_cents: 12_500 };
        assert!(check_fee(&fee).is_ok());
        assert!(check_fee(&FeeItem { modifier: "25".into(), ..fee.clone() }).is_ok());
        assert!(check_fee(&FeeItem { code: "9921".into(), ..fee.clone() }).is_err());
        assert!(check_fee(&FeeItem { modifier: "2".into(), ..fee.clone() }).is_err());
        assert!(check_fee(&FeeItem { charge_cents: -1, ..fee }).is_err());
    }
}
