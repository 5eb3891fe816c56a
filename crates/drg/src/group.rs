//! The grouper over the MS-DRG definitions (still partial): the pre-MDC DRGs (transplants, ECMO
//! and tracheostomy, bone marrow transplants, CAR-T), MDC from the principal diagnosis, surgical
//! families from O.R. procedures (by surgical rank) and the families that take any O.R.
//! procedure, medical families from the principal diagnosis's lists, MDC 20's own logic, the
//! newborn DRGs of MDC 15, severity from the CC/MCC definitions with PDX exclusions, "only if
//! discharged alive" and exclusions in select DRGs, and the family's split chosen from its DRG
//! titles. Not yet: burns (MDC 22) and multiple significant trauma (MDC 24), non-extensive
//! unrelated O.R. procedures (987–989), non-O.R. procedures that change a DRG, HAC/POA
//! processing, CMS's tie-breaking, and the return codes other than OK and INVALID_PDX. Agreement
//! with the oracle is measured by `tests/oracle_agreement.rs`.

use code_sets::CodeKey;

use crate::definitions::Definitions;
use crate::tables::CcLevel;

/// What the grouper needs of an inpatient claim.
#[derive(Clone, Debug)]
pub struct GroupInput {
    /// Age in years.
    pub age: u32,
    /// `M`, `F` or `U`.
    pub sex: char,
    /// Patient discharge status (20 = died).
    pub discharge_status: u8,
    /// Principal diagnosis.
    pub pdx: CodeKey,
    /// Secondary diagnoses with their POA indicators.
    pub sdx: Vec<(CodeKey, Option<char>)>,
    /// ICD-10-PCS procedures.
    pub procedures: Vec<CodeKey>,
}

/// A secondary diagnosis's part in the DRG (the contract's names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SdxFlag {
    /// Neither CC nor MCC.
    Neither,
    /// A CC or MCC that counts.
    Counts(CcLevel),
    /// Excluded by the principal diagnosis (or by death, for "only if alive" codes).
    Excluded(CcLevel),
    /// Excluded in the DRG the claim groups to.
    ExcludedByDrgLogic(CcLevel),
}

impl SdxFlag {
    /// `NEITHER`, `CC`, `MCC`, `CC_EXCLUDED`, `MCC_EXCLUDED`, `CC_EXCLUDED_BY_DRG_LOGIC`, …
    pub fn name(self) -> &'static str {
        match self {
            SdxFlag::Neither => "NEITHER",
            SdxFlag::Counts(CcLevel::Cc) => "CC",
            SdxFlag::Counts(CcLevel::Mcc) => "MCC",
            SdxFlag::Excluded(CcLevel::Cc) => "CC_EXCLUDED",
            SdxFlag::Excluded(CcLevel::Mcc) => "MCC_EXCLUDED",
            SdxFlag::ExcludedByDrgLogic(CcLevel::Cc) => "CC_EXCLUDED_BY_DRG_LOGIC",
            SdxFlag::ExcludedByDrgLogic(CcLevel::Mcc) => "MCC_EXCLUDED_BY_DRG_LOGIC",
        }
    }
}

/// The grouper's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupOutput {
    /// The MS-DRG.
    pub drg: u16,
    /// The MDC (0 for pre-MDC and ungroupable).
    pub mdc: u8,
    /// `MCC`, `CC` or `NONE`.
    pub severity: &'static str,
    /// The return code (`OK`, `INVALID_PDX`).
    pub return_code: &'static str,
    /// Each secondary diagnosis's flag, in input order.
    pub sdx: Vec<SdxFlag>,
    /// Why, decision by decision: what chose the MDC, which procedure drove a surgical DRG,
    /// which CC or MCC was excluded and by what, what set the severity.
    pub reasons: Vec<String>,
}

fn severity_of(flags: &[SdxFlag]) -> Option<CcLevel> {
    let counts = |l| flags.contains(&SdxFlag::Counts(l));
    if counts(CcLevel::Mcc) {
        Some(CcLevel::Mcc)
    } else if counts(CcLevel::Cc) {
        Some(CcLevel::Cc)
    } else {
        None
    }
}

fn severity_name(level: Option<CcLevel>) -> &'static str {
    match level {
        Some(CcLevel::Mcc) => "MCC",
        Some(CcLevel::Cc) => "CC",
        None => "NONE",
    }
}

