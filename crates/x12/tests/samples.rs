//! Every sample X12 file in `../shared` (when present): the tokenizer, the streaming reader and a
//! naive split-based oracle agree; writing the segments back gives the same segments; the
//! envelope checks flag what the deliberately broken files break.

use std::path::{Path, PathBuf};

use x12::{Delimiters, Position, SegmentReader, Tokenizer, Writer};

fn sample_files() -> Vec<PathBuf> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let mut out = Vec::new();
    for dir in ["x12-samples", "data/x12/sample_837"] {
        let Ok(rd) = std::fs::read_dir(shared.join(dir)) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(std::fs::read_dir(&p).into_iter().flatten().flatten().map(|e| e.path()));
            } else if p.extension().is_none_or(|x| x != "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The obviously correct way: fixed ISA offsets, then split on the terminator.
fn naive(src: &[u8]) -> Option<Vec<Vec<u8>>> {
    let src = src.strip_prefix(b"\xef\xbb\xbf").unwrap_or(src);
    let start = src.iter().position(|b| !b.is_ascii_whitespace())?;
    let src = &src[start..];
    let d = Delimiters::from_isa(src, Position::default()).ok()?;
    Some(
        src.split(|&b| b == d.segment)
            .map(|s| {
                let s: &[u8] = s;
                let a = s
                    .iter()
                    .position(|b| !matches!(b, b'\r' | b'\n' | b' ' | b'\t' | 0))
                    .unwrap_or(s.len());
                let mut t = &s[a..];
                while let Some((&l, h)) = t.split_last() {
                    if matches!(l, b'\r' | b'\n' | b' ' | b'\t' | 0) { t = h } else { break }
                }
                t.to_vec()
            })
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

fn single_interchange_delimiters(segs: &[x12::Segment<'_>]) -> bool {
    segs.windows(2).all(|w| w[0].delimiters == w[1].delimiters)
}

#[test]
fn every_sample_tokenizes_streams_and_round_trips() {
    let files = sample_files();
    if files.is_empty() {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), "skipped: ../shared/x12-samples is not present");
        return;
    }
    let mut checked = 0;
    for f in &files {
        let src = std::fs::read(f).unwrap();
        let name = f.display().to_string();
        let segs: Result<Vec<_>, _> = Tokenizer::new(&src).collect();
        let Ok(segs) = segs else {
            // Files that are not X12 at their start must be among the deliberately broken ones.
            assert!(
                name.contains("bad_first_line") || name.contains("no_isa"),
                "{name}: {:?}",
                segs.err()
            );
            continue;
        };
        // Streaming reader == tokenizer.
        let mut r = SegmentReader::new(&src[..]);
        let mut streamed = Vec::new();
        while let Some(s) = r.next() {
            let s = s.unwrap_or_else(|e| panic!("{name}: {e}"));
            streamed.push((s.raw.to_vec(), s.pos));
        }
        let tokenized: Vec<_> = segs.iter().map(|s| (s.raw.to_vec(), s.pos)).collect();
        assert_eq!(streamed, tokenized, "{name}: streaming and tree readers differ");
        // Naive oracle (one set of delimiters in the file).
        if single_interchange_delimiters(&segs)
            && segs.iter().all(|s| s.delimiters.segment != b'\n')
        {
            let want = naive(&src).unwrap();
            let got: Vec<Vec<u8>> = segs.iter().map(|s| s.raw.to_vec()).collect();
            assert_eq!(got, want, "{name}: tokenizer differs from the naive oracle");
        }
        // Round trip with the file's own delimiters.
        let mut out = Vec::new();
        for s in &segs {
            Writer::new(s.delimiters).copy(&mut out, s);
        }
        let back: Vec<Vec<u8>> = Tokenizer::new(&out).map(|s| s.unwrap().raw.to_vec()).collect();
        assert_eq!(
            back,
            segs.iter().map(|s| s.raw.to_vec()).collect::<Vec<_>>(),
            "{name}: round trip"
        );
        checked += 1;
    }
    assert!(checked >= 100, "only {checked} sample files checked");
}

#[test]
fn broken_envelopes_are_found() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/x12-samples/837P");
    if !shared.exists() {
        return;
    }
    let expect: &[(&str, &str)] = &[
        ("imsweb__x12_bad_first_line.txt", "X12-SYN"),
        ("imsweb__x12_no_isa_line.txt", "X12-SYN-001"),
        ("imsweb__x12_bad_segment_identifier.txt", "X12-SYN-003"),
    ];
    for (file, rule) in expect {
        let src = std::fs::read(shared.join(file)).unwrap();
        let (_, findings) = x12::parse(&src);
        assert!(findings.iter().any(|f| f.rule.starts_with(rule)), "{file}: {findings:#?}");
    }
    // Published samples with a wrong SE01 are flagged (pyx12 rejects them too).
    let src = std::fs::read(shared.join("imsweb__x12_valid.txt")).unwrap();
    let (_, findings) = x12::parse(&src);
    assert_eq!(findings.iter().map(|f| f.rule).collect::<Vec<_>>(), vec!["X12-ENV-011"]);
    // Samples with right envelopes have no findings, several interchanges included.
    for file in [
        "lfh__demo.837",
        "staedi__sample837-HL-nested.edi",
        "oopfactory__Example1_2_And_3_Combined.txt",
        "x12types__005010_837.edi",
    ] {
        let src = std::fs::read(shared.join(file)).unwrap();
        let (doc, findings) = x12::parse(&src);
        assert!(findings.is_empty(), "{file}: {findings:#?}");
        assert!(!doc.interchanges.is_empty());
    }
    let src =
        std::fs::read(shared.join("../835/oopfactory__835_WithMultipleInterchanges.txt")).unwrap();
    let (doc, findings) = x12::parse(&src);
    assert!(findings.is_empty(), "{findings:#?}");
    assert!(doc.interchanges.len() > 1);
}

/// Inputs the fuzzers found; each must tokenize, stream and round-trip like any other.
#[test]
fn fuzz_regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/crashes");
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let data = std::fs::read(e.path()).unwrap();
        let name = e.path().display().to_string();
        drop(x12::parse(&data));
        let Ok(segs) = Tokenizer::new(&data).collect::<Result<Vec<_>, _>>() else { continue };
        let mut out = Vec::new();
        for s in &segs {
            Writer::new(s.delimiters).copy(&mut out, s);
        }
        let back: Vec<Vec<u8>> =
            Tokenizer::new(&out).map(|s| s.map(|s| s.raw.to_vec()).unwrap_or_default()).collect();
        assert_eq!(back, segs.iter().map(|s| s.raw.to_vec()).collect::<Vec<_>>(), "{name}");
    }
}
