//! Claims: built from coded encounters, scrubbed, moved through the lifecycle (every transition
//! checked by `ledger::lifecycle` and recorded with who, when and why), and submitted in batches.

use std::collections::{HashMap, HashSet};

use futures_util::TryStreamExt;

use claim_model::{Address, Cents, Claim, ClaimKind, Poa};
use code_sets::Date;
use ledger::build::{ChargeFacts, CoverageFacts, EncounterToBill, PersonFacts, ProviderFacts};
use ledger::lifecycle::ClaimState;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::sql::{V, audit, date, id_list, insert, insert_many, new_ids, reserve, serialize};
use crate::{Actor, Context, Error, Result, Store};

/// What `build_claims` did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct BuildSummary {
    /// Claims created for payers.
    pub claims: usize,
    /// Their total charge.
    pub total_cents: i64,
    /// Self-pay claims (no coverage on the date of service): billed to the patient.
    pub self_pay: usize,
    /// Their total charge.
    pub self_pay_cents: i64,
    /// Encounters left unbilled, with the reason.
    pub skipped: Vec<(i64, String)>,
}

/// A claim as stored.
#[derive(Clone, Debug)]
pub struct StoredClaim {
    /// ID.
    pub id: i64,
    /// Practice.
    pub practice_id: i64,
    /// Payer.
    pub payer_id: i64,
    /// The claim as it goes out.
    pub claim: Claim,
    /// Lifecycle state.
    pub state: ClaimState,
    /// The payer's trading partner, when set.
    pub trading_partner_id: Option<i64>,
}

/// A claim sent in a batch, as the batch records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchedClaim {
    /// The claim.
    pub claim_id: i64,
    /// ST02 of its transaction set.
    pub set_control: String,
    /// GS06 of its functional group.
    pub group_control: i64,
}

/// A batch to record.
#[derive(Clone, Debug)]
pub struct NewBatch {
    /// The clearinghouse.
    pub trading_partner_id: i64,
    /// The business date of the submission (the claims' `submitted_at`, what reports count by).
    pub date: Date,
    /// ISA13.
    pub interchange_control: i64,
    /// `837P`, `837I` or `837` (both).
    pub kind: String,
    /// Where the file was written.
    pub file_name: String,
    /// SHA-256 of the file.
    pub sha256: String,
    /// The claims in it.
    pub claims: Vec<BatchedClaim>,
}

fn person(r: &AnyRow, pre: &str) -> PersonFacts {
    let g = |c: &str| r.get::<String, _>(format!("{pre}{c}").as_str());
    PersonFacts {
        last: g("last_name"),
        first: g("first_name"),
        birth_date: g("birth_date").parse().ok(),
        sex: g("sex").chars().next().unwrap_or('U'),
        address: Some(Address {
            lines: vec![g("address").into()],
            city: g("city").into(),
            state: g("state").into(),
            postal_code: g("zip").into(),
            country: Default::default(),
        }),
    }
}

pub(crate) fn poa(s: &str) -> Option<Poa> {
    Some(match s {
        "Y" => Poa::Yes,
        "N" => Poa::No,
        "U" => Poa::Unknown,
        "W" => Poa::Undetermined,
        "1" => Poa::Exempt,
        _ => return None,
    })
}

impl Store {
    /// The patient control number prefix and organization of each practice.
    async fn prefixes(
        &self,
        conn: &mut sqlx::AnyConnection,
    ) -> Result<HashMap<i64, (String, i64)>> {
        let rows = sqlx::query("SELECT id, claim_prefix, org_id FROM practice")
            .fetch_all(conn)
            .await
            .ctx("reading practices")?;
        Ok(rows.iter().map(|r| (r.get::<i64, _>(0), (r.get(1), r.get(2)))).collect())
    }

    /// Hands each coded encounter not yet billed (one practice, or all), at most `limit` of
    /// them in ID order, to `each` as it is read.
    async fn encounters_to_bill(
        &self,
        conn: &mut sqlx::AnyConnection,
        practice: Option<i64>,
        limit: i64,
        each: impl FnMut(EncounterToBill, i64, i64) -> Result<()>,
    ) -> Result<()> {
        let filter = format!("{TO_BILL} ORDER BY e.id LIMIT {limit}");
        self.encounters_each(conn, &filter, practice.unwrap_or(0), each).await
    }

    /// Loads the encounters `filter` selects (SQL over `encounter e`, `$1` bound to `p`), in ID
    /// order, with their practice and patient IDs.
    pub(crate) async fn encounters_where(
        &self,
        conn: &mut sqlx::AnyConnection,
        filter: &str,
        p: i64,
    ) -> Result<Vec<(EncounterToBill, i64, i64)>> {
        let mut out = Vec::new();
        let filter = format!("{filter} ORDER BY e.id");
        self.encounters_each(conn, &filter, p, |e, practice, patient| {
            out.push((e, practice, patient));
            Ok(())
        })
        .await?;
        Ok(out)
    }

