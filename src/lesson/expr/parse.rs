//! Text to [`Expr`]: a small tokenizer and a recursive-descent parser, loosest binding
//! first: `or`, `and`, `not`, comparisons (not chained), `+ -`, `* /`, unary `-`, atoms.

use super::{Expr, Func, Op, Takes};

/// One token and the byte offset it starts at.
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    /// A word: letters, digits, `_`, and `-` when a letter follows (`no-join`).
    Word(String),
    Str(String),
    Sym(&'static str),
}

const SYMBOLS: [&str; 12] = [
    "<=", ">=", "==", "!=", "<", ">", "+", "-", "*", "/", "(", ")",
];

fn tokens(text: &str) -> Result<Vec<(Tok, usize)>, String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            let start = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            let n = text[start..i]
                .parse()
                .map_err(|_| format!("`{}` is not a number", &text[start..i]))?;
            out.push((Tok::Num(n), start));
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() {
                let word_char = b[i].is_ascii_alphanumeric() || b[i] == b'_';
                let joined = b[i] == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic);
                if !(word_char || joined) {
                    break;
                }
                i += 1;
            }
            out.push((Tok::Word(text[start..i].to_string()), start));
        } else if c == b'"' {
            let start = i;
            let end = text[i + 1..]
                .find('"')
                .ok_or_else(|| "a string opened with `\"` is never closed".to_string())?;
            out.push((Tok::Str(text[i + 1..i + 1 + end].to_string()), start));
            i += end + 2;
        } else if c == b',' {
            out.push((Tok::Sym(","), i));
            i += 1;
        } else if let Some(s) = SYMBOLS.iter().find(|s| text[i..].starts_with(**s)) {
            out.push((Tok::Sym(s), i));
            i += s.len();
        } else {
            let ch = text[i..].chars().next().unwrap_or('?');
            return Err(format!("unexpected `{ch}`"));
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
}

