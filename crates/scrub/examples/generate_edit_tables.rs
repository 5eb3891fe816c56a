//! Writes NCCI files of the real size in CMS's layouts (2.5 million practitioner PTP pairs, a
//! 15,000-code practitioner MUE table) into a folder, for measuring `superbill data import`, the
//! installed tables' load time and memory, and scrubbing with them. No CMS file is copied: the
//! pairs are generated.
//!
//! `cargo run --release -p scrub --example generate_edit_tables -- /tmp/ncci-full`

#[path = "../benches/common/mod.rs"]
mod common;

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "ncci-full".to_string());
    std::fs::create_dir_all(&dir)?;
    let ptp = common::ptp_file(2_500_000);
    std::fs::write(format!("{dir}/ccipra-v999r0-f1.txt"), ptp)?;
    let mue = common::mue_file(15_000);
    std::fs::write(format!("{dir}/MCR_MUE_PractitionerServices_Eff_01-01-2026.csv"), mue)?;
    println!(
        "wrote {dir}/ccipra-v999r0-f1.txt and {dir}/MCR_MUE_PractitionerServices_Eff_01-01-2026.csv"
    );
    Ok(())
}