    /// Reads the encounters `filter` selects (SQL over `encounter e` after `WHERE`, with its
    /// order and limit; `$1` bound to `p`): one row per encounter, its diagnoses, procedures,
    /// charges and the coverages in force on its date aggregated into text (fields split by
    /// U+001F, records by U+001E), so that a large build reads as many rows as encounters. Each
    /// is handed to `each` (with its practice and patient IDs) as it arrives, while the server
    /// works out the next ones.
    async fn encounters_each(
        &self,
        conn: &mut sqlx::AnyConnection,
        filter: &str,
        p: i64,
        mut each: impl FnMut(EncounterToBill, i64, i64) -> Result<()>,
    ) -> Result<()> {
        let agg = |expr: &str, from: &str, order: &str| match self.backend {
            crate::Backend::Sqlite => format!(
                "(SELECT group_concat(x, char(30)) FROM (SELECT {expr} AS x FROM {from} ORDER BY {order}))"
            ),
            crate::Backend::Postgres => {
                format!("(SELECT string_agg({expr}, chr(30) ORDER BY {order}) FROM {from})")
            }
        };
        let us = match self.backend {
            crate::Backend::Sqlite => "char(31)",
            crate::Backend::Postgres => "chr(31)",
        };
        let cat = |cols: &[&str]| cols.join(&format!(" || {us} || "));
        let dx = agg(
            &cat(&["d.code", "d.poa"]),
            "encounter_diagnosis d WHERE d.encounter_id = e.id",
            "d.seq",
        );
        let px = agg(
            &cat(&["d.code", "COALESCE(d.performed, '')"]),
            "encounter_procedure d WHERE d.encounter_id = e.id",
            "d.seq",
        );
        let ch = agg(
            &cat(&[
                "c.code",
                "c.modifiers",
                "c.revenue_code",
                "CAST(c.units AS TEXT)",
                "CAST(c.charge_cents AS TEXT)",
                "c.service_date",
                "c.pointers",
            ]),
            "charge c WHERE c.encounter_id = e.id",
            "c.seq",
        );
        let cov = agg(
            &cat(&[
                "CAST(c.id AS TEXT)",
                "CAST(c.payer_id AS TEXT)",
                "CAST(c.rank AS TEXT)",
                "c.member_id",
                "c.group_number",
                "c.relationship",
                "c.subscriber_last",
                "c.subscriber_first",
                "c.subscriber_birth_date",
                "c.subscriber_sex",
                "c.msp_type",
            ]),
            "coverage c WHERE c.patient_id = e.patient_id AND c.effective_from <= e.service_date AND e.service_date <= c.effective_to",
            "c.rank",
        );
        let providers: HashMap<i64, ProviderFacts> = sqlx::query(
            "SELECT id, npi, last_name, first_name, taxonomy FROM provider WHERE ($1 = 0 OR practice_id = $1)",
        )
        .bind(p)
        .fetch_all(&mut *conn)
        .await
        .ctx("reading providers")?
        .iter()
        .map(|r| {
            (
                r.get::<i64, _>(0),
                ProviderFacts { npi: r.get(1), last: r.get(2), first: r.get(3), taxonomy: r.get(4), ..Default::default() },
            )
        })
        .collect();
        let practices: HashMap<i64, ProviderFacts> = sqlx::query(
            "SELECT id, name, npi, tax_id, taxonomy, address, city, state, zip FROM practice",
        )
        .fetch_all(&mut *conn)
        .await
        .ctx("reading practices")?
        .iter()
        .map(|r| {
            (
                r.get::<i64, _>(0),
                ProviderFacts {
                    last: r.get(1),
                    first: String::new(),
                    npi: r.get(2),
                    tax_id: r.get(3),
                    taxonomy: r.get(4),
                    address: Some(Address {
                        lines: vec![r.get::<String, _>(5).into()],
                        city: r.get::<String, _>(6).into(),
                        state: r.get::<String, _>(7).into(),
                        postal_code: r.get::<String, _>(8).into(),
                        country: Default::default(),
                    }),
                },
            )
        })
        .collect();
        let payers: HashMap<i64, (String, String, String)> =
            sqlx::query("SELECT id, name, payer_code, filing_indicator FROM payer")
                .fetch_all(&mut *conn)
                .await
                .ctx("reading payers")?
                .iter()
                .map(|r| (r.get::<i64, _>(0), (r.get(1), r.get(2), r.get(3))))
                .collect();
        let sql = format!(
            "SELECT e.id, e.practice_id, e.patient_id, e.kind, e.service_date, e.admission_date, e.discharge_date, \
             e.discharge_status, e.type_of_bill, e.rendering_id, e.operating_id, e.referring_id, \
             p.last_name AS p_last_name, p.first_name AS p_first_name, p.birth_date AS p_birth_date, p.sex AS p_sex, \
             p.address AS p_address, p.city AS p_city, p.state AS p_state, p.zip AS p_zip, \
             COALESCE(l.place_of_service, '11') AS pos, {dx} AS dx, {px} AS px, {ch} AS ch, {cov} AS cov \
             FROM encounter e JOIN patient p ON p.id = e.patient_id LEFT JOIN location l ON l.id = e.location_id \
             WHERE {filter}"
        );
        let records = |r: &AnyRow, col: &str| -> Vec<Vec<String>> {
            let text: Option<String> = r.get(col);
            text.filter(|t| !t.is_empty())
                .map(|t| {
                    t.split('\u{1e}')
                        .map(|rec| rec.split('\u{1f}').map(str::to_string).collect())
                        .collect()
                })
                .unwrap_or_default()
        };
        let field = |rec: &[String], i: usize| rec.get(i).cloned().unwrap_or_default();
        let mut rows = sqlx::query(&sql).bind(p).fetch(&mut *conn);
        while let Some(row) = rows.try_next().await.ctx("reading encounters to bill")? {
            let r = &row;
            let id: i64 = r.get("id");
            let practice_id: i64 = r.get("practice_id");
            let service = date(r, "service_date").unwrap_or(Date::fiscal_year_start(2000));
            let kind: String = r.get("kind");
            let institutional = kind != "professional";
            let provider =
                |col: &str| r.get::<Option<i64>, _>(col).and_then(|i| providers.get(&i).cloned());
            let coverages: Vec<CoverageFacts> = records(r, "cov")
                .iter()
                .map(|c| {
                    let payer_id: i64 = field(c, 1).parse().unwrap_or(0);
                    let (name, code, fi) = payers.get(&payer_id).cloned().unwrap_or_default();
                    let sub_last = field(c, 6);
                    CoverageFacts {
                        id: field(c, 0).parse().unwrap_or(0),
                        payer_id,
                        rank: field(c, 2).parse().unwrap_or(1),
                        payer: (name, code),
                        filing_indicator: fi,
                        member_id: field(c, 3),
                        group_number: field(c, 4),
                        relationship: field(c, 5),
                        subscriber: (!sub_last.is_empty()).then(|| PersonFacts {
                            last: sub_last.clone(),
                            first: field(c, 7),
                            birth_date: field(c, 8).parse().ok(),
                            sex: field(c, 9).chars().next().unwrap_or('U'),
                            address: None,
                        }),
                        msp_type: field(c, 10),
                    }
                })
                .collect();
            let charges: Vec<ChargeFacts> = records(r, "ch")
                .iter()
                .map(|c| ChargeFacts {
                    code: field(c, 0),
                    modifiers: field(c, 1)
                        .split(',')
                        .filter(|m| !m.is_empty())
                        .map(str::to_string)
                        .collect(),
                    revenue_code: field(c, 2),
                    units: field(c, 3).parse().unwrap_or(1000),
                    charge: Cents(field(c, 4).parse().unwrap_or(0)),
                    date: field(c, 5).parse().unwrap_or(service),
                    pointers: field(c, 6).split(',').filter_map(|p| p.parse().ok()).collect(),
                })
                .collect();
            let enc = EncounterToBill {
                encounter_id: id,
                kind: if institutional {
                    ClaimKind::Institutional
                } else {
                    ClaimKind::Professional
                },
                billing: practices.get(&practice_id).cloned().unwrap_or_default(),
                rendering: provider("rendering_id"),
                operating: provider("operating_id"),
                referring: provider("referring_id"),
                place_of_service: r.get("pos"),
                type_of_bill: r.get("type_of_bill"),
                admission: date(r, "admission_date"),
                discharge: date(r, "discharge_date"),
                discharge_status: r.get("discharge_status"),
                patient: person(r, "p_"),
                diagnoses: records(r, "dx")
                    .iter()
                    .map(|d| (field(d, 0), poa(&field(d, 1))))
                    .collect(),
                procedures: records(r, "px")
                    .iter()
                    .map(|d| (field(d, 0), field(d, 1).parse().ok()))
                    .collect(),
                charges,
                coverages,
            };
            each(enc, practice_id, r.get("patient_id"))?;
        }
        Ok(())
    }

