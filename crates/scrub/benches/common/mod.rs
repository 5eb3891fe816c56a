//! Generated inputs for the scrubber's benchmark and its memory example: NCCI tables of the real
//! size in CMS's layouts, and synthetic professional claims over valid FY2026 codes.

#![allow(dead_code)]

use std::fmt::Write;
use std::path::Path;
use std::sync::Arc;

use claim_model::Claim;
use code_sets::{Date, Library};

/// A small deterministic generator (xorshift).
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// CPT-shaped codes 10000–69999 and HCPCS-shaped J/G codes: the universe of the generated edits.
pub(crate) fn code(i: u64) -> String {
    match i % 10 {
        8 => format!("J{:04}", i % 10_000),
        9 => format!("G{:04}", i % 10_000),
        _ => format!("{:05}", 10_000 + i % 60_000),
    }
}

/// A practitioner PTP file of `pairs` edits in CMS's tab-delimited layout.
pub(crate) fn ptp_file(pairs: usize) -> String {
    let mut s = String::with_capacity(pairs * 64);
    s.push_str("CPT only copyright 2025 American Medical Association.  All rights reserved.\r\nColumn1/Column2 Edits\r\n");
    s.push_str(
        "Column 1\tColumn 2\t*=in existence\tEffective\tDeletion\tModifier\tPTP Edit Rationale\r\n",
    );
    s.push_str("\t\tprior to 1996\tDate\tDate\t0=not allowed\t\r\n\t\t\t\t*=no data\t1=allowed\t\r\n\t\t\t\t\t9=not applicable\t\r\n");
    let mut r = Rng::new(7);
    let rationales = [
        "Misuse of column two code with column one code",
        "Standards of medical / surgical practice",
        "Mutually exclusive procedures",
        "CPT Manual or CMS manual coding instructions",
    ];
    for _ in 0..pairs {
        let (a, b) = (r.below(12_000), r.below(12_000));
        let mi = ["0", "1", "1", "1", "9"][r.below(5) as usize];
        let del = if r.below(10) == 0 { "20191231" } else { "*" };
        let _ = write!(
            s,
            "{}\t{}\t\t20100101\t{del}\t{mi}\t{}\r\n",
            code(a),
            code(b),
            rationales[r.below(4) as usize]
        );
    }
    s
}

/// A practitioner MUE file of `rows` codes in CMS's CSV layout.
pub(crate) fn mue_file(rows: usize) -> String {
    let mut s = String::from(
        "\"CPT codes, descriptions and other data only are copyright 2025 American Medical Association.\",,,\r\n\"HCPCS/\nCPT Code\",Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale\r\n",
    );
    for i in 0..rows as u64 {
        let mai =
            ["1 Line Edit", "2 Date of Service Edit: Policy", "3 Date of Service Edit: Clinical"]
                [(i % 3) as usize];
        // Distinct codes: every tenth a J code, the rest CPT-shaped.
        let code =
            if i % 10 == 8 { format!("J{:04}", i / 10) } else { format!("{:05}", 10_000 + i) };
        let _ = write!(s, "{code},{},{mai},Clinical: Data\r\n", 1 + i % 4);
    }
    s
}

/// NCCI tables of the real size: about 2.5 million PTP pairs and 15,000 MUE rows.
pub(crate) fn full_size_ncci() -> ncci::Tables {
    let mut t = ncci::Tables::default();
    t.load_ptp(ncci::Setting::Practitioner, "ccipra-v321r0-f1.txt", ptp_file(2_500_000).as_bytes())
        .expect("PTP");
    t.load_mue(
        "MCR_MUE_PractitionerServices_Eff_01-01-2026.csv",
        mue_file(15_000).as_bytes(),
        "2026-01-01".parse().expect("date"),
    )
    .expect("MUE");
    t
}

/// A file's bytes, gunzipped when its name ends in `.gz`.
pub(crate) fn read_gz(p: &Path) -> Vec<u8> {
    let bytes = std::fs::read(p).expect("read");
    if p.extension().is_none_or(|e| e != "gz") {
        return bytes;
    }
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut out)
        .expect("gunzip");
    out
}

