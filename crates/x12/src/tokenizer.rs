//! The zero-copy tokenizer: segments are sub-slices of the input, elements sub-slices of those.

use memchr::memchr;

use crate::{Delimiters, Error, Position};

/// One segment, borrowed from the input (without its terminator).
#[derive(Clone, Copy, Debug)]
pub struct Segment<'a> {
    /// The segment's bytes, from its ID to the byte before the terminator.
    pub raw: &'a [u8],
    /// Where it is.
    pub pos: Position,
    /// The delimiters of its interchange.
    pub delimiters: Delimiters,
    /// False for a last segment that ends at the end of the input without a terminator.
    pub terminated: bool,
}

impl<'a> Segment<'a> {
    /// The segment ID (the bytes before the first element separator).
    #[inline]
    pub fn id(&self) -> &'a [u8] {
        // IDs are two or three bytes: those are looked at first, then a plain loop (which beats
        // a vectorized search here).
        let (raw, sep) = (self.raw, self.delimiters.element);
        match *raw {
            [a, b, s, ..] if s == sep && a != sep && b != sep => &raw[..2],
            [a, b, c, s, ..] if s == sep && a != sep && b != sep && c != sep => &raw[..3],
            _ => &raw[..raw.iter().position(|&b| b == sep).unwrap_or(raw.len())],
        }
    }

    /// Element `n` (1-based), or `None` past the last one.
    pub fn element(&self, n: usize) -> Option<&'a [u8]> {
        if n == 0 {
            return None;
        }
        let (raw, sep) = (self.raw, self.delimiters.element);
        if raw.len() > LONG {
            return self.elements().nth(n - 1);
        }
        // Segments are short: eight bytes at a time, counting separators, is cheaper than a
        // vectorized search per element.
        let mut seen = 0;
        let mut start = None;
        let mut i = 0;
        while i < raw.len() {
            let mut m = separators(raw, i, sep);
            let here = m.count_ones() as usize;
            if start.is_none() && seen + here < n {
                seen += here;
                i += 8;
                continue;
            }
            while m != 0 {
                let at = i + (m.trailing_zeros() / 8) as usize;
                if let Some(s) = start {
                    return Some(&raw[s..at]);
                }
                seen += 1;
                if seen == n {
                    start = Some(at + 1);
                }
                m &= m - 1;
            }
            i += 8;
        }
        start.map(|s| &raw[s..])
    }

    /// The elements after the ID, in order.
    pub fn elements(&self) -> Elements<'a> {
        let raw = self.raw;
        let sep = self.delimiters.element;
        let start = raw.iter().position(|&b| b == sep).map(|i| i + 1);
        Elements { rest: start.map(|s| &raw[s..]), sep }
    }

    /// The number of elements after the ID.
    pub fn element_count(&self) -> usize {
        if memchr(self.delimiters.element, self.raw).is_none() {
            0
        } else {
            memchr::memchr_iter(self.delimiters.element, self.raw).count()
        }
    }

    /// The components of element `n` (1-based), split by the component separator.
    pub fn components(&self, n: usize) -> impl Iterator<Item = &'a [u8]> + 'a {
        let sep = self.delimiters.component;
        self.element(n).into_iter().flat_map(move |e| e.split(move |&b| b == sep))
    }

    /// Element `n` as text (lossy for non-UTF-8 bytes), or "" when absent.
    pub fn text(&self, n: usize) -> std::borrow::Cow<'a, str> {
        let b = self.element(n).unwrap_or_default();
        match std::str::from_utf8(b) {
            Ok(s) => std::borrow::Cow::Borrowed(s),
            Err(_) => String::from_utf8_lossy(b),
        }
    }
}

/// A segment with its element separators found once, for readers that look at several of its
/// elements: each element is then a slice away. It derefs to the [`Segment`].
#[derive(Clone, Copy, Debug)]
pub struct Split<'a> {
    seg: Segment<'a>,
    /// Offsets of the first separators.
    seps: [u16; SPLIT],
    /// How many of `seps` are filled.
    count: usize,
    /// True when `seps` holds every separator of the segment.
    complete: bool,
    /// Whether the segment holds a component separator (`None`: not looked for).
    component: Option<bool>,
    /// Whether the segment holds a repetition separator (`None`: not looked for).
    repetition: Option<bool>,
}

