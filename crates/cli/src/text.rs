//! Terminal text: wrapping at word boundaries and aligned labels.

/// Wraps `text` to `width` columns, never breaking a word, indenting continuation lines.
pub(crate) fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let w = word.chars().count();
        if line_len > 0 && line_len + 1 + w > width {
            out.push('\n');
            out.push_str(indent);
            line_len = indent.len();
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += w;
    }
    out
}

/// The terminal width, from `COLUMNS`, else 100.
pub(crate) fn width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|w| *w >= 40).unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_words() {
        let w = wrap("alpha beta gamma delta", 11, "  ");
        assert_eq!(w, "alpha beta\n  gamma\n  delta");
        for line in w.lines() {
            assert!(line.len() <= 11);
        }
    }
}
