//! Claims from encounters, as plain values: the store loads an [`EncounterToBill`] (the
//! encounter, its charges, the practice, providers, patient and the coverages in force), and
//! [`claim_for`] writes the claim a payer gets: 837P for a professional visit, 837I for a
//! facility stay, with diagnosis pointers, the subscriber loop of the coverage billed and, for a
//! later payer, the other payers' loops (2320/2330, with each line's 2430 adjudication) built
//! from the earlier payers' remittances.

use claim_model::{
    Address, Adjustment, Cents, Claim, ClaimKind, Diagnosis, DiagnosisKind, Frequency,
    LineAdjudication, Name, OtherPayer, Party as ClaimParty, Payer, Person, Poa, Procedure,
    ProviderRole, ServiceLine, Subscriber, Text, Units,
};
use code_sets::Date;

/// A person's name and demographics as the store keeps them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonFacts {
    /// Last name.
    pub last: String,
    /// First name.
    pub first: String,
    /// Birth date.
    pub birth_date: Option<Date>,
    /// `M`, `F` or `U`.
    pub sex: char,
    /// Address.
    pub address: Option<Address>,
}

/// A provider (person or organization) with its NPI.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProviderFacts {
    /// Last name, or the organization's name when `first` is empty.
    pub last: String,
    /// First name (empty for an organization).
    pub first: String,
    /// NPI.
    pub npi: String,
    /// Taxonomy.
    pub taxonomy: String,
    /// Tax ID (billing provider).
    pub tax_id: String,
    /// Address.
    pub address: Option<Address>,
}

/// A coverage of the patient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoverageFacts {
    /// The store's coverage ID.
    pub id: i64,
    /// The store's payer ID.
    pub payer_id: i64,
    /// 1 primary, 2 secondary, 3 tertiary.
    pub rank: u8,
    /// Payer name and EDI payer ID.
    pub payer: (String, String),
    /// Claim filing indicator (SBR09).
    pub filing_indicator: String,
    /// Member ID.
    pub member_id: String,
    /// Group number.
    pub group_number: String,
    /// The patient's relationship to the subscriber (`18` self, `01` spouse, `19` child…).
    pub relationship: String,
    /// The subscriber, when not the patient.
    pub subscriber: Option<PersonFacts>,
    /// Medicare secondary payer type (SBR05), when Medicare is secondary.
    pub msp_type: String,
}

/// A charge of the encounter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChargeFacts {
    /// HCPCS/CPT code (may be empty on a room-and-board line).
    pub code: String,
    /// Modifiers.
    pub modifiers: Vec<String>,
    /// Revenue code (facility charges).
    pub revenue_code: String,
    /// Units, in thousandths.
    pub units: i64,
    /// Charge.
    pub charge: Cents,
    /// Date of service.
    pub date: Date,
    /// Diagnosis pointers (1-based, into the encounter's diagnoses), empty for the first four.
    pub pointers: Vec<u8>,
}

/// Another payer's adjudication of the same services, for the next payer's claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriorPayment {
    /// The coverage it paid under.
    pub coverage_id: i64,
    /// That payer's claim number (CLP07).
    pub payer_claim_number: String,
    /// Paid.
    pub paid: Cents,
    /// Claim-level adjustments.
    pub adjustments: Vec<Adjustment>,
    /// Per billed line (0-based): paid, adjustments.
    pub lines: Vec<(u32, Cents, Vec<Adjustment>)>,
    /// Adjudication date.
    pub date: Option<Date>,
}

/// Everything a claim is built from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncounterToBill {
    /// The store's encounter ID.
    pub encounter_id: i64,
    /// Professional or institutional.
    pub kind: ClaimKind,
    /// The billing provider (the practice or facility).
    pub billing: ProviderFacts,
    /// Rendering (professional) or attending (institutional) provider.
    pub rendering: Option<ProviderFacts>,
    /// Operating physician (institutional).
    pub operating: Option<ProviderFacts>,
    /// Referring provider.
    pub referring: Option<ProviderFacts>,
    /// Place of service (professional).
    pub place_of_service: String,
    /// Type of bill, e.g. `0111` (institutional).
    pub type_of_bill: String,
    /// Admission and discharge dates, discharge status (institutional).
    pub admission: Option<Date>,
    /// Discharge date.
    pub discharge: Option<Date>,
    /// Discharge status (CL103).
    pub discharge_status: String,
    /// The patient.
    pub patient: PersonFacts,
    /// Diagnoses in order, the first principal, with POA for facility stays.
    pub diagnoses: Vec<(String, Option<Poa>)>,
    /// ICD-10-PCS procedures with their dates.
    pub procedures: Vec<(String, Option<Date>)>,
    /// Charges.
    pub charges: Vec<ChargeFacts>,
    /// Coverages in force on the date of service, by rank.
    pub coverages: Vec<CoverageFacts>,
}