/// Separators a [`Split`] keeps (X12 segments have at most about 20 elements in the HIPAA
/// guides; longer ones fall back to a scan).
const SPLIT: usize = 32;

impl<'a> Split<'a> {
    /// Finds the separators of `seg`.
    #[inline]
    pub fn new(seg: Segment<'a>) -> Split<'a> {
        Split::scan(seg, false)
    }

    /// Finds the separators of `seg`, and in the same pass whether it holds component and
    /// repetition separators (see [`Split::has_component`]).
    #[inline]
    pub fn with_marks(seg: Segment<'a>) -> Split<'a> {
        Split::scan(seg, true)
    }

    fn scan(seg: Segment<'a>, marks: bool) -> Split<'a> {
        let d = seg.delimiters;
        let mut out = Split {
            seg,
            seps: [0; SPLIT],
            count: 0,
            complete: false,
            component: None,
            repetition: None,
        };
        let (raw, sep) = (seg.raw, d.element);
        if raw.len() > usize::from(u16::MAX) {
            return out;
        }
        // Past the end, a byte that is none of the three separators.
        let pad = [0xff, 0xfe, 0xfd]
            .into_iter()
            .find(|&p| p != sep && p != d.component && Some(p) != d.repetition)
            .unwrap_or(0xfc);
        let (mut component, mut repetition) = (0u64, 0u64);
        let mut i = 0;
        while i < raw.len() {
            let chunk = load(raw, i, pad);
            let mut m = eq_mask(chunk, sep);
            if marks {
                component |= eq_mask(chunk, d.component);
                if let Some(r) = d.repetition {
                    repetition |= eq_mask(chunk, r);
                }
            }
            while m != 0 {
                if out.count == SPLIT {
                    return out;
                }
                out.seps[out.count] = (i + (m.trailing_zeros() / 8) as usize) as u16;
                out.count += 1;
                m &= m - 1;
            }
            i += 8;
        }
        out.complete = true;
        if marks {
            out.component = Some(component != 0);
            out.repetition = Some(repetition != 0);
        }
        out
    }

    /// Whether the segment holds the component separator anywhere.
    #[inline]
    pub fn has_component(&self) -> bool {
        let (raw, d) = (self.seg.raw, self.seg.delimiters);
        self.component.unwrap_or_else(|| memchr(d.component, raw).is_some())
    }

    /// Whether the segment holds the repetition separator anywhere.
    pub fn has_repetition(&self) -> bool {
        let (raw, d) = (self.seg.raw, self.seg.delimiters);
        self.repetition.unwrap_or_else(|| d.repetition.is_some_and(|r| memchr(r, raw).is_some()))
    }

    /// Element `n` (1-based), or `None` past the last one.
    #[inline]
    pub fn element(&self, n: usize) -> Option<&'a [u8]> {
        let raw = self.seg.raw;
        if n == 0 {
            return None;
        }
        if n < self.count {
            let (from, to) = (usize::from(self.seps[n - 1]) + 1, usize::from(self.seps[n]));
            return raw.get(from..to);
        }
        if !self.complete {
            return self.seg.element(n);
        }
        if n == self.count {
            return raw.get(usize::from(self.seps[n - 1]) + 1..);
        }
        None
    }

    /// Element `n` as text (lossy for non-UTF-8 bytes), or "" when absent.
    #[inline]
    pub fn text(&self, n: usize) -> std::borrow::Cow<'a, str> {
        let b = self.element(n).unwrap_or_default();
        match std::str::from_utf8(b) {
            Ok(s) => std::borrow::Cow::Borrowed(s),
            Err(_) => String::from_utf8_lossy(b),
        }
    }

    /// The components of element `n` (1-based), split by the component separator.
    #[inline]
    pub fn components(&self, n: usize) -> impl Iterator<Item = &'a [u8]> + 'a {
        let sep = self.seg.delimiters.component;
        self.element(n).into_iter().flat_map(move |e| e.split(move |&b| b == sep))
    }

    /// The elements after the ID, in order (the first ones by their known offsets).
    pub fn elements(&self) -> SplitElements<'_, 'a> {
        let raw = self.seg.raw;
        // A segment too long to split is scanned from its first separator.
        let tail = (self.count == 0 && !self.complete).then(|| Elements {
            rest: find(raw, self.seg.delimiters.element).and_then(|i| raw.get(i + 1..)),
            sep: self.seg.delimiters.element,
        });
        SplitElements { split: self, next: 0, tail }
    }
}

/// The elements of a [`Split`], in order: sliced between known separators, then (past the
/// separators a split keeps) scanned.
#[derive(Clone, Debug)]
pub struct SplitElements<'s, 'a> {
    split: &'s Split<'a>,
    /// Index in `seps` of the separator before the next element.
    next: usize,
    tail: Option<Elements<'a>>,
}

impl<'a> Iterator for SplitElements<'_, 'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if let Some(t) = self.tail.as_mut() {
            return t.next();
        }
        let sp = self.split;
        let raw = sp.seg.raw;
        let i = self.next;
        if i + 1 < sp.count {
            self.next += 1;
            return raw.get(usize::from(sp.seps[i]) + 1..usize::from(sp.seps[i + 1]));
        }
        if i + 1 == sp.count {
            self.next += 1;
            let rest = raw.get(usize::from(sp.seps[i]) + 1..);
            if sp.complete {
                return rest;
            }
            // More separators than the split keeps: scan the rest.
            let mut t = Elements { rest, sep: sp.seg.delimiters.element };
            let first = t.next();
            self.tail = Some(t);
            return first;
        }
        None
    }
}

