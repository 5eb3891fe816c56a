//! The demo billing service: a realistic, synthetic book of business (no real patient), the
//! same for the same date and size.
//!
//! Two practices — a family medicine group billing professional claims, and a community
//! hospital billing inpatient stays on 837I from its charge master — with their providers,
//! five payers (Medicare Part B and Part A, Medicaid, two commercial plans, a Medigap plan) through one
//! clearinghouse, demo users of each role, 200 patients (a third over 65 with Medicare, many
//! of them with a Medigap secondary; a few self-pay), a month of coded office visits ending on
//! `today`, and some inpatient stays discharged on `today`.

use anyhow::Result;
use code_sets::Date;
use store::encounters::{NewCharge, NewEncounter};
use store::setup::*;
use store::{Actor, Store};

/// How much to seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size {
    /// Patients across both practices.
    pub patients: usize,
    /// Days of visits ending on `today`.
    pub days: i64,
    /// Inpatient stays discharged on `today`.
    pub stays: usize,
}

impl Default for Size {
    fn default() -> Size {
        Size { patients: 200, days: 30, stays: 6 }
    }
}

/// What was seeded.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Seeded {
    /// Practices.
    pub practices: Vec<i64>,
    /// Patients.
    pub patients: usize,
    /// Coded professional encounters.
    pub visits: usize,
    /// Coded inpatient stays.
    pub stays: usize,
    /// Encounters waiting for a coder (documentation and charges, no codes yet).
    pub to_code: usize,
    /// Demo users (login, role).
    pub users: Vec<(String, String)>,
}

/// A deterministic pseudo-random sequence (xorshift), so the demo is the same every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// A valid NPI (Luhn check digit over the 80840 prefix) from a serial number.
pub fn npi(serial: u32) -> String {
    let first9 = format!("1{:08}", serial % 100_000_000);
    let bytes: [u8; 9] = first9.as_bytes().try_into().unwrap_or([b'1'; 9]);
    format!("{first9}{}", claim_model::Npi::check_digit(&bytes) as char)
}

/// A synthetic Medicare Beneficiary Identifier in the MBI's shape.
fn mbi(r: &mut Rng) -> String {
    const L: &[u8] = b"ACDEFGHJKMNPQRTUVWXY";
    let d = |r: &mut Rng, lo: u8| (b'0' + lo + (r.below((10 - lo) as usize) as u8)) as char;
    let l = |r: &mut Rng| L[r.below(L.len())] as char;
    let mut s = String::new();
    s.push(d(r, 1));
    s.push(l(r));
    s.push(if r.below(2) == 0 { l(r) } else { d(r, 0) });
    s.push(d(r, 0));
    s.push(l(r));
    s.push(if r.below(2) == 0 { l(r) } else { d(r, 0) });
    s.push(d(r, 0));
    s.push(l(r));
    s.push(l(r));
    s.push(d(r, 0));
    s.push(d(r, 0));
    s
}

const FIRST: &[&str] = &[
    "Avery", "Jordan", "Morgan", "Riley", "Casey", "Quinn", "Harper", "Rowan", "Emerson", "Hayden",
    "Parker", "Reese", "Sawyer", "Finley", "Dakota", "Skyler", "Jamie", "Kendall", "Logan",
    "Peyton",
];
const LAST: &[&str] = &[
    "Alder",
    "Birchwood",
    "Calloway",
    "Dunmore",
    "Ellery",
    "Fairbanks",
    "Galloway",
    "Hollis",
    "Ingram",
    "Jessup",
    "Kingsley",
    "Lockhart",
    "Merriweather",
    "Northcott",
    "Oakes",
    "Pemberton",
    "Quimby",
    "Rutledge",
    "Sterling",
    "Thornbury",
    "Underhill",
    "Vance",
    "Whitlock",
    "Yardley",
];
/// Office visit diagnoses (ICD-10-CM, billable), with the visit's usual procedures.
const VISITS: &[(&[&str], &[&str])] = &[
    (&["E11.9", "I10"], &["99214", "80053", "36415"]),
    (&["I10", "E78.5"], &["99213"]),
    (&["J45.909"], &["99213"]),
    (&["M54.50"], &["99213"]),
    (&["K21.9"], &["99213"]),
    (&["F32.9"], &["99214"]),
    (&["I48.91", "I10"], &["99214", "93000"]),
    (&["J44.9"], &["99214"]),
    (&["N39.0"], &["99213", "81003"]),
    (&["R07.9"], &["99214", "93000"]),
    (&["E66.9"], &["99213"]),
    (&["N18.30", "E11.9"], &["99214", "80053", "36415"]),
    (&["J18.9"], &["99214", "71046"]),
];
const FEES: &[(&str, i64)] = &[
    ("99213", 15_000),
    ("99214", 22_000),
    ("80053", 7_500),
    ("36415", 1_500),
    ("93000", 6_000),
    ("81003", 2_000),
    ("71046", 12_000),
];
/// Inpatient stays: principal and secondary diagnoses (POA Y).
const STAYS: &[&[&str]] = &[
    &["J18.9", "I10", "E11.9"],
    &["I50.23", "I48.91", "N18.30"],
    &["A41.9", "N39.0", "E11.9"],
    &["I21.4", "I10", "E78.5"],
    &["J44.1", "J18.9"],
    &["N39.0", "E11.9", "I10"],
];

