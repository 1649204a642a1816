//! The slide as one self-contained HTML page: the SVG inline (no external file, font or
//! script), then every number as text: the full `parlab run` table, or the sweep table.

use super::{Slides, svg};

/// Escapes text for HTML element content and attribute values.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page.
pub fn html(s: &Slides) -> String {
    let (title, sub) = s.title();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"generator\" content=\"parlab {}\">\n<title>{}</title>\n<style>\n\
         body {{ font-family: sans-serif; margin: 2em; color: #000; background: #fff; }}\n\
         svg {{ max-width: 100%; height: auto; }}\n\
         pre {{ font-size: 15px; background: #f4f4f4; padding: 1em; overflow-x: auto; }}\n\
         </style>\n</head>\n<body>\n<h1>{}</h1>\n<p>{}</p>\n<figure>\n{}\n</figure>\n\
         <h2>Numbers</h2>\n<pre class=\"results\">{}</pre>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        escape(&title),
        escape(&title),
        escape(&sub),
        svg(s),
        escape(&s.results_text(true)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
    }
}
