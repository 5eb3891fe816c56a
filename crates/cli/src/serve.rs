//! `superbill serve` (the web app) and `superbill user …` (who may sign in to it).

use std::io::BufRead;
use std::net::SocketAddr;

use anyhow::{Context, Result};
use store::Store;

use crate::billing::{actor, open, runtime};

use crate::{Ctx, Outcome};

/// The demo users' password (`serve --demo`).
pub(crate) const DEMO_PASSWORD: &str = "superbill-demo";

/// `superbill serve`
#[derive(clap::Args, Debug)]
pub(crate) struct ServeArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Seed the demo billing service into an empty database (with the sample code sets when
    /// none are installed) and give the demo users the password `superbill-demo`.
    #[arg(long)]
    demo: bool,
    /// Sessions end after this many minutes without a request.
    #[arg(long, default_value_t = 30)]
    idle_minutes: u64,
    /// Serve over TLS (rustls) with this certificate chain (PEM); needs --tls-key. Cookies
    /// are then marked Secure and browsers told to use HTTPS only (HSTS).
    #[arg(long, requires = "tls_key", value_name = "PEM")]
    tls_cert: Option<std::path::PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, requires = "tls_cert", value_name = "PEM")]
    tls_key: Option<std::path::PathBuf>,
}

pub(crate) fn serve(ctx: &Ctx, a: ServeArgs) -> Result<Outcome> {
    // Requests are logged to standard error as method, route template, status and time (the
    // server never logs a value of a record).
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing_subscriber::filter::LevelFilter::INFO)
        .with_target(false)
        .try_init();
    runtime()?.block_on(async {
        let s = open(ctx).await?;
        if a.demo {
            demo(ctx, &s).await?;
        }
        let engines = backoffice::engines::Engines::open(&ctx.data_dir, ctx.today)?;
        if engines.library.releases().is_empty() {
            eprintln!("no code sets installed in {}: code search answers nothing (run `superbill data import`)", ctx.data_dir.display());
        }
        if engines.msdrg.is_empty() {
            eprintln!("no MS-DRG definitions installed in {}: the coding screen shows no DRG", ctx.data_dir.display());
        }
        let tls = match (a.tls_cert, a.tls_key) {
            (Some(cert), Some(key)) => Some(server::TlsFiles { cert, key }),
            _ => None,
        };
        let policy = server::Policy {
            idle: std::time::Duration::from_secs(a.idle_minutes.max(1) * 60),
            secure_cookies: tls.is_some(),
            ..Default::default()
        };
        let mut state = server::AppState::new(s, Some(engines), policy);
        state.files_dir = ctx.data_dir.join("files");
        if ctx.today_fixed {
            state.today = Some(ctx.today);
        }
        let scheme = if tls.is_some() { "https" } else { "http" };
        server::serve(state, a.listen, tls, |addr| {
            println!("listening on {scheme}://{addr}");
        })
        .await?;
        Ok(Outcome::Yes)
    })
}

