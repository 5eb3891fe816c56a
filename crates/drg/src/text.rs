//! CMS's text files: Windows-1252 bytes, lines ended by CR LF, LF or a lone CR.

/// The text of a CMS file: UTF-8 as is (with a BOM removed), anything else as Windows-1252
/// (where 0x97 is an em dash, 0x92 a right quote…).
pub fn decode_windows_1252(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// The lines of a text, whatever their ends (CR LF, LF, or a lone CR), 1-based numbers.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (u64, &str)> {
    text.split('\n')
        .flat_map(|l| {
            let l = l.strip_suffix('\r').unwrap_or(l);
            l.split('\r')
        })
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_and_mixed_line_ends() {
        assert_eq!(decode_windows_1252(b"TABLE 5.\x97LIST"), "TABLE 5.\u{2014}LIST");
        assert_eq!(decode_windows_1252("caf\u{e9}".as_bytes()), "caf\u{e9}");
        let t = "a\r\nb\nc\rd\r\n";
        let v: Vec<(u64, &str)> = lines(t).collect();
        assert_eq!(v, [(1, "a"), (2, "b"), (3, "c"), (4, "d"), (5, "")]);
    }
}
