//! A biller's fix of a claim that has not been adjudicated (held by edits, ready, or rejected
//! by the clearinghouse): its diagnoses, and each line's procedure code, modifiers, units and
//! diagnosis pointers. Charges are not edited here — they are money already in the journal, and
//! change through the fee schedule and a rebuilt claim, or a replacement claim.
//!
//! [`apply`] checks the form of every value (the scrubber then judges the content: a code not in
//! the release, a modifier the NCCI edits want…) and says what changed, in words for the claim's
//! history.

use claim_model::{Claim, ClaimKind, Diagnosis, DiagnosisKind, Poa, Text, Units};
use serde::Deserialize;

/// What to change; what is left out stays.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimEdit {
    /// The diagnoses, principal (first-listed) first, replacing the claim's.
    #[serde(default)]
    pub diagnoses: Option<Vec<DiagnosisEdit>>,
    /// Changes to service lines.
    #[serde(default)]
    pub lines: Vec<LineEdit>,
}

/// One diagnosis.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiagnosisEdit {
    /// ICD-10-CM code, with or without its dot.
    pub code: String,
    /// Present on admission (`Y`, `N`, `U`, `W`, `1`), institutional claims.
    #[serde(default)]
    pub poa: Option<String>,
}

/// Changes to one service line.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineEdit {
    /// The line's number (LX01, from 1).
    pub line: u32,
    /// HCPCS/CPT code.
    #[serde(default)]
    pub procedure: Option<String>,
    /// Modifiers (up to four).
    #[serde(default)]
    pub modifiers: Option<Vec<String>>,
    /// Units of service (`1.5` is one and a half).
    #[serde(default)]
    pub units: Option<f64>,
    /// Diagnosis pointers (1-based positions in the diagnoses, up to four).
    #[serde(default)]
    pub pointers: Option<Vec<u8>>,
}

/// Why an edit was refused: the field and what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EditError(pub String);

fn refuse<T>(msg: String) -> Result<T, EditError> {
    Err(EditError(msg))
}

fn diagnosis_code(raw: &str, at: usize) -> Result<Text, EditError> {
    let code: String =
        raw.trim().chars().filter(|c| *c != '.').collect::<String>().to_ascii_uppercase();
    let ok = (3..=7).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_uppercase())
        && code.bytes().all(|b| b.is_ascii_alphanumeric());
    if !ok {
        return refuse(format!(
            "diagnosis {at}: {raw:?} is not an ICD-10-CM code (a letter, then 2 to 6 letters or digits)"
        ));
    }
    Ok(code.into())
}

