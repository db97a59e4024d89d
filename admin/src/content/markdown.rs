//! Markdown as an editor previews it: CommonMark with tables, strikethrough
//! and task lists, raw HTML shown as text, so a preview never runs what an
//! entry holds.

use pulldown_cmark::{Event, Options, Parser, html};

pub fn to_html(text: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(text, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered_and_html_in_it_is_shown_not_run() {
        assert_eq!(
            to_html("Use **arborio**."),
            "<p>Use <strong>arborio</strong>.</p>\n"
        );
        let html = to_html("<script>alert(1)</script>\n\nA <img src=x onerror=y> b");
        assert!(
            !html.contains("<script") && !html.contains("<img"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }
}
