//! Lesson prose: Markdown turned into wrapped, styled lines for a given width (headings,
//! emphasis, inline code, lists, block quotes, rules, and fenced code blocks highlighted).

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::highlight::{self, Lang};
use super::text::wrap;
use super::theme::Theme;

/// Renders `md` into lines at most `width` cells wide.
pub fn render(md: &str, width: usize, t: &Theme) -> Vec<Line<'static>> {
    let mut r = Renderer {
        t,
        width,
        out: Vec::new(),
        runs: Vec::new(),
        styles: vec![t.text],
        lists: Vec::new(),
        quote: 0,
        item_start: false,
        code: None,
        heading: None,
    };
    for ev in Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES) {
        r.event(ev);
    }
    r.flush();
    while r.out.last().is_some_and(|l| l.width() == 0) {
        r.out.pop();
    }
    r.out
}

struct Renderer<'a> {
    t: &'a Theme,
    width: usize,
    out: Vec<Line<'static>>,
    runs: Vec<(String, Style)>,
    styles: Vec<Style>,
    /// Open lists: `Some(next number)` for ordered ones.
    lists: Vec<Option<u64>>,
    quote: usize,
    item_start: bool,
    code: Option<(Lang, String)>,
    heading: Option<HeadingLevel>,
}

impl Renderer<'_> {
    fn style(&self) -> Style {
        *self.styles.last().unwrap_or(&self.t.text)
    }

    fn push_style(&mut self, s: Style) {
        let cur = self.style();
        self.styles.push(cur.patch(s));
    }

    fn blank(&mut self) {
        if self.out.last().is_some_and(|l| l.width() > 0) {
            self.out.push(Line::raw(""));
        }
    }

    fn prefix(&self) -> (String, usize) {
        let q = "│ ".repeat(self.quote);
        let indent = self.lists.len().saturating_sub(1) * 2;
        (q, indent)
    }

    fn flush(&mut self) {
        if self.runs.is_empty() {
            return;
        }
        let runs = std::mem::take(&mut self.runs);
        let (q, indent) = self.prefix();
        let (first, hang) = if self.item_start {
            self.item_start = false;
            let bullet = match self.lists.last_mut() {
                Some(Some(n)) => {
                    let b = format!("{n}. ");
                    *n += 1;
                    b
                }
                _ => "• ".to_string(),
            };
            let w = bullet.chars().count();
            (
                format!("{q}{}{bullet}", " ".repeat(indent)),
                q.chars().count() + indent + w,
            )
        } else if !self.lists.is_empty() {
            let pad = q.chars().count() + indent + 2;
            (format!("{q}{}", " ".repeat(indent + 2)), pad)
        } else {
            (q.clone(), q.chars().count())
        };
        let lines = wrap(&runs, self.width, Span::styled(first, self.t.dim), hang);
        self.out.extend(lines);
    }

    fn event(&mut self, ev: Event<'_>) {
        if self.code.is_some() {
            self.code_event(ev);
            return;
        }
        match ev {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(s) => {
                let st = self.style();
                self.runs.push((s.to_string(), st));
            }
            Event::Code(s) => self.runs.push((s.to_string(), self.t.code_function)),
            Event::SoftBreak => self.runs.push((" ".into(), self.style())),
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.flush();
                self.blank();
                self.out
                    .push(Line::styled("─".repeat(self.width.min(60)), self.t.dim));
                self.out.push(Line::raw(""));
            }
            Event::Html(s) | Event::InlineHtml(s) => self.runs.push((s.to_string(), self.t.dim)),
            _ => {}
        }
    }

    /// Inside a fenced block: collect its text, highlight it at the end.
    fn code_event(&mut self, ev: Event<'_>) {
        if let Some((_, buf)) = &mut self.code {
            match ev {
                Event::Text(s) => buf.push_str(&s),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, buf) = self.code.take().unwrap_or((Lang::Plain, String::new()));
                    for l in buf.trim_end_matches('\n').lines() {
                        let mut line = highlight::line(l, lang, self.t);
                        line.spans.insert(0, Span::styled("  ▏ ", self.t.dim));
                        self.out.push(line);
                    }
                    self.out.push(Line::raw(""));
                }
                _ => {}
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { level, .. } => {
                self.flush();
                self.blank();
                self.heading = Some(level);
                let st = if level == HeadingLevel::H1 {
                    self.t.heading.add_modifier(Modifier::UNDERLINED)
                } else {
                    self.t.heading
                };
                self.push_style(st);
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote += 1;
                self.push_style(self.t.dim.add_modifier(Modifier::ITALIC));
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => Lang::from_info(&info),
                    CodeBlockKind::Indented => Lang::Plain,
                };
                self.code = Some((lang, String::new()));
            }
            Tag::List(start) => {
                self.flush();
                if self.lists.is_empty() {
                    self.blank();
                }
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                self.item_start = true;
            }
            Tag::Emphasis => self.push_style(Style::new().add_modifier(Modifier::ITALIC)),
            Tag::Strong => self.push_style(Style::new().add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => {
                self.push_style(Style::new().add_modifier(Modifier::CROSSED_OUT));
            }
            Tag::Link { .. } => self.push_style(self.t.accent.add_modifier(Modifier::UNDERLINED)),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.flush();
                if self.lists.is_empty() {
                    self.out.push(Line::raw(""));
                }
            }
            TagEnd::Heading(_) => {
                self.flush();
                self.styles.pop();
                self.heading = None;
                self.out.push(Line::raw(""));
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
                self.styles.pop();
                self.blank();
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            TagEnd::Item => self.flush(),
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => {
                self.styles.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::theme::ThemeKind;

    fn plain(md: &str, w: usize) -> Vec<String> {
        render(md, w, &Theme::new(ThemeKind::Plain))
            .iter()
            .map(|l| l.to_string())
            .collect()
    }

    #[test]
    fn headings_paragraphs_and_lists() {
        let out = plain(
            "# Title\n\nSome *text* that wraps here.\n\n- one\n- two words\n",
            12,
        );
        assert_eq!(
            out,
            vec![
                "Title",
                "",
                "Some text",
                "that wraps",
                "here.",
                "",
                "• one",
                "• two words"
            ]
        );
    }

    #[test]
    fn numbered_lists_and_code() {
        let out = plain("1. a\n2. b\n\n```python\nx = 1\n```\n", 40);
        assert_eq!(out, vec!["1. a", "2. b", "", "  ▏ x = 1"]);
    }
}
