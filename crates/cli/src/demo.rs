//! `superbill demo`: install the sample release shipped in the repository and walk through the
//! encoder. Works on a fresh clone, offline, on any calendar date (dates are given explicitly).

use std::path::PathBuf;

use anyhow::{Context, Result};
use code_sets::{Date, System};
use releases::DataDir;

use crate::{Ctx, Outcome};

/// The sample release, compiled in so the demo works from any folder.
const SAMPLE: &[(&str, &[u8])] = &[
    (
        "icd10cm_tabular_2026-04-01.xml",
        include_bytes!("../../../fixtures/sample/icd10cm_tabular_2026-04-01.xml"),
    ),
    ("icd10cm_index_2026.xml", include_bytes!("../../../fixtures/sample/icd10cm_index_2026.xml")),
    (
        "icd10cm_neoplasm_2026.xml",
        include_bytes!("../../../fixtures/sample/icd10cm_neoplasm_2026.xml"),
    ),
    ("icd10cm_drug_2026.xml", include_bytes!("../../../fixtures/sample/icd10cm_drug_2026.xml")),
    ("icd10cm_eindex_2026.xml", include_bytes!("../../../fixtures/sample/icd10cm_eindex_2026.xml")),
    (
        "icd10pcs_tables_2026.xml",
        include_bytes!("../../../fixtures/sample/icd10pcs_tables_2026.xml"),
    ),
    (
        "icd10pcs_definitions_2026.xml",
        include_bytes!("../../../fixtures/sample/icd10pcs_definitions_2026.xml"),
    ),
    (
        "HCPC2026_JAN_ANWEB_sample.txt",
        include_bytes!("../../../fixtures/sample/HCPC2026_JAN_ANWEB_sample.txt"),
    ),
];

/// Writes the sample files into `dir` and returns their paths.
pub(crate) fn write_sample(dir: &std::path::Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut out = Vec::new();
    for (name, bytes) in SAMPLE {
        let p = dir.join(name);
        std::fs::write(&p, bytes).with_context(|| format!("writing {}", p.display()))?;
        out.push(p);
    }
    Ok(out)
}

fn step(title: &str, command: &str) {
    out!();
    out!("── {title}");
    out!("   $ {command}");
    out!();
}

pub(crate) fn run(ctx: &Ctx) -> Result<Outcome> {
    let scratch = std::env::temp_dir().join(format!("superbill-demo-{}", std::process::id()));
    let files = write_sample(&scratch.join("sample"))?;
    let dir = DataDir::new(&ctx.data_dir);
    step(
        "Install the sample release (a few hundred real FY2026 codes)",
        "superbill data import fixtures/sample",
    );
    let report = dir.import(&files, None)?;
    crate::data::print_report(&report, false);
    let _ = std::fs::remove_dir_all(&scratch);

    let lib = dir.open(None)?;
    let dos: Date = "2026-05-15".parse()?;
    let before: Date = "2026-03-15".parse()?;

    step(
        "Show a billable code with its inherited notes",
        "superbill codes show e11.9 --date 2026-05-15",
    );
    crate::codes::show(&lib, None, "e11.9", dos, false)?;

    step(
        "A 7th character expands the tree; S06 codes ending 7 take no D or S",
        "superbill codes show S06.2X7D --date 2026-05-15",
    );
    crate::codes::show(&lib, Some(System::Icd10Cm), "S06.2X7D", dos, false)?;

    step("A header is not billable", "superbill codes show S72.00 --date 2026-05-15");
    crate::codes::show(&lib, None, "S72.00", dos, false)?;

    step(
        "The April 1 release is not in force in March: answered from it, flagged",
        "superbill codes show I10 --date 2026-03-15",
    );
    crate::codes::show(&lib, None, "I10", before, false)?;

    step(
        "Decode an ICD-10-PCS code into its seven axes",
        "superbill codes show 0DTJ4ZZ --date 2026-05-15",
    );
    crate::codes::show(&lib, None, "0DTJ4ZZ", dos, false)?;

    step(
        "An impossible PCS combination, with the reason",
        "superbill codes show 0DTJ4ZX --date 2026-05-15",
    );
    crate::codes::show(&lib, None, "0DTJ4ZX", dos, false)?;

    step(
        "J1100 is both a HCPCS code and ICD-10-CM J11.00",
        "superbill codes show J1100 --date 2026-05-15",
    );
    crate::codes::show(&lib, None, "J1100", dos, false)?;

    step(
        "Search the way a clinician writes",
        "superbill codes search 'htn w chf' --date 2026-05-15",
    );
    crate::codes::print_search(&lib.search("htn w chf", None, false, 5, dos), false);

    step(
        "Typos and abbreviations",
        "superbill codes search 'diabetis t2 w hyperglycemia' --date 2026-05-15",
    );
    crate::codes::print_search(
        &lib.search("diabetis t2 w hyperglycemia", None, false, 5, dos),
        false,
    );

    step("Procedures too", "superbill codes search 'laparoscopic appendectomy' --date 2026-05-15");
    crate::codes::print_search(
        &lib.search("laparoscopic appendectomy", None, false, 5, dos),
        false,
    );

    step("The alphabetic index", "superbill codes index hypertension heart");
    if let Some(a) = lib.index_lookup(&["hypertension".into(), "heart".into()], dos) {
        for n in &a.nodes {
            out!("{}  code {}", n.path.join(" > "), n.codes.join(", "));
            for (t, _, c) in &n.subterms {
                out!("    - {t}  {}", c.join(", "));
            }
        }
    }

    x12_steps(&lib);

    out!();
    out!("The sample release is installed in {}.", ctx.data_dir.display());
    out!("Import the full official releases with `superbill data import PATH…` (see README).");
    Ok(Outcome::Yes)
}

