//! A deterministic mutation fuzzer that runs with the tests: every parser gets thousands of
//! damaged copies of the sample release files (bytes flipped, cut, duplicated, markup inserted)
//! and must return, never panic. `fuzz/` holds the coverage-guided version.

use std::path::Path;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, src: &[u8]) -> Vec<u8> {
    let mut v = src.to_vec();
    for _ in 0..1 + rng.below(4) {
        if v.is_empty() {
            break;
        }
        let at = rng.below(v.len());
        match rng.below(6) {
            0 => v[at] = rng.next() as u8,
            1 => v.truncate(at),
            2 => {
                let end = (at + rng.below(200)).min(v.len());
                let chunk = v[at..end].to_vec();
                let to = rng.below(v.len());
                v.splice(to..to, chunk);
            }
            3 => {
                let junk: &[u8] = [
                    &b"<"[..],
                    b"</diag>",
                    b"<diag>",
                    b"&amp;",
                    b"\xff\xfe",
                    b"\n",
                    b"<pcsRow codes=\"9\">",
                ][rng.below(7)];
                v.splice(at..at, junk.iter().copied());
            }
            4 => {
                let end = (at + rng.below(500)).min(v.len());
                v.drain(at..end);
            }
            _ => v[at] = b"0123456789ABZ<>/\" \r\n"[rng.below(20)],
        }
    }
    v
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/sample").join(name))
        .unwrap()
}

fn hammer(name: &str, iterations: usize, parse: impl Fn(&[u8])) {
    let src = sample(name);
    let mut rng = Rng(0x5eed_0000 + name.len() as u64);
    for _ in 0..iterations {
        parse(&mutate(&mut rng, &src));
    }
}

#[test]
fn tabular_parser_never_panics() {
    hammer("icd10cm_tabular_2026-04-01.xml", 300, |b| {
        drop(code_sets::icd10cm::parse_tabular(b, None))
    });
}

#[test]
fn index_parser_never_panics() {
    hammer("icd10cm_index_2026.xml", 2000, |b| drop(code_sets::index::parse_index(b)));
}

#[test]
fn pcs_parsers_never_panic() {
    hammer("icd10pcs_tables_2026.xml", 300, |b| drop(code_sets::icd10pcs::parse_tables(b, None)));
    let base =
        code_sets::icd10pcs::parse_tables(&sample("icd10pcs_tables_2026.xml"), None).unwrap();
    hammer("icd10pcs_definitions_2026.xml", 1000, |b| {
        let mut r = base.clone();
        drop(code_sets::icd10pcs::attach_definitions(&mut r, b));
    });
}

#[test]
fn hcpcs_and_csv_parsers_never_panic() {
    hammer("HCPC2026_JAN_ANWEB_sample.txt", 3000, |b| drop(code_sets::hcpcs::parse_anweb(b, None)));
    let d = code_sets::Date::from_ymd(2026, 1, 1).unwrap();
    let csv = b"code,description\n99213,Synthetic\n0001F,\"Quoted, synthetic\"\n".to_vec();
    let mut rng = Rng(7);
    for _ in 0..3000 {
        let m = mutate(&mut rng, &csv);
        drop(code_sets::cpt::parse_user_csv(&m, d));
        drop(code_sets::cpt::parse_pfs_rvu(&m, d));
    }
}

#[test]
fn binary_release_reader_never_panics() {
    let r = code_sets::icd10pcs::parse_tables(&sample("icd10pcs_tables_2026.xml"), None).unwrap();
    let bytes = r.to_bytes();
    let mut rng = Rng(99);
    // Every truncation point of the header and a spread of them through the body.
    for cut in (0..64).chain((64..bytes.len()).step_by(bytes.len() / 97 + 1)) {
        assert!(code_sets::Release::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
        drop(code_sets::Release::from_bytes_without_search(&bytes[..cut]));
    }
    for _ in 0..500 {
        let m = mutate(&mut rng, &bytes);
        if let Ok(r) = code_sets::Release::from_bytes(&m) {
            // Whatever survives the checks must answer questions without panicking.
            let lib = code_sets::Library::new(vec![std::sync::Arc::new(r)]);
            let d = code_sets::Date::from_ymd(2026, 1, 1).unwrap();
            drop(lib.show(None, "0DTJ4ZZ", d));
            drop(lib.search("resection appendix", None, false, 5, d));
        }
    }
}