/// A member of a family that a procedure list names alone ("septicemia with MV >96 hours", 870,
/// beside 871–872): the claim's DRG when it has that procedure, and out of the family when not.
fn procedure_member(defs: &Definitions, input: &GroupInput, family: Vec<u16>) -> Vec<u16> {
    // Ventilation over 96 hours (870 beside 871–872, 207 beside 208): the members whose title
    // says so when the claim has it on the family's list, the others when not.
    let title = |d: u16| defs.drg(d).map(|x| x.desc.to_ascii_lowercase()).unwrap_or_default();
    let long = |t: &str| t.contains("with mv >96") || t.contains("support >96");
    if family.len() >= 2 && family.iter().any(|d| long(&title(*d))) {
        let has_long = input.procedures.iter().any(|p| {
            defs.procedure(p)
                .unwrap_or_default()
                .iter()
                .any(|m| m.drgs == family && defs.list_name(m.list).contains(">96 HOURS"))
        });
        let members: Vec<u16> =
            family.iter().copied().filter(|d| long(&title(*d)) == has_long).collect();
        if !members.is_empty() {
            return members;
        }
    }
    if family.len() < 2 || family.iter().all(|d| defs.named_by_procedure_list(*d)) {
        return family;
    }
    let has = |d: u16| {
        input
            .procedures
            .iter()
            .any(|p| defs.procedure(p).unwrap_or_default().iter().any(|m| m.drgs.contains(&d)))
    };
    for &d in &family {
        if defs.named_by_procedure_list(d) && has(d) {
            return vec![d];
        }
    }
    let rest: Vec<u16> =
        family.iter().copied().filter(|d| !defs.named_by_procedure_list(*d)).collect();
    if rest.is_empty() { family } else { rest }
}

/// Picks the DRG of a family (its DRGs in order) for a severity, by the family's titles.
fn pick(defs: &Definitions, family: &[u16], level: Option<CcLevel>) -> u16 {
    let title = |d: u16| defs.drg(d).map(|x| x.desc.to_ascii_lowercase()).unwrap_or_default();
    match family {
        [] => 999,
        [one] => *one,
        [with, without] => {
            let t = title(*with);
            let mcc_only =
                t.contains("with mcc") && !t.contains("cc/mcc") && !t.contains("cc or mcc");
            match (mcc_only, level) {
                (true, Some(CcLevel::Mcc)) => *with,
                (true, _) => *without,
                (false, Some(_)) => *with,
                (false, None) => *without,
            }
        }
        [mcc, cc, rest @ ..] => match level {
            Some(CcLevel::Mcc) => *mcc,
            Some(CcLevel::Cc) => *cc,
            None => rest.first().copied().unwrap_or(*cc),
        },
    }
}

/// Whether `code` belongs to the list `name` of a logic naming `drg`.
fn in_list(defs: &Definitions, code: &CodeKey, drg: u16, name: &str) -> bool {
    defs.diagnosis(code).is_some_and(|(_, lists)| {
        lists.iter().any(|m| m.drgs.contains(&drg) && defs.list_name(m.list) == name)
    })
}

/// MDC 15 (newborns and other neonates): died or transferred to acute care (789), extreme
/// immaturity (790), prematurity with or without major problems (791, 792), full term with major
/// problems (793), with other significant problems (794), normal newborn (795).
fn newborn_drg(defs: &Definitions, input: &GroupInput) -> u16 {
    const ACUTE_TRANSFER_OR_DIED: [u8; 6] = [2, 5, 20, 66, 82, 85];
    if ACUTE_TRANSFER_OR_DIED.contains(&input.discharge_status) {
        return 789;
    }
    let all: Vec<&CodeKey> =
        std::iter::once(&input.pdx).chain(input.sdx.iter().map(|(c, _)| c)).collect();
    let any = |drg: u16, name: &str| all.iter().any(|c| in_list(defs, c, drg, name));
    let major = any(793, "MAJOR PROBLEMS PSDX")
        || input.sdx.iter().any(|(c, _)| in_list(defs, c, 793, "OR SDX"));
    if any(790, "PSDX") {
        return 790;
    }
    if all.iter().any(|c| in_list(defs, c, 791, "PREMATURITY PSDX")) {
        return if major { 791 } else { 792 };
    }
    if major {
        return 793;
    }
    let other = "PSDX OF NEWBORN OR NEONATE,WITH OTHER SIGNIFICANT PROBLEMS, NOT ASSIGNED TO DRG 789 THROUGH 793 OR 795 PSDX";
    if any(794, other) {
        return 794;
    }
    let normal_pdx = in_list(defs, &input.pdx, 795, "PDX");
    let only_normal_sdx =
        input.sdx.iter().all(|(c, _)| in_list(defs, c, 795, "AND NO SDX OR ONLY SDX"));
    if normal_pdx && only_normal_sdx { 795 } else { 794 }
}

/// The claim's procedures and diagnoses against the logic lists of one DRG.
struct Lists<'a> {
    defs: &'a Definitions,
    input: &'a GroupInput,
}