/// Seeds the demo into an empty database (installing the sample code sets when none are) and
/// sets the demo users' password where none is set.
async fn demo(ctx: &Ctx, s: &Store) -> Result<()> {
    let dir = releases::DataDir::new(&ctx.data_dir);
    if dir.open_for_lookup(None).map(|l| l.releases().is_empty()).unwrap_or(true) {
        let scratch = std::env::temp_dir().join(format!("superbill-serve-{}", std::process::id()));
        let files = crate::demo::write_sample(&scratch)?;
        dir.import(&files, None).context("installing the sample release")?;
        let _ = std::fs::remove_dir_all(&scratch);
        eprintln!("installed the sample code sets in {}", ctx.data_dir.display());
    }
    if s.practices(None).await?.is_empty() {
        let seeded = backoffice::demo::seed(s, &actor(), ctx.today, Default::default()).await?;
        eprintln!(
            "demo billing service seeded: {} practices, {} patients, {} visits, {} stays",
            seeded.practices.len(),
            seeded.patients,
            seeded.visits,
            seeded.stays
        );
        // A month of billing already done, so that every queue has work in it.
        let lib = dir.open_for_lookup(None).context("opening the installed code sets")?;
        let cx = scrub::Context::new(&lib, ctx.today);
        let played = backoffice::demo::play(
            s,
            &actor(),
            &cx,
            seeded.practices[0],
            ctx.today,
            &ctx.data_dir.join("demo-files"),
        )
        .await?;
        eprintln!(
            "demo billing played: {} claims built, {} submitted and answered by the test payer ({} posted), {} secondary claims",
            played.claims, played.submitted, played.posted, played.secondary
        );
    }
    let hash = server::auth::hash_password(DEMO_PASSWORD)?;
    let mut users = Vec::new();
    for login in ["admin", "coder", "biller-a", "biller-b", "auditor"] {
        if let Some(u) = s.user_for_login(login).await?
            && u.password_hash.is_empty()
        {
            s.set_password_hash(&actor(), u.id, &hash).await?;
        }
        users.push(login);
    }
    println!(
        "demo users {} (biller-a: practice A only, biller-b: practice B only), password {DEMO_PASSWORD}",
        users.join(", ")
    );
    Ok(())
}

/// `superbill user …`
#[derive(clap::Subcommand, Debug)]
pub(crate) enum UserCommand {
    /// Add a user (in the billing service's organization).
    Add {
        /// Login.
        login: String,
        /// Display name.
        #[arg(long)]
        name: String,
    },
    /// Grant a role in a practice: admin, coder, biller or auditor.
    Grant {
        /// Login.
        login: String,
        /// Practice (ID, name or prefix).
        #[arg(long)]
        practice: String,
        /// The role.
        #[arg(long)]
        role: String,
    },
    /// Set a user's password, read from the first line of standard input (at least 12
    /// characters), never from the command line.
    Password {
        /// Login.
        login: String,
    },
    /// Turn the second factor on (prints the secret and the otpauth:// address to give an
    /// authenticator app) or off with --off.
    Totp {
        /// Login.
        login: String,
        /// Turn it off.
        #[arg(long)]
        off: bool,
    },
}

pub(crate) fn user(ctx: &Ctx, c: UserCommand) -> Result<Outcome> {
    runtime()?.block_on(async {
        let s = open(ctx).await?;
        match c {
            UserCommand::Add { login, name } => {
                let org = s.default_organization().await?;
                let id = s.create_user(org, login.trim(), name.trim()).await?;
                println!("user {login} added ({id})");
            }
            UserCommand::Grant { login, practice, role } => {
                let u = s
                    .user_for_login(&login)
                    .await?
                    .with_context(|| format!("no user {login:?}"))?;
                let p = s.practice(&practice).await?;
                s.grant_role(&actor(), u.id, p.id, &role).await?;
                println!("{login} is {role} of {}", p.name);
            }
            UserCommand::Password { login } => {
                let u = s
                    .user_for_login(&login)
                    .await?
                    .with_context(|| format!("no user {login:?}"))?;
                let mut line = String::new();
                std::io::stdin()
                    .lock()
                    .read_line(&mut line)
                    .context("reading the password from standard input")?;
                let pw = line.trim_end_matches(['\r', '\n']);
                server::auth::check_password(pw).map_err(|e| anyhow::anyhow!(e))?;
                s.set_password_hash(&actor(), u.id, &server::auth::hash_password(pw)?).await?;
                println!("password of {login} set");
            }
            UserCommand::Totp { login, off } => {
                let u = s
                    .user_for_login(&login)
                    .await?
                    .with_context(|| format!("no user {login:?}"))?;
                if off {
                    s.set_totp_secret(&actor(), u.id, "").await?;
                    println!("second factor of {login} off");
                } else {
                    let secret = server::auth::new_totp_secret();
                    s.set_totp_secret(&actor(), u.id, &secret).await?;
                    println!("second factor of {login} on; secret {secret}");
                    println!("otpauth://totp/superbill:{login}?secret={secret}&issuer=superbill");
                }
            }
        }
        Ok(Outcome::Yes)
    })
}
