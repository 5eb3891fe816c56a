//! 837 claims as typed values borrowed from the file: every field of a [`Claim`] (amounts in
//! cents, dates, quantities, code qualifiers read), with text as slices of the input (owned only
//! where the bytes are not UTF-8) and no copies of the parties a claim shares with its
//! neighbours. A [`ClaimBatch`] holds the claims of a run of transaction sets in a few flat
//! arrays; [`ClaimView`] reads one claim out of them, and [`ClaimView::to_claim`] makes the owned
//! claim (which is how [`crate::read_837`] builds its claims: one reader for both).
//!
//! ```
//! let edi = b"ISA*00*          *00*          *ZZ*S              *ZZ*R              *260101*1200*^*00501*000000001*0*P*:~\
//! GS*HC*S*R*20260101*1200*1*X*005010X222A1~ST*837*0001*005010X222A1~\
//! HL*1**20*1~NM1*85*2*CLINIC*****XX*1234567893~HL*2*1*22*0~SBR*P*18*******CI~\
//! NM1*IL*1*DOE*JANE****MI*M1~NM1*PR*2*PAYER*****PI*P1~CLM*PCN1*150***11:B:1*Y*A*Y*Y~\
//! HI*ABK:E119~LX*1~SV1*HC:99213:25*150*UN*1***1~DTP*472*D8*20260105~SE*13*0001~GE*1*1~IEA*1*000000001~";
//! let (batches, findings) = x12_claims::read_837_views(edi, 1);
//! assert!(findings.is_empty(), "{findings:?}");
//! let claim = batches[0].claims().next().unwrap();
//! assert_eq!(claim.patient_control_number, "PCN1");
//! assert_eq!(claim.diagnoses()[0].code, "E119");
//! let line = claim.lines().next().unwrap();
//! assert_eq!((&*line.procedure, line.modifiers()), ("99213", &["25".into()][..]));
//! assert_eq!(claim.to_claim().total_charge, claim_model::Cents(15000));
//! ```

use std::borrow::Cow;

use claim_model::{
    Address, AdjustmentGroup, Cents, Claim, ClaimKind, CodedValue, Diagnosis, DiagnosisKind,
    Frequency, LineAdjudication, Name, OtherPayer, Party, Payer, Person, Poa, Procedure,
    ProviderRole, ServiceLine, Subscriber, Text, Units,
};
use code_sets::Date;

/// Text borrowed from the file, trimmed (owned only where the bytes were not UTF-8).
pub type Str<'a> = Cow<'a, str>;

fn own(s: &Str<'_>) -> Text {
    Text::from(&**s)
}

/// A run of items in one of a batch's arrays.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: u32,
    pub(crate) end: u32,
}

impl Span {
    pub(crate) fn of<T>(self, items: &[T]) -> &[T] {
        &items[self.start as usize..self.end as usize]
    }

    pub(crate) fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub(crate) fn is_empty(self) -> bool {
        self.end == self.start
    }

    /// Records that items were appended to `items` (from `before` to its end) for this span,
    /// which starts there if it was empty.
    pub(crate) fn grow<T>(&mut self, before: usize, items: &[T]) {
        if self.is_empty() {
            self.start = before as u32;
        }
        self.end = items.len() as u32;
    }
}

/// A person's or an organization's name (NM1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameView<'a> {
    /// NM102 = 1.
    Person {
        /// NM103.
        last: Str<'a>,
        /// NM104.
        first: Str<'a>,
        /// NM105.
        middle: Str<'a>,
        /// NM107.
        suffix: Str<'a>,
    },
    /// NM102 = 2.
    Organization(Str<'a>),
}

impl NameView<'_> {
    fn to_name(&self) -> Name {
        match self {
            NameView::Person { last, first, middle, suffix } => Name::Person {
                last: own(last),
                first: own(first),
                middle: own(middle),
                suffix: own(suffix),
            },
            NameView::Organization(n) => Name::Organization(own(n)),
        }
    }
}

/// An address (N3, N4).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddressView<'a> {
    /// N301.
    pub line1: Str<'a>,
    /// N302.
    pub line2: Str<'a>,
    /// N401.
    pub city: Str<'a>,
    /// N402.
    pub state: Str<'a>,
    /// N403.
    pub postal_code: Str<'a>,
    /// N404.
    pub country: Str<'a>,
}

