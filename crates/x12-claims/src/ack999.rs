//! The 999 implementation acknowledgment (005010X231A1) for a received file: one AK2/IK5 per
//! transaction set with IK3/IK4 for its segment and element errors, and AK9 per functional group.
//! Balancing findings (SNIP 3) and later levels are not reported in a 999 (the 277CA carries
//! claim-level results).

use crate::validate::{Issue, validate};

/// When the acknowledgment is written: (`YYMMDD`, `HHMM`) for the ISA and (`CCYYMMDD`, `HHMM`)
/// for the GS. The library reads no clock; the caller passes the time.
#[derive(Clone, Debug)]
pub struct AckTime {
    /// ISA09/ISA10.
    pub isa: (String, String),
    /// GS04/GS05.
    pub gs: (String, String),
}

/// IK5-02..: transaction-set syntax error codes for envelope findings inside a set.
fn ik5_code(rule: &str) -> Option<&'static str> {
    match rule {
        "X12-ENV-010" => Some("2"), // trailer missing
        "X12-ENV-012" => Some("3"), // control number mismatch
        "X12-ENV-011" => Some("4"), // segment count mismatch
        _ => None,
    }
}

/// IK3-04: segment syntax error code for a finding about a whole segment, or `None` when the
/// finding is about one of its elements (then IK3-04 is 8 and an IK4 follows).
fn ik3_code(rule: &str) -> Option<&'static str> {
    Some(match rule {
        "X12-SYN-019" => "1",                              // unrecognized segment ID
        "X12-IG-001" | "X12-IG-002" => "2",                // unexpected segment
        "X12-IG-003" | "X12-IG-005" | "X12-IG-012" => "3", // required segment missing
        "X12-IG-006" => "4",                               // loop occurs over maximum times
        "X12-IG-004" => "5",                               // segment exceeds maximum use
        "X12-SYN-020" => "8", // segment has data element errors (IK4 below)
        _ => return None,
    })
}

/// IK4-03: element syntax error code for an element-level finding.
fn ik4_code(rule: &str) -> &'static str {
    match rule {
        "X12-IG-007" | "X12-IG-010" => "1", // required data element missing
        "X12-SYN-020" => "2",               // conditional required data element missing
        "X12-SYN-017" => "3",               // too many data elements
        "X12-SYN-011" => "4",               // data element too short
        "X12-SYN-010" => "5",               // data element too long
        "X12-IG-009" => "7",                // invalid code value
        "X12-SYN-014" => "8",               // invalid date
        "X12-SYN-015" => "9",               // invalid time
        "X12-SYN-018" => "13",              // too many components
        "X12-SYN-021" => "6",               // a separator inside a simple element
        "X12-IG-008" | "X12-IG-011" => "I10", // implementation "not used" element present
        r if r.ends_with("SYN-002") => "8",
        r if r.ends_with("CAS-001") => "7",
        _ => "6", // invalid character in data element
    }
}

/// Writes the 999 for `src`. Returns `None` when the file has no interchange to acknowledge.
pub fn ack_999(src: &[u8], time: &AckTime) -> Option<Vec<u8>> {
    let bytes = x12::to_bytes(src);
    let report = validate(&bytes, 2);
    let (doc, _) = x12::parse(&bytes);
    let mut w = crate::out::reply_writer(&bytes, &doc, time)?;
    let d = doc.interchanges.first()?.delimiters;
    let out_delims = w.delimiters();
    for (gi, g) in doc.interchanges.iter().flat_map(|ic| ic.groups.iter()).enumerate() {
        let gs = doc.segments[g.gs];
        let sender = gs.text(&bytes, &d, 3);
        let receiver = gs.text(&bytes, &d, 2);
        w.group("FA", &sender, &receiver, (&time.gs.0, &time.gs.1), gi as u32 + 1, "005010X231A1");
        // One 999 transaction set per acknowledged group, numbered from 0001.
        w.transaction("999", &format!("{:04}", gi + 1), "005010X231A1");
        let (f_id, g_control, version) =
            (gs.text(&bytes, &d, 1), gs.text(&bytes, &d, 6), gs.text(&bytes, &d, 8));
        w.segment(b"AK1", &[f_id.as_bytes(), g_control.as_bytes(), version.as_bytes()]);
        let mut accepted = 0u32;
        for doc_t in &g.transactions {
            let first = doc_t.st as u64 + 1;
            let Some(t) = report.transactions.iter().find(|t| t.first == first) else { continue };
            w.segment(b"AK2", &[t.set.as_bytes(), t.control.as_bytes(), t.version.as_bytes()]);
            let syntax: Vec<&Issue> = t.issues.iter().filter(|i| i.level <= 2).collect();
            let mut ik5_codes: Vec<&str> = Vec::new();
            // IK302 counts from ST = 1.
            let st_index = doc_t.st as u64;
            let mut last_ik3: Option<u64> = None;
            let mut last_ik4 = String::new();
            for i in &syntax {
                if let Some(code) = ik5_code(i.finding.rule) {
                    ik5_codes.push(code);
                    continue;
                }
                let f = &i.finding;
                if f.pos.segment_index <= st_index {
                    continue;
                }
                let index = f.pos.segment_index - st_index;
                let segment_level = ik3_code(f.rule);
                // One IK3 per segment, its element errors as IK4s under it.
                if last_ik3 != Some(index) || segment_level.is_some_and(|c| c != "8") {
                    let loop_id = i.loop_id.unwrap_or("");
                    let code = segment_level.unwrap_or("8");
                    let index = index.to_string();
                    w.segment(
                        b"IK3",
                        &[
                            f.pos.segment_id().as_bytes(),
                            index.as_bytes(),
                            loop_id.as_bytes(),
                            code.as_bytes(),
                        ],
                    );
                    last_ik3 = Some(f.pos.segment_index - st_index);
                }
                let index = f.pos.segment_index - st_index;
                if let Some(e) = f.pos.element
                    && segment_level.is_none_or(|c| c == "8")
                {
                    let pos = match f.pos.component {
                        Some(c) => format!("{e}{}{c}", char::from(out_delims.component)),
                        None => e.to_string(),
                    };
                    let code = ik4_code(f.rule);
                    let key = format!("{index}/{pos}/{code}");
                    if key != last_ik4 {
                        w.segment(b"IK4", &[pos.as_bytes(), b"", code.as_bytes()]);
                        last_ik4 = key;
                    }
                }
            }
            let status: &[u8] = if syntax.is_empty() {
                accepted += 1;
                b"A"
            } else {
                b"R"
            };
            let mut ik5: Vec<&[u8]> = vec![status];
            if !syntax.is_empty() && ik5_codes.is_empty() {
                ik5_codes.push("5"); // one or more segments in error
            }
            ik5.extend(ik5_codes.iter().take(5).map(|c| c.as_bytes()));
            w.segment(b"IK5", &ik5);
        }
        let n = g.transactions.len() as u32;
        let status: &[u8] = if accepted == n {
            b"A"
        } else if accepted == 0 {
            b"R"
        } else {
            b"P"
        };
        let (n, acc) = (n.to_string(), accepted.to_string());
        w.segment(b"AK9", &[status, n.as_bytes(), n.as_bytes(), acc.as_bytes()]);
    }
    Some(w.finish())
}