impl Lists<'_> {
    /// Whether a procedure is on a list of `drg` whose name `name` accepts; a list named
    /// `NAME|CODE` counts only when CODE is billed too (CMS's paired procedures).
    fn procedure(&self, drg: u16, name: impl Fn(&str) -> bool) -> bool {
        self.input.procedures.iter().any(|p| {
            self.defs.procedure(p).unwrap_or_default().iter().any(|m| {
                if !m.drgs.contains(&drg) {
                    return false;
                }
                let full = self.defs.list_name(m.list);
                let (list, pair) = full.split_once('|').unwrap_or((full, ""));
                name(list)
                    && (pair.is_empty() || self.input.procedures.iter().any(|q| q.as_str() == pair))
            })
        })
    }

    /// Whether the principal (`principal`) or any diagnosis is on a list of `drg` named `name`.
    fn diagnosis(&self, drg: u16, name: &str, principal_only: bool) -> bool {
        let on = |c: &CodeKey| in_list(self.defs, c, drg, name);
        on(&self.input.pdx) || (!principal_only && self.input.sdx.iter().any(|(c, _)| on(c)))
    }
}

/// The pre-MDC DRGs, checked in CMS's surgical hierarchy before the MDC: CAR-T and other
/// immunotherapies (018), heart transplant or heart assist system (001–002), ECMO or
/// tracheostomy with long ventilation (003–004), liver or intestinal transplant (005–006),
/// allogeneic bone marrow transplant (014), lung transplant (007), simultaneous pancreas and kidney
/// transplant with hemodialysis (019) and without (008), autologous bone marrow transplant
/// (016–017), pancreas transplant (010), tracheostomy for face, mouth and neck diagnoses or
/// laryngectomy (011–013). Returns the family and why.
fn pre_mdc(defs: &Definitions, input: &GroupInput) -> Option<(Vec<u16>, String)> {
    // Most claims have no procedure a pre-MDC list names: one pass says so.
    let named = input.procedures.iter().any(|p| {
        defs.procedure(p).unwrap_or_default().iter().any(|m| m.drgs.iter().any(|d| *d <= 19))
    });
    if !named {
        return None;
    }
    let l = Lists { defs, input };
    let any = |_: &str| true;
    let why = |what: &str| format!("pre-MDC: {what}");
    if l.procedure(18, any) {
        return Some((vec![18], why("CAR-T or another immunotherapy (DRG 018)")));
    }
    if l.procedure(1, any) {
        return Some((vec![1, 2], why("heart transplant or implant of a heart assist system")));
    }
    let face_neck_pdx = l.diagnosis(11, "PDX", true);
    if l.procedure(3, |n| n == "ECMO ORPCS" || n == "NON-ORPCS") {
        return Some((vec![3], why("ECMO (DRG 003)")));
    }
    let trach = l.procedure(3, |n| n == "TRACHEOSTOMY ORPCS" || n == "OR NON-ORPCS");
    let long_ventilation = l.procedure(3, |n| n.starts_with("MECHANICAL VENTILATION >96 HOURS"));
    if trach && (long_ventilation || !face_neck_pdx) {
        let tracheostomy = |p: &CodeKey| {
            defs.procedure(p).unwrap_or_default().iter().any(|m| {
                m.drgs.contains(&3) && defs.list_name(m.list).contains("TRACHEOSTOMY")
                    || m.drgs.contains(&3) && defs.list_name(m.list) == "OR NON-ORPCS"
            })
        };
        let major = input.procedures.iter().any(|p| defs.is_or(p) && !tracheostomy(p));
        return Some(if major {
            (vec![3], why("tracheostomy with a major O.R. procedure (DRG 003)"))
        } else {
            (vec![4], why("tracheostomy without a major O.R. procedure (DRG 004)"))
        });
    }
    if l.procedure(5, |n| n.starts_with("INTESTINAL TRANSPLANT")) {
        return Some((vec![5], why("intestinal transplant (DRG 005)")));
    }
    if l.procedure(5, any) {
        return Some((vec![5, 6], why("liver transplant")));
    }
    if l.procedure(14, any) {
        return Some((vec![14], why("allogeneic bone marrow transplant (DRG 014)")));
    }
    if l.procedure(7, any) {
        return Some((vec![7], why("lung transplant (DRG 007)")));
    }
    let kidney_pancreas = l.procedure(19, |n| n == "ORPCS");
    if kidney_pancreas
        && l.procedure(19, |n| n == "AND NON-ORPCS")
        && l.diagnosis(19, "AND PSDX", false)
        && l.diagnosis(19, "AND PSDX*", false)
    {
        return Some((
            vec![19],
            why("simultaneous pancreas and kidney transplant with hemodialysis"),
        ));
    }
    if l.procedure(8, any) && l.diagnosis(8, "PSDX", false) && l.diagnosis(8, "AND PSDX", false) {
        return Some((vec![8], why("simultaneous pancreas and kidney transplant (DRG 008)")));
    }
    if l.procedure(16, any) {
        return Some((vec![16, 17], why("autologous bone marrow transplant")));
    }
    if l.procedure(10, any) && l.diagnosis(10, "PSDX", false) {
        return Some((vec![10], why("pancreas transplant (DRG 010)")));
    }
    if face_neck_pdx && l.procedure(11, |n| n.contains("TRACHEOSTOMY") || n == "OR NON-ORPCS")
        || l.procedure(11, |n| n == "LARYNGECTOMY ORPCS")
    {
        return Some((
            vec![11, 12, 13],
            why("tracheostomy for a face, mouth or neck diagnosis, or laryngectomy"),
        ));
    }
    None
}