impl AddressView<'_> {
    fn to_address(&self) -> Address {
        Address {
            lines: [&self.line1, &self.line2]
                .into_iter()
                .filter(|l| !l.is_empty())
                .map(own)
                .collect(),
            city: own(&self.city),
            state: own(&self.state),
            postal_code: own(&self.postal_code),
            country: own(&self.country),
        }
    }
}

/// A provider or organization: its NM1 with address and identifiers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartyView<'a> {
    /// Name.
    pub name: NameView<'a>,
    /// NPI (NM109 when NM108 is XX).
    pub npi: Option<Str<'a>>,
    /// Tax ID (REF*EI or REF*SY of the billing provider).
    pub tax_id: Str<'a>,
    /// Taxonomy (PRV03 of the billing provider).
    pub taxonomy: Str<'a>,
    /// Address.
    pub address: Option<AddressView<'a>>,
}

impl PartyView<'_> {
    /// The owned party.
    pub fn to_party(&self) -> Party {
        Party {
            name: self.name.to_name(),
            npi: self.npi.as_ref().map(own),
            tax_id: own(&self.tax_id),
            taxonomy: own(&self.taxonomy),
            address: self.address.as_ref().map(AddressView::to_address),
        }
    }
}

/// A subscriber or patient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonView<'a> {
    /// Name.
    pub name: NameView<'a>,
    /// Member ID (NM109).
    pub member_id: Str<'a>,
    /// Birth date (DMG02).
    pub birth_date: Option<Date>,
    /// Sex (DMG03), `U` when not given.
    pub sex: char,
    /// Address.
    pub address: Option<AddressView<'a>>,
}

impl PersonView<'_> {
    fn to_person(&self) -> Person {
        Person {
            name: self.name.to_name(),
            member_id: own(&self.member_id),
            birth_date: self.birth_date,
            sex: self.sex,
            address: self.address.as_ref().map(AddressView::to_address),
        }
    }
}

/// The subscriber level (SBR and the subscriber's NM1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriberView<'a> {
    /// The subscriber.
    pub person: PersonView<'a>,
    /// SBR01 (P, S, T…).
    pub payer_responsibility: char,
    /// SBR02 (18 = self).
    pub relationship: Str<'a>,
    /// SBR03.
    pub group_number: Str<'a>,
    /// SBR05.
    pub insurance_type: Str<'a>,
    /// SBR09.
    pub filing_indicator: Str<'a>,
}

impl<'a> SubscriberView<'a> {
    /// A subscriber level with nothing filled in.
    pub(crate) fn empty() -> SubscriberView<'a> {
        SubscriberView {
            person: PersonView {
                name: NameView::Organization(Str::default()),
                member_id: Str::default(),
                birth_date: None,
                sex: 'U',
                address: None,
            },
            payer_responsibility: ' ',
            relationship: Str::default(),
            group_number: Str::default(),
            insurance_type: Str::default(),
            filing_indicator: Str::default(),
        }
    }

    fn to_subscriber(&self) -> Subscriber {
        Subscriber {
            person: self.person.to_person(),
            payer_responsibility: self.payer_responsibility,
            relationship: own(&self.relationship),
            group_number: own(&self.group_number),
            insurance_type: own(&self.insurance_type),
            filing_indicator: own(&self.filing_indicator),
        }
    }
}

/// A payer (NM1*PR).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PayerView<'a> {
    /// NM103.
    pub name: Str<'a>,
    /// NM109.
    pub id: Str<'a>,
    /// Address.
    pub address: Option<AddressView<'a>>,
}

impl PayerView<'_> {
    fn to_payer(&self) -> Payer {
        Payer {
            name: own(&self.name),
            id: own(&self.id),
            address: self.address.as_ref().map(AddressView::to_address),
        }
    }
}

/// A diagnosis (HI).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagnosisView<'a> {
    /// The code as sent (no dot).
    pub code: Str<'a>,
    /// Principal, other, admitting…
    pub kind: DiagnosisKind,
    /// Present on admission.
    pub poa: Option<Poa>,
}