impl<'a> std::ops::Deref for Split<'a> {
    type Target = Segment<'a>;

    fn deref(&self) -> &Segment<'a> {
        &self.seg
    }
}

/// Segments longer than this are searched with `memchr`; shorter ones with a plain loop.
const LONG: usize = 96;

/// The high bit of each of the eight bytes of `raw` from `at` that equals `sep` (bytes past the
/// end count as not equal).
fn separators(raw: &[u8], at: usize, sep: u8) -> u64 {
    eq_mask(load(raw, at, !sep), sep)
}

/// Eight bytes of `raw` from `at` as a word, `pad` standing in for bytes past the end.
fn load(raw: &[u8], at: usize, pad: u8) -> u64 {
    if let Some(Ok(word)) = raw.get(at..at + 8).map(<[u8; 8]>::try_from) {
        return u64::from_le_bytes(word);
    }
    let rest = raw.len().saturating_sub(at);
    if rest > 0 && raw.len() >= 8 {
        // The last eight bytes of `raw`, shifted so that its last `rest` come first, padding
        // after them.
        if let Ok(last) = <[u8; 8]>::try_from(&raw[raw.len() - 8..]) {
            let word = u64::from_le_bytes(last) >> (8 * (8 - rest));
            return word | ((u64::from(pad) * 0x0101_0101_0101_0101) << (8 * rest));
        }
    }
    // The last few bytes, placed one by one over a word of padding (no call to memcpy).
    let mut w = u64::from(pad) * 0x0101_0101_0101_0101;
    for (k, &b) in raw.get(at..).unwrap_or_default().iter().take(8).enumerate() {
        let shift = 8 * k;
        w = (w & !(0xff << shift)) | (u64::from(b) << shift);
    }
    w
}

/// The high bit of each byte of `chunk` that equals `byte`.
fn eq_mask(chunk: u64, byte: u8) -> u64 {
    // Zero bytes of `x` are the matches; the classic exact zero-byte test.
    let x = chunk ^ (0x0101_0101_0101_0101u64 * u64::from(byte));
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// The position of the first `sep` in `r`.
fn find(r: &[u8], sep: u8) -> Option<usize> {
    if r.len() > LONG {
        return memchr(sep, r);
    }
    // Whole words first; a short tail (most elements are a few bytes) byte by byte.
    let mut i = 0;
    while i + 8 <= r.len() {
        let m = separators(r, i, sep);
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    r[i..].iter().position(|&b| b == sep).map(|p| i + p)
}

/// The elements of a segment, in order (see [`Segment::elements`]).
#[derive(Clone, Debug)]
pub struct Elements<'a> {
    rest: Option<&'a [u8]>,
    sep: u8,
}

impl<'a> Iterator for Elements<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let r = self.rest?;
        match find(r, self.sep) {
            Some(i) => {
                self.rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                self.rest = None;
                Some(r)
            }
        }
    }
}

