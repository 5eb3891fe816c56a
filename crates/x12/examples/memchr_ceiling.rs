//! The ceiling for any X12 reader: one memchr pass over a file's bytes counting segment
//! terminators, with nothing else done. `benches/peers/x12_speed.py` times it beside superbill
//! and pyx12.
//!
//! `cargo run --release -p x12 --example memchr_ceiling -- FILE`

use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: memchr_ceiling FILE");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let terminator = bytes.get(105).copied().unwrap_or(b'~');
    let t = Instant::now();
    let n = memchr::memchr_iter(terminator, &bytes).count();
    let secs = t.elapsed().as_secs_f64();
    println!("{n} segments in {secs:.6} s");
}