/// An ICD-10-PCS procedure (HI BBR/BBQ).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcedureView<'a> {
    /// The code.
    pub code: Str<'a>,
    /// BBR (principal) rather than BBQ.
    pub principal: bool,
    /// The procedure date.
    pub date: Option<Date>,
}

/// An occurrence, occurrence span or value code (HI BH/BI/BE).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodedValueView<'a> {
    /// The code.
    pub code: Str<'a>,
    /// Date, or start of the span.
    pub from: Option<Date>,
    /// End of the span.
    pub to: Option<Date>,
    /// A value code's amount.
    pub amount: Option<Cents>,
}

impl CodedValueView<'_> {
    fn to_value(&self) -> CodedValue {
        CodedValue { code: own(&self.code), from: self.from, to: self.to, amount: self.amount }
    }
}

/// A claim or line adjustment (CAS triplet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdjustmentView<'a> {
    /// CAS01.
    pub group: AdjustmentGroup,
    /// The reason code (CARC).
    pub reason: Str<'a>,
    /// Amount.
    pub amount: Cents,
    /// Quantity, when given.
    pub quantity: Option<Units>,
}

fn adjustments(adjs: &[AdjustmentView<'_>]) -> Vec<claim_model::Adjustment> {
    adjs.iter()
        .map(|a| claim_model::Adjustment {
            group: a.group,
            reason: own(&a.reason),
            amount: a.amount,
            quantity: a.quantity,
        })
        .collect()
}

/// A drug on a line (LIN, CTP).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NdcView<'a> {
    /// The NDC (LIN03).
    pub code: Str<'a>,
    /// Quantity and unit (CTP04, CTP05-1), when a CTP follows.
    pub quantity: Option<(Str<'a>, Str<'a>)>,
}

/// A service line's own fields; [`LineView`] reads its modifiers, pointers, rendering provider
/// and adjudications.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineFields<'a> {
    /// LX01.
    pub number: u32,
    /// The procedure code (SV101-2 or SV202-2).
    pub procedure: Str<'a>,
    /// Charge.
    pub charge: Cents,
    /// Units.
    pub units: Units,
    /// UN, MJ…
    pub unit_basis: Str<'a>,
    /// SV105.
    pub place_of_service: Str<'a>,
    /// SV201.
    pub revenue_code: Str<'a>,
    /// The drug, when given.
    pub ndc: Option<NdcView<'a>>,
    /// Service date, or start.
    pub date_from: Option<Date>,
    /// End of the service dates.
    pub date_to: Option<Date>,
    pub(crate) modifiers: Span,
    pub(crate) pointers: Span,
    pub(crate) rendering: Option<u32>,
    pub(crate) adjudications: Span,
}

/// A line adjudication's own fields (SVD, DTP*573); its adjustments through
/// [`LineView::adjudications`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineAdjudicationFields<'a> {
    /// SVD01.
    pub payer_id: Str<'a>,
    /// SVD02.
    pub paid: Cents,
    /// DTP*573.
    pub date: Option<Date>,
    pub(crate) adjustments: Span,
}

/// An other payer's own fields (loops 2320/2330); its adjustments through
/// [`ClaimView::other_payers`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtherPayerFields<'a> {
    /// The other payer's subscriber (SBR, NM1*IL).
    pub subscriber: SubscriberView<'a>,
    /// The other payer (NM1*PR).
    pub payer: PayerView<'a>,
    /// AMT*D.
    pub paid: Option<Cents>,
    /// REF*F8 in loop 2330B.
    pub claim_control_number: Str<'a>,
    pub(crate) adjustments: Span,
}

