//! Reads 837P/837I files and prints their claims: patient control number, charge, dates,
//! diagnoses and lines, then any findings. The claims are read as views borrowed from the file
//! (`read_837_views_each`: nothing copied, one batch of claims in memory at a time); `read_837`
//! gives the same claims as owned `Claim` values.
//!
//! `cargo run -p x12-claims --example print_typed_claims -- FILE.837…`

fn main() {
    for path in std::env::args().skip(1) {
        let Ok(src) = std::fs::read(&path) else {
            eprintln!("{path}: cannot read");
            continue;
        };
        // UTF-16 files are decoded first; anything else is borrowed as it is.
        let src = x12_claims::x12::to_bytes(&src);
        let mut count = 0;
        let findings = x12_claims::read_837_views_each(&src, 1, |batch| {
            for c in batch.claims() {
                count += 1;
                let dx: Vec<&str> = c.diagnoses().iter().map(|d| d.code.as_ref()).collect();
                println!(
                    "  {:?} claim {} {} from {} payer {} dx [{}] lines {}",
                    c.kind,
                    c.patient_control_number,
                    c.total_charge,
                    c.from.map_or("-".into(), |d| d.to_string()),
                    c.payer().map_or("-", |p| p.name.as_ref()),
                    dx.join(" "),
                    c.lines().len()
                );
                for l in c.lines() {
                    println!(
                        "    {} {} {} {:?} units {} ptr {:?}",
                        l.number,
                        l.revenue_code,
                        l.procedure,
                        l.modifiers(),
                        l.units.0 as f64 / 1000.0,
                        l.diagnosis_pointers()
                    );
                }
            }
        });
        println!("{path}: {count} claim(s)");
        for f in &findings {
            println!("  ! {} {}: {}", f.rule, f.pos, f.message);
        }
    }
}