/// Applies an edit to a claim, returning what changed (empty when nothing did). Nothing is
/// applied when any value is refused.
pub fn apply(claim: &Claim, edit: &ClaimEdit) -> Result<(Claim, Vec<String>), EditError> {
    let mut out = claim.clone();
    let mut changes = Vec::new();
    if let Some(dx) = &edit.diagnoses {
        if dx.is_empty() {
            return refuse("diagnoses: a claim needs at least the principal diagnosis".into());
        }
        let most = if claim.kind == ClaimKind::Professional { 12 } else { 25 };
        if dx.len() > most {
            return refuse(format!("diagnoses: at most {most} on this claim ({} given)", dx.len()));
        }
        // Diagnoses other than principal and secondary (admitting, reason for visit, external
        // cause) stay as they were.
        let kept: Vec<Diagnosis> = claim
            .diagnoses
            .iter()
            .filter(|d| !matches!(d.kind, DiagnosisKind::Principal | DiagnosisKind::Other))
            .cloned()
            .collect();
        let mut list = Vec::with_capacity(dx.len() + kept.len());
        for (i, d) in dx.iter().enumerate() {
            let code = diagnosis_code(&d.code, i + 1)?;
            if list.iter().any(|x: &Diagnosis| x.code == code) {
                return refuse(format!("diagnosis {}: {code} is listed twice", i + 1));
            }
            let poa = match d.poa.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
                None => None,
                Some(p) => Some(
                    p.chars()
                        .next()
                        .filter(|_| p.len() == 1)
                        .and_then(|c| Poa::from_code(c.to_ascii_uppercase()))
                        .ok_or_else(|| {
                            EditError(format!("diagnosis {}: POA {p:?}: Y, N, U, W or 1", i + 1))
                        })?,
                ),
            };
            let kind = if i == 0 { DiagnosisKind::Principal } else { DiagnosisKind::Other };
            list.push(Diagnosis { code, kind, poa });
        }
        let before: Vec<&str> = claim
            .diagnoses
            .iter()
            .filter(|d| matches!(d.kind, DiagnosisKind::Principal | DiagnosisKind::Other))
            .map(|d| d.code.as_str())
            .collect();
        let after: Vec<&str> = list.iter().map(|d| d.code.as_str()).collect();
        if before != after {
            changes.push(format!("diagnoses {} → {}", before.join(" "), after.join(" ")));
        } else if list.iter().map(|d| d.poa).ne(claim
            .diagnoses
            .iter()
            .filter(|d| matches!(d.kind, DiagnosisKind::Principal | DiagnosisKind::Other))
            .map(|d| d.poa))
        {
            changes.push("POA indicators".into());
        }
        list.extend(kept);
        out.diagnoses = list;
    }
    let pointable = out
        .diagnoses
        .iter()
        .filter(|d| matches!(d.kind, DiagnosisKind::Principal | DiagnosisKind::Other))
        .count();
    for e in &edit.lines {
        let Some(line) = out.lines.iter_mut().find(|l| l.number == e.line) else {
            return refuse(format!("line {}: the claim has no such line", e.line));
        };
        let n = e.line;
        if let Some(p) = &e.procedure {
            let p = p.trim().to_ascii_uppercase();
            if p.len() != 5 || !p.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return refuse(format!(
                    "line {n}: procedure {p:?}: a five-character HCPCS or CPT code"
                ));
            }
            if line.procedure != p.as_str() {
                changes.push(format!("line {n} code {} → {p}", line.procedure));
                line.procedure = p.into();
            }
        }
        if let Some(m) = &e.modifiers {
            let m: Vec<String> =
                m.iter().map(|x| x.trim().to_ascii_uppercase()).filter(|x| !x.is_empty()).collect();
            if m.len() > 4 {
                return refuse(format!("line {n}: at most four modifiers"));
            }
            if let Some(bad) =
                m.iter().find(|x| x.len() != 2 || !x.bytes().all(|b| b.is_ascii_alphanumeric()))
            {
                return refuse(format!("line {n}: modifier {bad:?}: two letters or digits"));
            }
            let new: Vec<Text> = m.iter().map(|x| Text::from(x.as_str())).collect();
            if line.modifiers != new {
                changes.push(format!(
                    "line {n} modifiers {} → {}",
                    if line.modifiers.is_empty() {
                        "none".into()
                    } else {
                        line.modifiers.join(" ")
                    },
                    if m.is_empty() { "none".into() } else { m.join(" ") }
                ));
                line.modifiers = new;
            }
        }
        if let Some(u) = e.units {
            let u = (u * 1000.0).round();
            if !(1.0..=99_999_000.0).contains(&u) {
                return refuse(format!("line {n}: units must be more than 0 and at most 99999"));
            }
            let u = u as i64;
            if line.units != Units(u) {
                changes.push(format!(
                    "line {n} units {} → {}",
                    line.units.0 as f64 / 1000.0,
                    u as f64 / 1000.0
                ));
                line.units = Units(u);
            }
        }
        if let Some(p) = &e.pointers {
            if p.is_empty() || p.len() > 4 {
                return refuse(format!("line {n}: one to four diagnosis pointers"));
            }
            if let Some(bad) = p.iter().find(|x| **x == 0 || usize::from(**x) > pointable) {
                return refuse(format!(
                    "line {n}: pointer {bad} names no diagnosis (the claim has {pointable})"
                ));
            }
            if line.diagnosis_pointers != *p {
                changes.push(format!("line {n} pointers {:?} → {p:?}", line.diagnosis_pointers));
                line.diagnosis_pointers = p.clone();
            }
        }
    }
    // Pointers beyond a shortened diagnosis list would point at nothing.
    for l in &out.lines {
        if l.diagnosis_pointers.iter().any(|x| usize::from(*x) > pointable) {
            return refuse(format!(
                "line {}: its diagnosis pointers {:?} go beyond the {pointable} diagnoses: point it at the diagnoses it treats",
                l.number, l.diagnosis_pointers
            ));
        }
    }
    Ok((out, changes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim() -> Claim {
        // The scrubber's professional fixture: E119 and I10; line 1 99214-25 pointing at both.
        serde_json::from_str(include_str!("../../scrub/tests/fixtures/professional.json")).unwrap()
    }

    #[test]
    fn an_edit_changes_what_it_names_and_says_so() {
        let c = claim();
        let e = ClaimEdit {
            diagnoses: Some(vec![
                DiagnosisEdit { code: "e11.65".into(), poa: None },
                DiagnosisEdit { code: "I10".into(), poa: None },
            ]),
            lines: vec![LineEdit { line: 1, modifiers: Some(vec![]), ..Default::default() }],
        };
        let (out, changes) = apply(&c, &e).unwrap();
        assert_eq!(out.diagnoses[0].code, "E1165");
        assert_eq!(out.diagnoses[0].kind, DiagnosisKind::Principal);
        assert!(out.lines[0].modifiers.is_empty());
        assert_eq!(out.total_charge, c.total_charge, "charges never change");
        assert_eq!(changes, ["diagnoses E119 I10 → E1165 I10", "line 1 modifiers 25 → none"]);
        assert!(apply(&c, &ClaimEdit::default()).unwrap().1.is_empty());
    }

    #[test]
    fn bad_values_are_refused_with_the_field() {
        let c = claim();
        let line = |l: LineEdit| ClaimEdit { diagnoses: None, lines: vec![l] };
        let cases = [
            (
                line(LineEdit { line: 3, ..Default::default() }),
                "line 3: the claim has no such line",
            ),
            (
                line(LineEdit { line: 1, modifiers: Some(vec!["2".into()]), ..Default::default() }),
                "modifier \"2\"",
            ),
            (
                line(LineEdit { line: 1, pointers: Some(vec![3]), ..Default::default() }),
                "pointer 3 names no diagnosis",
            ),
            (
                line(LineEdit { line: 1, units: Some(0.0), ..Default::default() }),
                "units must be more than 0",
            ),
            (
                line(LineEdit { line: 1, procedure: Some("9921".into()), ..Default::default() }),
                "five-character",
            ),
            (ClaimEdit { diagnoses: Some(vec![]), lines: vec![] }, "at least the principal"),
            (
                ClaimEdit {
                    diagnoses: Some(vec![DiagnosisEdit { code: "12".into(), poa: None }]),
                    lines: vec![],
                },
                "diagnosis 1: \"12\" is not an ICD-10-CM code",
            ),
            (
                // One diagnosis left while the line points at two.
                ClaimEdit {
                    diagnoses: Some(vec![DiagnosisEdit { code: "E119".into(), poa: None }]),
                    lines: vec![],
                },
                "go beyond the 1 diagnoses",
            ),
            (
                ClaimEdit {
                    diagnoses: Some(vec![DiagnosisEdit {
                        code: "E119".into(),
                        poa: Some("X".into()),
                    }]),
                    lines: vec![],
                },
                "POA \"X\"",
            ),
        ];
        for (e, want) in cases {
            let err = apply(&c, &e).unwrap_err().to_string();
            assert!(err.contains(want), "{err} lacks {want}");
        }
    }
}