/// The coders' worklist: visits documented and charged today but not yet coded (the note, then
/// the procedure codes charged). Synthetic text.
const TO_CODE: &[(&str, &[&str])] = &[
    (
        "Follow-up visit. Type 2 diabetes mellitus without complications, on metformin; A1c due. \
         Essential hypertension, controlled on lisinopril. Comprehensive metabolic panel drawn by venipuncture.",
        &["99214", "80053", "36415"],
    ),
    (
        "Established patient with dysuria and urinary frequency for three days, no fever. \
         Urinalysis by dipstick positive for nitrites. Assessment: urinary tract infection, site not specified.",
        &["99213", "81003"],
    ),
    (
        "Chest pain, unspecified, intermittent for two weeks, not exertional. ECG with interpretation: \
         normal sinus rhythm. Plan: stress test if it recurs.",
        &["99214", "93000"],
    ),
    (
        "Cough and fever for four days; crackles right lower lobe. Chest X-ray two views: right lower \
         lobe infiltrate. Assessment: pneumonia, unspecified organism.",
        &["99214", "71046"],
    ),
    (
        "Low back pain for one week after lifting, no radiation, no red flags. Assessment: low back \
         pain, unspecified. Plan: activity as tolerated, NSAID.",
        &["99213"],
    ),
    (
        "Persistent atrial fibrillation on anticoagulation, rate controlled; hypertension. ECG with \
         interpretation: atrial fibrillation, ventricular rate 78.",
        &["99214", "93000"],
    ),
];

/// The worklist's stays: a discharge summary each (synthetic).
const STAYS_TO_CODE: &[&str] = &[
    "Discharge summary. Admitted through the emergency department with fever, cough and hypoxia. \
     Chest X-ray: left lower lobe pneumonia. Treated with IV ceftriaxone and azithromycin. History of \
     type 2 diabetes and essential hypertension, both present on admission. Discharged home, stable.",
    "Discharge summary. Admitted with acute on chronic diastolic heart failure; IV furosemide. \
     Chronic atrial fibrillation and chronic kidney disease stage 3, both present on admission. \
     Discharged home on day 4.",
];

fn stay_charges(admit: Date, los: i64) -> Vec<NewCharge> {
    [("0450", 1), ("0120", los), ("0250", 1), ("0300", 1), ("0324", 1)]
        .iter()
        .map(|(rev, units)| NewCharge {
            revenue_code: (*rev).into(),
            units: units * 1000,
            date: Some(admit),
            ..Default::default()
        })
        .collect()
}

fn days_before(today: Date, n: i64) -> Date {
    Date::from_day_number(today.day_number() - n).unwrap_or(today)
}

