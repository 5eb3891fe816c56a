//! Summarizes an 835 with the syntax layer alone: the payment (BPR02), its trace (TRN02), and
//! the claims paid (CLP) with their charge, payment and status. `x12-claims` (its
//! `summarize_typed_835` example) reads the same file into the claim model and checks the balancing.
//!
//! `cargo run -p x12 --example summarize_835 -- FILE.835`

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: summarize_835 FILE.835");
        std::process::exit(2);
    };
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let mut reader = x12::SegmentReader::new(file);
    let (mut claims, mut paid_cents) = (0u64, 0i64);
    while let Some(item) = reader.next() {
        let seg = match item {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        };
        match seg.id() {
            b"BPR" => println!("payment {} by {} on {}", seg.text(2), seg.text(4), seg.text(16)),
            b"TRN" => println!("trace {}", seg.text(2)),
            b"CLP" => {
                claims += 1;
                paid_cents += cents(&seg.text(4));
                println!(
                    "  claim {} status {} charge {} paid {}",
                    seg.text(1),
                    seg.text(2),
                    seg.text(3),
                    seg.text(4)
                );
            }
            _ => {}
        }
    }
    println!(
        "{path}: {claims} claim(s), {}.{:02} paid",
        paid_cents / 100,
        (paid_cents % 100).abs()
    );
}

/// An X12 decimal amount in cents (0 when it is not one).
fn cents(s: &str) -> i64 {
    let (neg, t) = match s.trim().strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.trim()),
    };
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let frac = format!("{frac:0<2}");
    let v = whole.parse::<i64>().unwrap_or(0) * 100
        + frac.get(..2).and_then(|f| f.parse().ok()).unwrap_or(0);
    if neg { -v } else { v }
}
