//! The back office commands: thin shells over `backoffice` and `store` (`--db URL` or
//! `SUPERBILL_DB` on each; SQLite in the data directory by default).
//!
//! - `practice add|list`, `payer add|clearinghouse|list`, `patient add|coverage|list`,
//!   `encounter create|code`: the reference data and the coding.
//! - `claims build|scrub|submit|list|show`: `submit --out FILE.837` writes every ready claim
//!   into one batch file.
//! - `ack import FILE` (999 or 277CA), `remit post FILE.835 [--json]`, `ar aging [--json]`,
//!   `queue denials|rejected|no-response|suspense`, `statements --out DIR`.
//! - `demo seed`: the demo billing service; `demo payer FILE.837 --out DIR`: the test payer's
//!   999, 277CA and 835 for a batch.
//!
//! Exit codes: 0 done; 1 done but something needs a person (a remittance with CLPs in suspense
//! or a deposit that does not balance, claims held by scrubber findings, nothing ready to
//! submit); 2 usage, input or database errors (nothing written).

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use claim_model::Cents;
use code_sets::Date;
use serde_json::json;
use store::{Actor, Store};

use crate::{Ctx, Outcome};

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the runtime")
}

pub(crate) fn actor() -> Actor {
    Actor(std::env::var("USER").unwrap_or_else(|_| "cli".into()))
}

/// The database URL: `--db`, `SUPERBILL_DB`, or `superbill.db` in the data directory.
fn db_url(ctx: &Ctx) -> Result<String> {
    if let Some(u) = &ctx.db {
        return Ok(u.clone());
    }
    std::fs::create_dir_all(&ctx.data_dir)
        .with_context(|| format!("creating {}", ctx.data_dir.display()))?;
    Ok(format!("sqlite://{}", ctx.data_dir.join("superbill.db").display()))
}

pub(crate) async fn open(ctx: &Ctx) -> Result<Store> {
    let url = db_url(ctx)?;
    let shown = url.split('@').next_back().unwrap_or(&url).to_string();
    Store::open(&url).await.with_context(|| format!("opening the database {shown}"))
}

fn date(s: &str, what: &str) -> Result<Date> {
    s.parse::<Date>().with_context(|| format!("{what}: {s:?} is not a date (YYYY-MM-DD)"))
}

fn money(c: i64) -> String {
    Cents(c).to_string()
}

