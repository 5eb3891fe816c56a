//! The streaming reader: segments from any `Read`, in constant memory, for files of any size.

use std::io::Read;

use memchr::memchr;

use crate::tokenizer::{id3, is_filler};
use crate::{Delimiters, Error, Position, Segment};

/// Reads segments from a byte stream, one at a time, reusing one buffer.
///
/// Memory is bounded by the longest segment (at most `max_segment` bytes, 16 MiB by default)
/// plus the read chunk.
pub struct SegmentReader<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    offset: u64,
    index: u64,
    delimiters: Option<Delimiters>,
    max_segment: usize,
    done: bool,
    first: bool,
}

const CHUNK: usize = 64 * 1024;

impl<R: Read> SegmentReader<R> {
    /// A reader over `inner`.
    pub fn new(inner: R) -> SegmentReader<R> {
        SegmentReader {
            inner,
            buf: vec![0; CHUNK],
            start: 0,
            end: 0,
            eof: false,
            offset: 0,
            index: 0,
            delimiters: None,
            max_segment: 16 << 20,
            done: false,
            first: true,
        }
    }

    /// Sets the longest segment accepted before [`Error::SegmentTooLong`].
    pub fn with_max_segment(mut self, bytes: usize) -> SegmentReader<R> {
        self.max_segment = bytes.max(128);
        self
    }

    /// Reads more bytes; false at end of input.
    fn fill(&mut self) -> Result<bool, Error> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.offset += self.start as u64;
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            let grown = (self.buf.len() * 2).min(self.max_segment + CHUNK);
            if grown <= self.buf.len() {
                return Ok(true);
            }
            self.buf.resize(grown, 0);
        }
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::Io(e.to_string())),
            }
        }
    }

    /// The delimiters in force.
    pub fn delimiters(&self) -> Option<Delimiters> {
        self.delimiters
    }

    /// The next segment, borrowed from the reader's buffer until the next call.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Result<Segment<'_>, Error>> {
        if self.done {
            return None;
        }
        match self.advance() {
            Ok(Some((s, e, terminated, pos, d))) => {
                let mut raw = &self.buf[s..e];
                if d.strips_cr() {
                    raw = raw.strip_suffix(b"\r").unwrap_or(raw);
                }
                if !terminated {
                    while let Some((&last, head)) = raw.split_last() {
                        if is_filler(last) { raw = head } else { break }
                    }
                }
                Some(Ok(Segment { raw, pos, delimiters: d, terminated }))
            }
            Ok(None) => None,
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }

    #[allow(clippy::type_complexity)]
    fn advance(&mut self) -> Result<Option<(usize, usize, bool, Position, Delimiters)>, Error> {
        // Skip fillers (and a leading byte-order mark).
        loop {
            if self.start == self.end && !self.fill()? {
                return Ok(None);
            }
            if self.first {
                if self.end - self.start < 3 && self.fill()? {
                    continue;
                }
                self.first = false;
                if self.buf[self.start..self.end].starts_with(b"\xef\xbb\xbf") {
                    self.start += 3;
                    continue;
                }
            }
            while self.start < self.end && is_filler(self.buf[self.start]) {
                self.start += 1;
            }
            if self.start < self.end {
                break;
            }
        }
        // An ISA: make sure its fixed 106 bytes (plus slack) are in the buffer, then read it.
        while self.end - self.start < 128 && self.fill()? {}
        let rest = &self.buf[self.start..self.end];
        let mut pos = Position {
            byte: self.offset + self.start as u64,
            segment_index: self.index + 1,
            segment_id: id3(rest, self.delimiters.map_or(b'*', |d| d.element)),
            element: None,
            component: None,
        };
        if rest.starts_with(b"ISA") {
            self.delimiters = Some(Delimiters::from_isa(rest, pos)?);
        }
        let Some(d) = self.delimiters else {
            pos.segment_id = *b"ISA";
            return Err(Error::NoIsa(pos));
        };
        pos.segment_id = id3(rest, d.element);
        let mut searched = 0;
        loop {
            if let Some(i) = memchr(d.segment, &self.buf[self.start + searched..self.end]) {
                let s = self.start;
                let e = s + searched + i;
                self.start = e + 1;
                self.index += 1;
                return Ok(Some((s, e, true, pos, d)));
            }
            searched = self.end - self.start;
            if searched > self.max_segment {
                return Err(Error::SegmentTooLong { pos, limit: self.max_segment });
            }
            if !self.fill()? {
                // The last segment has no terminator.
                let s = self.start;
                let e = self.end;
                self.start = self.end;
                self.index += 1;
                return Ok(Some((s, e, false, pos, d)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tokenizer;

    /// Reads in tiny pieces, to exercise every buffer boundary.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(self.0.len()).min(out.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn agrees_with_the_tokenizer_at_every_chunk_size() {
        let edi = b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260101*1200*^*00501*000000001*0*T*:~\nGS*HC*S*R*20260101*1200*1*X*005010X222A1~ST*837*0001~SE*2*0001~GE*1*1~IEA*1*000000001";
        let want: Vec<(Vec<u8>, u64)> =
            Tokenizer::new(edi).map(|s| s.unwrap()).map(|s| (s.raw.to_vec(), s.pos.byte)).collect();
        for chunk in [1, 2, 3, 7, 64, 4096] {
            let mut r = SegmentReader::new(Trickle(edi, chunk));
            let mut got = Vec::new();
            while let Some(s) = r.next() {
                let s = s.unwrap();
                got.push((s.raw.to_vec(), s.pos.byte));
            }
            assert_eq!(got, want, "chunk {chunk}");
        }
    }

    #[test]
    fn a_huge_segment_is_an_error_not_unbounded_memory() {
        let mut edi = b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260101*1200*^*00501*000000001*0*T*:~NM1".to_vec();
        edi.extend(std::iter::repeat_n(b'*', 10_000));
        let mut r = SegmentReader::new(&edi[..]).with_max_segment(1024);
        assert!(r.next().unwrap().is_ok());
        assert!(matches!(r.next(), Some(Err(Error::SegmentTooLong { .. }))));
        assert!(r.next().is_none());
    }
}
