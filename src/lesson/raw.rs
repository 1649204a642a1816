//! Splits a lesson file into its TOML front matter and Markdown body, remembering on which
//! line each starts so later errors can name the file's own line numbers.

/// A problem at a 1-based line of the file being parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line in the lesson file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// A problem at `line`.
    pub fn new(line: usize, message: impl Into<String>) -> Problem {
        Problem {
            line,
            message: message.into(),
        }
    }
}

/// A lesson file cut in two.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Raw<'a> {
    /// The TOML between the `+++` lines.
    pub front: &'a str,
    /// File line of the first line of `front`.
    pub front_line: usize,
    /// The Markdown after the closing `+++`.
    pub body: &'a str,
    /// File line of the first line of `body`.
    pub body_line: usize,
}

impl Raw<'_> {
    /// The file line of byte `offset` of the front matter.
    pub fn front_line_of(&self, offset: usize) -> usize {
        let upto = self.front.get(..offset.min(self.front.len())).unwrap_or("");
        self.front_line + upto.matches('\n').count()
    }
}

fn is_delimiter(line: &str) -> bool {
    line.trim_end() == "+++"
}

/// Splits `text`: line 1 must be `+++`, and a later `+++` line ends the front matter.
pub fn split(text: &str) -> Result<Raw<'_>, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if !is_delimiter(first) {
        return Err(Problem::new(
            1,
            "a lesson must start with a `+++` line opening its TOML front matter",
        ));
    }
    let front_start = first.len();
    let mut offset = front_start;
    for (line, l) in (2..).zip(lines) {
        if is_delimiter(l) {
            return Ok(Raw {
                front: &text[front_start..offset],
                front_line: 2,
                body: &text[offset + l.len()..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(Problem::new(
        1,
        "the front matter opened by `+++` here is never closed by another `+++` line",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_and_body_with_lines() {
        let r = split("+++\nid = \"a\"\ntitle = \"b\"\n+++\n# A\ntext\n").unwrap();
        assert_eq!(r.front, "id = \"a\"\ntitle = \"b\"\n");
        assert_eq!(r.front_line, 2);
        assert_eq!(r.body, "# A\ntext\n");
        assert_eq!(r.body_line, 5);
        assert_eq!(r.front_line_of(0), 2);
        assert_eq!(r.front_line_of(10), 3);
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let r = split("\u{feff}+++\r\nid = \"a\"\r\n+++\r\nbody").unwrap();
        assert_eq!(r.front, "id = \"a\"\r\n");
        assert_eq!(r.body, "body");
        assert_eq!(r.body_line, 4);
    }

    #[test]
    fn missing_and_unterminated_front_matter() {
        assert_eq!(split("# no header\n").unwrap_err().line, 1);
        assert_eq!(split("").unwrap_err().line, 1);
        let e = split("+++\nid = \"a\"\n# body\n").unwrap_err();
        assert!(e.message.contains("never closed"), "{}", e.message);
    }

    #[test]
    fn empty_body() {
        let r = split("+++\n+++").unwrap();
        assert_eq!(r.front, "");
        assert_eq!(r.body, "");
    }
}
