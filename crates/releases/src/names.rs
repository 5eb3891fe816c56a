//! When a release takes effect, as CMS and CDC file names say it.
//!
//! The release files do not state their effective date, but the names of the files and zips do:
//! `icd10cm-tabular-April-1-2026.xml`, `icd10cm_tabular_2026-04-01.xml`, `HCPC2026_JAN_ANWEB…`,
//! `PPRRVU2025_Oct…`, `RVU25D`. Without such a hint, ICD-10 releases default to October 1 of the
//! fiscal year before their `<version>` (the loader does that), HCPCS to the quarter of its newest
//! dates, and CPT/PFS files need `--effective-from`.

use code_sets::Date;

use crate::Kind;

const MONTHS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

fn month_of(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| w.starts_with(m) && (w.len() == 3 || long_month_ok(&w)))
        .map(|i| i as u32 + 1)
}

fn long_month_ok(w: &str) -> bool {
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "sept",
        "october",
        "november",
        "december",
    ]
    .contains(&w)
}

/// The effective date a file's name (or its zip's name) states, if any.
///
/// ```
/// use releases::{effective_date_from_name, Kind};
/// let d = effective_date_from_name("x/icd10cm-tabular-April-1-2026.xml", &Kind::CmTabular).unwrap();
/// assert_eq!(d.to_string(), "2026-04-01");
/// let d = effective_date_from_name("HCPC2026_APR_ANWEB_v2.txt", &Kind::Hcpcs).unwrap();
/// assert_eq!(d.to_string(), "2026-04-01");
/// assert!(effective_date_from_name("icd10cm_tabular_2026.xml", &Kind::CmTabular).is_none());
/// ```
pub fn effective_date_from_name(name: &str, kind: &Kind) -> Option<Date> {
    // Look at the innermost name first, then the containers'.
    let parts: Vec<&str> = name.rsplit(['!', '/', '\\']).collect();
    for part in parts {
        if let Some(d) = from_one(part, kind) {
            return Some(d);
        }
    }
    None
}

fn from_one(name: &str, kind: &Kind) -> Option<Date> {
    let words: Vec<&str> =
        name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    // yyyy-mm-dd
    for w in words.windows(3) {
        if w[0].len() == 4
            && w[1].len() == 2
            && w[2].len() == 2
            && let Ok(d) = format!("{}-{}-{}", w[0], w[1], w[2]).parse::<Date>()
        {
            return Some(d);
        }
    }
    // MM-DD-YYYY (CMS's MUE files: `MCR_MUE_PractitionerServices_Eff_04-01-2026.csv`)
    if *kind == Kind::NcciMue {
        for w in words.windows(3) {
            if w[0].len() == 2
                && w[1].len() == 2
                && w[2].len() == 4
                && let (Ok(m), Ok(d), Ok(y)) = (w[0].parse(), w[1].parse(), w[2].parse())
                && let Some(date) = Date::from_ymd(y, m, d)
            {
                return Some(date);
            }
        }
    }
    // Month-D-YYYY
    for w in words.windows(3) {
        if let (Some(m), Ok(d), Ok(y)) = (month_of(w[0]), w[1].parse::<u32>(), w[2].parse::<u32>())
            && w[2].len() == 4
            && let Some(date) = Date::from_ymd(y, m, d)
        {
            return Some(date);
        }
    }
    // RVU25D: quarter letter A–D of a two-digit year.
    if *kind == Kind::PfsRvu {
        for w in &words {
            let up = w.to_ascii_uppercase();
            if let Some(rest) = up.strip_prefix("RVU")
                && rest.len() == 3
                && let (Ok(y), Some(q)) = (rest[..2].parse::<u32>(), rest.chars().nth(2))
                && ('A'..='D').contains(&q)
            {
                return Date::from_ymd(2000 + y, (q as u32 - 'A' as u32) * 3 + 1, 1);
            }
        }
    }
    // A year (yyyy, or yy glued to a prefix like PPRRVU25 / HCPC2026) and a month word.
    let mut year = None;
    let mut month = None;
    for w in &words {
        let digits: String = w.chars().skip_while(|c| c.is_ascii_alphabetic()).collect();
        let prefix_len = w.len() - digits.len();
        if year.is_none() && !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            match digits.len() {
                4 => year = digits.parse::<u32>().ok().filter(|y| (2000..2200).contains(y)),
                2 if prefix_len > 0 => year = digits.parse::<u32>().ok().map(|y| 2000 + y),
                _ => {}
            }
        }
        // "Apr2026", "JAN"
        let alpha: String = w.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        if month.is_none()
            && let Some(m) = month_of(&alpha)
        {
            month = Some(m);
        }
    }
    match (year, month, kind) {
        (Some(y), Some(m), _) => Date::from_ymd(y, m, 1),
        (Some(y), None, Kind::CptCsv) => Date::from_ymd(y, 1, 1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(name: &str, kind: Kind) -> Option<String> {
        effective_date_from_name(name, &kind).map(|d| d.to_string())
    }

    #[test]
    fn cms_and_cdc_names() {
        assert_eq!(
            d("icd10cm_tabular_2026-04-01.xml.gz", Kind::CmTabular).as_deref(),
            Some("2026-04-01")
        );
        assert_eq!(
            d("dl/April-1-2026-Code-Tables.zip!icd10cm_tabular_2026.xml", Kind::CmTabular)
                .as_deref(),
            Some("2026-04-01")
        );
        assert_eq!(
            d("icd10c-tabular-April-1-2026.xml", Kind::CmTabular).as_deref(),
            Some("2026-04-01")
        );
        assert_eq!(d("icd10pcs_tables_2026.xml", Kind::PcsTables), None);
        assert_eq!(
            d("HCPC2026_JAN_ANWEB_01122026.txt", Kind::Hcpcs).as_deref(),
            Some("2026-01-01")
        );
        assert_eq!(d("PPRRVU2025_Oct_nodesc.csv", Kind::PfsRvu).as_deref(), Some("2025-10-01"));
        assert_eq!(d("rvu25d_0.zip!PPRRVU25_x.csv", Kind::PfsRvu).as_deref(), Some("2025-10-01"));
        assert_eq!(d("cpt_2026.csv", Kind::CptCsv).as_deref(), Some("2026-01-01"));
        assert_eq!(d("cpt.csv", Kind::CptCsv), None);
    }
}