/// The FY2026 MCE lists from `../shared/data/mce/fy2026` when present (else none).
pub(crate) fn mce_lists() -> Option<mce::Tables> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/mce/fy2026");
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).ok()?.map(|e| e.expect("entry").path()).collect();
    files.sort();
    let mut t = mce::Tables::default();
    for f in files {
        let name = f.file_name().unwrap_or_default().to_string_lossy().to_string();
        if !name.contains(".csv") {
            continue;
        }
        t.load(&name, &read_gz(&f)).expect("MCE list");
    }
    Some(t)
}

/// The FY2026 releases from `../shared/data` when present (else the repository's samples), and
/// whether they are the full ones.
pub(crate) fn library() -> (Library, bool) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let full_cm = root.join("icd10cm/2026/icd10cm_tabular_2026-04-01.xml.gz");
    let d = |s: &str| Some(s.parse::<Date>().expect("date"));
    if full_cm.exists() {
        let cm =
            code_sets::icd10cm::parse_tabular(&read_gz(&full_cm), d("2026-04-01")).expect("CM");
        let pcs_dir = root.join("icd10pcs/2026");
        let pcs_file = std::fs::read_dir(&pcs_dir)
            .expect("PCS folder")
            .map(|e| e.expect("entry").path())
            .find(|p| p.to_string_lossy().contains("tables"))
            .expect("PCS tables");
        let pcs =
            code_sets::icd10pcs::parse_tables(&read_gz(&pcs_file), d("2025-10-01")).expect("PCS");
        let hcpcs = code_sets::hcpcs::parse_anweb(
            &read_gz(&root.join("hcpcs/2026/HCPC2026_JAN_ANWEB_01122026.txt.gz")),
            d("2026-01-01"),
        )
        .expect("HCPCS");
        return (Library::new(vec![Arc::new(cm), Arc::new(pcs), Arc::new(hcpcs)]), true);
    }
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/sample");
    let cm = code_sets::icd10cm::parse_tabular(
        &read_gz(&sample.join("icd10cm_tabular_2026-04-01.xml")),
        d("2026-04-01"),
    )
    .expect("CM");
    let hcpcs = code_sets::hcpcs::parse_anweb(
        &read_gz(&sample.join("HCPC2026_JAN_ANWEB_sample.txt")),
        d("2026-01-01"),
    )
    .expect("HCPCS");
    (Library::new(vec![Arc::new(cm), Arc::new(hcpcs)]), false)
}

/// `n` professional claims: two to four diagnoses and two to four lines each, valid codes,
/// dates in May 2026; every tenth claim carries one error (bad POS, a header code, a bad NPI…).
pub(crate) fn claims(n: usize) -> Vec<Claim> {
    let base: Claim = serde_json::from_str(include_str!("../../tests/fixtures/professional.json"))
        .expect("base claim");
    let dx = [
        "E119", "I10", "E785", "K219", "R079", "J449", "M5450", "N390", "F329", "E6609", "I4891",
        "J189",
    ];
    let procs = ["99213", "99214", "G2211", "G0439", "J1100", "93000", "36415", "97140", "20610"];
    let mut r = Rng::new(42);
    (0..n)
        .map(|i| {
            let mut c = base.clone();
            c.patient_control_number = format!("PCN{i:09}").into();
            let ndx = 2 + r.below(3) as usize;
            c.diagnoses = (0..ndx)
                .map(|k| {
                    let mut d = base.diagnoses[k.min(1)].clone();
                    d.code = dx[r.below(dx.len() as u64) as usize].into();
                    d
                })
                .collect();
            let nl = 2 + r.below(3) as usize;
            let template = base.lines[1].clone();
            c.lines = (0..nl)
                .map(|k| {
                    let mut l = template.clone();
                    l.number = k as u32 + 1;
                    l.procedure = procs[r.below(procs.len() as u64) as usize].into();
                    l.diagnosis_pointers = vec![1, 2];
                    l
                })
                .collect();
            c.total_charge = c.line_total();
            match i % 40 {
                10 => c.place_of_service = "30".into(),
                20 => c.diagnoses[0].code = "E11".into(),
                30 => c.providers[0].1.npi = Some("1234567890".into()),
                _ => {}
            }
            c
        })
        .collect()
}