    /// Builds the primary claim of every coded encounter not yet billed (one practice, or all),
    /// in one transaction: the claim (837P or 837I, with `drg` naming the MS-DRG of an
    /// inpatient claim), its lines, a charge entry per line owed by the primary payer, and the
    /// `draft` state; the encounter becomes `billed`. Encounters with no charges or no coverage in
    /// force on the date of service are left coded and listed in the summary.
    pub async fn build_claims(
        &self,
        actor: &Actor,
        practice: Option<i64>,
        today: Date,
        drg: &(dyn Fn(&Claim) -> String + Sync),
    ) -> Result<BuildSummary> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        // Two builds at once would both read the same coded encounters and bill them twice.
        serialize(&mut tx, "claim builds").await?;
        let prefixes = self.prefixes(&mut tx).await?;
        // The claims' IDs (part of their patient control numbers) are reserved before the
        // encounters are read, so that each claim is made as its encounter arrives, while the
        // server reads the next. An encounter coded after the count waits for the next build.
        let count: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM encounter e WHERE {TO_BILL}"))
            .bind(practice.unwrap_or(0))
            .fetch_one(&mut *tx)
            .await
            .ctx("counting encounters to bill")?
            .get(0);
        let first_id = reserve(&mut tx, "claim", count).await?;
        let mut made = Made {
            first_id,
            today,
            prefixes: &prefixes,
            drg,
            summary: BuildSummary::default(),
            claims: Vec::new(),
            lines: Vec::new(),
            journal: Vec::new(),
        };
        // Self-pay encounters (no coverage in force) wait for their coverages, made below.
        let mut self_pay = Vec::new();
        let mut n = 0;
        self.encounters_to_bill(&mut tx, practice, count, |enc, practice_id, patient_id| {
            if enc.coverages.is_empty() && !enc.charges.is_empty() {
                self_pay.push((n, enc, practice_id, patient_id));
            } else {
                made.add(n, &enc, practice_id, patient_id, false)?;
            }
            n += 1;
            Ok(())
        })
        .await?;
        // No coverage in force on the date of service: the patient pays. The claim goes to the
        // org's self-pay payer (filing indicator 09) through a one-day self-pay coverage, its
        // charges are owed by the patient, and it waits for the next statement. The coverages
        // are inserted together.
        let mut self_pay_ids = new_ids(&mut tx, "coverage", self_pay.len()).await?.into_iter();
        let mut self_pay_rows: Vec<Vec<V>> = Vec::with_capacity(self_pay.len());
        let mut self_pay_payers: HashMap<i64, i64> = HashMap::new();
        for (n, mut enc, practice_id, patient_id) in self_pay {
            let org_id = prefixes.get(&practice_id).map(|p| p.1).unwrap_or_default();
            let payer_id = match self_pay_payers.get(&org_id) {
                Some(p) => *p,
                None => {
                    let p = self_pay_payer(&mut tx, org_id).await?;
                    self_pay_payers.insert(org_id, p);
                    p
                }
            };
            let on = enc.charges.iter().map(|c| c.date).min().or(enc.admission).unwrap_or(today);
            let coverage_id = self_pay_ids
                .next()
                .ok_or_else(|| Error::Invalid("self-pay coverage IDs ran out".into()))?;
            self_pay_rows.push(vec![
                V::I(coverage_id),
                V::I(patient_id),
                V::I(payer_id),
                V::I(1),
                V::T("SELF".into()),
                V::T(on.to_string()),
                V::T(on.to_string()),
            ]);
            enc.coverages = vec![CoverageFacts {
                id: coverage_id,
                payer_id,
                rank: 1,
                payer: (SELF_PAY_NAME.into(), SELF_PAY_CODE.into()),
                filing_indicator: "09".into(),
                member_id: "SELF".into(),
                group_number: String::new(),
                relationship: "18".into(),
                subscriber: None,
                msp_type: String::new(),
            }];
            made.add(n, &enc, practice_id, patient_id, true)?;
        }
        let Made { summary, claims, lines, journal, .. } = made;
        let now = crate::now();
        insert_many(
            &mut tx,
            "coverage",
            &[
                "id",
                "patient_id",
                "payer_id",
                "rank",
                "member_id",
                "effective_from",
                "effective_to",
            ],
            &self_pay_rows,
        )
        .await?;
        insert_claims(&mut tx, claims, &now).await?;
        insert_many(&mut tx, "claim_line", LINE_COLUMNS, &lines).await?;
        crate::journal::append(&mut tx, &journal).await?;
        // The claims of this build are the IDs reserved above: their creation events and their
        // encounters' new status are written from them in one statement each.
        let last_id = first_id + count - 1;
        sqlx::query(
            "INSERT INTO claim_event (claim_id, at, actor, from_state, to_state, reason) \
             SELECT claim_id, $1, $2, '', state, CASE WHEN state = 'patient_billed' \
             THEN 'built from encounter: self-pay, the patient is billed' ELSE 'built from encounter' END \
             FROM claim_status WHERE claim_id BETWEEN $3 AND $4",
        )
        .bind(now.as_str())
        .bind(actor.0.as_str())
        .bind(first_id)
        .bind(last_id)
        .execute(&mut *tx)
        .await
        .ctx("recording the claims built")?;
        sqlx::query(
            "UPDATE encounter SET status = 'billed' \
             WHERE id IN (SELECT encounter_id FROM claim_row WHERE id BETWEEN $1 AND $2)",
        )
        .bind(first_id)
        .bind(last_id)
        .execute(&mut *tx)
        .await
        .ctx("marking encounters billed")?;
        audit(
            &mut tx,
            actor,
            "build",
            "claim",
            None,
            practice,
            &format!("{} claims", summary.claims),
        )
        .await?;
        tx.commit().await.ctx("saving the claims")?;
        self.refresh_statistics(
            summary.claims,
            &["claim_row", "claim_status", "claim_body", "claim_line", "journal"],
        )
        .await;
        Ok(summary)
    }

    /// Builds the claims for the next payer: for each primary claim paid (in full or in part)
    /// whose patient has a secondary coverage in force on the date of service, that still owes
    /// part of the claim, and that did not receive the claim from the primary itself (a
    /// crossover, CLP02 19–21), a claim to the secondary payer with the other payer's loops
    /// (2320/2330, and each line's 2430) built from the primary's remittance; the primary claim
    /// becomes `secondary_billed`. One transaction.
    pub async fn build_secondary_claims(&self, actor: &Actor, today: Date) -> Result<BuildSummary> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        serialize(&mut tx, "claim builds").await?;
        let candidates = sqlx::query(
            "SELECT c.id, c.encounter_id, c.practice_id, c.patient_id, c.org_id FROM claim c \
             WHERE c.rank = 1 AND c.state IN ('paid', 'partially_paid') \
             AND NOT EXISTS (SELECT 1 FROM claim s WHERE s.account_id = c.id AND s.rank > 1) ORDER BY c.id",
        )
        .fetch_all(&mut *tx)
        .await
        .ctx("finding claims for the next payer")?;
        let prefixes = self.prefixes(&mut tx).await?;
        let now = crate::now();
        let mut summary = BuildSummary::default();
        for row in candidates {
            let (primary, encounter, practice_id, patient_id, org_id): (i64, i64, i64, i64, i64) =
                (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4));
            let last = sqlx::query(
                "SELECT adjudication, body, payer_id FROM remit_claim WHERE claim_id = $1 AND reversed_by IS NULL AND status <> '22' ORDER BY id DESC LIMIT 1",
            )
            .bind(primary)
            .fetch_optional(&mut *tx)
            .await
            .ctx("reading the primary's remittance")?;
            let Some(last) = last else { continue };
            if last.get::<String, _>(0) == "forwarded" {
                continue;
            }
            let pay: claim_model::ClaimPayment = serde_json::from_str(&last.get::<String, _>(1))
                .map_err(|e| {
                    Error::Invalid(format!("claim {primary}: stored remittance unreadable: {e}"))
                })?;
            let mut encs = self
                .encounters_where(&mut tx, &format!("e.id = {encounter} AND $1 = $1"), 0)
                .await?;
            let Some((enc, _, _)) = encs.pop() else { continue };
            let Some(second) = enc.coverages.iter().find(|c| c.rank == 2).cloned() else {
                continue;
            };
            let owed: i64 = sqlx::query(
                "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM journal WHERE claim_id = $1 AND party = 'payer' AND payer_id = $2",
            )
            .bind(primary)
            .bind(second.payer_id)
            .fetch_one(&mut *tx)
            .await
            .ctx("reading the secondary's balance")?
            .get(0);
            if owed <= 0 {
                continue;
            }
            let billed: Vec<ledger::posting::LineToPost> = enc
                .charges
                .iter()
                .map(|c| ledger::posting::LineToPost {
                    procedure: c.code.clone(),
                    modifiers: c.modifiers.clone(),
                    revenue_code: c.revenue_code.clone(),
                    charge: c.charge,
                })
                .collect();
            let matched = ledger::posting::match_lines(&billed, &pay.lines);
            let primary_cov = enc.coverages.iter().find(|c| c.rank == 1).map(|c| c.id).unwrap_or(0);
            let prior = ledger::build::PriorPayment {
                coverage_id: primary_cov,
                payer_claim_number: pay.payer_claim_number.to_string(),
                paid: pay.paid,
                adjustments: pay.adjustments.clone(),
                lines: pay
                    .lines
                    .iter()
                    .zip(&matched)
                    .filter_map(|(l, m)| m.map(|m| (m, l.paid, l.adjustments.clone())))
                    .collect(),
                date: Some(today),
            };
            let id = reserve(&mut tx, "claim", 1).await?;
            let (prefix, _) = prefixes.get(&practice_id).cloned().unwrap_or_default();
            let pcn =
                ledger::build::patient_control_number(&prefix, id as u64).ok_or_else(|| {
                    Error::Invalid(format!(
                        "patient control number {prefix}{id} is longer than 17 characters"
                    ))
                })?;
            let Some(claim) = ledger::build::claim_for(&enc, 2, &pcn, std::slice::from_ref(&prior))
            else {
                continue;
            };
            let body = serde_json::to_string(&claim)
                .map_err(|e| Error::Invalid(format!("claim {pcn}: {e}")))?;
            let from = claim.from.unwrap_or(today);
            let row = NewClaimRow {
                id,
                org_id,
                practice_id,
                patient_id,
                encounter_id: encounter,
                coverage_id: second.id,
                payer_id: second.payer_id,
                rank: 2,
                account_id: primary,
                kind: kind_name(enc.kind),
                pcn: pcn.clone(),
                frequency: "1",
                replaces_id: None,
                total_cents: claim.total_charge.0,
                service_from: from.to_string(),
                service_to: claim.to.unwrap_or(from).to_string(),
                drg: String::new(),
                body,
                state: "draft",
            };
            insert_claims(&mut tx, vec![row], &now).await?;
            insert_many(&mut tx, "claim_line", LINE_COLUMNS, &line_values(id, &claim, from))
                .await?;
            insert_many(
                &mut tx,
                "claim_event",
                &["claim_id", "at", "actor", "from_state", "to_state", "reason"],
                &[vec![
                    V::I(id),
                    V::T(now.clone()),
                    V::T(actor.0.clone()),
                    V::T(String::new()),
                    V::T("draft".into()),
                    V::T(format!("secondary claim of {}", primary)),
                ]],
            )
            .await?;
            move_claim(
                &mut tx,
                actor,
                primary,
                ClaimState::SecondaryBilled,
                &format!("secondary claim {pcn} built"),
            )
            .await?;
            summary.claims += 1;
            summary.total_cents += owed;
        }
        audit(
            &mut tx,
            actor,
            "build",
            "claim",
            None,
            None,
            &format!("{} secondary claims", summary.claims),
        )
        .await?;
        tx.commit().await.ctx("saving the secondary claims")?;
        Ok(summary)
    }

    /// Claims in the given states (of one practice, or all), oldest first.
    pub async fn claims_in(
        &self,
        states: &[ClaimState],
        practice: Option<i64>,
    ) -> Result<Vec<StoredClaim>> {
        let mut out = Vec::new();
        self.claims_each(states, practice, |c| {
            out.push(c);
            Ok(())
        })
        .await?;
        Ok(out)
    }

    /// Hands each claim in the given states (of one practice, or all), oldest first, to `each`
    /// as it is read, while the server sends the next (the first error stops the read).
    pub async fn claims_each(
        &self,
        states: &[ClaimState],
        practice: Option<i64>,
        mut each: impl FnMut(StoredClaim) -> Result<()>,
    ) -> Result<()> {
        let names: Vec<String> = states.iter().map(|s| format!("'{}'", s.as_str())).collect();
        let sql = format!(
            "SELECT c.id, c.practice_id, c.payer_id, b.body, c.state, y.trading_partner_id FROM claim c \
             JOIN claim_body b ON b.claim_id = c.id JOIN payer y ON y.id = c.payer_id WHERE c.state IN ({}) AND ($1 = 0 OR c.practice_id = $1) ORDER BY c.id",
            names.join(",")
        );
        // Each row is read as it arrives (100,000 claim bodies are 170 MB of JSON: not all held
        // as text at once, and read while the server is still sending).
        let mut rows = sqlx::query(&sql).bind(practice.unwrap_or(0)).fetch(&self.pool);
        while let Some(r) = rows.try_next().await.ctx("reading claims")? {
            each(stored_claim(&r)?)?;
        }
        Ok(())
    }

    /// One claim.
    pub async fn claim(&self, id: i64) -> Result<StoredClaim> {
        let row = sqlx::query(
            "SELECT c.id, c.practice_id, c.payer_id, b.body, c.state, y.trading_partner_id FROM claim c \
             JOIN claim_body b ON b.claim_id = c.id JOIN payer y ON y.id = c.payer_id WHERE c.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .ctx("reading a claim")?
        .ok_or_else(|| Error::NotFound(format!("claim {id}")))?;
        stored_claim(&row)
    }

    /// Applies a biller's fix to a claim not yet adjudicated (draft, held by edits, ready, or
    /// rejected by the clearinghouse): the claim goes back to draft with its new body and lines
    /// (to be scrubbed again), and the change is recorded in its history and the audit log.
    /// `drg` regroups an institutional claim. Returns the changes in words; none means nothing
    /// was written.
    pub async fn edit_claim(
        &self,
        actor: &Actor,
        id: i64,
        edit: &ledger::edit::ClaimEdit,
        drg: impl Fn(&Claim) -> String,
    ) -> Result<Vec<String>> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let row = sqlx::query(
            "SELECT c.id, c.practice_id, c.payer_id, b.body, c.state, y.trading_partner_id, c.service_from FROM claim c \
             JOIN claim_body b ON b.claim_id = c.id JOIN payer y ON y.id = c.payer_id WHERE c.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .ctx("reading a claim")?
        .ok_or_else(|| Error::NotFound(format!("claim {id}")))?;
        let sc = stored_claim(&row)?;
        let pcn = sc.claim.patient_control_number.clone();
        if !matches!(
            sc.state,
            ClaimState::Draft | ClaimState::Scrubbed | ClaimState::Ready | ClaimState::Rejected
        ) {
            return Err(Error::Invalid(format!(
                "claim {pcn} is {}: only a claim the payer has not adjudicated is edited; correct it with a replacement claim",
                sc.state.as_str()
            )));
        }
        let (mut new, changes) =
            ledger::edit::apply(&sc.claim, edit).map_err(|e| Error::Invalid(e.0))?;
        if changes.is_empty() {
            return Ok(changes);
        }
        if new.kind == ClaimKind::Institutional {
            new.drg = drg(&new).into();
        }
        let body = serde_json::to_string(&new).map_err(|e| Error::Invalid(e.to_string()))?;
        let now = crate::now();
        let n = sqlx::query(
            "UPDATE claim_status SET state = 'draft', state_at = $1 WHERE claim_id = $2 AND state = $3",
        )
        .bind(now.as_str())
        .bind(id)
        .bind(sc.state.as_str())
        .execute(&mut *tx)
        .await
        .ctx("saving the claim")?
        .rows_affected();
        if n == 0 {
            return Err(Error::Invalid(format!(
                "claim {pcn} changed while it was edited: reload it"
            )));
        }
        // The last scrub's findings were about the claim as it was.
        sqlx::query("DELETE FROM claim_findings WHERE claim_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .ctx("clearing the claim's findings")?;
        sqlx::query("UPDATE claim_row SET drg = $1 WHERE id = $2")
            .bind(new.drg.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await
            .ctx("saving the claim")?;
        sqlx::query("UPDATE claim_body SET body = $1 WHERE claim_id = $2")
            .bind(&body)
            .bind(id)
            .execute(&mut *tx)
            .await
            .ctx("saving the claim's body")?;
        let from: Date = row
            .get::<String, _>("service_from")
            .parse()
            .map_err(|_| Error::Invalid(format!("claim {pcn}: unreadable service date")))?;
        sqlx::query("DELETE FROM claim_line WHERE claim_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .ctx("rewriting the claim's lines")?;
        insert_many(&mut tx, "claim_line", LINE_COLUMNS, &line_values(id, &new, from)).await?;
        let what = format!("edited: {}", changes.join("; "));
        sqlx::query("INSERT INTO claim_event (claim_id, at, actor, from_state, to_state, reason) VALUES ($1, $2, $3, $4, 'draft', $5)")
            .bind(id)
            .bind(now.as_str())
            .bind(actor.0.as_str())
            .bind(sc.state.as_str())
            .bind(&what)
            .execute(&mut *tx)
            .await
            .ctx("recording the edit")?;
        crate::sql::audit(&mut tx, actor, "edit", "claim", Some(id), Some(sc.practice_id), "")
            .await?;
        tx.commit().await.ctx("saving the claim")?;
        Ok(changes)
    }

    /// Stores scrub results: each claim's findings (JSON) and whether it is clean; a clean claim
    /// becomes `ready`, one with blocking findings `scrubbed`. Claims no longer in draft,
    /// scrubbed or ready (submitted meanwhile) are refused, and nothing is written.
    pub async fn save_scrub(
        &self,
        actor: &Actor,
        results: &[(i64, String, bool)],
    ) -> Result<(usize, usize)> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let now = crate::now();
        let (mut ready, mut blocked) = (0, 0);
        let mut events = Vec::new();
        let ids: Vec<i64> = results.iter().map(|(id, _, _)| *id).collect();
        let states = states_of(&mut tx, &ids).await?;
        // Claims with the same verdict are moved together; findings are rows of their own.
        let mut by_state: HashMap<ClaimState, Vec<i64>> = HashMap::new();
        let mut found: Vec<Vec<V>> = Vec::new();
        for (id, findings, clean) in results {
            let state = *states.get(id).ok_or_else(|| Error::NotFound(format!("claim {id}")))?;
            let to = if *clean { ClaimState::Ready } else { ClaimState::Scrubbed };
            ledger::lifecycle::transition(state, to).map_err(|e| {
                Error::Invalid(format!("claim {id}: {e}: it was changed after scrubbing began"))
            })?;
            by_state.entry(to).or_default().push(*id);
            if findings != "[]" {
                found.push(vec![V::I(*id), V::T(findings.clone())]);
            }
            let why = if *clean { "scrubbed clean" } else { "scrubber findings block it" };
            events.push(vec![
                V::I(*id),
                V::T(now.clone()),
                V::T(actor.0.clone()),
                V::T(state.as_str().into()),
                V::T(to.as_str().into()),
                V::T(why.into()),
            ]);
            if *clean {
                ready += 1;
            } else {
                blocked += 1;
            }
        }
        // A claim scrubbed before keeps only its new findings; a claim with none has no row.
        for chunk in ids.chunks(1000) {
            sqlx::query(&format!(
                "DELETE FROM claim_findings WHERE claim_id IN ({})",
                id_list(chunk)
            ))
            .execute(&mut *tx)
            .await
            .ctx("clearing earlier findings")?;
        }
        for (to, ids) in by_state {
            for chunk in ids.chunks(1000) {
                sqlx::query(&format!(
                    "UPDATE claim_status SET state = $1, state_at = $2 WHERE claim_id IN ({})",
                    id_list(chunk)
                ))
                .bind(to.as_str())
                .bind(now.as_str())
                .execute(&mut *tx)
                .await
                .ctx("saving scrub results")?;
            }
        }
        insert_many(&mut tx, "claim_findings", &["claim_id", "findings"], &found).await?;
        insert_many(
            &mut tx,
            "claim_event",
            &["claim_id", "at", "actor", "from_state", "to_state", "reason"],
            &events,
        )
        .await?;
        tx.commit().await.ctx("saving scrub results")?;
        Ok((ready, blocked))
    }

    /// Moves one claim to `to`, recording who and why (refused when the lifecycle forbids it).
    pub async fn transition(
        &self,
        actor: &Actor,
        id: i64,
        to: ClaimState,
        why: &str,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        move_claim(&mut tx, actor, id, to, why).await?;
        tx.commit().await.ctx("saving the transition")
    }

    /// The lifecycle of a claim: (when, who, from, to, why).
    pub async fn claim_history(
        &self,
        id: i64,
    ) -> Result<Vec<(String, String, String, String, String)>> {
        let rows = sqlx::query("SELECT at, actor, from_state, to_state, reason FROM claim_event WHERE claim_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .ctx("reading the claim's history")?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4))).collect())
    }

    /// Reserves an interchange control number (ISA13) for a trading partner.
    pub async fn next_interchange_control(&self, trading_partner_id: i64) -> Result<i64> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let n = reserve(&mut tx, &format!("isa13:{trading_partner_id}"), 1).await?;
        tx.commit().await.ctx("reserving a control number")?;
        Ok(n)
    }

    /// A trading partner's envelope identifiers: (ISA06 qualifier and ID, ISA08 qualifier and ID,
    /// GS02, GS03, submitter name/ID/contact/phone, receiver name/ID, usage).
    pub async fn trading_partner(&self, id: i64) -> Result<TradingPartner> {
        let r = sqlx::query("SELECT * FROM trading_partner WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .ctx("reading the trading partner")?
            .ok_or_else(|| Error::NotFound(format!("trading partner {id}")))?;
        Ok(TradingPartner {
            id,
            name: r.get("name"),
            sender: (r.get("isa_sender_qualifier"), r.get("isa_sender_id")),
            receiver: (r.get("isa_receiver_qualifier"), r.get("isa_receiver_id")),
            application_ids: (r.get("gs_sender"), r.get("gs_receiver")),
            submitter: (
                r.get("submitter_name"),
                r.get("submitter_id"),
                r.get("contact_name"),
                r.get("contact_phone"),
            ),
            receiver_name: (r.get("receiver_name"), r.get("receiver_id")),
            usage: r.get("usage_indicator"),
        })
    }

    /// Records written batches in one transaction: every claim must still be `ready` (a claim
    /// edited or sent meanwhile fails them all, and nothing is recorded) and in no other live
    /// batch; each becomes `submitted`. Returns the batches' IDs.
    pub async fn record_batches(
        &self,
        actor: &Actor,
        org_id: i64,
        batches: &[NewBatch],
    ) -> Result<Vec<i64>> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let mut ids = Vec::with_capacity(batches.len());
        for batch in batches {
            ids.push(record_batch(&mut tx, actor, org_id, batch).await?);
        }
        tx.commit().await.ctx("recording the batch")?;
        Ok(ids)
    }
}

async fn record_batch(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    org_id: i64,
    batch: &NewBatch,
) -> Result<i64> {
    {
        let ids: Vec<i64> = batch.claims.iter().map(|c| c.claim_id).collect();
        let mut total = 0;
        let mut practices = std::collections::BTreeSet::new();
        // First submissions per practice, counted on the batch's date (the first-pass acceptance
        // rate), read with the states.
        let mut first: std::collections::BTreeMap<i64, i64> = std::collections::BTreeMap::new();
        for chunk in ids.chunks(1000) {
            // The list on both tables: through the `claim` view PostgreSQL joins the status
            // by scanning all of it (it does not carry an IN list across an outer join).
            let list = id_list(chunk);
            let rows = sqlx::query(&format!(
                "SELECT r.id, s.state, r.total_cents, r.practice_id, \
                 CAST(CASE WHEN s.submitted_at IS NULL THEN 1 ELSE 0 END AS BIGINT) \
                 FROM claim_row r JOIN claim_status s ON s.claim_id = r.id \
                 WHERE r.id IN ({list}) AND s.claim_id IN ({list})"
            ))
            .fetch_all(&mut *tx)
            .await
            .ctx("reading claims")?;
            if rows.len() != chunk.len() {
                return Err(Error::NotFound("a claim of the batch".into()));
            }
            for r in rows {
                let state: String = r.get(1);
                if state != "ready" {
                    return Err(Error::Invalid(format!(
                        "claim {} is {state}, not ready: it changed while the batch was written; nothing was recorded",
                        r.get::<i64, _>(0)
                    )));
                }
                total += r.get::<i64, _>(2);
                practices.insert(r.get::<i64, _>(3));
                *first.entry(r.get::<i64, _>(3)).or_default() += r.get::<i64, _>(4);
            }
        }
        let now = crate::now();
        let id = insert(
            &mut *tx,
            "batch",
            &[
                ("org_id", org_id.into()),
                ("trading_partner_id", batch.trading_partner_id.into()),
                ("interchange_control", batch.interchange_control.into()),
                ("kind", (&batch.kind).into()),
                ("file_name", (&batch.file_name).into()),
                ("sha256", (&batch.sha256).into()),
                ("claim_count", (batch.claims.len() as i64).into()),
                ("total_cents", total.into()),
                ("created_at", now.as_str().into()),
            ],
        )
        .await?;
        let rows: Vec<Vec<V>> = batch
            .claims
            .iter()
            .map(|c| {
                vec![V::I(id), V::I(c.claim_id), V::T(c.set_control.clone()), V::I(c.group_control)]
            })
            .collect();
        insert_many(
            &mut *tx,
            "batch_claim",
            &["batch_id", "claim_id", "set_control", "group_control"],
            &rows,
        )
        .await
        .map_err(|e| match e {
            Error::Db { .. } => Error::Invalid(format!(
                "a claim of this batch is already in a live batch: nothing was recorded ({e})"
            )),
            e => e,
        })?;
        let rows: Vec<Vec<V>> = practices.iter().map(|p| vec![V::I(id), V::I(*p)]).collect();
        insert_many(&mut *tx, "batch_practice", &["batch_id", "practice_id"], &rows).await?;
        let day = batch.date.to_string();
        crate::daily::add_per_practice(&mut *tx, crate::daily::Count::Submitted, &day, first)
            .await?;
        let mut events = Vec::with_capacity(batch.claims.len());
        for chunk in batch.claims.chunks(1000) {
            let ids: Vec<i64> = chunk.iter().map(|c| c.claim_id).collect();
            sqlx::query(&format!(
                "UPDATE claim_status SET state = 'submitted', state_at = $1, submitted_at = COALESCE(submitted_at, $2) WHERE claim_id IN ({})",
                id_list(&ids)
            ))
            .bind(now.as_str())
            .bind(batch.date.to_string())
            .execute(&mut *tx)
            .await
            .ctx("marking claims submitted")?;
        }
        for c in &batch.claims {
            events.push(vec![
                V::I(c.claim_id),
                V::T(now.clone()),
                V::T(actor.0.clone()),
                V::T("ready".into()),
                V::T("submitted".into()),
                V::T(format!(
                    "batch {id} ({}, ISA13 {})",
                    batch.file_name, batch.interchange_control
                )),
            ]);
        }
        insert_many(
            &mut *tx,
            "claim_event",
            &["claim_id", "at", "actor", "from_state", "to_state", "reason"],
            &events,
        )
        .await?;
        audit(
            &mut *tx,
            actor,
            "submit",
            "batch",
            Some(id),
            None,
            &format!("{} claims", batch.claims.len()),
        )
        .await?;
        Ok(id)
    }
}

/// A trading partner's envelope identifiers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TradingPartner {
    /// ID.
    pub id: i64,
    /// Name.
    pub name: String,
    /// ISA05/ISA06.
    pub sender: (String, String),
    /// ISA07/ISA08.
    pub receiver: (String, String),
    /// GS02/GS03.
    pub application_ids: (String, String),
    /// 1000A name, ID, contact, phone.
    pub submitter: (String, String, String, String),
    /// 1000B name, ID.
    pub receiver_name: (String, String),
    /// `P` or `T`.
    pub usage: String,
}

fn stored_claim(r: &AnyRow) -> Result<StoredClaim> {
    let id: i64 = r.get("id");
    let body: &str = r.get("body");
    let claim: Claim = serde_json::from_str(body)
        .map_err(|e| Error::Invalid(format!("claim {id} is unreadable: {e}")))?;
    let state: String = r.get("state");
    Ok(StoredClaim {
        id,
        practice_id: r.get("practice_id"),
        payer_id: r.get("payer_id"),
        claim,
        state: ClaimState::parse(&state)
            .ok_or_else(|| Error::Invalid(format!("claim {id}: unknown state {state:?}")))?,
        trading_partner_id: r.get("trading_partner_id"),
    })
}

pub(crate) async fn state_of(conn: &mut sqlx::AnyConnection, id: i64) -> Result<ClaimState> {
    let s: String = sqlx::query("SELECT state FROM claim_status WHERE claim_id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
        .ctx("reading a claim's state")?
        .ok_or_else(|| Error::NotFound(format!("claim {id}")))?
        .get(0);
    ClaimState::parse(&s).ok_or_else(|| Error::Invalid(format!("claim {id}: unknown state {s:?}")))
}

/// Moves a claim (checked by the lifecycle) and records the event, in the caller's transaction.
/// Moving to the state it is in records nothing.
pub(crate) async fn move_claim(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    id: i64,
    to: ClaimState,
    why: &str,
) -> Result<ClaimState> {
    let from = state_of(&mut *conn, id).await?;
    if from == to {
        return Ok(from);
    }
    ledger::lifecycle::transition(from, to)
        .map_err(|e| Error::Invalid(format!("claim {id}: {e}")))?;
    if to == ClaimState::Rejected {
        // A submitted claim's first rejection, counted on its submission's date.
        let first = sqlx::query(
            "SELECT practice_id, submitted_at FROM claim c WHERE id = $1 AND submitted_at IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM claim_event v WHERE v.claim_id = c.id AND v.to_state = 'rejected')",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .ctx("reading the claim's submission")?;
        if let Some(r) = first {
            let row = (r.get::<i64, _>(0), r.get::<String, _>(1), 1);
            crate::daily::add(&mut *conn, crate::daily::Count::Rejected, &[row]).await?;
        }
    }
    let now = crate::now();
    sqlx::query("UPDATE claim_status SET state = $1, state_at = $2 WHERE claim_id = $3")
        .bind(to.as_str())
        .bind(now.as_str())
        .bind(id)
        .execute(&mut *conn)
        .await
        .ctx("moving a claim")?;
    sqlx::query("INSERT INTO claim_event (claim_id, at, actor, from_state, to_state, reason) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id)
        .bind(now.as_str())
        .bind(actor.0.as_str())
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(why)
        .execute(&mut *conn)
        .await
        .ctx("recording a transition")?;
    Ok(from)
}

/// The self-pay payer's name and code (one per organization, made when first needed).
pub const SELF_PAY_NAME: &str = "Self-pay (patient)";
/// The self-pay payer's code.
pub const SELF_PAY_CODE: &str = "SELFPAY";

async fn self_pay_payer(conn: &mut sqlx::AnyConnection, org_id: i64) -> Result<i64> {
    if let Some(r) = sqlx::query("SELECT id FROM payer WHERE org_id = $1 AND payer_code = $2")
        .bind(org_id)
        .bind(SELF_PAY_CODE)
        .fetch_optional(&mut *conn)
        .await
        .ctx("reading payers")?
    {
        return Ok(r.get(0));
    }
    insert(
        conn,
        "payer",
        &[
            ("org_id", org_id.into()),
            ("name", SELF_PAY_NAME.into()),
            ("payer_code", SELF_PAY_CODE.into()),
            ("filing_indicator", "09".into()),
        ],
    )
    .await
}

/// Closes the adjudicated claims of each account on which every party's balance is zero
/// (nothing is owed by anyone, no credit is left), each move recorded as a transition; returns how many claims closed.
/// `accounts` are the accounts a posting touched.
pub(crate) async fn close_settled(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    accounts: &[i64],
) -> Result<u64> {
    let mut accounts = accounts.to_vec();
    accounts.sort_unstable();
    accounts.dedup();
    // Each account's balance per party, read with the account IDs spelled out so that both
    // databases walk the journal's claim index (a subquery inside the UPDATE made SQLite scan
    // every claim in a closable state for each chunk).
    let mut open: HashSet<i64> = HashSet::new();
    for chunk in accounts.chunks(1000) {
        for r in sqlx::query(&format!(
            "SELECT claim_id FROM journal WHERE claim_id IN ({}) GROUP BY claim_id, party, payer_id \
             HAVING SUM(amount_cents) <> 0",
            id_list(chunk)
        ))
        .fetch_all(&mut *conn)
        .await
        .ctx("reading account balances")?
        {
            open.insert(r.get(0));
        }
    }
    let settled: Vec<i64> = accounts.into_iter().filter(|a| !open.contains(a)).collect();
    let now = crate::now();
    let mut closed = 0;
    for chunk in settled.chunks(1000) {
        let rows = sqlx::query(&format!(
            "SELECT id, state FROM claim WHERE account_id IN ({})",
            id_list(chunk)
        ))
        .fetch_all(&mut *conn)
        .await
        .ctx("reading settled claims")?;
        let mut ids = Vec::new();
        let mut events = Vec::new();
        for r in &rows {
            let Some(state) = ClaimState::parse(&r.get::<String, _>(1)) else { continue };
            if state.is_adjudicated() && state.can_move_to(ClaimState::Closed) {
                let id: i64 = r.get(0);
                ids.push(id);
                events.push(vec![
                    V::I(id),
                    V::T(now.clone()),
                    V::T(actor.0.clone()),
                    V::T(state.as_str().into()),
                    V::T(ClaimState::Closed.as_str().into()),
                    V::T("the account is settled: nothing is owed".into()),
                ]);
            }
        }
        if ids.is_empty() {
            continue;
        }
        insert_many(
            conn,
            "claim_event",
            &["claim_id", "at", "actor", "from_state", "to_state", "reason"],
            &events,
        )
        .await?;
        closed += sqlx::query(&format!(
            "UPDATE claim_status SET state = 'closed', state_at = $1 WHERE claim_id IN ({})",
            id_list(&ids)
        ))
        .bind(now.as_str())
        .execute(&mut *conn)
        .await
        .ctx("closing settled claims")?
        .rows_affected();
    }
    Ok(closed)
}

/// A claim in a list.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ClaimRow {
    /// ID.
    pub id: i64,
    /// Patient control number.
    pub pcn: String,
    /// State.
    pub state: String,
    /// Professional or institutional.
    pub kind: String,
    /// Payer name.
    pub payer: String,
    /// 1 primary, 2 secondary…
    pub rank: i64,
    /// Total charge.
    pub total_cents: i64,
    /// First date of service.
    pub service_from: String,
    /// MS-DRG (inpatient claims, when grouped).
    pub drg: String,
    /// The scrubber's findings (JSON array).
    pub findings: serde_json::Value,
}

impl Store {
    /// Claims (in a state, or all), newest first, at most `limit`.
    pub async fn claim_rows(&self, state: Option<&str>, limit: i64) -> Result<Vec<ClaimRow>> {
        let rows = sqlx::query(
            "SELECT c.id, c.pcn, c.state, c.kind, y.name, c.rank, c.total_cents, c.service_from, c.drg, c.findings \
             FROM claim c JOIN payer y ON y.id = c.payer_id WHERE ($1 = '' OR c.state = $1) ORDER BY c.id DESC LIMIT $2",
        )
        .bind(state.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .ctx("listing claims")?;
        Ok(rows
            .iter()
            .map(|r| ClaimRow {
                id: r.get(0),
                pcn: r.get(1),
                state: r.get(2),
                kind: r.get(3),
                payer: r.get(4),
                rank: r.get(5),
                total_cents: r.get(6),
                service_from: r.get(7),
                drg: r.get(8),
                findings: serde_json::from_str(&r.get::<String, _>(9)).unwrap_or_default(),
            })
            .collect())
    }

    /// A claim by patient control number.
    pub async fn claim_by_pcn(&self, pcn: &str) -> Result<i64> {
        sqlx::query("SELECT id FROM claim WHERE pcn = $1")
            .bind(pcn)
            .fetch_optional(&self.pool)
            .await
            .ctx("reading claims")?
            .map(|r| r.get(0))
            .ok_or_else(|| Error::NotFound(format!("claim {pcn:?}")))
    }

    /// The account a claim belongs to (the first payer's claim, which the journal is kept on).
    pub async fn account_of(&self, claim_id: i64) -> Result<i64> {
        sqlx::query("SELECT COALESCE(account_id, id) FROM claim WHERE id = $1")
            .bind(claim_id)
            .fetch_optional(&self.pool)
            .await
            .ctx("reading claims")?
            .map(|r| r.get(0))
            .ok_or_else(|| Error::NotFound(format!("claim {claim_id}")))
    }
}

/// The states of claims, by ID.
pub(crate) async fn states_of(
    conn: &mut sqlx::AnyConnection,
    ids: &[i64],
) -> Result<HashMap<i64, ClaimState>> {
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(1000) {
        for r in sqlx::query(&format!(
            "SELECT claim_id, state FROM claim_status WHERE claim_id IN ({})",
            id_list(chunk)
        ))
        .fetch_all(&mut *conn)
        .await
        .ctx("reading claim states")?
        {
            let s: String = r.get(1);
            let id: i64 = r.get(0);
            out.insert(
                id,
                ClaimState::parse(&s)
                    .ok_or_else(|| Error::Invalid(format!("claim {id}: unknown state {s:?}")))?,
            );
        }
    }
    Ok(out)
}

impl Store {
    /// Builds the replacement (frequency 7) or void (frequency 8) of a claim the payer already
    /// has, referencing the payer's claim number (REF*F8): a new draft claim on the same account
    /// with the original's lines (the charges are not posted again). Refused before the payer has
    /// given a claim number (277CA or 835).
    pub async fn correct_claim(&self, actor: &Actor, id: i64, void: bool) -> Result<i64> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let r = sqlx::query(
            "SELECT org_id, practice_id, patient_id, encounter_id, coverage_id, payer_id, rank, account_id, kind, state, total_cents, \
             service_from, service_to, drg, (SELECT body FROM claim_body WHERE claim_id = claim.id) AS body, payer_claim_number \
             FROM claim WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .ctx("reading the claim")?
        .ok_or_else(|| Error::NotFound(format!("claim {id}")))?;
        let state = ClaimState::parse(&r.get::<String, _>("state")).unwrap_or(ClaimState::Draft);
        if !state.is_submitted() || state == ClaimState::Rejected {
            return Err(Error::Invalid(format!(
                "claim {id} is {}: only a claim the payer accepted can be replaced or voided (fix a draft or rejected claim and submit it)",
                state.as_str()
            )));
        }
        let number: String = r.get("payer_claim_number");
        if number.is_empty() {
            return Err(Error::Invalid(format!(
                "claim {id}: the payer has not given its claim number yet (277CA or 835); a replacement or void must reference it"
            )));
        }
        let original: Claim = serde_json::from_str(&r.get::<String, _>("body"))
            .map_err(|e| Error::Invalid(format!("claim {id} is unreadable: {e}")))?;
        let new_id = reserve(&mut tx, "claim", 1).await?;
        let prefixes = self.prefixes(&mut tx).await?;
        let practice_id: i64 = r.get("practice_id");
        let (prefix, _) = prefixes.get(&practice_id).cloned().unwrap_or_default();
        let pcn =
            ledger::build::patient_control_number(&prefix, new_id as u64).ok_or_else(|| {
                Error::Invalid(format!(
                    "patient control number {prefix}{new_id} is longer than 17 characters"
                ))
            })?;
        let claim = ledger::build::corrected(&original, &pcn, &number, void);
        let body = serde_json::to_string(&claim).map_err(|e| Error::Invalid(e.to_string()))?;
        let now = crate::now();
        let row = NewClaimRow {
            id: new_id,
            org_id: r.get("org_id"),
            practice_id,
            patient_id: r.get("patient_id"),
            encounter_id: r.get("encounter_id"),
            coverage_id: r.get("coverage_id"),
            payer_id: r.get("payer_id"),
            rank: r.get("rank"),
            account_id: r.get::<Option<i64>, _>("account_id").unwrap_or(id),
            kind: r.get("kind"),
            pcn: pcn.clone(),
            frequency: if void { "8" } else { "7" },
            replaces_id: Some(id),
            total_cents: r.get("total_cents"),
            service_from: r.get("service_from"),
            service_to: r.get("service_to"),
            drg: r.get("drg"),
            body,
            state: "draft",
        };
        insert_claims(&mut tx, vec![row], &now).await?;
        sqlx::query(
            "INSERT INTO claim_line (claim_id, line_no, code, modifiers, revenue_code, units, charge_cents, service_date) \
             SELECT $1, line_no, code, modifiers, revenue_code, units, charge_cents, service_date FROM claim_line WHERE claim_id = $2",
        )
        .bind(new_id)
        .bind(id)
        .execute(&mut *tx)
        .await
        .ctx("copying the claim's lines")?;
        let what = if void { "void" } else { "replacement" };
        for (claim, why) in [
            (new_id, format!("{what} of claim {id} (payer claim number {number})")),
            (id, format!("{what} {pcn} built")),
        ] {
            sqlx::query("INSERT INTO claim_event (claim_id, at, actor, from_state, to_state, reason) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(claim)
                .bind(now.as_str())
                .bind(actor.0.as_str())
                .bind(if claim == new_id { "" } else { state.as_str() })
                .bind(if claim == new_id { "draft" } else { state.as_str() })
                .bind(why)
                .execute(&mut *tx)
                .await
                .ctx("recording the correction")?;
        }
        audit(
            &mut tx,
            actor,
            what,
            "claim",
            Some(new_id),
            Some(practice_id),
            &format!("of claim {id}"),
        )
        .await?;
        tx.commit().await.ctx("saving the correction")?;
        Ok(new_id)
    }

    /// Appeals a denied claim: the claim becomes `appealed` and its open denials `appealed`.
    pub async fn appeal(&self, actor: &Actor, id: i64, why: &str) -> Result<usize> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        move_claim(&mut tx, actor, id, ClaimState::Appealed, &format!("appeal: {why}")).await?;
        let n = sqlx::query(
            "UPDATE denial SET status = 'appealed' WHERE claim_id = $1 AND status = 'open'",
        )
        .bind(id)
        .execute(&mut *tx)
        .await
        .ctx("marking denials appealed")?
        .rows_affected();
        tx.commit().await.ctx("saving the appeal")?;
        Ok(n as usize)
    }

    /// Assigns an open denial to a user (by login).
    pub async fn assign_denial(&self, actor: &Actor, denial: i64, login: &str) -> Result<()> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let user: i64 = sqlx::query("SELECT id FROM app_user WHERE login = $1")
            .bind(login)
            .fetch_optional(&mut *tx)
            .await
            .ctx("reading users")?
            .ok_or_else(|| Error::NotFound(format!("user {login:?}")))?
            .get(0);
        let n = sqlx::query("UPDATE denial SET assigned_user_id = $1 WHERE id = $2")
            .bind(user)
            .bind(denial)
            .execute(&mut *tx)
            .await
            .ctx("assigning the denial")?
            .rows_affected();
        if n == 0 {
            return Err(Error::NotFound(format!("denial {denial}")));
        }
        audit(&mut tx, actor, "assign", "denial", Some(denial), None, login).await?;
        tx.commit().await.ctx("saving the assignment")
    }
}

/// A claim row to insert (every way a claim is made: from an encounter, for the next payer, as
/// a replacement or void).
struct NewClaimRow {
    id: i64,
    org_id: i64,
    practice_id: i64,
    patient_id: i64,
    encounter_id: i64,
    coverage_id: i64,
    payer_id: i64,
    rank: i64,
    account_id: i64,
    kind: String,
    pcn: String,
    frequency: &'static str,
    replaces_id: Option<i64>,
    total_cents: i64,
    service_from: String,
    service_to: String,
    drg: String,
    body: String,
    /// `draft`, or `patient_billed` for a self-pay claim.
    state: &'static str,
}

const CLAIM_COLUMNS: &[&str] = &[
    "id",
    "org_id",
    "practice_id",
    "patient_id",
    "encounter_id",
    "coverage_id",
    "payer_id",
    "rank",
    "account_id",
    "kind",
    "pcn",
    "frequency",
    "replaces_id",
    "total_cents",
    "service_from",
    "service_to",
    "drg",
    "created_at",
];

/// Inserts new claims: the claim row, its status (in `NewClaimRow::state` since `now`) and its
/// body.
async fn insert_claims(
    conn: &mut sqlx::AnyConnection,
    rows: Vec<NewClaimRow>,
    now: &str,
) -> Result<()> {
    let mut bodies: Vec<Vec<V>> = Vec::with_capacity(rows.len());
    let mut states: Vec<Vec<V>> = Vec::with_capacity(rows.len());
    let values: Vec<Vec<V>> = rows
        .into_iter()
        .map(|c| {
            let row = vec![
                V::I(c.id),
                V::I(c.org_id),
                V::I(c.practice_id),
                V::I(c.patient_id),
                V::I(c.encounter_id),
                V::I(c.coverage_id),
                V::I(c.payer_id),
                V::I(c.rank),
                V::I(c.account_id),
                V::T(c.kind),
                V::T(c.pcn),
                V::T(c.frequency.into()),
                V::NI(c.replaces_id),
                V::I(c.total_cents),
                V::T(c.service_from),
                V::T(c.service_to),
                V::T(c.drg),
                V::T(now.to_string()),
            ];
            states.push(vec![V::I(c.id), V::T(c.state.into()), V::T(now.to_string())]);
            bodies.push(vec![V::I(c.id), V::T(c.body)]);
            row
        })
        .collect();
    insert_many(&mut *conn, "claim_row", CLAIM_COLUMNS, &values).await?;
    insert_many(&mut *conn, "claim_status", &["claim_id", "state", "state_at"], &states).await?;
    insert_many(conn, "claim_body", &["claim_id", "body"], &bodies).await
}

const LINE_COLUMNS: &[&str] = &[
    "claim_id",
    "line_no",
    "code",
    "modifiers",
    "revenue_code",
    "units",
    "charge_cents",
    "service_date",
];

/// A claim's lines as rows of `claim_line` (a line without a date takes `from`).
fn line_values(id: i64, claim: &Claim, from: Date) -> Vec<Vec<V>> {
    claim
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            vec![
                V::I(id),
                V::I(i as i64),
                V::T(l.procedure.to_string()),
                V::T(l.modifiers.join(",")),
                V::T(l.revenue_code.to_string()),
                V::I(l.units.0),
                V::I(l.charge.0),
                l.date_from.unwrap_or(from).into(),
            ]
        })
        .collect()
}

fn kind_name(kind: ClaimKind) -> String {
    if kind == ClaimKind::Institutional { "institutional" } else { "professional" }.into()
}

/// Which encounters a build bills (`$1`: one practice, or 0 for all).
const TO_BILL: &str = "e.status = 'coded' AND ($1 = 0 OR e.practice_id = $1)";

/// The rows of a build, made one encounter at a time.
struct Made<'a> {
    /// The first of the claim IDs reserved: the `n`th encounter read gets `first_id + n`.
    first_id: i64,
    today: Date,
    /// Each practice's patient control number prefix and organization.
    prefixes: &'a HashMap<i64, (String, i64)>,
    drg: &'a (dyn Fn(&Claim) -> String + Sync),
    summary: BuildSummary,
    claims: Vec<NewClaimRow>,
    lines: Vec<Vec<V>>,
    journal: Vec<crate::journal::Row>,
}

