//! Summarizes 835 remittance files: payment, claims paid and adjusted, provider adjustments,
//! and whether everything balances.
//!
//! `cargo run -p x12-claims --example summarize_typed_835 -- FILE.835…`

fn main() {
    for path in std::env::args().skip(1) {
        let Ok(src) = std::fs::read(&path) else {
            eprintln!("{path}: cannot read");
            continue;
        };
        let (remits, findings) = x12_claims::read_835(&src);
        println!("{path}");
        for r in &remits {
            println!(
                "  {} paid {} by {} ({}) on {}, trace {}",
                r.payer.0,
                r.payment,
                r.method,
                r.payee.0,
                r.date.map_or("-".into(), |d| d.to_string()),
                r.trace
            );
            for c in &r.claims {
                println!(
                    "    claim {:<20} status {:<3} charge {:>10} paid {:>10} patient {:>9} lines {}{}",
                    c.patient_control_number,
                    c.status,
                    c.charge,
                    c.paid,
                    c.patient_responsibility,
                    c.lines.len(),
                    if c.is_reversal() { "  (reversal)" } else { "" }
                );
            }
            for p in &r.provider_adjustments {
                println!("    PLB {} {} {}", p.reason, p.reference, p.amount);
            }
        }
        for f in &findings {
            println!("  ! {} {}: {}", f.rule, f.pos, f.message);
        }
    }
}