/// Whether the claim has the second procedure a family needs, when its logic names one (an
/// `AND …` procedure list: hemodialysis for 650–651 and 019).
fn second_procedure_met(defs: &Definitions, input: &GroupInput, drgs: &[u16]) -> bool {
    !defs.has_and_procedure_list(drgs)
        || input.procedures.iter().any(|p| {
            defs.procedure(p)
                .unwrap_or_default()
                .iter()
                .any(|m| m.drgs == drgs && defs.list_name(m.list).starts_with("AND "))
        })
}

/// The family of `drgs` (one procedure list over families of different titles) that the
/// principal diagnosis chooses: the one whose title names a list the principal diagnosis is on
/// (`SKIN ULCER OR CELLULITIS PDX` → "skin graft for skin ulcer or cellulitis"), or, when it is on
/// none, the "except …"/"non-…" family; `None` when no family takes it.
fn family_for_pdx(
    defs: &Definitions,
    drgs: &[u16],
    pdx_lists: &[crate::definitions::Membership],
) -> Option<Vec<u16>> {
    let first = drgs.first().map_or("", |d| defs.title_stem(*d));
    if drgs.iter().all(|d| defs.title_stem(*d) == first) {
        // One family: when principal-diagnosis lists name it, the principal diagnosis must be
        // on one (826–828 for myeloproliferative disorders, not 820–822).
        let named = defs.diagnosis_lists_naming(drgs).iter().any(|n| n.ends_with("PDX"));
        let on =
            pdx_lists.iter().any(|m| m.drgs == drgs && defs.list_name(m.list).ends_with("PDX"));
        return (!named || on).then(|| drgs.to_vec());
    }
    let families = defs.split_by_title(drgs);
    let keys: Vec<String> = pdx_lists
        .iter()
        .filter(|m| m.drgs == drgs)
        .map(|m| {
            let n = defs.list_name(m.list).to_ascii_lowercase();
            n.trim_end_matches(" pdx").to_string()
        })
        .collect();
    let negative = |t: &str| t.contains("except") || t.contains("non-");
    if let Some(key) = keys.first() {
        let alt = key.replace('/', " or ");
        return families.into_iter().find(|f| {
            let t = defs.title_stem(f[0]);
            if key.starts_with("non-") {
                t.contains(key.as_str())
            } else {
                !negative(t) && (t.contains(key.as_str()) || t.contains(alt.as_str()))
            }
        });
    }
    // On none of the lists: the "except"/"non-" family, unless a "non-…" list exists (then the
    // families are all for listed diagnoses).
    let has_non_list = defs.diagnosis_lists_naming(drgs).iter().any(|n| n.starts_with("NON-"));
    if has_non_list {
        return None;
    }
    families.into_iter().find(|f| negative(defs.title_stem(f[0])))
}

