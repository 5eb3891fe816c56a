//! Reads 837P/837I files and prints their claims: patient control number, charge, dates,
//! diagnoses and lines, then any findings.
//!
//! `cargo run -p x12-claims --example print_typed_claims -- FILE.837…`

fn main() {
    for path in std::env::args().skip(1) {
        let Ok(src) = std::fs::read(&path) else {
            eprintln!("{path}: cannot read");
            continue;
        };
        let (claims, findings) = x12_claims::read_837(&src);
        println!("{path}: {} claim(s)", claims.len());
        for c in &claims {
            let dx: Vec<&str> = c.diagnoses.iter().map(|d| d.code.as_str()).collect();
            println!(
                "  {:?} claim {} {} from {} payer {} dx [{}] lines {}",
                c.kind,
                c.patient_control_number,
                c.total_charge,
                c.from.map_or("-".into(), |d| d.to_string()),
                c.payer.name,
                dx.join(" "),
                c.lines.len()
            );
            for l in &c.lines {
                println!(
                    "    {} {} {} {:?} units {} ptr {:?}",
                    l.number,
                    if l.revenue_code.is_empty() { "" } else { &l.revenue_code },
                    l.procedure,
                    l.modifiers,
                    l.units.0 as f64 / 1000.0,
                    l.diagnosis_pointers
                );
            }
        }
        for f in &findings {
            println!("  ! {} {}: {}", f.rule, f.pos, f.message);
        }
    }
}
