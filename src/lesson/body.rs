//! The lesson body: Markdown prose cut into [`Block::Text`] chunks around fenced `python` and
//! `rust` blocks, which are paired into [`Block::Code`] for side-by-side display.
//!
//! Only top-level fences (``` or ~~~, at most three spaces of indent) are recognised, as in
//! CommonMark; a fence in another language stays part of the prose, and its contents are
//! never mistaken for a fence of ours.

use super::raw::Problem;
use crate::lesson::{Block, CodePair};

/// Which side of a code pair a fenced block belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lang {
    Python,
    Rust,
    Other,
}

fn lang_of(info: &str) -> Lang {
    let word = info
        .split(|c: char| c.is_whitespace() || c == ',' || c == '{' || c == '}')
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .trim_start_matches('.')
        .to_ascii_lowercase();
    match word.as_str() {
        "python" | "py" | "python3" => Lang::Python,
        "rust" | "rs" => Lang::Rust,
        _ => Lang::Other,
    }
}

/// An opening fence: its character, length and info string.
pub(super) fn opening(line: &str) -> Option<(char, usize, &str)> {
    let content = line.trim_end_matches(['\n', '\r']);
    let indent = content.len() - content.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &content[indent..];
    let ch = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.len() - rest.trim_start_matches(ch).len();
    if len < 3 {
        return None;
    }
    let info = rest[len..].trim();
    if ch == '`' && info.contains('`') {
        return None;
    }
    Some((ch, len, info))
}

pub(super) fn closes(line: &str, ch: char, len: usize) -> bool {
    let content = line.trim_end();
    let indent = content.len() - content.trim_start_matches(' ').len();
    if indent > 3 {
        return false;
    }
    let rest = &content[indent..];
    let n = rest.len() - rest.trim_start_matches(ch).len();
    n >= len && rest[n..].is_empty()
}

/// A piece of the body before pairing.
enum Piece {
    Text(String),
    Code(Lang, String),
}

/// Cuts `body` (whose first line is file line `first_line`) into blocks.
pub fn blocks(body: &str, first_line: usize) -> Result<Vec<Block>, Problem> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut lines = body.split_inclusive('\n').zip(first_line..);
    while let Some((line, at)) = lines.next() {
        let Some((ch, len, info)) = opening(line) else {
            text.push_str(line);
            continue;
        };
        let lang = lang_of(info);
        let mut code = String::new();
        let mut closed = None;
        for (l, _) in lines.by_ref() {
            if closes(l, ch, len) {
                closed = Some(l);
                break;
            }
            code.push_str(l);
        }
        let Some(close) = closed else {
            let fence: String = std::iter::repeat_n(ch, len).collect();
            return Err(Problem::new(
                at,
                format!("code block opened here is never closed: add a closing {fence} line"),
            ));
        };
        if lang == Lang::Other {
            text.push_str(line);
            text.push_str(&code);
            text.push_str(close);
            continue;
        }
        pieces.push(Piece::Text(std::mem::take(&mut text)));
        let code = code.trim_end_matches(['\n', '\r']).to_string();
        pieces.push(Piece::Code(lang, code));
    }
    pieces.push(Piece::Text(text));
    Ok(pair(pieces))
}

/// Drops blank prose and pairs each python block with a rust block right after it.
fn pair(pieces: Vec<Piece>) -> Vec<Block> {
    let mut out = Vec::new();
    let mut pending_python: Option<String> = None;
    for p in pieces {
        match p {
            Piece::Text(t) => {
                let t = t.trim_matches(['\n', '\r']);
                if t.trim().is_empty() {
                    continue;
                }
                if let Some(py) = pending_python.take() {
                    out.push(Block::Code(CodePair {
                        python: Some(py),
                        rust: None,
                    }));
                }
                out.push(Block::Text(format!("{t}\n")));
            }
            Piece::Code(Lang::Python, code) => {
                if let Some(py) = pending_python.replace(code) {
                    out.push(Block::Code(CodePair {
                        python: Some(py),
                        rust: None,
                    }));
                }
            }
            Piece::Code(_, code) => out.push(Block::Code(CodePair {
                python: pending_python.take(),
                rust: Some(code),
            })),
        }
    }
    if let Some(py) = pending_python {
        out.push(Block::Code(CodePair {
            python: Some(py),
            rust: None,
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(py: Option<&str>, rs: Option<&str>) -> Block {
        Block::Code(CodePair {
            python: py.map(str::to_string),
            rust: rs.map(str::to_string),
        })
    }

    #[test]
    fn python_then_rust_is_one_pair() {
        let b = blocks(
            "# T\n\nprose\n\n```python\nx = 1\n```\n\n```rust\nlet x = 1;\n```\n## After\n",
            5,
        )
        .unwrap();
        assert_eq!(
            b,
            vec![
                Block::Text("# T\n\nprose\n".into()),
                code(Some("x = 1"), Some("let x = 1;")),
                Block::Text("## After\n".into()),
            ]
        );
    }

    #[test]
    fn lone_blocks_and_prose_between() {
        let b = blocks(
            "```py\na\n```\nmiddle\n```rust\nb\n```\n```rust\nc\n```\n",
            1,
        )
        .unwrap();
        assert_eq!(
            b,
            vec![
                code(Some("a"), None),
                Block::Text("middle\n".into()),
                code(None, Some("b")),
                code(None, Some("c")),
            ]
        );
    }

    #[test]
    fn other_fences_stay_in_the_prose_and_hide_their_contents() {
        let src = "text\n````markdown\n```python\nnot code\n```\n````\nmore\n";
        assert_eq!(blocks(src, 1).unwrap(), vec![Block::Text(src.into())]);
        let src = "~~~\nplain\n~~~\n";
        assert_eq!(blocks(src, 1).unwrap(), vec![Block::Text(src.into())]);
    }

    #[test]
    fn unclosed_fence_names_its_line() {
        let e = blocks("a\n\n```rust\nfn main() {}\n", 10).unwrap_err();
        assert_eq!(e.line, 12);
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn info_string_variants() {
        assert_eq!(lang_of("rust,ignore"), Lang::Rust);
        assert_eq!(lang_of("{.python}"), Lang::Python);
        assert_eq!(lang_of("Python3 title=x"), Lang::Python);
        assert_eq!(lang_of(""), Lang::Other);
        assert_eq!(lang_of("toml"), Lang::Other);
    }
}