/// Seeds the demo billing service into an empty database.
pub async fn seed(store: &Store, actor: &Actor, today: Date, size: Size) -> Result<Seeded> {
    if store.count("practice").await? > 0 {
        anyhow::bail!("the database already holds practices: seed the demo into an empty database");
    }
    let mut r = Rng(0x5eed_2026_b111);
    let org = store.create_organization("Keystone Billing Services", "billing_service").await?;
    let tp = store
        .create_trading_partner(&NewTradingPartner {
            org_id: org,
            name: "Demo Clearinghouse".into(),
            isa_sender_id: "KEYSTONEBILL".into(),
            isa_receiver_id: "DEMOCLEARING".into(),
            gs_sender: "KEYSTONEBILL".into(),
            gs_receiver: "DEMOCLEARING".into(),
            submitter: (
                "Keystone Billing Services".into(),
                "KBS001".into(),
                "Claims Desk".into(),
                "5555550100".into(),
            ),
            receiver: ("Demo Clearinghouse".into(), "DCH01".into()),
            usage: "T".into(),
        })
        .await?;
    let payer = |name: &str, code: &str, fi: &str, timely: i64| NewPayer {
        org_id: org,
        name: name.into(),
        code: code.into(),
        filing_indicator: fi.into(),
        timely_filing_days: timely,
        appeal_days: 120,
        trading_partner_id: Some(tp),
    };
    let medicare_b = store.create_payer(&payer("Medicare Part B", "MCRB1", "MB", 365)).await?;
    let medicare_a = store.create_payer(&payer("Medicare Part A", "MCRA1", "MA", 365)).await?;
    let medicaid = store.create_payer(&payer("State Medicaid", "MCD01", "MC", 180)).await?;
    let acme = store.create_payer(&payer("Acme Health Plan", "ACME1", "CI", 90)).await?;
    let blue = store.create_payer(&payer("Bluebird Insurance", "BLUE1", "BL", 180)).await?;
    let medigap = store.create_payer(&payer("Medigap Plan G", "MGAP1", "CI", 365)).await?;

    let clinic = store
        .create_practice(
            actor,
            &NewPractice {
                org_id: org,
                name: "Northside Family Medicine".into(),
                npi: npi(10_000_001),
                tax_id: "990000101".into(),
                taxonomy: "207Q00000X".into(),
                address: "100 Main Street".into(),
                city: "Springfield".into(),
                state: "IL".into(),
                zip: "627010001".into(),
                claim_prefix: "NFM".into(),
            },
        )
        .await?;
    let hospital = store
        .create_practice(
            actor,
            &NewPractice {
                org_id: org,
                name: "Riverside Community Hospital".into(),
                npi: npi(10_000_002),
                tax_id: "990000102".into(),
                taxonomy: "282N00000X".into(),
                address: "500 River Road".into(),
                city: "Springfield".into(),
                state: "IL".into(),
                zip: "627020002".into(),
                claim_prefix: "RCH".into(),
            },
        )
        .await?;
    let office = store.create_location(clinic, "Main Street office", "11").await?;
    let mut doctors = Vec::new();
    for (i, (last, first)) in
        [("Okafor", "Adaeze"), ("Lindqvist", "Erik"), ("Moreau", "Claire")].iter().enumerate()
    {
        doctors.push(
            store
                .create_provider(&NewProvider {
                    practice_id: clinic,
                    npi: npi(20_000_001 + i as u32),
                    last: (*last).into(),
                    first: (*first).into(),
                    taxonomy: "207Q00000X".into(),
                    roles: "rendering".into(),
                })
                .await?,
        );
    }
    let mut hospitalists = Vec::new();
    for (i, (last, first)) in [("Nakamura", "Ren"), ("Haddad", "Layla")].iter().enumerate() {
        hospitalists.push(
            store
                .create_provider(&NewProvider {
                    practice_id: hospital,
                    npi: npi(20_000_101 + i as u32),
                    last: (*last).into(),
                    first: (*first).into(),
                    taxonomy: "208M00000X".into(),
                    roles: "attending".into(),
                })
                .await?,
        );
    }
    for (code, cents) in FEES {
        store.set_fee(clinic, code, "", *cents).await?;
    }
    for (rev, desc, cents) in [
        ("0120", "Room and board, semi-private, per day", 210_000),
        ("0250", "Pharmacy", 42_500),
        ("0300", "Laboratory", 68_000),
        ("0324", "Chest X-ray", 31_000),
        ("0450", "Emergency room", 165_000),
    ] {
        store.set_charge_master(hospital, rev, "", desc, cents).await?;
    }
    let mut seeded = Seeded { practices: vec![clinic, hospital], ..Default::default() };
    for (login, name, role) in [
        ("admin", "Demo Admin", "admin"),
        ("coder", "Demo Coder", "coder"),
        ("auditor", "Demo Auditor", "auditor"),
    ] {
        let u = store.create_user(org, login, name).await?;
        for p in [clinic, hospital] {
            store.grant_role(actor, u, p, role).await?;
        }
        seeded.users.push((login.into(), role.into()));
    }
    // A biller for each practice only (the tenant boundary the web app enforces).
    for (login, name, practice) in
        [("biller-a", "Clinic Biller", clinic), ("biller-b", "Hospital Biller", hospital)]
    {
        let u = store.create_user(org, login, name).await?;
        store.grant_role(actor, u, practice, "biller").await?;
        seeded.users.push((login.into(), "biller".into()));
    }

    // Patients: most at the clinic, some at the hospital.
    let since = days_before(today, 800);
    let mut people: Vec<(NewPatient, Vec<NewCoverage>)> = Vec::with_capacity(size.patients);
    let mut at_hospital_flags = Vec::with_capacity(size.patients);
    for i in 0..size.patients {
        let at_hospital = i % 10 == 9;
        let practice = if at_hospital { hospital } else { clinic };
        let senior = r.below(3) == 0 || at_hospital && r.below(2) == 0;
        let age = if senior { 65 + r.below(25) as i64 } else { 19 + r.below(45) as i64 };
        let birth = days_before(today, age * 365 + r.below(360) as i64);
        let patient = NewPatient {
            practice_id: practice,
            account: format!("{}{:06}", if at_hospital { "H" } else { "C" }, i + 1),
            last: (*r.pick(LAST)).into(),
            first: (*r.pick(FIRST)).into(),
            birth_date: Some(birth),
            sex: if r.below(2) == 0 { "F" } else { "M" }.into(),
            address: format!("{} Test Lane", 10 + r.below(900)),
            city: "Springfield".into(),
            state: "IL".into(),
            zip: "62704".into(),
            guarantor_id: None,
        };
        let cov = |payer_id: i64, rank: i64, member_id: String| NewCoverage {
            payer_id,
            rank,
            member_id,
            relationship: "18".into(),
            effective_from: Some(since),
            ..Default::default()
        };
        let roll = r.below(20);
        let mut covs = Vec::new();
        if senior {
            let medicare = if at_hospital { medicare_a } else { medicare_b };
            covs.push(cov(medicare, 1, mbi(&mut r)));
            if roll < 12 {
                covs.push(cov(medigap, 2, format!("MG{:08}", r.below(100_000_000))));
            }
        } else if roll < 4 {
            covs.push(cov(medicaid, 1, format!("MCD{:09}", r.below(1_000_000_000))));
        } else if roll < 18 {
            let (p, pre) = if roll.is_multiple_of(2) { (acme, "ACM") } else { (blue, "XBL") };
            covs.push(cov(p, 1, format!("{pre}{:09}", r.below(1_000_000_000))));
        }
        // roll 18–19 under 65: self-pay.
        people.push((patient, covs));
        at_hospital_flags.push(at_hospital);
    }
    let mut clinic_patients = Vec::new();
    let mut hospital_patients = Vec::new();
    let mut k = 0;
    for chunk in people.chunks(5_000) {
        for id in store.create_patients(actor, chunk).await? {
            if at_hospital_flags[k] {
                hospital_patients.push(id);
            } else {
                clinic_patients.push(id);
            }
            k += 1;
        }
    }
    seeded.patients = size.patients;

    let mut visits = Vec::new();
    for (k, p) in clinic_patients.iter().enumerate() {
        for _ in 0..1 + r.below(3) {
            let (dx, procs) = *r.pick(VISITS);
            visits.push(NewEncounter {
                practice_id: clinic,
                patient_id: *p,
                kind: "professional".into(),
                service_date: Some(days_before(today, r.below(size.days.max(1) as usize) as i64)),
                rendering_id: Some(doctors[k % doctors.len()]),
                location_id: Some(office),
                diagnoses: dx.iter().map(|c| ((*c).to_string(), String::new())).collect(),
                charges: procs
                    .iter()
                    .map(|c| NewCharge { code: (*c).into(), units: 1000, ..Default::default() })
                    .collect(),
                coded: true,
                ..Default::default()
            });
        }
    }
    seeded.visits = visits.len();
    for chunk in visits.chunks(5_000) {
        store.create_encounters(actor, chunk).await?;
    }
    let mut stays = Vec::new();
    for i in 0..size.stays.min(hospital_patients.len().max(size.stays)) {
        let Some(p) = hospital_patients.get(i % hospital_patients.len().max(1)) else { break };
        let los = 2 + (i as i64 % 4);
        let admit = days_before(today, los);
        let dx = STAYS[i % STAYS.len()];
        stays.push(NewEncounter {
            practice_id: hospital,
            patient_id: *p,
            kind: "inpatient".into(),
            admission: Some(admit),
            discharge: Some(today),
            discharge_status: "01".into(),
            type_of_bill: "0111".into(),
            rendering_id: Some(hospitalists[i % hospitalists.len()]),
            diagnoses: dx.iter().map(|c| ((*c).to_string(), "Y".to_string())).collect(),
            charges: stay_charges(admit, los),
            coded: true,
            ..Default::default()
        });
    }
    seeded.stays = stays.len();
    store.create_encounters(actor, &stays).await?;

    // The coders' worklist: documented and charged, not yet coded.
    let mut to_code = Vec::new();
    for (i, (note, procs)) in TO_CODE.iter().enumerate() {
        let Some(p) = clinic_patients.get(i * 3) else { break };
        to_code.push(NewEncounter {
            practice_id: clinic,
            patient_id: *p,
            kind: "professional".into(),
            service_date: Some(today),
            rendering_id: Some(doctors[i % doctors.len()]),
            location_id: Some(office),
            charges: procs
                .iter()
                .map(|c| NewCharge { code: (*c).into(), units: 1000, ..Default::default() })
                .collect(),
            note: (*note).into(),
            ..Default::default()
        });
    }
    for (i, note) in STAYS_TO_CODE.iter().enumerate() {
        let Some(p) = hospital_patients.get(hospital_patients.len().saturating_sub(1 + i)) else {
            break;
        };
        let los = 3 + i as i64;
        let admit = days_before(today, los);
        to_code.push(NewEncounter {
            practice_id: hospital,
            patient_id: *p,
            kind: "inpatient".into(),
            admission: Some(admit),
            discharge: Some(today),
            discharge_status: "01".into(),
            type_of_bill: "0111".into(),
            rendering_id: Some(hospitalists[i % hospitalists.len()]),
            charges: stay_charges(admit, los),
            note: (*note).into(),
            ..Default::default()
        });
    }
    seeded.to_code = to_code.len();
    store.create_encounters(actor, &to_code).await?;
    Ok(seeded)
}

