//! A thin event cursor over quick-xml that knows line numbers and catches truncated files.

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::LoadError;

pub(crate) enum Ev {
    Start { name: String, attrs: Vec<(String, String)> },
    End(String),
    Text(String),
    Eof,
}

pub(crate) struct Xml<'a> {
    reader: Reader<&'a [u8]>,
    src: &'a [u8],
    stack: Vec<(String, usize)>,
    pending_end: Option<String>,
    root: Option<String>,
    /// Line counting is incremental: the last offset counted and its line.
    counted: std::cell::Cell<(usize, u64)>,
}

impl<'a> Xml<'a> {
    pub(crate) fn new(src: &'a [u8]) -> Xml<'a> {
        let mut reader = Reader::from_reader(src);
        reader.config_mut().trim_text(true);
        reader.config_mut().check_end_names = true;
        Xml {
            reader,
            src,
            stack: Vec::new(),
            pending_end: None,
            root: None,
            counted: std::cell::Cell::new((0, 1)),
        }
    }

    /// The 1-based line of a byte offset.
    pub(crate) fn line_of(&self, pos: usize) -> u64 {
        let pos = pos.min(self.src.len());
        let (at, line) = self.counted.get();
        let newlines =
            |a: usize, b: usize| self.src[a..b].iter().filter(|&&c| c == b'\n').count() as u64;
        if pos >= at {
            let line = line + newlines(at, pos);
            self.counted.set((pos, line));
            line
        } else {
            1 + newlines(0, pos)
        }
    }

    /// The line the reader is on now.
    pub(crate) fn line(&self) -> u64 {
        self.line_of(self.reader.buffer_position() as usize)
    }

    /// At the root element: checks its name, naming the file kind expected when it differs.
    pub(crate) fn expect_root(
        &self,
        name: &str,
        expected: &str,
        what: &str,
    ) -> Result<(), LoadError> {
        if name == expected {
            Ok(())
        } else {
            Err(self.err(format!("root element is <{name}>, not <{expected}>: this is not {what}")))
        }
    }

    pub(crate) fn err(&self, message: impl Into<String>) -> LoadError {
        LoadError::at(self.line(), message)
    }

    /// The names of the open elements, outermost first.
    pub(crate) fn depth(&self) -> usize {
        self.stack.len()
    }

    pub(crate) fn root(&self) -> Option<&str> {
        self.root.as_deref()
    }

    pub(crate) fn next(&mut self) -> Result<Ev, LoadError> {
        if let Some(name) = self.pending_end.take() {
            self.stack.pop();
            return Ok(Ev::End(name));
        }
        loop {
            let pos = self.reader.buffer_position() as usize;
            let ev = self.reader.read_event().map_err(|e| {
                LoadError::at(
                    self.line_of(self.reader.error_position() as usize),
                    format!("malformed XML: {e}"),
                )
            })?;
            match ev {
                Event::Start(e) => return self.start(&e, false, pos),
                Event::Empty(e) => return self.start(&e, true, pos),
                Event::End(e) => {
                    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                    self.stack.pop();
                    return Ok(Ev::End(name));
                }
                Event::Text(t) => {
                    let s =
                        t.unescape().map_err(|err| self.err(format!("malformed text: {err}")))?;
                    if self.stack.is_empty() {
                        if s.trim().is_empty() {
                            continue;
                        }
                        return Err(self.err("text outside the root element"));
                    }
                    return Ok(Ev::Text(s.into_owned()));
                }
                Event::CData(t) => {
                    return Ok(Ev::Text(String::from_utf8_lossy(&t.into_inner()).into_owned()));
                }
                Event::Eof => {
                    if let Some((name, at)) = self.stack.last() {
                        return Err(LoadError::at(
                            self.line_of(self.src.len()),
                            format!(
                                "the file ends inside <{name}> (opened on line {}): it is truncated",
                                self.line_of(*at)
                            ),
                        ));
                    }
                    if self.root.is_none() {
                        return Err(LoadError::whole(
                            "no XML element found: the file is empty or not XML",
                        ));
                    }
                    return Ok(Ev::Eof);
                }
                _ => continue,
            }
        }
    }

    fn start(
        &mut self,
        e: &quick_xml::events::BytesStart<'_>,
        empty: bool,
        pos: usize,
    ) -> Result<Ev, LoadError> {
        let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|err| self.err(format!("malformed attribute: {err}")))?;
            let v = a
                .unescape_value()
                .map_err(|err| self.err(format!("malformed attribute value: {err}")))?;
            attrs.push((String::from_utf8_lossy(a.key.as_ref()).into_owned(), v.into_owned()));
        }
        if self.root.is_none() {
            self.root = Some(name.clone());
        } else if self.stack.is_empty() {
            return Err(self.err(format!("content after the root element: <{name}>")));
        }
        self.stack.push((name.clone(), pos));
        if empty {
            self.pending_end = Some(name.clone());
        }
        Ok(Ev::Start { name, attrs })
    }

    /// Reads the text content of the element just opened, up to its end tag (nested markup is flattened).
    pub(crate) fn text_content(&mut self) -> Result<String, LoadError> {
        let depth = self.depth();
        let mut out = String::new();
        loop {
            match self.next()? {
                Ev::Text(t) => {
                    if !out.is_empty() && !out.ends_with(' ') {
                        out.push(' ');
                    }
                    out.push_str(&t);
                }
                Ev::End(_) if self.depth() < depth => return Ok(collapse(&out)),
                Ev::Start { .. } | Ev::End(_) => {}
                Ev::Eof => return Err(self.err("unexpected end of file")),
            }
        }
    }

    /// Skips the element just opened.
    pub(crate) fn skip(&mut self) -> Result<(), LoadError> {
        self.text_content().map(|_| ())
    }
}

/// Collapses runs of whitespace to one space and trims.
pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

pub(crate) fn attr<'v>(attrs: &'v [(String, String)], key: &str) -> Option<&'v str> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}