fn party(p: &ProviderFacts) -> ClaimParty {
    let name = if p.first.is_empty() {
        Name::Organization(p.last.as_str().into())
    } else {
        Name::Person {
            last: p.last.as_str().into(),
            first: p.first.as_str().into(),
            middle: Text::default(),
            suffix: Text::default(),
        }
    };
    ClaimParty {
        name,
        npi: (!p.npi.is_empty()).then(|| p.npi.as_str().into()),
        tax_id: p.tax_id.as_str().into(),
        taxonomy: p.taxonomy.as_str().into(),
        address: p.address.clone(),
    }
}

fn person(p: &PersonFacts, member_id: &str) -> Person {
    Person {
        name: Name::Person {
            last: p.last.as_str().into(),
            first: p.first.as_str().into(),
            middle: Text::default(),
            suffix: Text::default(),
        },
        member_id: member_id.into(),
        birth_date: p.birth_date,
        sex: p.sex,
        address: p.address.clone(),
    }
}

fn responsibility(rank: u8) -> char {
    match rank {
        1 => 'P',
        2 => 'S',
        3 => 'T',
        _ => 'U',
    }
}

fn subscriber(enc: &EncounterToBill, cov: &CoverageFacts) -> (Subscriber, Option<(Person, Text)>) {
    let is_self = cov.relationship == "18" || cov.subscriber.is_none();
    let who = if is_self { &enc.patient } else { cov.subscriber.as_ref().unwrap_or(&enc.patient) };
    let sub = Subscriber {
        person: person(who, &cov.member_id),
        payer_responsibility: responsibility(cov.rank),
        relationship: if is_self { "18".into() } else { Text::default() },
        group_number: cov.group_number.as_str().into(),
        insurance_type: cov.msp_type.as_str().into(),
        filing_indicator: cov.filing_indicator.as_str().into(),
    };
    let patient = (!is_self).then(|| (person(&enc.patient, ""), cov.relationship.as_str().into()));
    (sub, patient)
}

