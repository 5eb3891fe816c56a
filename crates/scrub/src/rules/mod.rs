//! The rules, one file per rule, grouped by family.

pub(crate) mod codes;
pub(crate) mod conventions;
pub(crate) mod integrity;
pub(crate) mod mce;
pub(crate) mod ncci;