/// A claim's own fields; [`ClaimView`] reads its parties, codes and lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimFields<'a> {
    /// Where the claim's CLM segment is in the file.
    pub position: x12::Position,
    /// Professional or institutional.
    pub kind: ClaimKind,
    /// CLM01.
    pub patient_control_number: Str<'a>,
    /// CLM02.
    pub total_charge: Cents,
    /// CLM05-1 of a professional claim.
    pub place_of_service: Str<'a>,
    /// CLM05-1 of an institutional claim.
    pub facility_type: Str<'a>,
    /// CLM05-3.
    pub frequency: Frequency,
    /// REF*F8.
    pub original_claim_number: Str<'a>,
    /// Service dates: from.
    pub from: Option<Date>,
    /// Service dates: to.
    pub to: Option<Date>,
    /// DTP*435.
    pub admission: Option<Date>,
    /// DTP*096.
    pub discharge: Option<Date>,
    /// CL103.
    pub discharge_status: Str<'a>,
    /// HI*DR.
    pub drg: Str<'a>,
    pub(crate) billing: Option<u32>,
    pub(crate) pay_to: Option<u32>,
    pub(crate) providers: Span,
    pub(crate) subscriber: Option<u32>,
    pub(crate) patient: Option<u32>,
    pub(crate) payer: Option<u32>,
    pub(crate) diagnoses: Span,
    pub(crate) procedures: Span,
    pub(crate) condition_codes: Span,
    pub(crate) occurrences: Span,
    pub(crate) values: Span,
    pub(crate) lines: Span,
    pub(crate) other_payers: Span,
}

/// The claims of a run of 837 transaction sets, borrowed from the file: the claims and, in flat
/// arrays, what they hold. Parties that claims share (a billing provider, a subscriber) are kept
/// once.
#[derive(Clone, Debug, Default)]
pub struct ClaimBatch<'a> {
    pub(crate) claims: Vec<ClaimFields<'a>>,
    pub(crate) parties: Vec<PartyView<'a>>,
    pub(crate) providers: Vec<(ProviderRole, PartyView<'a>)>,
    pub(crate) subscribers: Vec<SubscriberView<'a>>,
    pub(crate) patients: Vec<(PersonView<'a>, Str<'a>)>,
    pub(crate) payers: Vec<PayerView<'a>>,
    pub(crate) diagnoses: Vec<DiagnosisView<'a>>,
    pub(crate) procedures: Vec<ProcedureView<'a>>,
    pub(crate) condition_codes: Vec<Str<'a>>,
    pub(crate) occurrences: Vec<CodedValueView<'a>>,
    pub(crate) values: Vec<CodedValueView<'a>>,
    pub(crate) lines: Vec<LineFields<'a>>,
    pub(crate) modifiers: Vec<Str<'a>>,
    pub(crate) pointers: Vec<u8>,
    pub(crate) adjudications: Vec<LineAdjudicationFields<'a>>,
    pub(crate) adjustments: Vec<AdjustmentView<'a>>,
    pub(crate) other_payers: Vec<OtherPayerFields<'a>>,
}

impl<'a> ClaimBatch<'a> {
    /// How many claims the batch holds.
    pub fn len(&self) -> usize {
        self.claims.len()
    }

    /// Whether the batch holds no claim.
    pub fn is_empty(&self) -> bool {
        self.claims.is_empty()
    }

    /// The claims in file order.
    pub fn claims(&self) -> impl ExactSizeIterator<Item = ClaimView<'_, 'a>> {
        self.claims.iter().map(|claim| ClaimView { batch: self, claim })
    }

    /// Empties the batch, keeping its arrays' memory.
    pub(crate) fn clear(&mut self) {
        self.claims.clear();
        self.parties.clear();
        self.providers.clear();
        self.subscribers.clear();
        self.patients.clear();
        self.payers.clear();
        self.diagnoses.clear();
        self.procedures.clear();
        self.condition_codes.clear();
        self.occurrences.clear();
        self.values.clear();
        self.lines.clear();
        self.modifiers.clear();
        self.pointers.clear();
        self.adjudications.clear();
        self.adjustments.clear();
        self.other_payers.clear();
    }
}

/// One claim of a [`ClaimBatch`]: its own fields (through `Deref`) and what it refers to.
#[derive(Clone, Copy)]
pub struct ClaimView<'b, 'a> {
    batch: &'b ClaimBatch<'a>,
    claim: &'b ClaimFields<'a>,
}

impl<'a> std::ops::Deref for ClaimView<'_, 'a> {
    type Target = ClaimFields<'a>;

    fn deref(&self) -> &ClaimFields<'a> {
        self.claim
    }
}

impl std::fmt::Debug for ClaimView<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClaimView")
            .field("patient_control_number", &self.patient_control_number)
            .field("total_charge", &self.total_charge)
            .finish_non_exhaustive()
    }
}

