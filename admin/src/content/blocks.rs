//! Strapi's `blocks` rich text, edited as a list of blocks: each a kind
//! (paragraph, heading, list, quote, code, image) and its text, with inline
//! marks written as Markdown (`**bold**`, `*italic*`, `~~struck~~`,
//! `` `code` ``, `<u>underlined</u>`, `[a link](https://…)`) and lists one
//! item per line. What is stored is exactly Strapi's JSON.
//!
//! A block the editor cannot write back exactly as it is (a nested list, a
//! mark Cairn does not know) is kept untouched: it can be moved or removed,
//! not edited, so no edit ever changes what it did not touch.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde_json::{Map, Value, json};

/// The kinds of block an editor can add, with their labels.
pub const KINDS: [(&str, &str); 11] = [
    ("paragraph", "Paragraph"),
    ("heading-1", "Heading 1"),
    ("heading-2", "Heading 2"),
    ("heading-3", "Heading 3"),
    ("heading-4", "Heading 4"),
    ("heading-5", "Heading 5"),
    ("heading-6", "Heading 6"),
    ("list-unordered", "Bulleted list"),
    ("list-ordered", "Numbered list"),
    ("quote", "Quote"),
    ("code", "Code"),
];

/// The kind of an image block, added with a file.
pub const IMAGE: &str = "image";

fn text_node(text: &str) -> Value {
    json!({ "type": "text", "text": text })
}

/// A new, empty block of `kind`.
pub fn empty(kind: &str) -> Option<Value> {
    if kind == IMAGE {
        return Some(json!({ "type": "image", "image": null, "children": [text_node("")] }));
    }
    KINDS
        .iter()
        .any(|(k, _)| *k == kind)
        .then(|| from_text(kind, "", None))
}

/// A block from its kind and text; `image` is an image block's file.
pub fn from_text(kind: &str, text: &str, image: Option<Value>) -> Value {
    match kind {
        IMAGE => {
            json!({ "type": "image", "image": image.unwrap_or(Value::Null), "children": [text_node("")] })
        }
        "code" => json!({ "type": "code", "children": [text_node(text)] }),
        "quote" => json!({ "type": "quote", "children": inline(text) }),
        "list-unordered" | "list-ordered" => {
            let items: Vec<Value> = text
                .lines()
                .map(strip_marker)
                .filter(|line| !line.trim().is_empty())
                .map(|line| json!({ "type": "list-item", "children": inline(line) }))
                .collect();
            let format = kind.trim_start_matches("list-");
            json!({ "type": "list", "format": format, "children": items })
        }
        heading if heading.starts_with("heading-") => {
            let level: u64 = heading[8..].parse().unwrap_or(2);
            json!({ "type": "heading", "level": level, "children": inline(text) })
        }
        _ => json!({ "type": "paragraph", "children": inline(text) }),
    }
}

/// A list line without the `- `, `* ` or `1. ` an editor may type.
fn strip_marker(line: &str) -> &str {
    let trimmed = line.trim_start();
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = trimmed.strip_prefix(marker) {
            return rest;
        }
    }
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    if digits > 0
        && let Some(rest) = trimmed[digits..].strip_prefix(". ")
    {
        return rest;
    }
    line
}

/// A block as the editor shows it: its kind and text. `None` when the
/// editor could not write it back exactly (it is then kept as it is).
pub fn to_text(block: &Value) -> Option<(String, String)> {
    let kind = match block.get("type")?.as_str()? {
        "heading" => format!("heading-{}", block.get("level")?.as_u64()?),
        "list" => format!("list-{}", block.get("format")?.as_str()?),
        other => other.to_owned(),
    };
    let children = block.get("children")?.as_array()?;
    let text = match kind.as_str() {
        IMAGE => String::new(),
        "code" => children
            .iter()
            .map(|c| c.get("text").and_then(Value::as_str).unwrap_or_default())
            .collect(),
        k if k.starts_with("list-") => children
            .iter()
            .map(|item| {
                Some(format!(
                    "- {}",
                    nodes_text(item.get("children")?.as_array()?)
                ))
            })
            .collect::<Option<Vec<_>>>()?
            .join("\n"),
        _ => nodes_text(children),
    };
    let image = block.get("image").cloned();
    // Only what comes back exactly is editable.
    (from_text(&kind, &text, image) == *block).then_some((kind, text))
}

