//! The X12 tokenizer, the streaming reader and the envelope parser never panic, and the two
//! readers agree on every input.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (_doc, _findings) = x12::parse(data);
    let tokenized: Vec<_> = x12::Tokenizer::new(data).map(|s| s.map(|s| (s.raw.to_vec(), s.pos))).collect();
    let mut r = x12::SegmentReader::new(data).with_max_segment(1 << 20);
    let mut streamed = Vec::new();
    while let Some(s) = r.next() {
        streamed.push(s.map(|s| (s.raw.to_vec(), s.pos)));
    }
    assert_eq!(tokenized, streamed);
});