/// Parses `text`; the error says what was wrong in one line.
pub fn parse(text: &str) -> Result<Expr, String> {
    let mut p = Parser {
        toks: tokens(text)?,
        pos: 0,
    };
    if p.toks.is_empty() {
        return Err("empty expression".into());
    }
    let e = p.or()?;
    match p.peek() {
        None => Ok(e),
        Some(t) => Err(format!("unexpected {} after `{e}`", describe(t))),
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Num(n) => format!("number {n}"),
        Tok::Word(w) => format!("`{w}`"),
        Tok::Str(s) => format!("\"{s}\""),
        Tok::Sym(s) => format!("`{s}`"),
    }
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.peek().cloned();
        self.pos += 1;
        t
    }

    fn eat_word(&mut self, w: &str) -> bool {
        let hit = matches!(self.peek(), Some(Tok::Word(x)) if x == w);
        self.pos += usize::from(hit);
        hit
    }

    fn eat_sym(&mut self, s: &str) -> bool {
        let hit = matches!(self.peek(), Some(Tok::Sym(x)) if *x == s);
        self.pos += usize::from(hit);
        hit
    }

    fn expect_sym(&mut self, s: &str, after: &str) -> Result<(), String> {
        if self.eat_sym(s) {
            return Ok(());
        }
        Err(match self.peek() {
            Some(t) => format!("expected `{s}` {after}, found {}", describe(t)),
            None => format!("expected `{s}` {after}, found the end"),
        })
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut e = self.and()?;
        while self.eat_word("or") {
            e = Expr::Bin(Op::Or, Box::new(e), Box::new(self.and()?));
        }
        Ok(e)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut e = self.not()?;
        while self.eat_word("and") {
            e = Expr::Bin(Op::And, Box::new(e), Box::new(self.not()?));
        }
        Ok(e)
    }

    fn not(&mut self) -> Result<Expr, String> {
        if self.eat_word("not") {
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, String> {
        let a = self.sum()?;
        let ops = [
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("==", Op::Eq),
            ("!=", Op::Ne),
            ("<", Op::Lt),
            (">", Op::Gt),
        ];
        for (s, op) in ops {
            if self.eat_sym(s) {
                let b = self.sum()?;
                return Ok(Expr::Bin(op, Box::new(a), Box::new(b)));
            }
        }
        Ok(a)
    }

    fn sum(&mut self) -> Result<Expr, String> {
        let mut e = self.product()?;
        loop {
            let op = if self.eat_sym("+") {
                Op::Add
            } else if self.eat_sym("-") {
                Op::Sub
            } else {
                return Ok(e);
            };
            e = Expr::Bin(op, Box::new(e), Box::new(self.product()?));
        }
    }

    fn product(&mut self) -> Result<Expr, String> {
        let mut e = self.unary()?;
        loop {
            let op = if self.eat_sym("*") {
                Op::Mul
            } else if self.eat_sym("/") {
                Op::Div
            } else {
                return Ok(e);
            };
            e = Expr::Bin(op, Box::new(e), Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.eat_sym("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, String> {
        match self.next() {
            Some(Tok::Num(n)) => Ok(Expr::Num(n)),
            Some(Tok::Sym("(")) => {
                let e = self.or()?;
                self.expect_sym(")", "to close `(`")?;
                Ok(e)
            }
            Some(Tok::Word(w)) if w == "cores" => Ok(Expr::Cores),
            Some(Tok::Word(w)) if w == "workers" => Ok(Expr::Workers),
            Some(Tok::Word(w)) => self.call(&w),
            Some(t) => Err(format!("expected a value, found {}", describe(&t))),
            None => Err("expected a value, found the end".into()),
        }
    }

    fn call(&mut self, name: &str) -> Result<Expr, String> {
        let func = Func::from_name(name).ok_or_else(|| {
            if matches!(self.peek(), Some(Tok::Sym("("))) {
                format!("unknown function `{name}` (known: {})", Func::all_names())
            } else {
                format!("unknown name `{name}` (values are numbers, `cores`, `workers` or function calls)")
            }
        })?;
        self.expect_sym("(", &format!("after `{name}`"))?;
        let mut variant = None;
        let mut metric = None;
        if func.takes() != Takes::Nothing {
            match self.next() {
                Some(Tok::Word(v)) => variant = Some(v),
                _ => return Err(format!("`{name}(..)` needs a variant name: `{name}(pool)`")),
            }
        }
        if func.takes() == Takes::VariantAndName {
            self.expect_sym(",", "after the variant of `metric`")?;
            match self.next() {
                Some(Tok::Str(s)) => metric = Some(s),
                _ => return Err("`metric(V, \"name\")` needs the metric's name in quotes".into()),
            }
        }
        self.expect_sym(")", &format!("to close `{name}(`"))?;
        Ok(Expr::Call {
            func,
            variant,
            name: metric,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::Kind;
    use super::*;

    fn round(s: &str) -> String {
        parse(s).unwrap().to_string()
    }

    #[test]
    fn precedence_and_printing() {
        assert_eq!(round("speedup(pool) > 1.2"), "speedup(pool) > 1.2");
        assert_eq!(round("1 + 2 * 3"), "1 + 2 * 3");
        assert_eq!(round("(1 + 2) * 3"), "(1 + 2) * 3");
        assert_eq!(
            round("speedup(pool)>=0.8 and speedup(pool)<=1.2 or not correct(no-join)"),
            "speedup(pool) >= 0.8 and speedup(pool) <= 1.2 or not correct(no-join)"
        );
        assert_eq!(
            round("metric(pool, \"lost updates\") == 0"),
            "metric(pool, \"lost updates\") == 0"
        );
        assert_eq!(round("max_efficiency() / 0.9"), "max_efficiency() / 0.9");
        assert_eq!(round("cores - 1"), "cores - 1");
        assert_eq!(round("-(1 - 2)"), "-(1 - 2)");
    }

    #[test]
    fn kinds() {
        assert_eq!(parse("speedup(pool) > 1").unwrap().kind(), Ok(Kind::Bool));
        assert_eq!(parse("median(pool) / 2").unwrap().kind(), Ok(Kind::Num));
        assert!(parse("correct(pool) + 1").unwrap().kind().is_err());
        assert!(
            parse("speedup(pool) and correct(pool)")
                .unwrap()
                .kind()
                .is_err()
        );
        assert_eq!(
            parse("correct(pool) == correct(rayon)").unwrap().kind(),
            Ok(Kind::Bool)
        );
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let e = |s: &str| parse(s).unwrap_err();
        assert!(
            e("spedup(pool) > 1").starts_with("unknown function `spedup`"),
            "{}",
            e("spedup(pool)")
        );
        assert!(e("speedup(pool) >").contains("found the end"));
        assert!(e("speedup(pool > 1").contains("expected `)`"));
        assert!(e("speedup() > 1").contains("needs a variant"));
        assert!(e("metric(pool, lost) > 1").contains("in quotes"));
        assert!(e("1 2").contains("unexpected number 2"));
        assert!(e("speedup(pool) # 2").contains("unexpected `#`"));
        assert!(e("threads > 2").contains("unknown name `threads`"));
        assert!(e("").contains("empty"));
        assert!(e("metric(pool, \"x) > 1").contains("never closed"));
    }

    #[test]
    fn variants_are_listed() {
        let e = parse("speedup(no-join) > speedup(pool) and max_speedup() > 1").unwrap();
        assert_eq!(e.variants(), ["no-join", "pool"]);
    }
}