/// Inline nodes as Markdown.
fn nodes_text(nodes: &[Value]) -> String {
    let mut out = String::new();
    for node in nodes {
        match node.get("type").and_then(Value::as_str) {
            Some("link") => {
                let children = node.get("children").and_then(Value::as_array);
                let url = node.get("url").and_then(Value::as_str).unwrap_or_default();
                out.push('[');
                out.push_str(&nodes_text(children.map_or(&[][..], Vec::as_slice)));
                out.push_str("](");
                out.push_str(&url.replace(' ', "%20").replace(')', "%29"));
                out.push(')');
            }
            _ => {
                let text = node.get("text").and_then(Value::as_str).unwrap_or_default();
                let flag = |name: &str| node.get(name).and_then(Value::as_bool) == Some(true);
                if text.is_empty() {
                    continue;
                }
                let mut piece = if flag("code") {
                    format!("`{text}`")
                } else {
                    escape(text)
                };
                if flag("strikethrough") {
                    piece = format!("~~{piece}~~");
                }
                if flag("italic") {
                    piece = format!("*{piece}*");
                }
                if flag("bold") {
                    piece = format!("**{piece}**");
                }
                if flag("underline") {
                    piece = format!("<u>{piece}</u>");
                }
                out.push_str(&piece);
            }
        }
    }
    out
}

/// Text taken literally by the Markdown reader.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut line_start = true;
    for c in text.chars() {
        let special = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~' | '&'
        ) || (line_start && matches!(c, '#' | '-' | '+' | '=' | '|'))
            || (line_start && c.is_ascii_digit());
        if special {
            out.push('\\');
        }
        out.push(c);
        line_start = c == '\n';
    }
    out
}

/// Marks in force while reading inline Markdown.
#[derive(Default, Clone)]
struct Marks {
    bold: bool,
    italic: bool,
    strikethrough: bool,
    underline: bool,
}

impl Marks {
    fn node(&self, text: &str, code: bool) -> Value {
        let mut node = Map::new();
        node.insert("type".into(), json!("text"));
        node.insert("text".into(), json!(text));
        for (name, on) in [
            ("bold", self.bold),
            ("italic", self.italic),
            ("underline", self.underline),
            ("strikethrough", self.strikethrough),
            ("code", code),
        ] {
            if on {
                node.insert(name.into(), json!(true));
            }
        }
        Value::Object(node)
    }
}

