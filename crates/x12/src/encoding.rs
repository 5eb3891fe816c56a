//! Files that arrive in UTF-16 (with or without a byte-order mark): X12 is ASCII, so they are
//! turned into bytes before tokenizing; everything else is borrowed unchanged.

use std::borrow::Cow;

/// Whether `src` is UTF-16 (which [`to_bytes`] decodes).
///
/// ```
/// assert!(x12::is_utf16(b"\xff\xfeI\0S\0A\0"));
/// assert!(!x12::is_utf16(b"ISA*00"));
/// ```
pub fn is_utf16(src: &[u8]) -> bool {
    utf16(src).is_some()
}

/// Whether UTF-16 is little-endian, and the text after the byte-order mark; `None` for input
/// that is not UTF-16.
fn utf16(src: &[u8]) -> Option<(bool, &[u8])> {
    if let Some(b) = src.strip_prefix(b"\xff\xfe") {
        Some((true, b))
    } else if let Some(b) = src.strip_prefix(b"\xfe\xff") {
        Some((false, b))
    } else if src.starts_with(b"I\0S\0A\0") {
        Some((true, src))
    } else if src.starts_with(b"\0I\0S\0A") {
        Some((false, src))
    } else {
        None
    }
}

/// The input as single bytes: UTF-16 (LE or BE, detected by a byte-order mark or by the NUL
/// bytes around the leading "ISA") is decoded, with characters outside one byte replaced by `?`;
/// any other input is returned as it is.
///
/// ```
/// let utf16: Vec<u8> = "\u{feff}ISA*00".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
/// assert_eq!(&*x12::to_bytes(&utf16), b"ISA*00");
/// assert_eq!(&*x12::to_bytes(b"ISA*00"), b"ISA*00");
/// ```
pub fn to_bytes(src: &[u8]) -> Cow<'_, [u8]> {
    let Some((le, body)) = utf16(src) else {
        return Cow::Borrowed(src);
    };
    let units = body.chunks_exact(2).map(|c| {
        if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) }
    });
    let out: Vec<u8> = char::decode_utf16(units)
        .map(|c| match c {
            Ok(c) if (c as u32) < 0x100 => c as u32 as u8,
            _ => b'?',
        })
        .collect();
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_both_orders() {
        let text = "ISA*00*          *00~GS*HC~";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(&*to_bytes(&le), text.as_bytes());
        assert_eq!(&*to_bytes(&be), text.as_bytes());
        let mut bom = vec![0xfe, 0xff];
        bom.extend(&be);
        assert_eq!(&*to_bytes(&bom), text.as_bytes());
        // An odd trailing byte and an unpaired surrogate do not panic.
        let mut odd = le.clone();
        odd.push(b'x');
        odd.extend([0x00, 0xd8]);
        let _ = to_bytes(&odd);
    }
}
