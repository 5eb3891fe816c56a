//! Writing the segments of any input that tokenizes, with its own delimiters, and reading them
//! again gives the same segments.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(segs) = x12::Tokenizer::new(data).collect::<Result<Vec<_>, _>>() else { return };
    let mut out = Vec::new();
    for s in &segs {
        x12::Writer::new(s.delimiters).copy(&mut out, s);
    }
    let back: Vec<Vec<u8>> = x12::Tokenizer::new(&out).map(|s| s.map(|s| s.raw.to_vec()).unwrap_or_default()).collect();
    let orig: Vec<Vec<u8>> = segs.iter().map(|s| s.raw.to_vec()).collect();
    assert_eq!(back, orig);
});
