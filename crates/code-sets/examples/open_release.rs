//! Opens binary release files (as `superbill` writes them) repeatedly and prints the time per open.
//!
//! `cargo run --release -p code-sets --example open_release -- FILE.sbr [FILE.sbr…]`

use std::time::Instant;

fn main() {
    let files: Vec<Vec<u8>> =
        std::env::args().skip(1).map(|p| std::fs::read(p).expect("read")).collect();
    let n = 20;
    let t = Instant::now();
    let mut total = 0;
    for _ in 0..n {
        for f in &files {
            total += code_sets::Release::from_bytes(f).expect("open").len();
        }
    }
    println!("open all: {:.2} ms ({total} entries)", t.elapsed().as_secs_f64() * 1e3 / n as f64);
}
