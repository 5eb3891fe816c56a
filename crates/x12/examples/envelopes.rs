//! Prints the envelope and syntax findings of X12 files.
//!
//! `cargo run -p x12 --example envelopes -- FILE…`

fn main() {
    for path in std::env::args().skip(1) {
        let src = match std::fs::read(&path) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let (doc, findings) = x12::parse(&src);
        let sets: usize =
            doc.interchanges.iter().flat_map(|i| &i.groups).map(|g| g.transactions.len()).sum();
        println!(
            "{path}: {} interchange(s), {sets} transaction set(s), {} finding(s)",
            doc.interchanges.len(),
            findings.len()
        );
        for f in findings {
            println!("  {} {}: {}", f.rule, f.pos, f.message);
        }
    }
}