impl<'b, 'a> ClaimView<'b, 'a> {
    /// The billing provider (loop 2010AA), when the file has one.
    pub fn billing(&self) -> Option<&'b PartyView<'a>> {
        self.claim.billing.map(|i| &self.batch.parties[i as usize])
    }

    /// The pay-to provider (loop 2010AB), when it differs from the billing provider.
    pub fn pay_to(&self) -> Option<&'b PartyView<'a>> {
        self.claim.pay_to.map(|i| &self.batch.parties[i as usize])
    }

    /// The claim's own providers (rendering, referring, attending, facility…), in file order.
    pub fn providers(&self) -> &'b [(ProviderRole, PartyView<'a>)] {
        self.claim.providers.of(&self.batch.providers)
    }

    /// The subscriber level, when the file has one.
    pub fn subscriber(&self) -> Option<&'b SubscriberView<'a>> {
        self.claim.subscriber.map(|i| &self.batch.subscribers[i as usize])
    }

    /// The patient and their relationship to the subscriber (PAT01), when the patient is not
    /// the subscriber.
    pub fn patient(&self) -> Option<&'b (PersonView<'a>, Str<'a>)> {
        self.claim.patient.map(|i| &self.batch.patients[i as usize])
    }

    /// The payer (loop 2010BB), when the file has one.
    pub fn payer(&self) -> Option<&'b PayerView<'a>> {
        self.claim.payer.map(|i| &self.batch.payers[i as usize])
    }

    /// Diagnoses, the principal first.
    pub fn diagnoses(&self) -> &'b [DiagnosisView<'a>] {
        self.claim.diagnoses.of(&self.batch.diagnoses)
    }

    /// ICD-10-PCS procedures.
    pub fn procedures(&self) -> &'b [ProcedureView<'a>] {
        self.claim.procedures.of(&self.batch.procedures)
    }

    /// Condition codes (HI*BG).
    pub fn condition_codes(&self) -> &'b [Str<'a>] {
        self.claim.condition_codes.of(&self.batch.condition_codes)
    }

    /// Occurrence and occurrence span codes (HI*BH, HI*BI).
    pub fn occurrences(&self) -> &'b [CodedValueView<'a>] {
        self.claim.occurrences.of(&self.batch.occurrences)
    }

    /// Value codes (HI*BE).
    pub fn values(&self) -> &'b [CodedValueView<'a>] {
        self.claim.values.of(&self.batch.values)
    }

    /// The service lines in file order.
    pub fn lines(&self) -> impl ExactSizeIterator<Item = LineView<'b, 'a>> + use<'b, 'a> {
        let batch = self.batch;
        self.claim.lines.of(&batch.lines).iter().map(move |line| LineView { batch, line })
    }

    /// The sum of the line charges.
    pub fn line_total(&self) -> Cents {
        self.claim.lines.of(&self.batch.lines).iter().map(|l| l.charge).sum()
    }

    /// Other payers (loops 2320/2330), each with its claim-level adjustments.
    pub fn other_payers(
        &self,
    ) -> impl ExactSizeIterator<Item = (&'b OtherPayerFields<'a>, &'b [AdjustmentView<'a>])> + use<'b, 'a>
    {
        let batch = self.batch;
        self.claim
            .other_payers
            .of(&batch.other_payers)
            .iter()
            .map(move |op| (op, op.adjustments.of(&batch.adjustments)))
    }

    /// The owned claim, with its own copies of the parties it refers to.
    pub fn to_claim(self) -> Claim {
        let c = self.claim;
        let mut providers = Vec::with_capacity(2 + c.providers.len());
        if let Some(b) = self.billing() {
            providers.push((ProviderRole::Billing, b.to_party()));
        }
        if let Some(p) = self.pay_to() {
            providers.push((ProviderRole::PayTo, p.to_party()));
        }
        providers.extend(self.providers().iter().map(|(r, p)| (*r, p.to_party())));
        Claim {
            kind: c.kind,
            patient_control_number: own(&c.patient_control_number),
            total_charge: c.total_charge,
            place_of_service: own(&c.place_of_service),
            facility_type: own(&c.facility_type),
            frequency: c.frequency,
            original_claim_number: own(&c.original_claim_number),
            providers,
            subscriber: self
                .subscriber()
                .map_or_else(|| SubscriberView::empty().to_subscriber(), |s| s.to_subscriber()),
            patient: self.patient().map(|(p, rel)| (p.to_person(), own(rel))),
            payer: self.payer().map_or_else(
                || Payer { name: Text::default(), id: Text::default(), address: None },
                PayerView::to_payer,
            ),
            diagnoses: self
                .diagnoses()
                .iter()
                .map(|d| Diagnosis { code: own(&d.code), kind: d.kind, poa: d.poa })
                .collect(),
            procedures: self
                .procedures()
                .iter()
                .map(|p| Procedure { code: own(&p.code), principal: p.principal, date: p.date })
                .collect(),
            from: c.from,
            to: c.to,
            admission: c.admission,
            discharge: c.discharge,
            discharge_status: own(&c.discharge_status),
            drg: own(&c.drg),
            condition_codes: self.condition_codes().iter().map(own).collect(),
            occurrences: self.occurrences().iter().map(CodedValueView::to_value).collect(),
            values: self.values().iter().map(CodedValueView::to_value).collect(),
            lines: self.lines().map(|l| l.to_line()).collect(),
            other_payers: self
                .other_payers()
                .map(|(op, adjs)| OtherPayer {
                    subscriber: op.subscriber.to_subscriber(),
                    payer: op.payer.to_payer(),
                    paid: op.paid,
                    adjustments: adjustments(adjs),
                    claim_control_number: own(&op.claim_control_number),
                })
                .collect(),
        }
    }
}