/// The medical DRGs whose logic lists the principal diagnosis (a surgical family lists it too,
/// with its O.R. procedures): the first in DRG order.
fn medical_family(
    defs: &Definitions,
    input: &GroupInput,
    lists: &[crate::definitions::Membership],
    in_mdc: &dyn Fn(u16) -> bool,
) -> Vec<u16> {
    let medical = |d: &u16| defs.drg(*d).is_some_and(|x| !x.surgical) && in_mdc(*d);
    // A medical family some procedure list names (061–063: a thrombolytic agent) needs one of
    // its procedures.
    let procedure_met = |drgs: &[u16]| {
        !drgs.iter().any(|d| defs.named_by_procedure_list(*d))
            || input
                .procedures
                .iter()
                .any(|p| defs.procedure(p).unwrap_or_default().iter().any(|m| m.drgs == drgs))
    };
    // A secondary diagnosis a list needs: `PDX` with a `WITH SDX` list of the family, `OR PDX`
    // with an `AND SDX` list (177–179: "principal diagnosis with secondary … or principal
    // diagnosis …"; 082–084: "principal diagnosis … or principal diagnosis … and secondary …").
    let sdx_met = |m: &crate::definitions::Membership| {
        let needs = match defs.list_name(m.list) {
            "PDX" => "WITH SDX",
            "OR PDX" => "AND SDX",
            _ => return true,
        };
        !defs.diagnosis_lists_naming(&m.drgs).contains(&needs)
            || input.sdx.iter().any(|(c, _)| in_list(defs, c, m.drgs[0], needs))
    };
    // A list the first DRG's title names after "or" ("Pulmonary embolism with MCC or acute cor
    // pulmonale", 175): that DRG, whatever the severity.
    let named_in_title = lists.iter().find(|m| {
        let name = defs.list_name(m.list).to_ascii_lowercase();
        m.drgs.iter().all(medical)
            && !name.contains("pdx")
            && !name.contains("sdx")
            && defs
                .drg(m.drgs[0])
                .is_some_and(|d| d.desc.to_ascii_lowercase().contains(&format!(" or {name}")))
    });
    if let Some(m) = named_in_title {
        return vec![m.drgs[0]];
    }
    let candidates: Vec<&crate::definitions::Membership> = lists
        .iter()
        .filter(|m| {
            let name = defs.list_name(m.list);
            (name.ends_with("PDX") && !name.contains("SDX")) || name == "PDX OR SDX"
        })
        .filter(|m| m.drgs.iter().all(medical))
        .filter(|m| sdx_met(m))
        .collect();
    // A family whose procedure is missing gives way to another one (stroke with a thrombolytic
    // agent, 061–063, to 064–066); alone, it stands ("with MCC or thrombolytic agent", 124).
    let met: Vec<&&crate::definitions::Membership> =
        candidates.iter().filter(|m| procedure_met(&m.drgs)).collect();
    let pool: Vec<&crate::definitions::Membership> =
        if met.is_empty() { candidates } else { met.into_iter().copied().collect() };
    let family = pool
        .into_iter()
        .min_by_key(|m| m.drgs.first().copied())
        .map(|m| m.drgs.clone())
        .unwrap_or_default();
    // A list over families split by the outcome (acute myocardial infarction discharged alive,
    // 280–282, or expired, 283–285): the one the discharge status says.
    let families = defs.split_by_title(&family);
    if families.len() > 1 {
        let died = input.discharge_status == 20;
        if let Some(f) = families.iter().find(|f| defs.title_stem(f[0]).contains("expired") == died)
        {
            return f.clone();
        }
    }
    family
}

/// The MDC of the principal diagnosis: MDC 12 or 13 by sex for the codes in both (an unknown
/// sex makes the claim ungroupable, `INVALID_SEX`); MDC 25 for HIV (B20 as principal, or an
/// HIV-related principal diagnosis with B20 as secondary); MDC 24 for a trauma principal
/// diagnosis with significant trauma at two or more body sites among all the diagnoses.
fn choose_mdc(
    defs: &Definitions,
    input: &GroupInput,
    markers: &[String],
) -> Result<(String, String), &'static str> {
    let has = |m: &str| markers.iter().any(|x| x == m);
    let pdx = &input.pdx;
    let first = markers.iter().find_map(|m| m.strip_prefix("MDC")).unwrap_or("").to_string();
    let hiv = |c: &CodeKey| in_list(defs, c, 974, "PSDX OF HIV INFECTION");
    if hiv(pdx) || (has("MDC25") && input.sdx.iter().any(|(c, _)| hiv(c))) {
        return Ok((
            "25".into(),
            format!("MDC 25: HIV infection with the principal diagnosis {pdx}"),
        ));
    }
    if has("MDC24_PDX") {
        let sites = |c: &CodeKey| -> Vec<String> {
            defs.diagnosis(c)
                .map(|(m, _)| {
                    m.iter().filter(|x| x.starts_with("TRAUMA24_SITE")).cloned().collect()
                })
                .unwrap_or_default()
        };
        let mut all: Vec<String> = sites(pdx);
        for (c, _) in &input.sdx {
            all.extend(sites(c));
        }
        all.sort();
        all.dedup();
        if all.len() >= 2 {
            return Ok((
                "24".into(),
                format!(
                    "MDC 24: multiple significant trauma ({} body sites) with the principal diagnosis {pdx}",
                    all.len()
                ),
            ));
        }
    }
    if has("MDC12") && has("MDC13") {
        return match input.sex {
            'M' => Ok(("12".into(), format!("MDC 12 from the principal diagnosis {pdx} (male)"))),
            'F' => Ok(("13".into(), format!("MDC 13 from the principal diagnosis {pdx} (female)"))),
            _ => Err("INVALID_SEX"),
        };
    }
    Ok((first.clone(), format!("MDC {first} from the principal diagnosis {pdx}")))
}