fn print_json(v: &impl serde::Serialize) {
    out!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

// ───────────────────────────── practices, payers, patients ─────────────────────────────

/// `superbill practice …`
#[derive(clap::Subcommand, Debug)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub(crate) enum PracticeCommand {
    /// Add a practice.
    Add {
        /// Name (the billing provider's name on claims).
        #[arg(long)]
        name: String,
        /// Group NPI.
        #[arg(long)]
        npi: String,
        /// Tax ID (EIN, nine digits).
        #[arg(long)]
        tax_id: String,
        /// Patient control number prefix (1–6 letters or digits, unique in the billing service).
        #[arg(long)]
        prefix: String,
        /// Taxonomy code.
        #[arg(long, default_value = "")]
        taxonomy: String,
        /// Street address.
        #[arg(long, default_value = "")]
        address: String,
        /// City.
        #[arg(long, default_value = "")]
        city: String,
        /// State.
        #[arg(long, default_value = "")]
        state: String,
        /// ZIP+4 (nine digits).
        #[arg(long, default_value = "")]
        zip: String,
    },
    /// List the practices.
    List {
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn practice(ctx: &Ctx, c: PracticeCommand) -> Result<Outcome> {
    runtime()?.block_on(async {
        let s = open(ctx).await?;
        match c {
            PracticeCommand::Add {
                name,
                npi,
                tax_id,
                prefix,
                taxonomy,
                address,
                city,
                state,
                zip,
            } => {
                let org = s.default_organization().await?;
                let p = store::setup::NewPractice {
                    org_id: org,
                    name,
                    npi,
                    tax_id,
                    taxonomy,
                    address,
                    city,
                    state,
                    zip,
                    claim_prefix: prefix,
                };
                let id = s.create_practice(&actor(), &p).await?;
                out!("practice {id} added");
            }
            PracticeCommand::List { json } => {
                let list = s.practices(None).await?;
                if json {
                    print_json(&list);
                } else {
                    for p in list {
                        out!("{:>4}  {:<6} {}  NPI {}", p.id, p.claim_prefix, p.name, p.npi);
                    }
                }
            }
        }
        Ok(Outcome::Yes)
    })
}

/// `superbill payer …`
#[derive(clap::Subcommand, Debug)]
pub(crate) enum PayerCommand {
    /// Add a payer.
    Add {
        /// Name.
        #[arg(long)]
        name: String,
        /// EDI payer ID.
        #[arg(long)]
        payer_id: String,
        /// Claim filing indicator (MB Medicare Part B, MA Part A, MC Medicaid, CI commercial, BL Blue Cross…).
        #[arg(long, default_value = "CI")]
        filing: String,
        /// Timely-filing limit in days from the date of service.
        #[arg(long, default_value_t = 365)]
        timely_filing_days: i64,
        /// Days to appeal a denial.
        #[arg(long, default_value_t = 120)]
        appeal_days: i64,
        /// The clearinghouse its claims go through (by name).
        #[arg(long)]
        clearinghouse: Option<String>,
    },
    /// Add a clearinghouse (trading partner): the IDs of the ISA and GS envelopes.
    Clearinghouse {
        /// Name.
        #[arg(long)]
        name: String,
        /// ISA06 / GS02: our submitter ID with the clearinghouse.
        #[arg(long)]
        sender_id: String,
        /// ISA08 / GS03: the clearinghouse's receiver ID.
        #[arg(long)]
        receiver_id: String,
        /// 1000A submitter name.
        #[arg(long)]
        submitter_name: String,
        /// Contact name and telephone (1000A PER).
        #[arg(long, default_value = "Billing")]
        contact: String,
        /// Telephone.
        #[arg(long, default_value = "5555550100")]
        phone: String,
        /// Test files (ISA15 T) instead of production.
        #[arg(long)]
        test: bool,
    },
    /// List the payers.
    List {
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn payer(ctx: &Ctx, c: PayerCommand) -> Result<Outcome> {
    runtime()?.block_on(async {
        let s = open(ctx).await?;
        let org = s.default_organization().await?;
        match c {
            PayerCommand::Add { name, payer_id, filing, timely_filing_days, appeal_days, clearinghouse } => {
                let tp = match clearinghouse {
                    Some(n) => Some(s.trading_partner_by_name(org, &n).await?),
                    None => None,
                };
                let p = store::setup::NewPayer {
                    org_id: org,
                    name,
                    code: payer_id,
                    filing_indicator: filing,
                    timely_filing_days,
                    appeal_days,
                    trading_partner_id: tp,
                };
                out!("payer {} added", s.create_payer(&p).await?);
            }
            PayerCommand::Clearinghouse { name, sender_id, receiver_id, submitter_name, contact, phone, test } => {
                let t = store::setup::NewTradingPartner {
                    org_id: org,
                    name: name.clone(),
                    isa_sender_id: sender_id.clone(),
                    isa_receiver_id: receiver_id.clone(),
                    gs_sender: sender_id.clone(),
                    gs_receiver: receiver_id.clone(),
                    submitter: (submitter_name, sender_id, contact, phone),
                    receiver: (name, receiver_id),
                    usage: if test { "T" } else { "P" }.into(),
                };
                out!("clearinghouse {} added", s.create_trading_partner(&t).await?);
            }
            PayerCommand::List { json } => {
                let list = s.payers(org).await?;
                if json {
                    let v: Vec<_> = list
                        .iter()
                        .map(|(id, name, code, fi, tf)| json!({"id": id, "name": name, "payer_id": code, "filing_indicator": fi, "timely_filing_days": tf}))
                        .collect();
                    print_json(&v);
                } else {
                    for (id, name, code, fi, tf) in list {
                        out!("{id:>4}  {code:<8} {fi:<3} {tf:>4} days  {name}");
                    }
                }
            }
        }
        Ok(Outcome::Yes)
    })
}

/// `superbill patient …`
#[derive(clap::Subcommand, Debug)]
pub(crate) enum PatientCommand {
    /// Post a payment the patient made on a claim's account (a credit balance when it is more
    /// than the patient owes).
    Pay {
        /// Claim ID or patient control number.
        claim: String,
        /// The amount, in dollars and cents (`20.00`).
        #[arg(long)]
        amount: String,
        /// Check or receipt number: the same payment is never posted twice.
        #[arg(long, default_value = "")]
        reference: String,
    },
    /// Add a patient (and, with --payer, their primary coverage).
    Add {
        /// Practice (ID, name or prefix).
        #[arg(long)]
        practice: String,
        /// The practice's account number.
        #[arg(long)]
        account: String,
        /// Last name.
        #[arg(long)]
        last: String,
        /// First name.
        #[arg(long)]
        first: String,
        /// Birth date.
        #[arg(long, value_name = "YYYY-MM-DD")]
        dob: String,
        /// M, F or U.
        #[arg(long)]
        sex: String,
        /// Street address.
        #[arg(long, default_value = "")]
        address: String,
        /// City.
        #[arg(long, default_value = "")]
        city: String,
        /// State.
        #[arg(long, default_value = "")]
        state: String,
        /// ZIP.
        #[arg(long, default_value = "")]
        zip: String,
        /// Primary payer (EDI payer ID).
        #[arg(long, requires = "member_id")]
        payer: Option<String>,
        /// Member ID with that payer.
        #[arg(long)]
        member_id: Option<String>,
    },
    /// Add a coverage to a patient.
    Coverage {
        /// Patient ID.
        #[arg(long)]
        patient: i64,
        /// Payer (EDI payer ID).
        #[arg(long)]
        payer: String,
        /// Member ID.
        #[arg(long)]
        member_id: String,
        /// 1 primary, 2 secondary, 3 tertiary.
        #[arg(long, default_value_t = 1)]
        rank: i64,
        /// Group number.
        #[arg(long, default_value = "")]
        group: String,
        /// First day covered [default: 2000-01-01].
        #[arg(long)]
        from: Option<String>,
        /// Medicare secondary payer type (SBR05), when Medicare is secondary.
        #[arg(long, default_value = "")]
        msp_type: String,
    },
    /// List a practice's patients.
    List {
        /// Practice (ID, name or prefix).
        #[arg(long)]
        practice: String,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn patient(ctx: &Ctx, c: PatientCommand) -> Result<Outcome> {
    runtime()?.block_on(async {
        let s = open(ctx).await?;
        let org = s.default_organization().await?;
        match c {
            PatientCommand::Add {
                practice,
                account,
                last,
                first,
                dob,
                sex,
                address,
                city,
                state,
                zip,
                payer,
                member_id,
            } => {
                let p = s.practice(&practice).await?;
                let new = store::setup::NewPatient {
                    practice_id: p.id,
                    account,
                    last,
                    first,
                    birth_date: Some(date(&dob, "--dob")?),
                    sex,
                    address,
                    city,
                    state,
                    zip,
                    guarantor_id: None,
                };
                let payer_id = match &payer {
                    Some(code) => Some(s.payer_by_code(org, code).await?),
                    None => None,
                };
                let id = s.create_patient(&actor(), &new).await?;
                if let (Some(payer_id), Some(member_id)) = (payer_id, member_id) {
                    let c = store::setup::NewCoverage {
                        patient_id: id,
                        payer_id,
                        rank: 1,
                        member_id,
                        relationship: "18".into(),
                        effective_from: Some(Date::from_ymd(2000, 1, 1).unwrap_or(ctx.today)),
                        ..Default::default()
                    };
                    s.create_coverage(&actor(), &c).await?;
                }
                out!("patient {id} added");
            }
            PatientCommand::Coverage { patient, payer, member_id, rank, group, from, msp_type } => {
                let payer_id = s.payer_by_code(org, &payer).await?;
                let from = match from {
                    Some(f) => date(&f, "--from")?,
                    None => Date::from_ymd(2000, 1, 1).unwrap_or(ctx.today),
                };
                let c = store::setup::NewCoverage {
                    patient_id: patient,
                    payer_id,
                    rank,
                    member_id,
                    group_number: group,
                    relationship: "18".into(),
                    msp_type,
                    effective_from: Some(from),
                    ..Default::default()
                };
                out!("coverage {} added", s.create_coverage(&actor(), &c).await?);
            }
            PatientCommand::Pay { claim, amount, reference } => {
                let cents = positive_amount(&amount)?;
                let id = claim_id(&s, &claim).await?;
                s.patient_payment(&actor(), id, cents, &reference, ctx.today).await?;
                out!("patient payment of {} posted on claim {claim}", money(cents));
            }
            PatientCommand::List { practice, json } => {
                let p = s.practice(&practice).await?;
                let list = s.patients(&actor(), p.id).await?;
                if json {
                    print_json(&list);
                } else {
                    for x in list {
                        out!(
                            "{:>6}  {:<10} {}, {}  born {}",
                            x.id,
                            x.account,
                            x.last,
                            x.first,
                            x.birth_date
                        );
                    }
                }
            }
        }
        Ok(Outcome::Yes)
    })
}

// ───────────────────────────── encounters ─────────────────────────────

/// `superbill encounter …`
#[derive(clap::Subcommand, Debug)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub(crate) enum EncounterCommand {
    /// Create an encounter with its charges (coded when diagnoses are given).
    Create {
        /// Practice (ID, name or prefix).
        #[arg(long)]
        practice: String,
        /// Patient ID.
        #[arg(long)]
        patient: i64,
        /// professional, inpatient or outpatient.
        #[arg(long, default_value = "professional")]
        kind: String,
        /// Date of service (visits).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// Admission date (stays).
        #[arg(long, value_name = "YYYY-MM-DD")]
        admit: Option<String>,
        /// Discharge date (stays).
        #[arg(long, value_name = "YYYY-MM-DD")]
        discharge: Option<String>,
        /// Discharge status (stays).
        #[arg(long, default_value = "01")]
        status: String,
        /// Type of bill (facility claims).
        #[arg(long, default_value = "")]
        tob: String,
        /// Rendering or attending provider's NPI.
        #[arg(long)]
        provider: Option<String>,
        /// Diagnoses in order, principal first, CODE or CODE:POA (repeat or comma-separate).
        #[arg(long = "dx", value_delimiter = ',')]
        dx: Vec<String>,
        /// ICD-10-PCS procedures (inpatient).
        #[arg(long = "pcs", value_delimiter = ',')]
        pcs: Vec<String>,
        /// Charges: CODE[:MOD[:MOD]][*UNITS][=AMOUNT] (priced from the fee schedule without an amount).
        #[arg(long = "charge")]
        charges: Vec<String>,
        /// Facility charges: REVENUE[/CODE][*UNITS][=AMOUNT] (priced from the charge master).
        #[arg(long = "rev")]
        revs: Vec<String>,
    },
    /// Code an encounter (replaces its diagnoses and procedures; marks it coded).
    Code {
        /// Encounter ID.
        id: i64,
        /// Diagnoses, principal first, CODE or CODE:POA.
        #[arg(long = "dx", value_delimiter = ',', required = true)]
        dx: Vec<String>,
        /// ICD-10-PCS procedures.
        #[arg(long = "pcs", value_delimiter = ',')]
        pcs: Vec<String>,
    },
}

fn dx_list(dx: &[String]) -> Vec<(String, String)> {
    dx.iter()
        .map(|d| match d.split_once(':') {
            Some((c, p)) => (c.trim().to_string(), p.trim().to_string()),
            None => (d.trim().to_string(), String::new()),
        })
        .collect()
}

/// `CODE[:MOD…][*UNITS][=AMOUNT]`; for revenue lines `REV[/CODE]…`.
fn charge_spec(spec: &str, revenue: bool) -> Result<store::encounters::NewCharge> {
    let (rest, amount) = match spec.split_once('=') {
        Some((r, a)) => {
            (r, Some(a.parse::<Cents>().with_context(|| format!("charge {spec:?}: the amount"))?.0))
        }
        None => (spec, None),
    };
    let (rest, units) = match rest.split_once('*') {
        Some((r, u)) => {
            let n: f64 = u.parse().with_context(|| format!("charge {spec:?}: units {u:?}"))?;
            (r, (n * 1000.0).round() as i64)
        }
        None => (rest, 1000),
    };
    let mut c = store::encounters::NewCharge { units, cents: amount, ..Default::default() };
    if revenue {
        let (rev, code) = rest.split_once('/').unwrap_or((rest, ""));
        c.revenue_code = rev.to_string();
        c.code = code.to_string();
    } else {
        let mut parts = rest.split(':');
        c.code = parts.next().unwrap_or("").to_string();
        c.modifiers = parts.map(str::to_string).collect();
    }
    Ok(c)
}

pub(crate) fn encounter(ctx: &Ctx, c: EncounterCommand) -> Result<Outcome> {
    runtime()?.block_on(async {
        let s = open(ctx).await?;
        match c {
            EncounterCommand::Create {
                practice,
                patient,
                kind,
                date: d,
                admit,
                discharge,
                status,
                tob,
                provider,
                dx,
                pcs,
                charges,
                revs,
            } => {
                let p = s.practice(&practice).await?;
                let provider = match provider {
                    Some(npi) => Some(s.provider_by_npi(p.id, &npi).await?),
                    None => None,
                };
                let mut all = Vec::new();
                for spec in &charges {
                    all.push(charge_spec(spec, false)?);
                }
                for spec in &revs {
                    all.push(charge_spec(spec, true)?);
                }
                let e = store::encounters::NewEncounter {
                    practice_id: p.id,
                    patient_id: patient,
                    kind: kind.clone(),
                    service_date: d.as_deref().map(|x| date(x, "--date")).transpose()?,
                    admission: admit.as_deref().map(|x| date(x, "--admit")).transpose()?,
                    discharge: discharge.as_deref().map(|x| date(x, "--discharge")).transpose()?,
                    discharge_status: if kind == "professional" { String::new() } else { status },
                    type_of_bill: tob,
                    rendering_id: provider,
                    diagnoses: dx_list(&dx),
                    procedures: pcs.iter().map(|c| (c.clone(), None)).collect(),
                    charges: all,
                    coded: !dx.is_empty(),
                    ..Default::default()
                };
                let id = s.create_encounter(&actor(), &e).await?;
                out!(
                    "encounter {id} created{}",
                    if dx.is_empty() { " (not coded yet)" } else { ", coded" }
                );
            }
            EncounterCommand::Code { id, dx, pcs } => {
                let pcs: Vec<(String, Option<Date>)> =
                    pcs.iter().map(|c| (c.clone(), None)).collect();
                s.code_encounter(&actor(), id, &dx_list(&dx), &pcs).await?;
                out!("encounter {id} coded");
            }
        }
        Ok(Outcome::Yes)
    })
}

// ───────────────────────────── claims ─────────────────────────────

/// `superbill claims …`
#[derive(clap::Subcommand, Debug)]
pub(crate) enum ClaimsCommand {
    /// Build claims from coded encounters (and the next payer's claims from posted remittances).
    Build {
        /// Only this practice.
        #[arg(long)]
        practice: Option<String>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Scrub draft claims; clean ones become ready.
    Scrub {
        /// Only this practice.
        #[arg(long)]
        practice: Option<String>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Write every ready claim into one 837 batch file.
    Submit {
        /// The batch file to write.
        #[arg(long, value_name = "FILE.837")]
        out: PathBuf,
        /// Only this practice.
        #[arg(long)]
        practice: Option<String>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// List claims.
    List {
        /// Only claims in this state (draft, scrubbed, ready, submitted, accepted, rejected, paid,
        /// partially_paid, denied, reversed, forwarded, appealed, secondary_billed, patient_billed,
        /// closed, voided).
        #[arg(long)]
        state: Option<String>,
        /// At most this many, newest first.
        #[arg(long, default_value_t = 100)]
        limit: i64,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Build the replacement (frequency 7) or, with --void, the void (frequency 8) of a claim the
    /// payer has, referencing its claim number; the new claim is a draft to scrub and submit.
    Correct {
        /// Claim ID or patient control number.
        claim: String,
        /// Void the claim instead of replacing it.
        #[arg(long)]
        void: bool,
    },
    /// Appeal a denied claim (its open denials become appealed).
    Appeal {
        /// Claim ID or patient control number.
        claim: String,
        /// Why (kept in the claim's history).
        #[arg(long)]
        reason: String,
    },
    /// A claim's lifecycle, findings and balances.
    Show {
        /// Claim ID or patient control number.
        claim: String,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

async fn claim_id(s: &Store, claim: &str) -> Result<i64> {
    Ok(match claim.parse::<i64>() {
        Ok(id) => id,
        Err(_) => s.claim_by_pcn(claim).await?,
    })
}

async fn practice_id(s: &Store, p: &Option<String>) -> Result<Option<i64>> {
    Ok(match p {
        Some(p) => Some(s.practice(p).await?.id),
        None => None,
    })
}

pub(crate) fn claims(ctx: &Ctx, c: ClaimsCommand) -> Result<Outcome> {
    runtime()?.block_on(async {
        let s = open(ctx).await?;
        match c {
            ClaimsCommand::Build { practice, json } => {
                let p = practice_id(&s, &practice).await?;
                let grouper = backoffice::engines::Engines::grouping(&ctx.data_dir, ctx.today)?;
                let built = s.build_claims(&actor(), p, ctx.today, &|claim| grouper.drg(claim)).await?;
                let second = s.build_secondary_claims(&actor(), ctx.today).await?;
                if json {
                    print_json(&json!({ "claims": built.claims, "total_cents": built.total_cents, "secondary_claims": second.claims,
                        "self_pay_claims": built.self_pay, "self_pay_cents": built.self_pay_cents,
                        "skipped": built.skipped.iter().map(|(e, why)| json!({"encounter": e, "reason": why})).collect::<Vec<_>>() }));
                } else {
                    out!("{} claims built ({}), {} for secondary payers", built.claims, money(built.total_cents), second.claims);
                    if built.self_pay > 0 {
                        out!("{} self-pay claims billed to the patient ({})", built.self_pay, money(built.self_pay_cents));
                    }
                    let mut by_reason: std::collections::BTreeMap<&str, Vec<i64>> = Default::default();
                    for (e, why) in &built.skipped {
                        by_reason.entry(why.as_str()).or_default().push(*e);
                    }
                    for (why, list) in by_reason {
                        let shown: Vec<String> = list.iter().take(8).map(|e| e.to_string()).collect();
                        let more = if list.len() > 8 { format!(" and {} more", list.len() - 8) } else { String::new() };
                        out!("  {} encounters not billed ({}{more}): {why}", list.len(), shown.join(", "));
                    }
                }
                Ok(Outcome::Yes)
            }
            ClaimsCommand::Scrub { practice, json } => {
                let p = practice_id(&s, &practice).await?;
                let tables = backoffice::engines::Engines::editing(&ctx.data_dir)?;
                let cx = tables.scrub_context(ctx.today);
                let sum = backoffice::work::scrub_claims(&s, &actor(), p, &cx, &scrub::Scrubber::default()).await?;
                if json {
                    print_json(&sum);
                } else {
                    out!("{} claims scrubbed: {} ready, {} held by findings", sum.claims, sum.ready, sum.blocked);
                    for (rule, n) in &sum.by_rule {
                        out!("  {rule}: {n}");
                    }
                }
                Ok(if sum.blocked > 0 { Outcome::No } else { Outcome::Yes })
            }
            ClaimsCommand::Submit { out, practice, json } => {
                let p = practice_id(&s, &practice).await?;
                let sum = backoffice::work::submit(&s, &actor(), p, &out, backoffice::work::stamp(ctx.today, &crate::system_hhmm())).await?;
                if json {
                    print_json(&sum);
                } else if sum.claims == 0 {
                    eprintln!("no claim is ready: nothing written (build and scrub first)");
                } else {
                    out!("{}: {} claims, {} in {} interchange(s)", out.display(), sum.claims, money(sum.total_cents), sum.interchanges);
                }
                for (pcn, why) in &sum.skipped {
                    eprintln!("claim {pcn} not submitted: {why}");
                }
                Ok(if sum.claims == 0 { Outcome::No } else { Outcome::Yes })
            }
            ClaimsCommand::List { state, limit, json } => {
                if let Some(st) = &state
                    && ledger::lifecycle::ClaimState::parse(st).is_none()
                {
                    bail!("--state {st:?} is not a claim state");
                }
                let rows = s.claim_rows(state.as_deref(), limit).await?;
                if json {
                    print_json(&rows);
                } else {
                    for r in rows {
                        out!("{:>6}  {:<17} {:<16} {:<13} {:>12}  {}  {}", r.id, r.pcn, r.state, r.kind, money(r.total_cents), r.service_from, r.payer);
                    }
                }
                Ok(Outcome::Yes)
            }
            ClaimsCommand::Correct { claim, void } => {
                let id = claim_id(&s, &claim).await?;
                let new = s.correct_claim(&actor(), id, void).await?;
                out!("claim {new} built: {} of claim {id}; scrub and submit it", if void { "void" } else { "replacement" });
                Ok(Outcome::Yes)
            }
            ClaimsCommand::Appeal { claim, reason } => {
                let id = claim_id(&s, &claim).await?;
                let n = s.appeal(&actor(), id, &reason).await?;
                out!("claim {id} appealed ({n} denials)");
                Ok(Outcome::Yes)
            }
            ClaimsCommand::Show { claim, json } => {
                let id = claim_id(&s, &claim).await?;
                let c = s.claim(id).await?;
                let history = s.claim_history(id).await?;
                let balances = ledger::Balances::of(&s.journal(id).await?);
                let by_party: Vec<_> = balances
                    .by_party
                    .iter()
                    .map(|(p, c)| json!({"party": match p { ledger::Party::Patient => "patient".to_string(), ledger::Party::Payer(x) => format!("payer {}", x.0) }, "cents": c.0}))
                    .collect();
                if json {
                    print_json(&json!({
                        "id": id, "pcn": c.claim.patient_control_number.as_str(), "state": c.state.as_str(),
                        "claim": c.claim,
                        "history": history.iter().map(|(at, who, from, to, why)| json!({"at": at, "actor": who, "from": from, "to": to, "reason": why})).collect::<Vec<_>>(),
                        "balance": { "charges_cents": balances.charges.0, "payments_cents": balances.payments.0, "adjustments_cents": balances.adjustments.0, "balance_cents": balances.total().0, "by_party": by_party },
                    }));
                } else {
                    out!("claim {id} {} — {}", c.claim.patient_control_number, c.state.as_str());
                    for (at, who, from, to, why) in &history {
                        out!("  {at}  {who:<10} {from:>14} → {to:<16} {why}");
                    }
                    out!(
                        "  charges {}  payments {}  adjustments {}  balance {}",
                        balances.charges,
                        balances.payments,
                        balances.adjustments,
                        balances.total()
                    );
                }
                Ok(Outcome::Yes)
            }
        }
    })
}

// ───────────────────────────── acknowledgments, remittances ─────────────────────────────

/// `superbill ack …`
#[derive(clap::Subcommand, Debug)]
pub(crate) enum AckCommand {
    /// Import a 999 or 277CA: each claim becomes accepted or rejected with the reason.
    Import {
        /// The file.
        file: PathBuf,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn ack(ctx: &Ctx, c: AckCommand) -> Result<Outcome> {
    let AckCommand::Import { file, json } = c;
    runtime()?.block_on(async {
        let s = open(ctx).await?;
        let sum = backoffice::work::import_ack(&s, &actor(), &file).await?;
        if json {
            print_json(&sum);
        } else if sum.already_imported {
            out!("{}: imported before; nothing changed", file.display());
        } else {
            out!(
                "{} {}: {} accepted, {} rejected, {} unmatched",
                sum.kind,
                file.display(),
                sum.accepted,
                sum.rejected,
                sum.unmatched
            );
            for n in &sum.notes {
                out!("  {n}");
            }
        }
        Ok(if sum.unmatched > 0 { Outcome::No } else { Outcome::Yes })
    })
}

/// `superbill remit …`
#[derive(clap::Subcommand, Debug)]
pub(crate) enum RemitCommand {
    /// Post an 835: payments, adjustments, patient responsibility, PLB; idempotent.
    Post {
        /// The 835 file.
        file: PathBuf,
        /// JSON output: { already_posted, claims_matched, claims_unmatched, paid_cents,
        /// adjusted_cents, patient_responsibility_cents, provider_adjustments_cents, balanced }.
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn remit(ctx: &Ctx, c: RemitCommand) -> Result<Outcome> {
    let RemitCommand::Post { file, json } = c;
    runtime()?.block_on(async {
        let s = open(ctx).await?;
        let sum = backoffice::work::post_835(&s, &actor(), &file, ctx.today).await?;
        if json {
            print_json(&sum);
        } else if sum.already_posted {
            out!("{}: posted before; nothing changed", file.display());
        } else {
            out!(
                "{}: {} claims posted, {} to suspense; paid {}, adjusted {}, patient responsibility {}, provider adjustments {}; deposit {}",
                file.display(),
                sum.claims_matched,
                sum.claims_unmatched,
                money(sum.paid_cents),
                money(sum.adjusted_cents),
                money(sum.patient_responsibility_cents),
                money(sum.provider_adjustments_cents),
                if sum.balanced { "balances" } else { "DOES NOT BALANCE" }
            );
            for n in &sum.notes {
                out!("  {n}");
            }
        }
        Ok(if sum.claims_unmatched > 0 || !sum.balanced { Outcome::No } else { Outcome::Yes })
    })
}

// ───────────────────────────── reports, queues, statements ─────────────────────────────

/// `superbill ar …`
#[derive(clap::Subcommand, Debug)]
pub(crate) enum ArCommand {
    /// Key figures over a period: days in A/R, first-pass acceptance (clean-claim) rate, denial
    /// rate with denials by payer and reason, net collection rate, payments per code per payer,
    /// and what each patient owes.
    Report {
        /// The period's last day [default: today].
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// The period's length in days.
        #[arg(long, default_value_t = 90)]
        days: i64,
        /// Only this practice.
        #[arg(long)]
        practice: Option<String>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Credit balances: accounts where a payer or the patient paid more than it owed.
    Credits {
        /// Only this practice.
        #[arg(long)]
        practice: Option<String>,
        /// JSON output: [ { account_id, pcn, practice_id, patient_id, patient, party, payer,
        /// payer_id, cents } ].
        #[arg(long)]
        json: bool,
    },
    /// Refund a credit balance: a refund entry on the account (never an edit).
    Refund {
        /// Claim ID or patient control number (any claim of the account).
        claim: String,
        /// The amount, in dollars and cents (`12.50`).
        #[arg(long)]
        amount: String,
        /// Who is refunded: `patient` or `payer`.
        #[arg(long, default_value = "patient")]
        to: String,
        /// The payer refunded, by name, when several payers hold a credit on the account.
        #[arg(long)]
        payer: Option<String>,
    },
    /// A/R aging by bucket and payer, aged from the date of service.
    Aging {
        /// As of this date [default: today].
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// Only this practice.
        #[arg(long)]
        practice: Option<String>,
        /// JSON output: { as_of, total_cents, insurance_cents, patient_cents, buckets: [ { label,
        /// cents } ], by_payer: [ { payer, cents } ] }.
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn ar(ctx: &Ctx, c: ArCommand) -> Result<Outcome> {
    let (as_of, practice, json) = match c {
        ArCommand::Aging { as_of, practice, json } => (as_of, practice, json),
        ArCommand::Report { as_of, days, practice, json } => {
            return ar_report(ctx, as_of, days, practice, json);
        }
        ArCommand::Credits { practice, json } => return ar_credits(ctx, practice, json),
        ArCommand::Refund { claim, amount, to, payer } => {
            return ar_refund(ctx, &claim, &amount, &to, payer.as_deref());
        }
    };
    runtime()?.block_on(async {
        let s = open(ctx).await?;
        let as_of = match as_of {
            Some(d) => date(&d, "--as-of")?,
            None => ctx.today,
        };
        let p = practice_id(&s, &practice).await?;
        let a = s.aging(as_of, p).await?;
        if json {
            print_json(&json!({
                "as_of": a.as_of, "total_cents": a.total_cents, "insurance_cents": a.insurance_cents, "patient_cents": a.patient_cents,
                "buckets": a.buckets, "by_payer": a.by_payer, "insurance_buckets": a.insurance_buckets, "patient_buckets": a.patient_buckets,
            }));
        } else {
            out!("A/R as of {}: {} (insurance {}, patients {})", a.as_of, money(a.total_cents), money(a.insurance_cents), money(a.patient_cents));
            out!("{:<8} {:>14} {:>14} {:>14}", "days", "insurance", "patient", "total");
            for ((b, i), p) in a.buckets.iter().zip(&a.insurance_buckets).zip(&a.patient_buckets) {
                out!("{:<8} {:>14} {:>14} {:>14}", b.label, money(i.cents), money(p.cents), money(b.cents));
            }
            for p in &a.by_payer {
                out!("  {:<30} {:>14}", p.payer, money(p.cents));
            }
        }
        Ok(Outcome::Yes)
    })
}

/// An `--amount` in dollars and cents, above zero, in cents.
fn positive_amount(amount: &str) -> Result<i64> {
    let cents: Cents = amount.parse().with_context(|| format!("--amount {amount:?}"))?;
    if cents.0 <= 0 {
        bail!("--amount {amount:?}: expected a positive amount such as 12.50");
    }
    Ok(cents.0)
}

fn ar_credits(ctx: &Ctx, practice: Option<String>, json: bool) -> Result<Outcome> {
    runtime()?.block_on(async {
        let s = open(ctx).await?;
        let p = practice_id(&s, &practice).await?;
        let list = s.credit_balances(p).await?;
        if json {
            print_json(&list);
        } else if list.is_empty() {
            out!("no credit balances");
        } else {
            for c in &list {
                let who =
                    if c.party == "patient" { "patient".to_string() } else { c.payer.clone() };
                out!(
                    "{:>6}  {:<17} {:<28} {:<24} {:>12}",
                    c.account_id,
                    c.pcn,
                    c.patient,
                    who,
                    money(c.cents)
                );
            }
        }
        Ok(Outcome::Yes)
    })
}

fn ar_refund(
    ctx: &Ctx,
    claim: &str,
    amount: &str,
    to: &str,
    payer: Option<&str>,
) -> Result<Outcome> {
    let cents = Cents(positive_amount(amount)?);
    runtime()?.block_on(async {
        let s = open(ctx).await?;
        let id = claim_id(&s, claim).await?;
        let account = s.account_of(id).await?;
        let party = match to {
            "patient" => ledger::Party::Patient,
            "payer" => {
                let credits: Vec<_> = s
                    .credit_balances(None)
                    .await?
                    .into_iter()
                    .filter(|c| c.account_id == account && c.party == "payer")
                    .filter(|c| payer.is_none_or(|p| c.payer.eq_ignore_ascii_case(p)))
                    .collect();
                match credits.as_slice() {
                    [one] => ledger::Party::Payer(ledger::PayerId(one.payer_id.unwrap_or(0))),
                    [] => bail!("claim {claim}: no payer holds a credit on this account"),
                    _ => {
                        bail!("claim {claim}: several payers hold a credit; name one with --payer")
                    }
                }
            }
            other => bail!("--to {other:?}: expected patient or payer"),
        };
        s.refund(&actor(), id, party, cents.0, ctx.today).await?;
        out!("refunded {} to the {to} on claim {claim}", money(cents.0));
        Ok(Outcome::Yes)
    })
}

fn ar_report(
    ctx: &Ctx,
    as_of: Option<String>,
    days: i64,
    practice: Option<String>,
    json: bool,
) -> Result<Outcome> {
    if days < 1 {
        bail!("--days must be at least 1");
    }
    runtime()?.block_on(async {
        let s = open(ctx).await?;
        let as_of = match as_of {
            Some(d) => date(&d, "--as-of")?,
            None => ctx.today,
        };
        let p = practice_id(&s, &practice).await?;
        let k = s.key_figures(as_of, days, p).await?;
        if json {
            print_json(&k);
            return Ok(Outcome::Yes);
        }
        let pct = |r: Option<f64>| {
            r.map(|r| format!("{:.1} %", r * 100.0)).unwrap_or_else(|| "n/a".into())
        };
        out!("{} to {}", k.from, k.as_of);
        out!("  A/R                      {:>14}", money(k.ar_cents));
        out!("  charges                  {:>14}", money(k.charges_cents));
        out!(
            "  days in A/R              {:>14}",
            k.days_in_ar.map(|d| format!("{d:.1}")).unwrap_or_else(|| "n/a".into())
        );
        out!(
            "  first-pass acceptance    {:>14}  ({} of {} claims)",
            pct(k.first_pass_rate),
            k.claims_accepted_first_pass,
            k.claims_submitted
        );
        out!(
            "  denial rate              {:>14}  ({} of {} claims)",
            pct(k.denial_rate),
            k.claims_denied,
            k.claims_adjudicated
        );
        out!(
            "  net collection rate      {:>14}  (payments {} / (charges − contractual {}))",
            pct(k.net_collection_rate),
            money(k.payments_cents),
            money(k.contractual_cents)
        );
        if !k.denials.is_empty() {
            out!("denials by payer and reason:");
            for d in &k.denials {
                out!(
                    "  {:<28} {:<8} {:<24} {:>5} {:>12}",
                    d.payer,
                    d.carc,
                    d.category,
                    d.count,
                    money(d.cents)
                );
            }
        }
        if !k.payments_by_code.is_empty() {
            out!("payments per code per payer:");
            for c in &k.payments_by_code {
                out!(
                    "  {:<28} {:<8} {:>6} lines {:>12}  (average {})",
                    c.payer,
                    c.code,
                    c.lines,
                    money(c.cents),
                    money(c.average_cents)
                );
            }
        }
        Ok(Outcome::Yes)
    })
}

/// `superbill queue …`
#[derive(clap::Subcommand, Debug)]
pub(crate) enum QueueCommand {
    /// Assign an open denial to a user.
    Assign {
        /// Denial ID (from `queue denials`).
        denial: i64,
        /// The user's login.
        #[arg(long)]
        user: String,
    },
    /// Open denials, oldest appeal deadline first.
    Denials {
        /// Group them by `reason` (group code and CARC), `category` or `payer`, the group with
        /// the nearest deadline first.
        #[arg(long, value_name = "KEY")]
        by: Option<String>,
        /// Only this practice.
        #[arg(long)]
        practice: Option<String>,
        /// JSON output (with --by: [ { key, count, cents, earliest_deadline, denials } ]).
        #[arg(long)]
        json: bool,
    },
    /// Claims rejected by a 999 or 277CA, waiting to be corrected.
    Rejected {
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Claims submitted with no answer for more than N days.
    NoResponse {
        /// Days.
        #[arg(long, default_value_t = 30)]
        days: i64,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Remittances and acknowledgments that matched nothing, and deposits that did not balance.
    Suspense {
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn queue(ctx: &Ctx, c: QueueCommand) -> Result<Outcome> {
    runtime()?.block_on(async {
        let s = open(ctx).await?;
        match c {
            QueueCommand::Assign { denial, user } => {
                s.assign_denial(&actor(), denial, &user).await?;
                out!("denial {denial} assigned to {user}");
            }
            QueueCommand::Denials { by, practice, json } => {
                let key = match by.as_deref() {
                    None => None,
                    Some("reason") => Some(store::reports::DenialKey::Reason),
                    Some("category") => Some(store::reports::DenialKey::Category),
                    Some("payer") => Some(store::reports::DenialKey::Payer),
                    Some(other) => bail!("--by {other:?}: expected reason, category or payer"),
                };
                let p = practice_id(&s, &practice).await?;
                let list = s.denials(p).await?;
                let line = |d: &store::reports::DenialItem| {
                    format!("{:>6}  due {}  {:<17} {:<8} {:<22} {:>12}  {}", d.id, d.deadline, d.pcn, d.carc, d.category, money(d.cents), d.payer)
                };
                match key {
                    None if json => print_json(&list),
                    None => list.iter().for_each(|d| out!("{}", line(d))),
                    Some(k) => {
                        let groups = store::reports::group_denials(list, k);
                        if json {
                            print_json(&groups);
                        } else {
                            for g in &groups {
                                out!("{}  {} denials, {}, first deadline {}", g.key, g.count, money(g.cents), g.earliest_deadline);
                                g.denials.iter().for_each(|d| out!("  {}", line(d)));
                            }
                        }
                    }
                }
            }
            QueueCommand::Rejected { json } => stale(&s, "rejected", 0, ctx.today, json).await?,
            QueueCommand::NoResponse { days, json } => stale(&s, "submitted", days, ctx.today, json).await?,
            QueueCommand::Suspense { json } => {
                let list = s.suspense().await?;
                if json {
                    let v: Vec<_> = list.iter().map(|(id, kind, why, c)| json!({"id": id, "kind": kind, "reason": why, "cents": c})).collect();
                    print_json(&v);
                } else {
                    for (id, kind, why, c) in list {
                        out!("{id:>6}  {kind:<16} {:>12}  {why}", money(c));
                    }
                }
            }
        }
        Ok(Outcome::Yes)
    })
}

async fn stale(s: &Store, state: &str, days: i64, today: Date, json: bool) -> Result<()> {
    let list = s
        .stale_claims(state, days, Date::from_day_number(today.day_number() + 1).unwrap_or(today))
        .await?;
    if json {
        let v: Vec<_> = list
            .iter()
            .map(|(id, pcn, since)| json!({"id": id, "pcn": pcn, "since": since}))
            .collect();
        print_json(&v);
    } else {
        for (id, pcn, since) in list {
            out!("{id:>6}  {pcn:<17} {state} since {since}");
        }
    }
    Ok(())
}

/// `superbill statements`
#[derive(clap::Args, Debug)]
pub(crate) struct StatementsArgs {
    /// The folder to write statement-ACCOUNT.{txt,html,pdf} into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Only this practice.
    #[arg(long)]
    practice: Option<String>,
    /// JSON output.
    #[arg(long)]
    json: bool,
}

pub(crate) fn statements(ctx: &Ctx, a: StatementsArgs) -> Result<Outcome> {
    runtime()?.block_on(async {
        let s = open(ctx).await?;
        let p = practice_id(&s, &a.practice).await?;
        let sum = backoffice::statements::write_all(&s, &actor(), ctx.today, p, &a.out).await?;
        if a.json {
            print_json(&sum);
        } else {
            out!(
                "{} statements in {} ({} due); {} claims still with insurance left off",
                sum.statements,
                a.out.display(),
                money(sum.total_due_cents),
                sum.pending_with_insurance
            );
        }
        Ok(Outcome::Yes)
    })
}

// ───────────────────────────── demo ─────────────────────────────

/// `superbill demo [seed|payer]`
#[derive(clap::Args, Debug)]
pub(crate) struct DemoArgs {
    #[command(subcommand)]
    command: Option<DemoCommand>,
}

/// The demo's subcommands.
#[derive(clap::Subcommand, Debug)]
pub(crate) enum DemoCommand {
    /// Seed the demo billing service (two practices, payers, 200 patients, a month of coded
    /// visits and some inpatient stays ending on --today) into an empty database.
    Seed {
        /// Patients.
        #[arg(long, default_value_t = 200)]
        patients: usize,
        /// Inpatient stays.
        #[arg(long, default_value_t = 6)]
        stays: usize,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Play the payer: write the 999, 277CA and 835 for a batch file into a folder.
    Payer {
        /// The 837 batch.
        file: PathBuf,
        /// The folder to write NAME.999, NAME.277 and NAME.835 into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The payment date [default: --today].
        #[arg(long, value_name = "YYYY-MM-DD")]
        paid_on: Option<String>,
    },
}

pub(crate) fn demo(ctx: &Ctx, a: DemoArgs) -> Result<Outcome> {
    match a.command {
        None => crate::demo::run(ctx),
        Some(DemoCommand::Seed { patients, stays, json }) => runtime()?.block_on(async {
            let s = open(ctx).await?;
            let size = backoffice::demo::Size { patients, days: 30, stays };
            let seeded = backoffice::demo::seed(&s, &actor(), ctx.today, size).await?;
            if json {
                print_json(&seeded);
            } else {
                out!(
                    "demo billing service seeded: {} practices, {} patients, {} coded visits, {} inpatient stays ending {}",
                    seeded.practices.len(),
                    seeded.patients,
                    seeded.visits,
                    seeded.stays,
                    ctx.today
                );
                out!("next: superbill claims build && superbill claims scrub && superbill claims submit --out batch.837");
            }
            Ok(Outcome::Yes)
        }),
        Some(DemoCommand::Payer { file, out, paid_on }) => {
            let batch = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let paid = match paid_on {
                Some(d) => date(&d, "--paid-on")?,
                None => ctx.today,
            };
            std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("batch").to_string();
            let ack = backoffice::payer::answer_999(&batch, ctx.today).context("the batch has no interchange to acknowledge")?;
            let ca = backoffice::payer::answer_277ca(&batch, ctx.today).context("the batch has no interchange to acknowledge")?;
            let era = backoffice::payer::answer_835(&batch, paid, (ctx.today.day_number() % 100_000) as u32 + 1)?;
            for (ext, bytes) in [("999", ack), ("277", ca), ("835", era)] {
                let p = out.join(format!("{stem}.{ext}"));
                std::fs::write(&p, bytes).with_context(|| format!("writing {}", p.display()))?;
                out!("{}", p.display());
            }
            Ok(Outcome::Yes)
        }
    }
}