impl Made<'_> {
    /// The claim of the `n`th encounter, its lines and a charge entry per line (owed by the
    /// payer, or by the patient when `self_pay`); or the reason it is not billed.
    fn add(
        &mut self,
        n: i64,
        enc: &EncounterToBill,
        practice_id: i64,
        patient_id: i64,
        self_pay: bool,
    ) -> Result<()> {
        let id = self.first_id + n;
        if enc.charges.is_empty() {
            self.summary.skipped.push((enc.encounter_id, "no charges".into()));
            return Ok(());
        }
        let (prefix, org_id) = self.prefixes.get(&practice_id).cloned().unwrap_or_default();
        let pcn = ledger::build::patient_control_number(&prefix, id as u64).ok_or_else(|| {
            Error::Invalid(format!(
                "patient control number {prefix}{id} is longer than 17 characters"
            ))
        })?;
        let Some(mut claim) = ledger::build::claim_for(enc, 1, &pcn, &[]) else {
            self.summary.skipped.push((enc.encounter_id, "no primary coverage in force on the date of service (only a secondary): add the primary coverage".into()));
            return Ok(());
        };
        let cov = &enc.coverages[0];
        let drg_code =
            if enc.kind == ClaimKind::Institutional { (self.drg)(&claim) } else { String::new() };
        // 998 and 999 say the claim did not group: the column keeps them for the coder, the
        // 837 leaves the DRG to the payer.
        if !matches!(drg_code.as_str(), "" | "998" | "999") {
            claim.drg = drg_code.as_str().into();
        }
        let body = serde_json::to_string(&claim)
            .map_err(|e| Error::Invalid(format!("claim {pcn}: {e}")))?;
        let from = claim.from.unwrap_or(self.today);
        let to = claim.to.unwrap_or(from);
        if self_pay {
            self.summary.self_pay += 1;
            self.summary.self_pay_cents += claim.total_charge.0;
        } else {
            self.summary.claims += 1;
            self.summary.total_cents += claim.total_charge.0;
        }
        self.lines.extend(line_values(id, &claim, from));
        for (i, l) in claim.lines.iter().enumerate() {
            let service = l.date_from.unwrap_or(from);
            self.journal.push(crate::journal::Row {
                practice_id,
                claim_id: id,
                line_no: Some(i as i64),
                party: if self_pay {
                    ledger::Party::Patient
                } else {
                    ledger::Party::Payer(ledger::PayerId(cov.payer_id))
                },
                patient_id,
                kind: ledger::EntryKind::Charge,
                amount: l.charge.0,
                group: String::new(),
                reason: String::new(),
                posting_date: self.today,
                effective_date: service,
                service_date: service,
                remit_id: None,
                remit_claim_id: None,
            });
        }
        self.claims.push(NewClaimRow {
            id,
            org_id,
            practice_id,
            patient_id,
            encounter_id: enc.encounter_id,
            coverage_id: cov.id,
            payer_id: cov.payer_id,
            rank: 1,
            account_id: id,
            kind: kind_name(enc.kind),
            pcn,
            frequency: "1",
            replaces_id: None,
            total_cents: claim.total_charge.0,
            service_from: from.to_string(),
            service_to: to.to_string(),
            drg: drg_code,
            body,
            state: if self_pay { "patient_billed" } else { "draft" },
        });
        Ok(())
    }
}
