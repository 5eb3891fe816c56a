//! Reads an 837 with the syntax layer alone and prints its claims: CLM01 and CLM02, then each
//! line's procedure and charge. The syntax layer knows nothing of claims, so this example reads
//! segments; `x12-claims` (its `print_typed_claims` example) reads the same file into the claim model.
//!
//! `cargo run -p x12 --example print_claims -- FILE.837`

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: print_claims FILE.837");
        std::process::exit(2);
    };
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    // Streaming: constant memory, whatever the size of the batch.
    let mut reader = x12::SegmentReader::new(file);
    let mut claims = 0;
    while let Some(item) = reader.next() {
        let seg = match item {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        };
        match seg.id() {
            b"CLM" => {
                claims += 1;
                println!("claim {} charge {}", seg.text(1), seg.text(2));
            }
            b"SV1" | b"SV2" => {
                // SV101 (professional) or SV202 (institutional) is the composite procedure.
                let n = if seg.id() == b"SV1" { 1 } else { 2 };
                let code: Vec<String> =
                    seg.components(n).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
                let charge = seg.text(if seg.id() == b"SV1" { 2 } else { 3 });
                println!("  line {} charge {charge}", code.join(":"));
            }
            _ => {}
        }
    }
    println!("{path}: {claims} claim(s)");
}
