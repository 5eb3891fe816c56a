//! Project automation: `cargo xtask tidy` runs the project's invariant checks.
//!
//! The same checks run as tests (`cargo test -p xtask`), so CI enforces them.

mod tidy;

fn main() -> anyhow::Result<()> {
    let task = std::env::args().nth(1).unwrap_or_default();
    match task.as_str() {
        "tidy" => {
            let problems = tidy::check(&tidy::workspace_root())?;
            if problems.is_empty() {
                println!("tidy: ok");
                Ok(())
            } else {
                for p in &problems {
                    eprintln!("tidy: {p}");
                }
                anyhow::bail!("{} problem(s)", problems.len())
            }
        }
        _ => {
            eprintln!("usage: cargo xtask tidy");
            std::process::exit(2);
        }
    }
}