/// One service line of a claim: its own fields (through `Deref`) and what it refers to.
#[derive(Clone, Copy)]
pub struct LineView<'b, 'a> {
    batch: &'b ClaimBatch<'a>,
    line: &'b LineFields<'a>,
}

impl<'a> std::ops::Deref for LineView<'_, 'a> {
    type Target = LineFields<'a>;

    fn deref(&self) -> &LineFields<'a> {
        self.line
    }
}

impl<'b, 'a> LineView<'b, 'a> {
    /// Procedure modifiers, blanks left out.
    pub fn modifiers(&self) -> &'b [Str<'a>] {
        self.line.modifiers.of(&self.batch.modifiers)
    }

    /// Diagnosis pointers (1-based, into the claim's diagnoses).
    pub fn diagnosis_pointers(&self) -> &'b [u8] {
        self.line.pointers.of(&self.batch.pointers)
    }

    /// The line's own rendering provider, when it differs from the claim's.
    pub fn rendering(&self) -> Option<&'b PartyView<'a>> {
        self.line.rendering.map(|i| &self.batch.parties[i as usize])
    }

    /// Earlier payers' adjudication of the line (loop 2430), each with its adjustments.
    pub fn adjudications(
        &self,
    ) -> impl ExactSizeIterator<Item = (&'b LineAdjudicationFields<'a>, &'b [AdjustmentView<'a>])>
    + use<'b, 'a> {
        let batch = self.batch;
        self.line
            .adjudications
            .of(&batch.adjudications)
            .iter()
            .map(move |a| (a, a.adjustments.of(&batch.adjustments)))
    }

    fn to_line(self) -> ServiceLine {
        let l = self.line;
        ServiceLine {
            number: l.number,
            procedure: own(&l.procedure),
            modifiers: self.modifiers().iter().map(own).collect(),
            charge: l.charge,
            units: l.units,
            unit_basis: own(&l.unit_basis),
            place_of_service: own(&l.place_of_service),
            diagnosis_pointers: self.diagnosis_pointers().to_vec(),
            revenue_code: own(&l.revenue_code),
            ndc: l.ndc.as_ref().map(|n| {
                let quantity = n.quantity.as_ref().map_or_else(Text::default, |(q, unit)| {
                    compact_str::format_compact!("{q} {unit}")
                });
                (own(&n.code), quantity)
            }),
            date_from: l.date_from,
            date_to: l.date_to,
            rendering: self.rendering().map(|p| Box::new(p.to_party())),
            adjudications: self
                .adjudications()
                .map(|(a, adjs)| LineAdjudication {
                    payer_id: own(&a.payer_id),
                    paid: a.paid,
                    adjustments: adjustments(adjs),
                    date: a.date,
                })
                .collect(),
        }
    }
}