/// MDC 22 (burns): extensive burns, or full-thickness burns with ventilation over 96 hours, with
/// a skin graft (927) or without (933); full-thickness burns with a skin graft or an inhalation
/// injury (928, 929) or without (934); other burns (935).
fn burns(defs: &Definitions, input: &GroupInput) -> (Vec<u16>, String) {
    let l = Lists { defs, input };
    let extensive = l.diagnosis(927, "EXTENSIVE BURNS PSDX", false);
    let full =
        l.diagnosis(927, "FULL THICKNESS BURNS PSDX", false) || l.diagnosis(928, "PSDX", false);
    let ventilation = l.procedure(927, |n| n.starts_with("MECHANICAL VENTILATION >96 HOURS"));
    let graft = l.procedure(927, |n| n.starts_with("SKIN GRAFT"))
        || l.procedure(928, |n| n.starts_with("SKIN GRAFT"));
    let inhalation = input.sdx.iter().any(|(c, _)| in_list(defs, c, 928, "INHALATION INJURY SDX"));
    let why = |w: &str| format!("MDC 22: {w}");
    if extensive || (full && ventilation) {
        let what = if extensive {
            "extensive burns"
        } else {
            "full-thickness burns with ventilation over 96 hours"
        };
        return if graft {
            (vec![927], why(&format!("{what} with a skin graft (DRG 927)")))
        } else {
            (vec![933], why(&format!("{what} without a skin graft (DRG 933)")))
        };
    }
    if full {
        return if graft || inhalation {
            (vec![928, 929], why("full-thickness burns with a skin graft or an inhalation injury"))
        } else {
            (
                vec![934],
                why("full-thickness burns without a skin graft or an inhalation injury (DRG 934)"),
            )
        };
    }
    (vec![935], why("non-extensive burns (DRG 935)"))
}

/// MDC 20 (alcohol and drug use): left against medical advice (status 07) is 894; with a
/// rehabilitation or detoxification therapy procedure 895; otherwise 896 with an MCC, 897 without.
fn substance_use_drg(defs: &Definitions, input: &GroupInput) -> Vec<u16> {
    if input.discharge_status == 7 {
        return vec![894];
    }
    let rehab = input.procedures.iter().any(|p| {
        defs.procedure(p).unwrap_or_default().iter().any(|m| {
            m.drgs.contains(&895) && defs.list_name(m.list).contains("REHABILITATION THERAPY")
        })
    });
    if rehab { vec![895] } else { vec![896, 897] }
}

/// Each secondary diagnosis's CC/MCC flag before the DRG is known: excluded by the principal
/// diagnosis (when there is one to exclude by) or by death for "MCC only if discharged alive",
/// with the reason for each exclusion.
pub(crate) fn sdx_flags(
    defs: &Definitions,
    sdx: &[(CodeKey, Option<char>)],
    pdx: Option<&CodeKey>,
    died: bool,
    reasons: &mut Vec<String>,
) -> Vec<SdxFlag> {
    sdx.iter()
        .map(|(code, _)| match defs.cc(code) {
            None => SdxFlag::Neither,
            Some(c) if pdx.is_some_and(|p| defs.excluded_by(code, p)) => {
                reasons.push(format!(
                    "{code} ({}) excluded: the principal diagnosis {} is in its CC exclusion list{}",
                    level_name(c.level),
                    pdx.map(CodeKey::as_str).unwrap_or_default(),
                    c.pdx_collection.map(|n| format!(" {n:04}")).unwrap_or_default()
                ));
                SdxFlag::Excluded(c.level)
            }
            Some(c) if c.alive_only && died => {
                reasons.push(format!(
                    "{code} ({}) excluded: an MCC only when the patient is discharged alive",
                    level_name(c.level)
                ));
                SdxFlag::Excluded(c.level)
            }
            Some(c) => SdxFlag::Counts(c.level),
        })
        .collect()
}