/// What [`play`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Played {
    /// Claims built.
    pub claims: usize,
    /// Claims submitted (the first practice's).
    pub submitted: usize,
    /// Claims the 835 matched.
    pub posted: usize,
    /// Claims built for secondary payers.
    pub secondary: usize,
    /// The files written: the batch and the payer's answers.
    pub files: Vec<String>,
}

/// Plays the demo's billing up to today, so that every screen has work in it: builds and
/// scrubs every coded encounter's claim, submits the first practice's claims in one batch, has
/// the test payer answer it ([`crate::payer`]: 999, 277CA, an 835 paid on `today` that pays,
/// adjusts, denies and forwards) and imports and posts the answers, then builds the secondary
/// claims; the other practices' claims stay ready to submit. Files are written into `dir`.
pub async fn play(
    store: &Store,
    actor: &Actor,
    cx: &scrub::Context<'_>,
    first_practice: i64,
    today: Date,
    dir: &std::path::Path,
) -> Result<Played> {
    use crate::{payer, work};
    std::fs::create_dir_all(dir)?;
    let mut played = Played::default();
    let built = store.build_claims(actor, None, today, &|_| String::new()).await?;
    played.claims = built.claims;
    work::scrub_claims(store, actor, None, cx, &scrub::Scrubber::default()).await?;
    let batch = dir.join("demo-batch.837");
    let sub = work::submit(store, actor, Some(first_practice), &batch, work::stamp(today, "0800"))
        .await?;
    played.submitted = sub.claims;
    if sub.claims == 0 {
        return Ok(played);
    }
    let bytes = std::fs::read(&batch)?;
    played.files.push(batch.display().to_string());
    let answers = [
        ("demo-batch.999", payer::answer_999(&bytes, today)),
        ("demo-batch.277", payer::answer_277ca(&bytes, today)),
    ];
    for (name, answer) in answers {
        if let Some(a) = answer {
            let f = dir.join(name);
            std::fs::write(&f, a)?;
            work::import_ack(store, actor, &f).await?;
            played.files.push(f.display().to_string());
        }
    }
    let era = dir.join("demo-batch.835");
    std::fs::write(&era, payer::answer_835(&bytes, today, 9001)?)?;
    played.posted = work::post_835(store, actor, &era, today).await?.claims_matched;
    played.files.push(era.display().to_string());
    played.secondary = store.build_secondary_claims(actor, today).await?.claims;
    Ok(played)
}