/// Iterates the segments of one or more interchanges in a byte slice.
///
/// Leading byte-order marks, line breaks and spaces between segments are skipped; each ISA sets
/// the delimiters for the segments that follow it. After an error the iterator ends.
#[derive(Clone, Debug)]
pub struct Tokenizer<'a> {
    src: &'a [u8],
    at: usize,
    index: u64,
    delimiters: Option<Delimiters>,
    done: bool,
}

impl<'a> Tokenizer<'a> {
    /// A tokenizer over `src`.
    pub fn new(src: &'a [u8]) -> Tokenizer<'a> {
        let at = if src.starts_with(b"\xef\xbb\xbf") { 3 } else { 0 };
        Tokenizer { src, at, index: 0, delimiters: None, done: false }
    }

    /// The delimiters in force (after the first ISA).
    pub fn delimiters(&self) -> Option<Delimiters> {
        self.delimiters
    }
}

pub(crate) fn id3(raw: &[u8], element: u8) -> [u8; 3] {
    // Most IDs are two or three bytes followed by the separator.
    match *raw {
        [a, b, s, ..] if s == element && a != element && b != element => return [a, b, 0],
        [a, b, c, s, ..] if s == element && a != element && b != element && c != element => {
            return [a, b, c];
        }
        _ => {}
    }
    let mut id = [0u8; 3];
    for (slot, &b) in id.iter_mut().zip(raw.iter().take_while(|&&b| b != element)) {
        *slot = b;
    }
    id
}

pub(crate) fn is_filler(b: u8) -> bool {
    matches!(b, b'\r' | b'\n' | b' ' | b'\t' | 0)
}

impl<'a> Iterator for Tokenizer<'a> {
    type Item = Result<Segment<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        while self.at < self.src.len() && is_filler(self.src[self.at]) {
            self.at += 1;
        }
        if self.at >= self.src.len() {
            return None;
        }
        let rest = &self.src[self.at..];
        let mut pos = Position {
            byte: self.at as u64,
            segment_index: self.index + 1,
            // Known once the delimiters are (an ISA sets them).
            segment_id: if rest.starts_with(b"ISA") { *b"ISA" } else { [0; 3] },
            element: None,
            component: None,
        };
        if rest.starts_with(b"ISA") {
            match Delimiters::from_isa(rest, pos) {
                Ok(d) => self.delimiters = Some(d),
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        let Some(d) = self.delimiters else {
            self.done = true;
            pos.segment_id = *b"ISA";
            return Some(Err(Error::NoIsa(pos)));
        };
        pos.segment_id = id3(rest, d.element);
        let (mut raw, terminated, next) = match memchr(d.segment, rest) {
            Some(i) => (&rest[..i], true, self.at + i + 1),
            None => (rest, false, self.src.len()),
        };
        // With a line-break terminator, a CR before it belongs to the line ending.
        if d.strips_cr() {
            raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        }
        if !terminated {
            // Trailing line breaks after the last segment are not content.
            while let Some((&last, head)) = raw.split_last() {
                if is_filler(last) {
                    raw = head;
                } else {
                    break;
                }
            }
        }
        self.at = next;
        self.index += 1;
        Some(Ok(Segment { raw, pos, delimiters: d, terminated }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_of_two_and_three_bytes_and_others() {
        assert_eq!(id3(b"ST*837", b'*'), *b"ST\0");
        assert_eq!(id3(b"CLM*1", b'*'), *b"CLM");
        assert_eq!(id3(b"SE", b'*'), *b"SE\0");
        assert_eq!(id3(b"ABCD*1", b'*'), *b"ABC");
        assert_eq!(id3(b"*A*B", b'*'), [0; 3]);
    }

    #[test]
    fn a_word_at_the_end_is_the_last_bytes_then_padding() {
        let raw: Vec<u8> = (1..=20).collect();
        for len in 0..=raw.len() {
            for at in 0..len {
                let want: Vec<u8> =
                    (0..8).map(|k| raw[..len].get(at + k).copied().unwrap_or(0xee)).collect();
                let want = u64::from_le_bytes(want.try_into().unwrap());
                assert_eq!(load(&raw[..len], at, 0xee), want, "len {len} at {at}");
            }
        }
    }

    const EDI: &[u8] = b"\xef\xbb\xbfISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260101*1200*^*00501*000000001*0*T*:~\r\nGS*HC*S*R*20260101*1200*1*X*005010X222A1~\r\nSV1*HC:99213:25*100*UN*1***1:2~";

    #[test]
    fn splits_segments_elements_and_components() {
        let segs: Vec<Segment<'_>> = Tokenizer::new(EDI).map(Result::unwrap).collect();
        assert_eq!(segs.len(), 3);
        assert_eq!(segs[0].id(), b"ISA");
        assert_eq!(segs[0].element_count(), 16);
        assert_eq!(segs[1].element(8), Some(&b"005010X222A1"[..]));
        let comps: Vec<&[u8]> = segs[2].components(1).collect();
        assert_eq!(comps, vec![&b"HC"[..], b"99213", b"25"]);
        assert_eq!(segs[2].element(5), Some(&b""[..]));
        assert_eq!(segs[2].element(9), None);
        assert_eq!(segs[2].pos.segment_index, 3);
        assert!(segs[2].terminated);
    }

    #[test]
    fn elements_agree_with_a_plain_split_at_every_length() {
        // Separators at every offset of the eight-byte steps, and segments of every length up
        // to past the vectorized threshold.
        for len in 0..(LONG + 20) {
            for step in 1..5 {
                // Separators every `step` bytes; a component and a repetition separator now and
                // then.
                let raw: Vec<u8> = (0..len)
                    .map(|i| match i {
                        _ if i % step == step - 1 => b'*',
                        _ if i % 37 == 11 && len % 3 == 0 => b':',
                        _ if i % 41 == 13 && len % 5 == 0 => b'^',
                        _ => b'A' + (i % 26) as u8,
                    })
                    .collect();
                let seg = Segment {
                    raw: &raw,
                    pos: Position::default(),
                    delimiters: Delimiters::default(),
                    terminated: true,
                };
                let want: Vec<&[u8]> = raw.split(|&b| b == b'*').skip(1).collect();
                let got: Vec<&[u8]> = seg.elements().collect();
                assert_eq!(got, want, "len {len} step {step}");
                let split = Split::with_marks(seg);
                let plain = Split::new(seg);
                assert_eq!(plain.has_component(), split.has_component());
                assert_eq!(plain.has_repetition(), split.has_repetition());
                for (n, w) in want.iter().enumerate() {
                    assert_eq!(seg.element(n + 1), Some(*w), "len {len} step {step} element {n}");
                    assert_eq!(split.element(n + 1), Some(*w), "split: len {len} step {step}");
                }
                assert_eq!(seg.element(want.len() + 1), None);
                assert_eq!(split.element(want.len() + 1), None);
                assert_eq!(split.element(0), None);
                assert_eq!(split.elements().collect::<Vec<_>>(), want, "split: len {len}");
                assert_eq!(split.has_component(), raw.contains(&b':'));
                assert_eq!(split.has_repetition(), raw.contains(&b'^'));
            }
        }
    }

    #[test]
    fn a_segment_too_long_to_split_still_reads() {
        let raw = format!("NTE*A{}*B", "*".repeat(70_000)).into_bytes();
        let seg = Segment {
            raw: &raw,
            pos: Position::default(),
            delimiters: Delimiters::default(),
            terminated: true,
        };
        let split = Split::new(seg);
        assert_eq!(split.element(1), Some(&b"A"[..]));
        assert_eq!(split.elements().count(), 70_002);
        assert_eq!(split.elements().last(), Some(&b"B"[..]));
    }

    #[test]
    fn no_isa_is_an_error() {
        let mut t = Tokenizer::new(b"GS*HC*X~");
        assert!(matches!(t.next(), Some(Err(Error::NoIsa(_)))));
        assert!(t.next().is_none());
    }
}