/// Groups one claim with one version's definitions.
pub fn group(defs: &Definitions, input: &GroupInput) -> GroupOutput {
    let died = input.discharge_status == 20;
    let mut reasons = Vec::new();
    let mut flags = sdx_flags(defs, &input.sdx, Some(&input.pdx), died, &mut reasons);
    let Some((markers, lists)) = defs.diagnosis(&input.pdx) else {
        reasons.push(format!(
            "{} is not a principal diagnosis of MS-DRG {}: ungroupable (DRG 999)",
            input.pdx, defs.version
        ));
        return GroupOutput {
            drg: 999,
            mdc: 0,
            severity: "NONE",
            return_code: "INVALID_PDX",
            sdx: flags,
            reasons,
        };
    };
    let (mdc_code, why_mdc) = match choose_mdc(defs, input, markers) {
        Ok(m) => m,
        Err(rc) => {
            reasons.push(format!(
                "the principal diagnosis {} belongs to MDC 12 or 13 by the patient's sex, which \
                 is unknown: ungroupable (DRG 999)",
                input.pdx
            ));
            return GroupOutput {
                drg: 999,
                mdc: 0,
                severity: severity_name(severity_of(&flags)),
                return_code: rc,
                sdx: flags,
                reasons,
            };
        }
    };
    let pre = pre_mdc(defs, input);
    // A kidney transplant groups to MDC 11 (DRG 652) whatever the principal diagnosis.
    let (mdc_code, why_mdc) = if pre.is_none()
        && mdc_code != "11"
        && (Lists { defs, input }).procedure(652, |n| n == "ORPCS")
    {
        ("11".to_string(), "MDC 11: a kidney transplant".to_string())
    } else {
        (mdc_code, why_mdc)
    };
    let mdc: u8 = mdc_code.parse().unwrap_or(0);
    reasons.push(why_mdc);
    if pre.is_none() && lists.iter().any(|m| m.drgs == [998]) {
        reasons.push(format!(
            "the principal diagnosis {} is not valid as a discharge diagnosis (DRG 998)",
            input.pdx
        ));
        return GroupOutput {
            drg: 998,
            mdc,
            severity: severity_name(severity_of(&flags)),
            return_code: "OK",
            sdx: flags,
            reasons,
        };
    }
    if pre.is_none() && mdc == 15 {
        let level = severity_of(&flags);
        let drg = newborn_drg(defs, input);
        reasons.push(format!("newborn DRG {drg} from the diagnoses and discharge status"));
        return GroupOutput {
            drg,
            mdc,
            severity: severity_name(level),
            return_code: "OK",
            sdx: flags,
            reasons,
        };
    }
    let in_mdc = |d: u16| defs.drg(d).and_then(|x| x.mdc.as_deref()) == Some(mdc_code.as_str());
    // Surgical: the O.R. procedures' families in the MDC, the highest in the surgical hierarchy.
    let mut best: Option<(u32, Vec<u16>, &CodeKey)> = None;
    let mut any_or = false;
    for p in &input.procedures {
        let or = defs.is_or(p);
        any_or |= or;
        for m in defs.procedure(p).unwrap_or_default() {
            let name = defs.list_name(m.list);
            if !m.drgs.iter().all(|d| in_mdc(*d)) {
                continue;
            }
            // O.R. procedures on an O.R. list; on a surgical family's non-O.R. list ("… or any
            // of the following non-O.R. procedures"), non-O.R. procedures count too.
            let surgical = m.drgs.iter().all(|d| defs.drg(*d).is_some_and(|x| x.surgical));
            // An `AND …` list is a second procedure a family needs (hemodialysis for 650–651),
            // not one that chooses it.
            let counts = if name.starts_with("AND ") {
                false
            } else if name.contains("NON-ORPCS") {
                surgical
            } else {
                or && name.contains("ORPCS")
            };
            if !counts || !second_procedure_met(defs, input, &m.drgs) {
                continue;
            }
            // A list over several families split by the principal diagnosis (for / except skin
            // ulcer, neoplasm / non-neoplasm…): the family the principal diagnosis chooses.
            let Some(family) = family_for_pdx(defs, &m.drgs, lists) else { continue };
            let rank =
                family.iter().filter_map(|d| defs.surgical_rank(*d)).min().unwrap_or(u32::MAX);
            if best.as_ref().is_none_or(|(r, _, _)| rank < *r) {
                best = Some((rank, family, p));
            }
        }
    }
    // The family taking any (other) O.R. procedure that the principal diagnosis is listed for.
    let pdx_any_or = lists
        .iter()
        .filter(|m| {
            defs.list_name(m.list).ends_with("PDX")
                && m.drgs.iter().all(|d| in_mdc(*d) && defs.takes_any_or_procedure(*d))
        })
        .min_by_key(|m| m.drgs.first().copied())
        .map(|m| m.drgs.clone());
    let family: Vec<u16> = match (pre, best, any_or) {
        (Some((f, why)), _, _) => {
            reasons.push(why);
            f
        }
        (None, _, _) if mdc == 22 => {
            let (f, why) = burns(defs, input);
            reasons.push(why);
            f
        }
        (None, Some((_, f, p)), _) => {
            reasons.push(format!(
                "surgical: the O.R. procedure {p} ranks highest in the MDC's surgical hierarchy (DRGs {})",
                drg_list(&f)
            ));
            f
        }
        // An O.R. procedure and a principal diagnosis listed for a family that takes any (other)
        // O.R. procedure (823–825, 829–830…).
        (None, None, true) if pdx_any_or.is_some() => {
            let f = pdx_any_or.unwrap_or_default();
            reasons.push(format!(
                "surgical: an O.R. procedure with a principal diagnosis of DRGs {}, which take any other O.R. procedure",
                drg_list(&f)
            ));
            f
        }
        // An O.R. procedure in an MDC with a family that takes any O.R. procedure (853–858,
        // 876, 939–941…): the one whose title matches the principal diagnosis's medical family.
        (None, None, true) if !defs.any_or_families(&mdc_code).is_empty() => {
            let families = defs.any_or_families(&mdc_code);
            let medical = medical_family(defs, input, lists, &in_mdc);
            let words = |d: u16| -> Vec<String> {
                let t = defs.drg(d).map(|x| x.desc.to_ascii_lowercase()).unwrap_or_default();
                t.split_whitespace().take(3).map(str::to_string).collect()
            };
            let f = medical
                .first()
                .and_then(|m| families.iter().find(|f| words(f[0]) == words(*m)))
                .unwrap_or(&families[0])
                .clone();
            reasons.push(format!(
                "surgical: an O.R. procedure in MDC {mdc_code}, whose DRGs {} take any O.R. procedure",
                drg_list(&f)
            ));
            f
        }
        // An O.R. procedure unrelated to the MDC.
        (None, None, true) => {
            reasons.push(
                "an O.R. procedure unrelated to the MDC of the principal diagnosis (DRGs 981-983)"
                    .to_string(),
            );
            vec![981, 982, 983]
        }
        (None, None, false) if mdc == 24 => {
            reasons.push("MDC 24: other multiple significant trauma (DRGs 963-965)".to_string());
            vec![963, 964, 965]
        }
        (None, None, false) if mdc == 25 => {
            let l = Lists { defs, input };
            let major = l.diagnosis(974, "AND PSDX OF MAJOR RELATED CONDITION", false);
            reasons.push(format!(
                "MDC 25: HIV {} a major related condition",
                if major { "with" } else { "without" }
            ));
            if major { vec![974, 975, 976] } else { vec![977] }
        }
        (None, None, false) if mdc == 20 => {
            let f = substance_use_drg(defs, input);
            reasons.push(format!(
                "MDC 20: left against medical advice (894), rehabilitation therapy (895), or by \
                 MCC (896, 897): DRGs {}",
                drg_list(&f)
            ));
            f
        }
        // Any MDC 4 principal diagnosis with mechanical ventilation: 207–208.
        (None, None, false)
            if mdc == 4
                && (Lists { defs, input })
                    .procedure(207, |n| n.contains("MECHANICAL VENTILATION")) =>
        {
            reasons.push("MDC 4 with mechanical ventilation (DRGs 207-208)".to_string());
            vec![207, 208]
        }
        (None, None, false) => {
            let f = medical_family(defs, input, lists, &in_mdc);
            reasons.push(format!(
                "medical: no O.R. procedure; the principal diagnosis's DRGs {}",
                drg_list(&f)
            ));
            f
        }
    };
    // Exclusions in select DRGs apply to the family the claim falls in. In MDCs 24 and 25 the
    // excluded codes (the DRGs' own trauma and HIV condition lists) do not set the severity, but
    // CMS's grouper still reports them as CCs and MCCs.
    let flagged = !matches!(mdc, 24 | 25);
    let mut severity_flags = flags.clone();
    for ((flag, sev), (code, _)) in flags.iter_mut().zip(severity_flags.iter_mut()).zip(&input.sdx)
    {
        if let SdxFlag::Counts(l) = *flag
            && family.iter().any(|d| defs.excluded_in_drg(code, *d))
        {
            *sev = SdxFlag::ExcludedByDrgLogic(l);
            if flagged {
                *flag = SdxFlag::ExcludedByDrgLogic(l);
            }
            reasons.push(format!(
                "{code} ({}) does not count in DRGs {}",
                level_name(l),
                drg_list(&family)
            ));
        }
    }
    let level = severity_of(&severity_flags);
    if let Some(l) = level {
        let (i, (code, _)) = input
            .sdx
            .iter()
            .enumerate()
            .find(|(i, _)| severity_flags[*i] == SdxFlag::Counts(l))
            .unwrap_or((0, &input.sdx[0]));
        reasons.push(format!(
            "severity {}: secondary diagnosis {} ({code}) counts as {}",
            level_name(l),
            i + 1,
            level_name(l)
        ));
    }
    let family = procedure_member(defs, input, family);
    let drg = pick(defs, &family, level);
    // A pre-MDC DRG keeps the principal diagnosis's MDC, as CMS reports it.
    let (drg, mdc) = if family.is_empty() { (999, 0) } else { (drg, mdc) };
    GroupOutput { drg, mdc, severity: severity_name(level), return_code: "OK", sdx: flags, reasons }
}

fn level_name(l: CcLevel) -> &'static str {
    match l {
        CcLevel::Mcc => "MCC",
        CcLevel::Cc => "CC",
    }
}

fn drg_list(family: &[u16]) -> String {
    family.iter().map(|d| format!("{d:03}")).collect::<Vec<_>>().join(", ")
}
