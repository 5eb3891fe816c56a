//! A first cut of the grouper over the MS-DRG definitions: MDC from the principal diagnosis,
//! surgical families from O.R. procedures (by surgical rank), medical families from the principal
//! diagnosis's lists, severity from the CC/MCC definitions with PDX exclusions, "only if
//! discharged alive" and exclusions in select DRGs, and the family's split chosen from its DRG
//! titles; the newborn DRGs of MDC 15. Not yet: pre-MDC logic, multiple significant trauma, unrelated O.R.
//! procedures beyond 981–983, HAC/POA processing, the tie-breaking CMS applies, and the return
//! codes other than OK and INVALID_PDX. Agreement with the oracle is measured by
//! `tests/oracle_agreement.rs`.

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

/// Groups one claim with one version's definitions.
pub fn group(defs: &Definitions, input: &GroupInput) -> GroupOutput {
    let died = input.discharge_status == 20;
    let mut reasons = Vec::new();
    let mut flags: Vec<SdxFlag> = input
        .sdx
        .iter()
        .map(|(code, _)| match defs.cc(code) {
            None => SdxFlag::Neither,
            Some(c) if defs.excluded_by(code, &input.pdx) => {
                reasons.push(format!(
                    "{code} ({}) excluded: the principal diagnosis {} is in its CC exclusion list{}",
                    level_name(c.level),
                    input.pdx,
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
        .collect();
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
    let mdc_code = markers.iter().find_map(|m| m.strip_prefix("MDC")).unwrap_or("");
    let mdc: u8 = mdc_code.parse().unwrap_or(0);
    reasons.push(format!("MDC {mdc_code} from the principal diagnosis {}", input.pdx));
    if mdc == 15 {
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
    let in_mdc = |d: u16| defs.drg(d).and_then(|x| x.mdc.as_deref()) == Some(mdc_code);
    // Surgical: the O.R. procedures' families in the MDC, the highest in the surgical hierarchy.
    let mut best: Option<(u32, Vec<u16>, &CodeKey)> = None;
    let mut any_or = false;
    for p in &input.procedures {
        if !defs.is_or(p) {
            continue;
        }
        any_or = true;
        for m in defs.procedure(p).unwrap_or_default() {
            let name = defs.list_name(m.list);
            if !name.contains("ORPCS")
                || name.contains("NON-ORPCS")
                || !m.drgs.iter().all(|d| in_mdc(*d))
            {
                continue;
            }
            let rank =
                m.drgs.iter().filter_map(|d| defs.surgical_rank(*d)).min().unwrap_or(u32::MAX);
            if best.as_ref().is_none_or(|(r, _, _)| rank < *r) {
                best = Some((rank, m.drgs.clone(), p));
            }
        }
    }
    let family: Vec<u16> = match (best, any_or) {
        (Some((_, f, p)), _) => {
            reasons.push(format!(
                "surgical: the O.R. procedure {p} ranks highest in the MDC's surgical hierarchy (DRGs {})",
                drg_list(&f)
            ));
            f
        }
        // An O.R. procedure unrelated to the MDC.
        (None, true) => {
            reasons.push(
                "an O.R. procedure unrelated to the MDC of the principal diagnosis (DRGs 981-983)"
                    .to_string(),
            );
            vec![981, 982, 983]
        }
        (None, false) => {
            let f = lists
                .iter()
                .find(|m| defs.list_name(m.list) == "PDX" && m.drgs.iter().all(|d| in_mdc(*d)))
                .map(|m| m.drgs.clone())
                .unwrap_or_default();
            reasons.push(format!(
                "medical: no O.R. procedure; the principal diagnosis's DRGs {}",
                drg_list(&f)
            ));
            f
        }
    };
    // Exclusions in select DRGs apply to the family the claim falls in.
    for (flag, (code, _)) in flags.iter_mut().zip(&input.sdx) {
        if let SdxFlag::Counts(l) = *flag
            && family.iter().any(|d| defs.excluded_in_drg(code, *d))
        {
            *flag = SdxFlag::ExcludedByDrgLogic(l);
            reasons.push(format!(
                "{code} ({}) excluded by the logic of DRGs {}",
                level_name(l),
                drg_list(&family)
            ));
        }
    }
    let level = severity_of(&flags);
    if let Some(l) = level {
        let (i, (code, _)) = input
            .sdx
            .iter()
            .enumerate()
            .find(|(i, _)| flags[*i] == SdxFlag::Counts(l))
            .unwrap_or((0, &input.sdx[0]));
        reasons.push(format!(
            "severity {}: secondary diagnosis {} ({code}) is an {} that counts",
            level_name(l),
            i + 1,
            level_name(l)
        ));
    }
    let drg = pick(defs, &family, level);
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
