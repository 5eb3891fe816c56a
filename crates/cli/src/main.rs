//! `superbill`: the command-line shell over the superbill libraries.
//!
//! Exit codes: 0 success, 1 the answer is no (not found, findings), 2 usage or I/O error.

/// `println!` that ends the program quietly when the reader has gone away (`superbill … | head`)
/// instead of panicking on the broken pipe.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

mod billing;
mod codes;
mod data;
mod demo;
mod groupcmd;
mod scrubcmd;
mod serve;
mod text;
mod update;
mod x12cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use code_sets::Date;

/// superbill: medical coding and billing engine.
#[derive(Parser, Debug)]
#[command(name = "superbill", version, about, long_about = None)]
struct Cli {
    /// Where installed releases live [default: the platform's data directory]/superbill.
    #[arg(long, global = true, env = "SUPERBILL_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// What every command takes as today (YYYY-MM-DD), so results do not depend on the calendar.
    #[arg(long, global = true, env = "SUPERBILL_TODAY", value_name = "YYYY-MM-DD")]
    today: Option<String>,
    /// The back office's database: sqlite://PATH or postgres://… [default: sqlite, superbill.db
    /// in the data directory].
    #[arg(long, global = true, env = "SUPERBILL_DB", value_name = "URL")]
    db: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Install, list and update code-set releases.
    #[command(subcommand)]
    Data(data::DataCommand),
    /// Look codes up, search, browse the hierarchy and the alphabetic index.
    #[command(subcommand)]
    Codes(codes::CodesCommand),
    /// Read and validate X12 files.
    #[command(subcommand)]
    X12(x12cmd::X12Command),
    /// Scrub claims (837P/837I or claim JSON) against every edit a payer applies.
    Scrub(scrubcmd::ScrubArgs),
    /// Group inpatient claims into MS-DRGs, with the Medicare Code Editor's edits.
    Group(groupcmd::GroupArgs),
    /// Without a subcommand: install the sample release this repository ships and walk through
    /// the encoder. `demo seed`: seed the demo billing service; `demo payer`: answer a batch.
    Demo(billing::DemoArgs),
    /// Practices (the tenant boundary of a billing service).
    #[command(subcommand)]
    Practice(billing::PracticeCommand),
    /// Payers and clearinghouses.
    #[command(subcommand)]
    Payer(billing::PayerCommand),
    /// Patients and their coverages.
    #[command(subcommand)]
    Patient(billing::PatientCommand),
    /// Encounters: create with charges, code.
    #[command(subcommand)]
    Encounter(billing::EncounterCommand),
    /// Claims: build from coded encounters, scrub, submit in a batch, list, history.
    #[command(subcommand)]
    Claims(billing::ClaimsCommand),
    /// Acknowledgments (999, 277CA).
    #[command(subcommand)]
    Ack(billing::AckCommand),
    /// Remittances (835).
    #[command(subcommand)]
    Remit(billing::RemitCommand),
    /// Accounts receivable reports.
    #[command(subcommand)]
    Ar(billing::ArCommand),
    /// Work queues: denials, rejected claims, claims with no status, suspense.
    #[command(subcommand)]
    Queue(billing::QueueCommand),
    /// Patient statements (text, HTML and PDF) for every guarantor who owes.
    Statements(billing::StatementsArgs),
    /// The web app: the JSON API and the screens (`--demo`: seed the demo billing service).
    Serve(serve::ServeArgs),
    /// Users of the web app: add, grant roles per practice, set passwords.
    #[command(subcommand)]
    User(serve::UserCommand),
}

/// The context every command gets.
pub(crate) struct Ctx {
    pub(crate) data_dir: PathBuf,
    pub(crate) today: Date,
    /// True when `--today` / `SUPERBILL_TODAY` fixed the date.
    pub(crate) today_fixed: bool,
    /// `--db` / `SUPERBILL_DB`, when given.
    pub(crate) db: Option<String>,
}

/// The outcome of a command.
pub(crate) enum Outcome {
    /// Exit 0.
    Yes,
    /// Exit 1: the answer is no.
    No,
    /// Exit 2: usage (already reported).
    Usage,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(Outcome::Yes) => ExitCode::SUCCESS,
        Ok(Outcome::No) => ExitCode::from(1),
        Ok(Outcome::Usage) => ExitCode::from(2),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<Outcome> {
    let today = match &cli.today {
        Some(t) => t.parse::<Date>().with_context(|| "--today / SUPERBILL_TODAY")?,
        None => system_today(),
    };
    let data_dir = match cli.data_dir {
        Some(d) => d,
        None => dirs::data_dir()
            .context("no data directory on this platform: pass --data-dir")?
            .join("superbill"),
    };
    let ctx = Ctx { data_dir, today, today_fixed: cli.today.is_some(), db: cli.db };
    match cli.command {
        Command::Data(c) => data::run(&ctx, c),
        Command::Codes(c) => codes::run(&ctx, c),
        Command::X12(c) => x12cmd::run(&ctx, c),
        Command::Scrub(a) => scrubcmd::run(&ctx, a),
        Command::Group(a) => groupcmd::run(&ctx, a),
        Command::Demo(a) => billing::demo(&ctx, a),
        Command::Practice(c) => billing::practice(&ctx, c),
        Command::Payer(c) => billing::payer(&ctx, c),
        Command::Patient(c) => billing::patient(&ctx, c),
        Command::Encounter(c) => billing::encounter(&ctx, c),
        Command::Claims(c) => billing::claims(&ctx, c),
        Command::Ack(c) => billing::ack(&ctx, c),
        Command::Remit(c) => billing::remit(&ctx, c),
        Command::Ar(c) => billing::ar(&ctx, c),
        Command::Queue(c) => billing::queue(&ctx, c),
        Command::Statements(a) => billing::statements(&ctx, a),
        Command::Serve(a) => serve::serve(&ctx, a),
        Command::User(c) => serve::user(&ctx, c),
    }
}

/// The time of day in UTC, `HHMM`, from the system clock.
pub(crate) fn system_hhmm() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let minutes = secs / 60 % (24 * 60);
    format!("{:02}{:02}", minutes / 60, minutes % 60)
}

/// Today's date in UTC from the system clock (with `system_hhmm`, the only places the clock is read).
fn system_today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Date::from_day_number((secs / 86_400) as i64).unwrap_or_else(|| Date::fiscal_year_start(2026))
}
