//! Opens binary release files (as `superbill` writes them) repeatedly and prints the time per open;
//! with `--search QUERY`, then times that search over the opened releases.
//!
//! `cargo run --release -p code-sets --example open_release -- FILE.sbr… [--search QUERY]`

use std::sync::Arc;
use std::time::Instant;

use code_sets::{Library, Release};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (files, query) = match args.iter().position(|a| a == "--search") {
        Some(i) => (&args[..i], args.get(i + 1).cloned()),
        None => (&args[..], None),
    };
    let files: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).expect("read")).collect();
    let n = 20;
    let t = Instant::now();
    let mut total = 0;
    for _ in 0..n {
        for f in &files {
            total += Release::from_bytes(f).expect("open").len();
        }
    }
    println!("open all: {:.2} ms ({total} entries)", t.elapsed().as_secs_f64() * 1e3 / n as f64);
    if let Some(q) = query {
        let lib = Library::new(
            files.iter().map(|f| Arc::new(Release::from_bytes(f).expect("open"))).collect(),
        );
        let dos = "2026-05-01".parse().expect("date");
        let reps = 200;
        let t = Instant::now();
        for _ in 0..reps {
            total += lib.search(&q, None, false, 20, dos).len();
        }
        println!("search {q:?}: {:.1} us ({total})", t.elapsed().as_secs_f64() * 1e6 / reps as f64);
    }
}