/// A synthetic 837P batch: one clean claim, one whose total does not match its lines and whose
/// diagnosis is a category. Fictional names and numbers only.
const DEMO_837: &str = "ISA*00*          *00*          *ZZ*DEMOCLINIC     *ZZ*DEMOPAYER      *260516*0900*^*00501*000000001*0*T*:~\n\
GS*HC*DEMOCLINIC*DEMOPAYER*20260516*0900*1*X*005010X222A1~\n\
ST*837*0001*005010X222A1~\nBHT*0019*00*DEMO1*20260516*0900*CH~\n\
NM1*41*2*DEMO BILLING*****46*S1~\nPER*IC*DESK*TE*5555551212~\nNM1*40*2*DEMO PAYER*****46*P1~\n\
HL*1**20*1~\nPRV*BI*PXC*207Q00000X~\nNM1*85*2*DEMO CLINIC*****XX*1234567893~\nN3*1 MAIN ST~\nN4*ANYTOWN*PA*17111~\nREF*EI*123456789~\n\
HL*2*1*22*0~\nSBR*P*18*******CI~\nNM1*IL*1*DOE*JANE****MI*M123~\nDMG*D8*19800101*F~\nNM1*PR*2*DEMO PAYER*****PI*P1~\n\
CLM*GOOD1*150***11:B:1*Y*A*Y*Y~\nHI*ABK:E119*ABF:I10~\n\
LX*1~\nSV1*HC:G0439*150*UN*1***1:2~\nDTP*472*D8*20260515~\n\
CLM*BAD2*300***11:B:1*Y*A*Y*Y~\nHI*ABK:E11~\n\
LX*1~\nSV1*HC:G0439*150*UN*1***1~\nDTP*472*D8*20260515~\n\
SE*27*0001~\nGE*1*1~\nIEA*1*000000001~\n";

fn x12_steps(lib: &code_sets::Library) {
    step(
        "Validate an 837 by SNIP level, codes checked on the date of service",
        "superbill x12 validate claims.837 --level 5",
    );
    let report = x12_claims::validate_with(DEMO_837.as_bytes(), 5, Some(lib));
    for t in &report.transactions {
        for i in t.issues.iter().chain(&t.warnings) {
            let loop_id = i.loop_id.map(|l| format!(" loop {l}")).unwrap_or_default();
            out!(
                "level {} {} at segment {} ({}){loop_id}: {}",
                i.level,
                i.finding.rule,
                i.finding.pos.segment_index,
                i.finding.pos.segment_id(),
                i.finding.message
            );
        }
    }
    out!("{}", if report.valid() { "valid" } else { "NOT valid" });

    step(
        "The payer's claim acknowledgment: each claim accepted or rejected",
        "superbill x12 ack claims.837 --277ca",
    );
    let time = x12_claims::AckTime {
        isa: ("260516".into(), "0905".into()),
        gs: ("20260516".into(), "0905".into()),
    };
    if let Some(ack) = x12_claims::ack_277ca(DEMO_837.as_bytes(), &time, Some(lib)) {
        for a in x12_claims::read_277ca(&ack).0 {
            out!(
                "claim {:<6} {} ({}:{}) {}",
                a.patient_control_number,
                if a.accepted { "accepted" } else { "REJECTED" },
                a.category,
                a.status,
                a.message
            );
        }
    }
}
