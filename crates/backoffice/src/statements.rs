//! Patient statements: per guarantor, what insurance paid and what is owed, with the aging of
//! the balance, as plain text, printable HTML and PDF. Balances still pending with insurance are
//! never billed to the patient (`store::Store::statement_data` leaves them off).

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use claim_model::Cents;
use code_sets::Date;
use store::reports::StatementData;
use store::{Actor, Store};

/// What `write_all` produced.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct StatementsSummary {
    /// Statements written.
    pub statements: usize,
    /// Their total due.
    pub total_due_cents: i64,
    /// Claims left off because insurance has not finished with them.
    pub pending_with_insurance: usize,
    /// Files written.
    pub files: Vec<String>,
    /// The statements recorded.
    pub sent: Vec<SentStatement>,
    /// Guarantors left off because they were sent one that day already ([`send_due`]).
    pub already_sent: usize,
}

/// A statement recorded.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SentStatement {
    /// Its ID.
    pub id: i64,
    /// The guarantor it went to (a patient ID).
    pub guarantor_id: i64,
    /// The guarantor's account number.
    pub account: String,
    /// Total due on it.
    pub total_due_cents: i64,
}

fn money(c: i64) -> String {
    format!("${}", Cents(c))
}

/// The statement as plain text (also the PDF's lines).
pub fn text(s: &StatementData, date: Date) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}", s.practice.1);
    for l in &s.practice.2 {
        let _ = writeln!(o, "{l}");
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "PATIENT STATEMENT                       Statement date: {date}");
    let _ = writeln!(o, "Account: {}", s.account);
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", s.guarantor.1);
    for l in &s.guarantor.2 {
        let _ = writeln!(o, "{l}");
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{:<10} {:<18} {:<20} {:>10} {:>10} {:>10} {:>10}",
        "Date", "Patient", "Services", "Charges", "Ins. paid", "Adjusted", "You owe"
    );
    for c in &s.claims {
        let codes = c.codes.join(" ");
        let _ = writeln!(
            o,
            "{:<10} {:<18} {:<20} {:>10} {:>10} {:>10} {:>10}",
            c.service_date,
            truncate(&c.patient, 18),
            truncate(&codes, 20),
            money(c.charges),
            money(c.insurance_paid),
            money(c.adjustments),
            money(c.balance)
        );
        if c.patient_paid != 0 {
            let _ = writeln!(o, "{:<51} you paid {}", "", money(c.patient_paid));
        }
    }
    let _ = writeln!(o);
    let aging: Vec<String> =
        s.aging.iter().map(|b| format!("{} days {}", b.label, money(b.cents))).collect();
    let _ = writeln!(o, "Aging: {}", aging.join(" | "));
    let _ = writeln!(o, "AMOUNT DUE: {}", money(s.total_due));
    if s.pending_with_insurance > 0 {
        let _ = writeln!(
            o,
            "{} other visit(s) are still with your insurance and are not billed here.",
            s.pending_with_insurance
        );
    }
    let _ = writeln!(
        o,
        "Questions about this bill? Call the billing office at the number on your card."
    );
    o
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The statement as a printable HTML page (no script, no external resource).
pub fn html(s: &StatementData, date: Date) -> String {
    let mut rows = String::new();
    for c in &s.claims {
        let _ = write!(
            rows,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n><b>{}</b></td></tr>",
            esc(&c.service_date),
            esc(&c.patient),
            esc(&c.codes.join(", ")),
            money(c.charges),
            money(c.insurance_paid),
            money(c.adjustments),
            money(c.patient_paid),
            money(c.balance)
        );
    }
    let aging: String = s
        .aging
        .iter()
        .map(|b| format!("<td>{} days<br><b>{}</b></td>", esc(&b.label), money(b.cents)))
        .collect();
    let pending = if s.pending_with_insurance > 0 {
        format!(
            "<p>{} other visit(s) are still with your insurance and are not billed here.</p>",
            s.pending_with_insurance
        )
    } else {
        String::new()
    };
    format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Statement {account}</title>\
<style>body{{font:14px/1.4 sans-serif;margin:2em;color:#111}}table{{border-collapse:collapse;width:100%}}\
td,th{{border-bottom:1px solid #ccc;padding:4px 6px;text-align:left}}.n{{text-align:right}}\
.due{{font-size:20px;border:2px solid #111;padding:8px;display:inline-block}}@media print{{body{{margin:0}}}}</style></head>\
<body><header><h1>{practice}</h1><p>{paddr}</p></header>\
<h2>Patient statement</h2><p>Statement date: {date}<br>Account: {account}</p>\
<address>{gname}<br>{gaddr}</address>\
<table><thead><tr><th>Date</th><th>Patient</th><th>Services</th><th class=n>Charges</th><th class=n>Insurance paid</th>\
<th class=n>Adjusted</th><th class=n>You paid</th><th class=n>You owe</th></tr></thead><tbody>{rows}</tbody></table>\
<h3>Aging</h3><table><tr>{aging}</tr></table>{pending}<p class=due>Amount due: {due}</p></body></html>\n",
        account = esc(&s.account),
        practice = esc(&s.practice.1),
        paddr = s.practice.2.iter().map(|l| esc(l)).collect::<Vec<_>>().join("<br>"),
        gname = esc(&s.guarantor.1),
        gaddr = s.guarantor.2.iter().map(|l| esc(l)).collect::<Vec<_>>().join("<br>"),
        due = money(s.total_due),
    )
}

/// The statement as a PDF (Letter pages, Courier, the text form's lines).
pub fn pdf(s: &StatementData, date: Date) -> Vec<u8> {
    text_pdf(&text(s, date))
}

/// Plain text as a PDF: Letter pages of 60 lines in Courier (characters outside ASCII as `?`).
pub fn text_pdf(text: &str) -> Vec<u8> {
    use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.chars().map(|c| if c.is_ascii() { c } else { '?' }).collect())
        .collect();
    const PER_PAGE: usize = 60;
    let pages: Vec<&[String]> = lines.chunks(PER_PAGE).collect();
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let font = Ref::new(3);
    let page_ids: Vec<Ref> = (0..pages.len()).map(|i| Ref::new(4 + 2 * i as i32)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_ids.iter().copied()).count(pages.len() as i32);
    pdf.type1_font(font).base_font(Name(b"Courier")).encoding_predefined(Name(b"WinAnsiEncoding"));
    for (i, chunk) in pages.iter().enumerate() {
        let content_id = Ref::new(5 + 2 * i as i32);
        let mut page = pdf.page(page_ids[i]);
        page.media_box(Rect::new(0.0, 0.0, 612.0, 792.0)).parent(tree).contents(content_id);
        page.resources().fonts().pair(Name(b"F1"), font);
        page.finish();
        let mut c = Content::new();
        c.begin_text();
        c.set_font(Name(b"F1"), 8.5);
        c.set_leading(11.0);
        c.next_line(36.0, 750.0);
        for l in chunk.iter() {
            c.show(Str(l.as_bytes()));
            c.next_line_using_leading();
        }
        c.end_text();
        pdf.stream(content_id, &c.finish());
    }
    pdf.finish()
}

/// Writes every statement due as of `date` into `dir` (`statement-ACCOUNT.txt`, `.html` and
/// `.pdf`) and records each as sent (its claims become patient billed).
pub async fn write_all(
    store: &Store,
    actor: &Actor,
    date: Date,
    practice: Option<i64>,
    dir: &Path,
) -> Result<StatementsSummary> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let data = store.statement_data(date, practice).await?;
    let mut out = StatementsSummary::default();
    for s in &data {
        let base = dir.join(format!("statement-{}", s.account));
        let t = text(s, date);
        for (ext, bytes) in [
            ("txt", t.clone().into_bytes()),
            ("html", html(s, date).into_bytes()),
            ("pdf", pdf(s, date)),
        ] {
            let p = base.with_extension(ext);
            std::fs::write(&p, bytes).with_context(|| format!("writing {}", p.display()))?;
            out.files.push(p.display().to_string());
        }
        let id = store.record_statement(actor, s, date, &t).await?;
        out.add(id, s);
    }
    Ok(out)
}

/// Records every statement due as of `date` (of one practice, or all) with its text, writing
/// no file: the web app's statement run (each is read back, and printed, from the patient
/// screen). Its claims become patient billed. A guarantor sent a statement that day already
/// is left off (a second click sends nothing twice).
pub async fn send_due(
    store: &Store,
    actor: &Actor,
    date: Date,
    practice: Option<i64>,
) -> Result<StatementsSummary> {
    let mut out = StatementsSummary::default();
    let sent = store.statements_sent_on(date, practice).await?;
    for s in &store.statement_data(date, practice).await? {
        if sent.contains(&(s.practice.0, s.guarantor.0)) {
            out.already_sent += 1;
            continue;
        }
        let id = store.record_statement(actor, s, date, &text(s, date)).await?;
        out.add(id, s);
    }
    Ok(out)
}

impl StatementsSummary {
    fn add(&mut self, id: i64, s: &StatementData) {
        self.sent.push(SentStatement {
            id,
            guarantor_id: s.guarantor.0,
            account: s.account.clone(),
            total_due_cents: s.total_due,
        });
        self.statements += 1;
        self.total_due_cents += s.total_due;
        self.pending_with_insurance += s.pending_with_insurance;
    }
}
