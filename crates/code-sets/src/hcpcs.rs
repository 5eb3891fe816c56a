//! The HCPCS Level II alpha-numeric file as CMS publishes it each quarter (`HCPCyyyy_…ANWEB…txt`):
//! fixed-width 320-column records, laid out in CMS's record layout (`HCPCyyyy_recordlayout.txt`).
//!
//! Columns used (1-based, inclusive): code 1–5 (a modifier in 4–5), sequence 6–10, record
//! identification 11 (`3` procedure, `4` its long-description continuation, `7` modifier, `8` its
//! continuation), long description 12–91, short description 92–119, added date 269–276, action
//! effective date 277–284, termination date 285–292 (the last day the code may be used), action
//! code 293.

use crate::release::{BILLABLE, Body, Counts, Entry, MODIFIER, Release};
use crate::{CodeKey, Date, LoadError, System};

fn field(line: &[u8], from: usize, to: usize) -> &str {
    let s = from - 1;
    if s >= line.len() {
        return "";
    }
    let e = to.min(line.len());
    std::str::from_utf8(&line[s..e]).unwrap_or("").trim()
}

struct Rec {
    key: CodeKey,
    long: String,
    short: String,
    added: u32,
    effective: u32,
    terminated: u32,
    action: u8,
    line: u64,
}

/// Parses a HCPCS Level II alpha-numeric file. `effective_from` defaults to the start of the
/// quarter of the newest action effective date in the file.
pub fn parse_anweb(src: &[u8], effective_from: Option<Date>) -> Result<Release, LoadError> {
    let mut codes: Vec<Rec> = Vec::new();
    let mut mods: Vec<Rec> = Vec::new();
    let mut last: Option<bool> = None; // Some(true) after a modifier, Some(false) after a code.
    let mut newest = 0u32;
    for (i, raw) in src.split(|&b| b == b'\n').enumerate() {
        let line_no = i as u64 + 1;
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        if std::str::from_utf8(line).is_err() {
            return Err(LoadError::at(
                line_no,
                "the record is not text (bad byte): not a HCPCS file",
            ));
        }
        if line.len() < 11 {
            return Err(LoadError::at(
                line_no,
                format!("record is {} columns long; a HCPCS record has 320", line.len()),
            ));
        }
        let rid = line[10];
        let date = |from, to, what: &str| -> Result<u32, LoadError> {
            let t = field(line, from, to);
            if t.is_empty() {
                return Ok(0);
            }
            Date::from_yyyymmdd(t).map(Date::as_yyyymmdd).ok_or_else(|| {
                LoadError::at(
                    line_no,
                    format!("{what} {t:?} (columns {from}-{to}) is not a date YYYYMMDD"),
                )
            })
        };
        match rid {
            b'3' | b'7' => {
                if line.len() < 293 {
                    return Err(LoadError::at(
                        line_no,
                        format!(
                            "record is {} columns long; a HCPCS record has 320 (the file is cut short)",
                            line.len()
                        ),
                    ));
                }
                let is_mod = rid == b'7';
                let code = if is_mod { field(line, 4, 5) } else { field(line, 1, 5) };
                let ok = if is_mod {
                    code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphanumeric())
                } else {
                    System::Hcpcs.normalize(code).is_ok() && code.len() == 5
                };
                let key = CodeKey::new(code).filter(|_| ok).ok_or_else(|| {
                    LoadError::at(
                        line_no,
                        format!(
                            "{code:?} in columns {} is not a HCPCS {}",
                            if is_mod { "4-5" } else { "1-5" },
                            if is_mod { "modifier" } else { "code" }
                        ),
                    )
                })?;
                let rec = Rec {
                    key,
                    long: field(line, 12, 91).to_string(),
                    short: field(line, 92, 119).to_string(),
                    added: date(269, 276, "added date")?,
                    effective: date(277, 284, "action effective date")?,
                    terminated: date(285, 292, "termination date")?,
                    action: line[292],
                    line: line_no,
                };
                newest = newest.max(rec.effective).max(rec.added);
                if is_mod {
                    mods.push(rec)
                } else {
                    codes.push(rec)
                }
                last = Some(is_mod);
            }
            b'4' | b'8' => {
                let target = if rid == b'8' { mods.last_mut() } else { codes.last_mut() };
                let code = if rid == b'8' { field(line, 4, 5) } else { field(line, 1, 5) };
                match (target, last) {
                    (Some(t), Some(m)) if m == (rid == b'8') && t.key.as_str() == code => {
                        let more = field(line, 12, 91);
                        if !more.is_empty() {
                            t.long.push(' ');
                            t.long.push_str(more);
                        }
                    }
                    _ => {
                        return Err(LoadError::at(
                            line_no,
                            format!(
                                "continuation record for {code:?} does not follow its first record"
                            ),
                        ));
                    }
                }
            }
            other => {
                return Err(LoadError::at(
                    line_no,
                    format!(
                        "record identification code {:?} in column 11 is not 3, 4, 7 or 8: not a HCPCS alpha-numeric file",
                        other as char
                    ),
                ));
            }
        }
    }
    if codes.is_empty() {
        return Err(LoadError::whole("no HCPCS procedure records (record id 3) found"));
    }
    let effective_from = match effective_from {
        Some(d) => d,
        None => {
            let d = Date::from_yyyymmdd(&newest.to_string())
                .ok_or_else(|| LoadError::whole("no dates in the file: pass the effective date"))?;
            let q = (d.month() - 1) / 3 * 3 + 1;
            Date::from_ymd(d.year(), q, 1).unwrap_or(d)
        }
    };
    let mut body = Body::default();
    let mut counts = Counts::default();
    codes.sort_by_key(|r| r.key);
    mods.sort_by_key(|r| r.key);
    for list in [&codes, &mods] {
        for w in list.windows(2) {
            if w[0].key == w[1].key {
                return Err(LoadError::at(w[1].line, format!("{:?} is listed twice", w[1].key)));
            }
        }
    }
    let to_entry = |body: &mut Body, r: &Rec, flags: u8| {
        let title = body.push_text(&r.long);
        let mut e = Entry::new(r.key, title);
        e.short = body.push_text(&r.short);
        e.flags = flags;
        e.added = r.added;
        e.action_effective = r.effective;
        e.terminated = r.terminated;
        e.action = r.action;
        e
    };
    for r in &codes {
        let e = to_entry(&mut body, r, BILLABLE);
        if r.terminated != 0 && r.terminated < effective_from.as_yyyymmdd() {
            counts.terminated += 1;
        }
        counts.billable += 1;
        body.entries.push(e);
    }
    for r in &mods {
        let e = to_entry(&mut body, r, MODIFIER);
        counts.modifiers += 1;
        body.modifiers.push(e);
    }
    Ok(Release::finish(
        System::Hcpcs,
        format!("{}", effective_from.year()),
        effective_from,
        counts,
        body,
    ))
}