/// Inline Markdown as Strapi's inline nodes; at least one (empty) text.
fn inline(text: &str) -> Vec<Value> {
    let mut marks = Marks::default();
    let mut nodes: Vec<Value> = Vec::new();
    // The link being read: its url and its children.
    let mut link: Option<(String, Vec<Value>)> = None;
    let push = |node: Value, nodes: &mut Vec<Value>, link: &mut Option<(String, Vec<Value>)>| {
        let target = match link {
            Some((_, children)) => children,
            None => nodes,
        };
        // Neighbouring text with the same marks is one node, as Strapi writes it.
        if let (Some(Value::Object(last)), Value::Object(next)) = (target.last_mut(), &node) {
            let same = last.len() == next.len()
                && last
                    .iter()
                    .all(|(k, v)| k == "text" || next.get(k) == Some(v));
            if same && last.get("type") == Some(&json!("text")) {
                let joined = format!(
                    "{}{}",
                    last.get("text").and_then(Value::as_str).unwrap_or_default(),
                    next.get("text").and_then(Value::as_str).unwrap_or_default()
                );
                last.insert("text".into(), json!(joined));
                return;
            }
        }
        target.push(node);
    };
    for event in Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Strong) => marks.bold = true,
            Event::End(TagEnd::Strong) => marks.bold = false,
            Event::Start(Tag::Emphasis) => marks.italic = true,
            Event::End(TagEnd::Emphasis) => marks.italic = false,
            Event::Start(Tag::Strikethrough) => marks.strikethrough = true,
            Event::End(TagEnd::Strikethrough) => marks.strikethrough = false,
            Event::InlineHtml(html) if html.as_ref() == "<u>" => marks.underline = true,
            Event::InlineHtml(html) if html.as_ref() == "</u>" => marks.underline = false,
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some((dest_url.to_string(), Vec::new()))
            }
            Event::End(TagEnd::Link) => {
                if let Some((url, children)) = link.take() {
                    let children = if children.is_empty() {
                        vec![text_node("")]
                    } else {
                        children
                    };
                    nodes.push(json!({ "type": "link", "url": url, "children": children }));
                }
            }
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                push(marks.node(&text, false), &mut nodes, &mut link);
            }
            Event::Code(code) => push(marks.node(&code, true), &mut nodes, &mut link),
            Event::SoftBreak | Event::HardBreak => {
                push(marks.node("\n", false), &mut nodes, &mut link)
            }
            Event::Start(Tag::Paragraph) if !nodes.is_empty() => {
                push(marks.node("\n\n", false), &mut nodes, &mut link);
            }
            _ => {}
        }
    }
    if nodes.is_empty() {
        nodes.push(text_node(""));
    }
    nodes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strapi_blocks_come_back_exactly_through_the_editor() {
        let blocks = json!([
            {"type": "heading", "level": 2, "children": [{"type": "text", "text": "Ingredients"}]},
            {"type": "paragraph", "children": [
                {"type": "text", "text": "Use "},
                {"type": "text", "text": "arborio", "bold": true},
                {"type": "text", "text": " rice, "},
                {"type": "text", "text": "not", "italic": true, "underline": true},
                {"type": "text", "text": " long grain "},
                {"type": "text", "text": "x*y", "code": true},
                {"type": "text", "text": " – see "},
                {"type": "link", "url": "https://example.com/rice", "children": [{"type": "text", "text": "the guide"}]},
                {"type": "text", "text": ". 2 * 3 = 6 [sic]"}
            ]},
            {"type": "list", "format": "ordered", "children": [
                {"type": "list-item", "children": [{"type": "text", "text": "Toast"}]},
                {"type": "list-item", "children": [{"type": "text", "text": "Stir", "strikethrough": true}]}
            ]},
            {"type": "quote", "children": [{"type": "text", "text": "# Less is more"}]},
            {"type": "code", "children": [{"type": "text", "text": "let x = *y;\nfn main() {}"}]},
            {"type": "paragraph", "children": [{"type": "text", "text": ""}]}
        ]);
        for block in blocks.as_array().into_iter().flatten() {
            let (kind, text) = to_text(block).unwrap_or_else(|| panic!("not editable: {block}"));
            assert_eq!(from_text(&kind, &text, None), *block, "{kind}: {text}");
        }
    }

    #[test]
    fn blocks_the_editor_cannot_write_back_are_kept_as_they_are() {
        let nested = json!({"type": "list", "format": "unordered", "children": [
            {"type": "list-item", "children": [{"type": "text", "text": "a"}]},
            {"type": "list", "format": "unordered", "indentLevel": 1, "children": []}
        ]});
        assert_eq!(to_text(&nested), None);
        assert_eq!(to_text(&json!({"type": "mystery", "children": []})), None);
    }

    #[test]
    fn typed_markdown_becomes_marks_and_list_items() {
        assert_eq!(
            from_text("list-unordered", "- one\n* **two**\n\n3. three", None),
            json!({"type": "list", "format": "unordered", "children": [
                {"type": "list-item", "children": [{"type": "text", "text": "one"}]},
                {"type": "list-item", "children": [{"type": "text", "text": "two", "bold": true}]},
                {"type": "list-item", "children": [{"type": "text", "text": "three"}]}
            ]})
        );
        assert_eq!(
            empty("heading-3"),
            Some(
                json!({"type": "heading", "level": 3, "children": [{"type": "text", "text": ""}]})
            )
        );
        assert_eq!(empty("marquee"), None);
    }
}
