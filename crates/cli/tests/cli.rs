//! The CLI contract: commands, exit codes and JSON fields, run as a user would run them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/sample").join(name)
}

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env { dir: tempfile::tempdir().unwrap() }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_superbill"))
            .args(args)
            .env("SUPERBILL_DATA_DIR", self.data())
            .env("SUPERBILL_TODAY", "2026-05-15")
            .env_remove("COLUMNS")
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}\nstdout:{}\nstderr:{}", out(&o), err(&o));
        out(&o)
    }

    fn json(&self, args: &[&str], code: i32) -> Value {
        let o = self.run(args);
        assert_eq!(o.status.code(), Some(code), "{args:?}\nstdout:{}\nstderr:{}", out(&o), err(&o));
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", out(&o)))
    }

    fn with_sample(self) -> Env {
        let p = sample("");
        self.ok(&["data", "import", p.to_str().unwrap()]);
        self
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn codes(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_string()).collect()
}

#[test]
fn show_json_contract() {
    let env = Env::new().with_sample();
    let v = env.json(&["codes", "show", "s72.001a", "--json"], 0);
    assert_eq!(v["code"], "S72.001A");
    assert_eq!(v["system"], "icd10cm");
    assert_eq!(v["billable"], true);
    assert_eq!(v["valid"], true);
    assert_eq!(v["release_covers_date"], true);
    assert!(v["release"].as_str().unwrap().contains("FY2026"));
    assert_eq!(v["parents"], serde_json::json!(["S72.001", "S72.00", "S72.0", "S72"]));
    for field in [
        "excludes1",
        "excludes2",
        "includes",
        "inclusion_terms",
        "code_first",
        "use_additional",
        "code_also",
    ] {
        assert!(v[field].is_array(), "{field} is an array");
    }
    let ex2 = v["excludes2"].as_array().unwrap();
    assert!(
        ex2.iter().any(|n| n["from"] == "S72" && n["text"].as_str().unwrap().contains("S82.-"))
    );
    assert_eq!(v["seventh_characters"]["from"], "S72");
}

#[test]
fn show_pcs_axes() {
    let env = Env::new().with_sample();
    let v = env.json(&["codes", "show", "0dtj4zz", "--json"], 0);
    assert_eq!(v["system"], "icd10pcs");
    let axes = v["axes"].as_array().unwrap();
    assert_eq!(axes.len(), 7);
    assert_eq!(axes[3]["name"], "Body Part");
    assert_eq!(axes[3]["value"], "J");
    assert_eq!(axes[3]["meaning"], "Appendix");
    let bad = env.json(&["codes", "show", "0DTJ4ZX", "--system", "icd10pcs", "--json"], 1);
    assert_eq!(bad["valid"], false);
    assert!(bad["reason"].as_str().unwrap().contains("Qualifier"), "{bad}");
}