/// The claim for the coverage of rank `rank`, with patient control number `pcn`; `prior` holds
/// the earlier payers' adjudications (empty for the primary claim). `None` when the patient has
/// no coverage of that rank.
pub fn claim_for(
    enc: &EncounterToBill,
    rank: u8,
    pcn: &str,
    prior: &[PriorPayment],
) -> Option<Claim> {
    let cov = enc.coverages.iter().find(|c| c.rank == rank)?;
    let (sub, patient) = subscriber(enc, cov);
    let institutional = enc.kind == ClaimKind::Institutional;
    let mut providers = vec![(ProviderRole::Billing, party(&enc.billing))];
    if let Some(r) = &enc.rendering {
        let role = if institutional { ProviderRole::Attending } else { ProviderRole::Rendering };
        providers.push((role, party(r)));
    }
    if let Some(o) = enc.operating.as_ref().filter(|_| institutional) {
        providers.push((ProviderRole::Operating, party(o)));
    }
    if let Some(r) = &enc.referring {
        providers.push((ProviderRole::Referring, party(r)));
    }
    let diagnoses = enc
        .diagnoses
        .iter()
        .enumerate()
        .map(|(i, (code, poa))| Diagnosis {
            code: code.replace('.', "").into(),
            kind: if i == 0 { DiagnosisKind::Principal } else { DiagnosisKind::Other },
            poa: if institutional { *poa } else { None },
        })
        .collect();
    let procedures = enc
        .procedures
        .iter()
        .enumerate()
        .map(|(i, (code, date))| Procedure {
            code: code.as_str().into(),
            principal: i == 0,
            date: *date,
        })
        .collect();
    let n_dx = enc.diagnoses.len().min(12) as u8;
    let lines: Vec<ServiceLine> = enc
        .charges
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let pointers = if c.pointers.is_empty() {
                (1..=n_dx.min(4)).collect()
            } else {
                c.pointers.clone()
            };
            let adjudications = prior
                .iter()
                .flat_map(|p| {
                    let payer_id = enc
                        .coverages
                        .iter()
                        .find(|cv| cv.id == p.coverage_id)
                        .map(|cv| cv.payer.1.as_str())
                        .unwrap_or_default();
                    p.lines.iter().filter(|(l, _, _)| *l as usize == i).map(
                        move |(_, paid, adj)| LineAdjudication {
                            payer_id: payer_id.into(),
                            paid: *paid,
                            adjustments: adj.clone(),
                            date: p.date,
                        },
                    )
                })
                .collect();
            ServiceLine {
                number: i as u32 + 1,
                procedure: c.code.as_str().into(),
                modifiers: c.modifiers.iter().map(|m| m.as_str().into()).collect(),
                charge: c.charge,
                units: Units(c.units),
                unit_basis: "UN".into(),
                place_of_service: Text::default(),
                diagnosis_pointers: if institutional { Vec::new() } else { pointers },
                revenue_code: c.revenue_code.as_str().into(),
                ndc: None,
                date_from: Some(c.date),
                date_to: None,
                rendering: None,
                adjudications,
            }
        })
        .collect();
    let other_payers = enc
        .coverages
        .iter()
        .filter(|c| c.rank != rank)
        .map(|other| {
            let (s, _) = subscriber(enc, other);
            let paid = prior.iter().find(|p| p.coverage_id == other.id);
            OtherPayer {
                subscriber: s,
                payer: Payer {
                    name: other.payer.0.as_str().into(),
                    id: other.payer.1.as_str().into(),
                    address: None,
                },
                paid: paid.map(|p| p.paid),
                adjustments: paid.map(|p| p.adjustments.clone()).unwrap_or_default(),
                claim_control_number: paid
                    .map(|p| p.payer_claim_number.as_str())
                    .unwrap_or("")
                    .into(),
            }
        })
        .collect();
    let from = enc.charges.iter().map(|c| c.date).min().or(enc.admission);
    let to = enc.charges.iter().map(|c| c.date).max().or(enc.discharge);
    let total: Cents = enc.charges.iter().map(|c| c.charge).sum();
    Some(Claim {
        kind: enc.kind,
        patient_control_number: pcn.into(),
        total_charge: total,
        place_of_service: if institutional {
            Text::default()
        } else {
            enc.place_of_service.as_str().into()
        },
        facility_type: if institutional {
            enc.type_of_bill
                .get(..enc.type_of_bill.len().saturating_sub(1))
                .unwrap_or("")
                .trim_start_matches('0')
                .into()
        } else {
            Text::default()
        },
        frequency: Frequency::Original,
        original_claim_number: Text::default(),
        providers,
        subscriber: sub,
        patient,
        payer: Payer {
            name: cov.payer.0.as_str().into(),
            id: cov.payer.1.as_str().into(),
            address: None,
        },
        diagnoses,
        procedures,
        from: if institutional { enc.admission.or(from) } else { from },
        to: if institutional { enc.discharge.or(to) } else { to },
        admission: enc.admission.filter(|_| institutional),
        discharge: enc.discharge.filter(|_| institutional),
        discharge_status: enc.discharge_status.as_str().into(),
        condition_codes: Vec::new(),
        drg: Text::default(),
        occurrences: Vec::new(),
        values: Vec::new(),
        lines,
        other_payers,
    })
}

/// Writes a patient control number: the practice's prefix and a number unique across the billing
/// service, at most 17 characters (payers truncate longer ones, and 835 matching depends on
/// them). `None` when it would not fit.
///
/// ```
/// assert_eq!(ledger::build::patient_control_number("NW", 42).as_deref(), Some("NW0000042"));
/// assert!(ledger::build::patient_control_number("TOOLONGPREFIX", 1).is_none());
/// ```
pub fn patient_control_number(prefix: &str, number: u64) -> Option<String> {
    let s = format!("{prefix}{number:07}");
    (s.len() <= 17 && prefix.len() <= 6 && prefix.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some(s)
}

/// The replacement (frequency 7) or void (frequency 8) of a claim the payer already has.
pub fn corrected(original: &Claim, pcn: &str, payer_claim_number: &str, void: bool) -> Claim {
    let mut c = original.clone();
    c.patient_control_number = pcn.into();
    c.frequency = if void { Frequency::Void } else { Frequency::Replacement };
    c.original_claim_number = payer_claim_number.into();
    c
}
