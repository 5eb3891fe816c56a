//! Code validity (`CODE-…`): every diagnosis and procedure against the release in force on its
//! date. Each code gets one verdict (`facts::verdict`); each rule reports one kind.

pub(crate) mod code_not_valid_on_date;
pub(crate) mod header_code;
pub(crate) mod invalid_code;
pub(crate) mod no_release_for_date;
pub(crate) mod seventh_character;

use crate::facts::CodeCheck;

/// "ICD-10-CM E11 (principal/first diagnosis)".
pub(crate) fn subject(c: &CodeCheck) -> String {
    let code = c
        .system
        .normalize(&c.code)
        .map(|k| c.system.display_code(&k))
        .unwrap_or_else(|_| c.code.to_string());
    format!("{} {code} ({})", c.system.display_name(), c.place.describe())
}