#[test]
fn exit_codes() {
    let env = Env::new().with_sample();
    // Header: exists, exit 0, not billable.
    let v = env.json(&["codes", "show", "S72.00", "--json"], 0);
    assert_eq!(v["billable"], false);
    assert_eq!(v["status"], "header");
    // Not a code: exit 1.
    let v = env.json(&["codes", "show", "E11.99", "--json"], 1);
    assert_eq!(v["status"], "not_a_code");
    // The S06 note: D and S do not apply with 6th character 7 or 8.
    let v = env.json(&["codes", "show", "S06.2X7D", "--json"], 1);
    assert!(v["reason"].as_str().unwrap().contains("does not apply"), "{v}");
    env.json(&["codes", "show", "S06.2X7A", "--json"], 0);
    // Ambiguous without --system: exit 2, candidates listed.
    let v = env.json(&["codes", "show", "J1100", "--json"], 2);
    assert_eq!(v["error"], "ambiguous");
    assert_eq!(v["candidates"].as_array().unwrap().len(), 2);
    env.json(&["codes", "show", "J1100", "--system", "hcpcs", "--json"], 0);
    let v = env.json(&["codes", "show", "J1100", "--system", "icd10cm", "--json"], 0);
    assert_eq!(v["code"], "J11.00");
    // Malformed: exit 2 with a message that says why.
    let o = env.run(&["codes", "show", "E1.19"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("not shaped like"), "{}", err(&o));
    let o = env.run(&["codes", "show", "0DTJ4ZO", "--system", "pcs"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("letter O"), "{}", err(&o));
    // Usage error.
    assert_eq!(env.run(&["codes", "show"]).status.code(), Some(2));
    assert_eq!(env.run(&["codes", "show", "I10", "--date", "2026-13-01"]).status.code(), Some(2));
}

#[test]
fn release_not_covering_the_date_is_flagged() {
    let env = Env::new().with_sample();
    let v = env.json(&["codes", "show", "I10", "--date", "2026-03-01", "--json"], 0);
    assert_eq!(v["release_covers_date"], false);
    let v = env.json(&["codes", "search", "hypertension", "--date", "2026-03-01", "--json"], 0);
    assert_eq!(v[0]["release_covers_date"], false);
}

#[test]
fn dated_validity_across_releases() {
    let env = Env::new().with_sample();
    // An October release of the same fiscal year: QA0.0109 is not in it, and a synthetic code
    // I10.1 is (so that April "deletes" it).
    let april = std::fs::read_to_string(sample("icd10cm_tabular_2026-04-01.xml")).unwrap();
    let start = april.find("<name>QA0.0109</name>").unwrap();
    let open = april[..start].rfind("<diag>").unwrap();
    let close = april[start..].find("</diag>").unwrap() + start + "</diag>".len();
    let mut october = format!("{}{}", &april[..open], &april[close..]);
    let i10 = october.find("<desc>Essential (primary) hypertension</desc>").unwrap();
    let at = i10 + "<desc>Essential (primary) hypertension</desc>".len();
    october.insert_str(at, "<diag><name>I10.1</name><desc>Synthetic code for tests</desc></diag>");
    let p = env.file("icd10cm_tabular_2026.xml", october.as_bytes());
    env.ok(&["data", "import", p.to_str().unwrap()]);
    let list = env.json(&["data", "list", "--json"], 0);
    let cm: Vec<&Value> =
        list.as_array().unwrap().iter().filter(|r| r["system"] == "icd10cm").collect();
    assert_eq!(cm.len(), 2);
    assert_eq!(cm[0]["effective_from"], "2025-10-01");
    assert_eq!(cm[0]["effective_to"], "2026-03-31");
    assert_eq!(cm[1]["effective_from"], "2026-04-01");

    let v = env.json(&["codes", "show", "QA0.0109", "--date", "2026-01-10", "--json"], 1);
    assert_eq!(v["status"], "not_valid_on_date");
    assert!(v["reason"].as_str().unwrap().contains("added on 2026-04-01"), "{v}");
    env.json(&["codes", "show", "QA0.0109", "--date", "2026-04-01", "--json"], 0);
    let v = env.json(&["codes", "show", "I10.1", "--date", "2026-05-01", "--json"], 1);
    assert!(v["reason"].as_str().unwrap().contains("last valid on 2026-03-31"), "{v}");
    let v = env.json(&["codes", "show", "I10.1", "--date", "2025-12-01", "--json"], 0);
    assert_eq!(v["billable"], true);
    // I10 is a header in October (it has a child there) and billable in April.
    assert_eq!(
        env.json(&["codes", "show", "I10", "--date", "2025-12-01", "--json"], 0)["billable"],
        false
    );
    assert_eq!(
        env.json(&["codes", "show", "I10", "--date", "2026-06-01", "--json"], 0)["billable"],
        true
    );
}

#[test]
fn search_contract_and_quality() {
    let env = Env::new().with_sample();
    let v = env.json(&["codes", "search", "htn", "--json"], 0);
    assert_eq!(v[0]["code"], "I10");
    for field in ["code", "system", "title", "billable", "score", "matched"] {
        assert!(v[0].get(field).is_some(), "{field}");
    }
    let v = env.json(
        &["codes", "search", "femur", "neck", "fx", "--billable", "--limit", "3", "--json"],
        0,
    );
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert!(v.as_array().unwrap().iter().all(|r| r["billable"] == true));
    assert!(codes(&v)[0].starts_with("S72.00"), "{v}");
    let v = env
        .json(&["codes", "search", "congestive heart failure", "--system", "icd10cm", "--json"], 0);
    assert!(codes(&v).iter().take(3).any(|c| c == "I50.9"), "{v}");
    let v = env.json(&["codes", "search", "laparoscopic", "appendectomy", "--json"], 0);
    assert_eq!(v[0]["code"], "0DTJ4ZZ");
    let v = env.json(&["codes", "search", "lumbago", "--json"], 0);
    assert!(codes(&v).iter().take(3).any(|c| c.starts_with("M54.5")), "{v}");
    // Index terms are searched and reported.
    let v = env.json(&["codes", "search", "heart attack", "--json"], 0);
    assert!(codes(&v).iter().take(3).any(|c| c.starts_with("I21")), "{v}");
    // Nothing found: exit 1.
    env.json(&["codes", "search", "zzzzqqq", "--json"], 1);
}

#[test]
fn browse_and_index() {
    let env = Env::new().with_sample();
    let v = env.json(&["codes", "browse", "E11.9", "--json"], 0);
    assert!(v["siblings"].as_array().unwrap().iter().any(|s| s["code"] == "E11.6"));
    assert_eq!(v["parents"][0], "E11");
    let v = env.json(&["codes", "index", "Hypertension", "heart", "--json"], 0);
    let node = &v["nodes"][0];
    assert_eq!(node["codes"][0], "I11.9");
    assert_eq!(node["path"], serde_json::json!(["Hypertension, hypertensive", "heart"]));
    let v = env.json(&["codes", "index", "Neoplasm", "lung", "--json"], 0);
    assert!(
        v["nodes"][0]["cells"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["column"] == "Malignant Primary" && c["code"] == "C34.9-")
    );
    let v = env.json(&["codes", "index", "heart attack", "--json"], 0);
    assert_eq!(v["nodes"][0]["see"], "Infarct, myocardium");
    let v = env.json(&["codes", "index", "Fall", "from, off, out of", "ladder", "--json"], 0);
    assert_eq!(v["nodes"][0]["book"], "External Cause of Injuries Index");
    assert_eq!(v["nodes"][0]["codes"][0], "W11");
    env.json(&["codes", "index", "Nonexistentterm", "--json"], 1);
    let human = env.ok(&["codes", "index", "diabetes", "type 2"]);
    assert!(human.contains("E11.9"), "{human}");
}

#[test]
fn human_output_is_readable() {
    let env = Env::new().with_sample();
    let o = env.run(&["codes", "show", "E11.9"]);
    let text = out(&o);
    assert!(text.starts_with("E11.9  Type 2 diabetes mellitus without complications"), "{text}");
    assert!(text.contains("Excludes1"));
    for line in text.lines() {
        assert!(line.chars().count() <= 100, "line too long: {line}");
    }
    // No word is cut mid-way: every wrapped word exists whole in the source notes.
    assert!(text.contains("injectable non-insulin antidiabetic drugs (Z79.85)"));
}

#[test]
fn cpt_without_data_is_known_by_format_only() {
    let env = Env::new().with_sample();
    let v = env.json(&["codes", "show", "99213", "--json"], 0);
    assert_eq!(v["system"], "cpt");
    assert_eq!(v["status"], "format_only");
    // A user CPT file (synthetic descriptions; real ones are the AMA's and never committed).
    let p = env.file(
        "my_cpt_2026.csv",
        b"code,description\n99213,Synthetic office visit description\n0001F,Synthetic measure\n",
    );
    env.ok(&["data", "import", p.to_str().unwrap()]);
    let v = env.json(&["codes", "show", "99213", "--json"], 0);
    assert_eq!(v["title"], "Synthetic office visit description");
    assert_eq!(v["status"], "billable");
    env.json(&["codes", "show", "99499", "--json"], 1);
    // A CPT file is recognized by its content too, whatever its name.
    let p = env.file(
        "codes_2027.csv",
        b"99213,Synthetic visit, newer\n99214,Synthetic visit two\n99215,Synthetic three\n",
    );
    let v = env.json(
        &["data", "import", p.to_str().unwrap(), "--effective-from", "2027-01-01", "--json"],
        0,
    );
    assert_eq!(v["installed"][0]["system"], "cpt");
}

#[test]
fn pfs_file_makes_cpt_codes_known_without_descriptions() {
    let env = Env::new().with_sample();
    let csv = "HCPCS,MOD,,CODE,PAYMENT,RVU,PE RVU,INDICATOR,PE RVU,INDICATOR,RVU,TOTAL\n\
               99213,,,A,,1.30,1.35,,0.55,,0.10,2.75\n99213,26,,A,,1.30,1.35,,0.55,,0.10,2.75\n\
               G0438,,,A,,2.60,1.35,,0.55,,0.10,2.75\n";
    let p = env.file("PPRRVU2026_Jan.csv", csv.as_bytes());
    env.ok(&["data", "import", p.to_str().unwrap()]);
    let v = env.json(&["codes", "show", "99213", "--json"], 0);
    assert_eq!(v["status"], "billable");
    assert_eq!(v["title"], "");
    env.json(&["codes", "show", "99214", "--json"], 1);
}

#[test]
fn import_is_atomic_idempotent_and_names_the_bad_line() {
    let env = Env::new().with_sample();
    let before = env.ok(&["data", "list", "--json"]);
    // Re-import: nothing changes.
    let p = sample("");
    let again = env.ok(&["data", "import", p.to_str().unwrap()]);
    assert!(again.contains("unchanged"), "{again}");
    assert!(!again.lines().any(|l| l.starts_with("installed")), "{again}");
    assert_eq!(env.ok(&["data", "list", "--json"]), before);
    // A truncated file next to a good one installs nothing, and the error names file and line.
    let good = std::fs::read(sample("HCPC2026_JAN_ANWEB_sample.txt")).unwrap();
    let good_path = env.file("HCPC2026_APR_ANWEB.txt", &good);
    let pcs = std::fs::read_to_string(sample("icd10pcs_tables_2026.xml")).unwrap();
    let cut = &pcs[..pcs.len() / 2];
    let bad_path = env.file("icd10pcs_tables_2027.xml", cut.as_bytes());
    let o = env.run(&["data", "import", good_path.to_str().unwrap(), bad_path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(e.contains("icd10pcs_tables_2027.xml:"), "{e}");
    assert!(e.contains("truncated"), "{e}");
    assert_eq!(env.ok(&["data", "list", "--json"]), before, "nothing was installed");
    // Malformed XML: the line is named.
    let broken = "<?xml version=\"1.0\"?>\n<ICD10CM.tabular>\n<version>2026</version>\n<chapter><name>1</name>\n</section>\n</ICD10CM.tabular>\n";
    let bp = env.file("icd10cm_tabular_2030.xml", broken.as_bytes());
    let o = env.run(&["data", "import", bp.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("icd10cm_tabular_2030.xml:5"), "{}", err(&o));
    // Unknown files are listed and skipped; nothing known at all is an error.
    let readme = env.file("README.txt", b"hello");
    let o = env.run(&["data", "import", readme.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("README.txt"), "{}", err(&o));
}

#[test]
fn import_reads_gzip_xz_and_zip() {
    use std::io::Write;
    let env = Env::new();
    let xml = std::fs::read(sample("icd10cm_tabular_2026-04-01.xml")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&xml).unwrap();
    let p = env.file("icd10cm_tabular_2026-04-01.xml.gz", &gz.finish().unwrap());
    let v = env.json(&["data", "import", p.to_str().unwrap(), "--json"], 0);
    assert_eq!(v["installed"][0]["effective_from"], "2026-04-01");

    let pcs = std::fs::read(sample("icd10pcs_tables_2026.xml")).unwrap();
    let mut xz = xz2::write::XzEncoder::new(Vec::new(), 1);
    xz.write_all(&pcs).unwrap();
    let p = env.file("icd10pcs_tables_2026.xml.xz", &xz.finish().unwrap());
    let v = env.json(&["data", "import", p.to_str().unwrap(), "--json"], 0);
    assert_eq!(v["installed"][0]["system"], "icd10pcs");

    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        z.start_file("HCPC2026_JAN_ANWEB.txt", opts).unwrap();
        z.write_all(&std::fs::read(sample("HCPC2026_JAN_ANWEB_sample.txt")).unwrap()).unwrap();
        z.start_file("HCPC2026_recordlayout.pdf", opts).unwrap();
        z.write_all(b"%PDF-1.4 not really").unwrap();
        z.finish().unwrap();
    }
    let bytes = buf.into_inner();
    let p = env.file("january-2026-alpha-numeric-hcpcs-file.zip", &bytes);
    let v = env.json(&["data", "import", p.to_str().unwrap(), "--json"], 0);
    assert_eq!(v["installed"][0]["system"], "hcpcs");
    assert_eq!(v["installed"][0]["effective_from"], "2026-01-01");
    assert!(v["skipped"][0]["file"].as_str().unwrap().ends_with("!HCPC2026_recordlayout.pdf"));
    // A truncated zip is an error naming the file.
    let p = env.file("cut.zip", &bytes[..bytes.len() - 40]);
    let o = env.run(&["data", "import", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("cut.zip"), "{}", err(&o));
}

#[test]
fn effective_from_flag_overrides_the_name() {
    let env = Env::new();
    let p = sample("icd10pcs_tables_2026.xml");
    let v = env.json(
        &["data", "import", p.to_str().unwrap(), "--effective-from", "2026-04-01", "--json"],
        0,
    );
    assert_eq!(v["installed"][0]["effective_from"], "2026-04-01");
    assert!(v["installed"][0]["label"].as_str().unwrap().contains("April 1, 2026 update"));
}

/// A release zip as CMS publishes them: the tables and definitions XML beside a PDF.
fn pcs_release_zip() -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        for name in ["icd10pcs_tables_2026.xml", "icd10pcs_definitions_2026.xml"] {
            z.start_file(name, opts).unwrap();
            z.write_all(&std::fs::read(sample(name)).unwrap()).unwrap();
        }
        z.start_file("PCS_2026_Guidelines.pdf", opts).unwrap();
        z.write_all(b"%PDF-1.4 synthetic").unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn data_update_downloads_from_a_server_and_reports_offline() {
    use std::io::{Read, Write};
    use std::net::TcpListener;
    let env = Env::new();
    let body = pcs_release_zip();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        // Serve exactly one request.
        let (mut s, _) = listener.accept().unwrap();
        let mut buf = [0u8; 4096];
        let _ = s.read(&mut buf).unwrap();
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(&body).unwrap();
    });
    let url =
        format!("http://127.0.0.1:{port}/files/zip/2026-icd-10-pcs-code-tables-and-index.zip");
    let out = env.ok(&["data", "update", "--from", &url]);
    assert!(out.contains("installed  ICD-10-PCS FY2026"), "{out}");
    assert!(out.contains("PCS_2026_Guidelines.pdf"), "the PDF is listed as skipped: {out}");
    server.join().unwrap();
    // The definitions came along: the root operation has its definition.
    let v = env.json(&["codes", "show", "0DTJ4ZZ", "--json"], 0);
    assert!(!v["axes"][2]["definition"].as_str().unwrap().is_empty(), "{v}");
    // Nothing listens on this port now: a clear offline message, exit 2, nothing changed.
    let before = env.ok(&["data", "list", "--json"]);
    let o = env.run(&["data", "update", "--from", &url]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("offline"), "{}", err(&o));
    assert_eq!(env.ok(&["data", "list", "--json"]), before);
}

#[test]
fn demo_runs_on_a_fresh_data_dir() {
    let env = Env::new();
    let o = env.run(&["demo"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    assert!(
        text.contains("0DTJ4ZZ  Resection of Appendix, Percutaneous Endoscopic Approach"),
        "{text}"
    );
    assert!(text.contains("does not apply"), "{text}");
    // The X12 part: a balancing error and a category as diagnosis, then the 277CA verdicts.
    assert!(text.contains("X12-837-BAL-001") && text.contains("X12-CODE-002"), "{text}");
    assert!(
        text.contains("claim GOOD1  accepted") && text.contains("claim BAD2   REJECTED"),
        "{text}"
    );
    // And it leaves a usable data directory behind.
    env.json(&["codes", "show", "E11.9", "--json"], 0);
}

#[test]
fn no_release_installed_says_what_to_do() {
    let env = Env::new();
    let o = env.run(&["codes", "show", "E11.9", "--system", "icd10cm"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("superbill data import"), "{}", err(&o));
    assert_eq!(env.run(&["data", "list"]).status.code(), Some(1));
}

const ISA_835: &str = "ISA*00*          *00*          *ZZ*PAYER          *ZZ*CLINIC         *260115*0930*^*00501*000000001*0*P*:~";

#[test]
fn x12_validate_contract() {
    let env = Env::new();
    let good = format!(
        "{ISA_835}GS*HP*PAYER*CLINIC*20260115*0930*1*X*005010X221A1~ST*835*0001~BPR*I*80*C*ACH************20260115~TRN*1*EFT1*1512345678~N1*PR*PAYER A~N3*1 PAYER WAY~N4*CITY*ST*12345~PER*BL*EDI*TE*5555551212~N1*PE*CLINIC*XX*1234567893~LX*1~CLP*PAT1*1*100*80*20*12*C9~CAS*PR*2*20~NM1*QC*1*DOE*JANE~SE*13*0001~GE*1*1~IEA*1*000000001~"
    );
    let p = env.file("good.835", good.as_bytes());
    let v = env.json(&["x12", "validate", p.to_str().unwrap(), "--json"], 0);
    assert_eq!(v["valid"], true);
    // The parse JSON carries the remittance in the claim model's JSON form (docs/claim-json.md).
    let parsed = env.json(&["x12", "parse", p.to_str().unwrap(), "--json"], 0);
    let remit = &parsed["interchanges"][0]["groups"][0]["transactions"][0]["remittances"][0];
    assert_eq!(remit["payment"], 8000, "{remit}");
    assert_eq!(remit["claims"][0]["patient_control_number"], "PAT1");
    assert_eq!(remit["claims"][0]["adjustments"][0]["group"], "PR");
    // ... and each segment's loop in the implementation guide, aligned with the set's segments.
    let t = &parsed["interchanges"][0]["groups"][0]["transactions"][0];
    assert_eq!(t["guide"], "005010X221A1");
    assert_eq!(t["loops"].as_array().map(Vec::len), Some(13));
    assert_eq!(t["loops"][3], "1000A");
    assert_eq!(t["loops"][9], "2100");
    assert_eq!(v["interchanges"], 1);
    assert_eq!(v["transactions"][0]["set"], "835");
    assert_eq!(v["transactions"][0]["version"], "005010X221A1");
    assert_eq!(v["transactions"][0]["control"], "0001");
    // Unbalanced claim and a wrong SE01: level 3 and level 1 findings with positions.
    let bad = good.replace("CLP*PAT1*1*100*80", "CLP*PAT1*1*100*70").replace("SE*13*", "SE*14*");
    let p = env.file("bad.835", bad.as_bytes());
    let v = env.json(&["x12", "validate", p.to_str().unwrap(), "--json"], 1);
    assert_eq!(v["valid"], false);
    let errors = v["transactions"][0]["errors"].as_array().unwrap();
    let rules: Vec<&str> = errors.iter().map(|e| e["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"X12-ENV-011") && rules.contains(&"X12-835-BAL-001"), "{rules:?}");
    let bal = errors.iter().find(|e| e["rule"] == "X12-835-BAL-001").unwrap();
    assert_eq!(bal["level"], 3);
    assert_eq!(bal["segment"], "CLP");
    assert_eq!(bal["segment_index"], 12);
    assert_eq!(bal["loop"], "2100");
    for field in ["loop", "element", "component", "message"] {
        assert!(bal.get(field).is_some(), "{field}");
    }
    // The report does not depend on how many threads check the sets.
    let one = env.json(&["x12", "validate", p.to_str().unwrap(), "--json", "--threads", "1"], 1);
    let three = env.json(&["x12", "validate", p.to_str().unwrap(), "--json", "--threads", "3"], 1);
    assert_eq!(one, three);
    assert_eq!(one, v);
    // --level 1 hides the balancing finding.
    let v = env.json(&["x12", "validate", p.to_str().unwrap(), "--level", "1", "--json"], 1);
    let rules: Vec<&str> = v["transactions"][0]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["X12-ENV-011"]);
    // Garbage: an envelope error outside any transaction; a missing file is exit 2.
    let p = env.file("garbage.bin", b"\x00\x01\x02 not x12");
    let v = env.json(&["x12", "validate", p.to_str().unwrap(), "--json"], 1);
    assert_eq!(v["errors"][0]["rule"], "X12-SYN-001");
    assert_eq!(env.run(&["x12", "validate", "/nonexistent/file.835"]).status.code(), Some(2));
    assert_eq!(
        env.run(&["x12", "validate", p.to_str().unwrap(), "--level", "9"]).status.code(),
        Some(2)
    );
}

#[test]
fn x12_parse_write_round_trip() {
    let env = Env::new();
    let mut files: Vec<PathBuf> = Vec::new();
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/x12-samples");
    for dir in ["837P", "837I", "835", "999", "277CA", "271"] {
        if let Ok(rd) = std::fs::read_dir(shared.join(dir)) {
            files.extend(rd.flatten().map(|e| e.path()));
        }
    }
    // A synthetic file with a byte that is not UTF-8 in a name: it must survive unchanged.
    let mut odd = ISA_835.as_bytes().to_vec();
    odd.extend_from_slice(b"GS*HP*PAYER*CLINIC*20260115*0930*1*X*005010X221A1~ST*835*0001~N1*PR*CAF\xc9 PAYER~SE*3*0001~GE*1*1~IEA*1*000000001~");
    files.push(env.file("odd.835", &odd));
    let mut checked = 0;
    for f in files {
        let o = env.run(&["x12", "parse", f.to_str().unwrap(), "--json"]);
        if o.status.code() != Some(0) {
            continue; // not X12 at all (the deliberately broken samples)
        }
        let first: Value = serde_json::from_slice(&o.stdout).unwrap();
        let json_path = env.file("parsed.json", &o.stdout);
        let w = env.run(&["x12", "write", json_path.to_str().unwrap()]);
        assert_eq!(w.status.code(), Some(0), "{}: {}", f.display(), err(&w));
        let written = env.file("written.x12", &w.stdout);
        let o2 = env.run(&["x12", "parse", written.to_str().unwrap(), "--json"]);
        let second: Value = serde_json::from_slice(&o2.stdout).unwrap();
        assert_eq!(first["interchanges"], second["interchanges"], "{}", f.display());
        checked += 1;
    }
    assert!(checked >= 1);
    let v =
        env.json(&["x12", "parse", env.dir.path().join("odd.835").to_str().unwrap(), "--json"], 0);
    assert_eq!(v["interchanges"][0]["segments"][3][2], "CAF\u{c9} PAYER");
}

#[test]
fn x12_ack_writes_a_999() {
    let env = Env::new();
    let good = format!(
        "{ISA_835}GS*HP*PAYER*CLINIC*20260115*0930*7*X*005010X221A1~ST*835*0001~BPR*I*80*C*ACH************20260115~TRN*1*EFT1*1512345678~N1*PR*PAYER A~N3*1 PAYER WAY~N4*CITY*ST*12345~PER*BL*EDI*TE*5555551212~N1*PE*CLINIC*XX*1234567893~LX*1~CLP*PAT1*1*100*80*20*12*C9~CAS*PR*2*20~NM1*QC*1*DOE*JANE~SE*13*0001~GE*1*7~IEA*1*000000001~"
    );
    let p = env.file("good.835", good.as_bytes());
    let o = env.run(&["x12", "ack", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let ack = out(&o);
    assert!(ack.contains("AK1*HP*7*005010X221A1~"), "{ack}");
    assert!(ack.contains("AK2*835*0001*005010X221A1~\nIK5*A~"), "{ack}");
    assert!(ack.contains("AK9*A*1*1*1~"), "{ack}");
    assert!(
        ack.contains("*261128*0000*") || ack.contains("*260515*0000*"),
        "the date comes from --today: {ack}"
    );
    // The 999 itself has right envelopes.
    let a = env.file("ack.999", ack.as_bytes());
    let v = env.json(&["x12", "validate", a.to_str().unwrap(), "--level", "1", "--json"], 0);
    assert_eq!(v["transactions"][0]["set"], "999");
    // A wrong segment count rejects the set with IK5-02 = 4.
    let bad = good.replace("SE*13*", "SE*9*");
    let p = env.file("bad.835", bad.as_bytes());
    let ack = out(&env.run(&["x12", "ack", p.to_str().unwrap()]));
    assert!(ack.contains("IK5*R*4~") && ack.contains("AK9*R*1*1*0~"), "{ack}");
    // A bad amount is an IK3/IK4 with the element and code 6.
    let bad = good.replace("CLP*PAT1*1*100*80", "CLP*PAT1*1*1O0*80");
    let p = env.file("bad2.835", bad.as_bytes());
    let ack = out(&env.run(&["x12", "ack", p.to_str().unwrap()]));
    assert!(ack.contains("IK3*CLP*10*2100*8~\nIK4*3**6~"), "{ack}");
    // Not X12: exit 2.
    let p = env.file("junk.txt", b"hello");
    assert_eq!(env.run(&["x12", "ack", p.to_str().unwrap()]).status.code(), Some(2));
    // --277ca on an 835: nothing to acknowledge, exit 2 with a reason.
    let p = env.file("good2.835", good.as_bytes());
    let o = env.run(&["x12", "ack", "--277ca", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("no 837 claims"), "{}", err(&o));
    // --277ca on an 837: one 2200D per claim, accepted.
    let claim = "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*PAYER          *260101*1200*^*00501*000000042*0*T*:~\
GS*HC*SUBMITTER*PAYER*20260101*1200*7*X*005010X222A1~ST*837*0001*005010X222A1~BHT*0019*00*BATCH1*20260101*1200*CH~\
NM1*41*2*BILLING SVC*****46*S1~PER*IC*DESK*TE*5555551212~NM1*40*2*PAYER A*****46*P1~\
HL*1**20*1~NM1*85*2*CLINIC*****XX*1234567893~N3*1 MAIN ST~N4*CITY*ST*12345~REF*EI*123456789~\
HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JANE****MI*M1~NM1*PR*2*PAYER A*****PI*P1~\
CLM*C1*100***11:B:1*Y*A*Y*Y~HI*ABK:J109~LX*1~SV1*HC:99213*100*UN*1***1~DTP*472*D8*20260101~\
SE*20*0001~GE*1*7~IEA*1*000000042~";
    let p = env.file("claim.837", claim.as_bytes());
    let o = env.run(&["x12", "ack", "--277ca", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let ack = out(&o);
    assert!(ack.contains("ST*277*0001*005010X214~") && ack.contains("TRN*2*C1~"), "{ack}");
    assert!(ack.contains("STC*A1:20:PR*"), "{ack}");
}
