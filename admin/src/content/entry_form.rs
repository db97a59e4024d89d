//! An entry's form: the values of an entry as an editor works on them, read
//! from a stored entry or from a posted form, changed by the form's own
//! buttons (add, move, remove a component; unlink a relation), turned into
//! the data the engine writes, and drawn as one control per field.
//!
//! The working copy (the "model") is the engine's data shape with two
//! differences that keep the form simple: relations and media are always
//! lists of ids, and a value that is not valid yet keeps the text the editor
//! typed, so that it is shown back beside its error.
//!
//! Form names are paths: `title`, `seo.metaTitle`, `sections.2.heading`,
//! the same paths the engine's validation errors carry, so each message is
//! put beside its own input, inside components and dynamic zones too.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use askama::Template;
use cairn_core::schema::attribute::{Attribute, Kind};
use cairn_core::schema::kinds::Widget;
use cairn_core::schema::registry::Schema;
use serde_json::{Map, Value};

use super::blocks;
use crate::form::{FieldErrors, FormData};

/// The marker of a non-repeatable component that is there (its fields may
/// all be empty).
const PRESENT: &str = "__present";
/// The marker of one item of a repeatable component or dynamic zone.
const ITEM: &str = "__item";
/// Where a dynamic zone item names its component.
const COMPONENT: &str = "__component";
/// The text input that adds a relation or a file.
const ADD: &str = "__add";
/// A block's kind, text, kept picture, new picture, and a block kept whole.
const BLOCK_KIND: &str = "__block";
const BLOCK_TEXT: &str = "__text";
const BLOCK_IMAGE: &str = "__image";
const BLOCK_FILE: &str = "__file";
const BLOCK_RAW: &str = "__raw";

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Whether a relation or media field holds many.
fn multiple(kind: &Kind) -> bool {
    match kind {
        Kind::Relation(relation) => relation.kind.is_multiple(),
        Kind::Media(media) => media.multiple,
        _ => false,
    }
}

/// An id in a stored value: a documentId (relations), a file id (media),
/// or the object a populated read gives.
fn link_id(value: &Value, files: bool) -> Option<Value> {
    let key = if files { "id" } else { "documentId" };
    match value {
        Value::Object(object) => object.get(key).cloned(),
        Value::String(_) | Value::Number(_) => Some(value.clone()),
        _ => None,
    }
}

/// Text typed into a relation's or a media field's "add" input, resolved
/// by the handler (it needs the database) before the form is shown again
/// or saved.
#[derive(Debug, Clone)]
pub struct Lookup {
    /// The field's form path (an image block's, for `Lookup::image`).
    pub path: String,
    /// The related type's uid; `None` for files (the text is a file's id
    /// or name).
    pub target: Option<String>,
    pub text: String,
    /// The file is the picture of a blocks field's image block.
    pub image: bool,
}

/// The items of a dynamic zone's value, each with its component's uid and
/// attributes; items that name no component of the schema are left out.
fn zone_items<'v, 's>(
    schema: &'s Schema,
    value: &'v Value,
) -> impl Iterator<Item = (&'v str, Vec<&'s Attribute>, &'v Map<String, Value>)> {
    value.as_array().into_iter().flatten().filter_map(|item| {
        let uid = item.get(COMPONENT)?.as_str()?;
        let component = schema.component(uid)?;
        Some((
            uid,
            component.attributes.iter().collect(),
            item.as_object()?,
        ))
    })
}

/// The working copy of a group of attributes (a type's, or a component's)
/// read from a stored entry.
pub fn from_entry(
    schema: &Schema,
    attributes: &[&Attribute],
    entry: &Map<String, Value>,
) -> Map<String, Value> {
    let mut model = Map::new();
    for attribute in attributes {
        let Some(value) = entry.get(&attribute.name) else {
            continue;
        };
        let value = match &attribute.kind {
            Kind::Relation(_) | Kind::Media(_) => {
                let files = matches!(attribute.kind, Kind::Media(_));
                let ids = match value {
                    Value::Array(items) => items.iter().filter_map(|i| link_id(i, files)).collect(),
                    Value::Null => Vec::new(),
                    one => link_id(one, files).into_iter().collect(),
                };
                Value::Array(ids)
            }
            Kind::Component(reference) => {
                let Some(component) = schema.component(&reference.component) else {
                    continue;
                };
                let attrs: Vec<&Attribute> = component.attributes.iter().collect();
                let item = |v: &Value| {
                    v.as_object()
                        .map(|o| Value::Object(from_entry(schema, &attrs, o)))
                };
                match value {
                    Value::Array(items) => Value::Array(items.iter().filter_map(item).collect()),
                    Value::Null => Value::Null,
                    one => item(one).unwrap_or(Value::Null),
                }
            }
            Kind::DynamicZone(_) => Value::Array(
                zone_items(schema, value)
                    .map(|(uid, attrs, item)| {
                        let mut object = from_entry(schema, &attrs, item);
                        object.insert(COMPONENT.into(), Value::String(uid.to_owned()));
                        Value::Object(object)
                    })
                    .collect(),
            ),
            // The stored hash never reaches the form.
            Kind::Scalar(scalar) if scalar.capabilities().secret => continue,
            Kind::Scalar(_) => value.clone(),
        };
        model.insert(attribute.name.clone(), value);
    }
    model
}

/// The working copy of a group of attributes as a form posted it. Values
/// that cannot be read are kept as typed, with an error at their path;
/// text typed to add a relation or a file is left in `lookups`.
pub fn from_form(
    schema: &Schema,
    attributes: &[&Attribute],
    prefix: &str,
    form: &FormData,
    errors: &mut FieldErrors,
    lookups: &mut Vec<Lookup>,
) -> Map<String, Value> {
    let mut model = Map::new();
    for attribute in attributes {
        let path = join(prefix, &attribute.name);
        let value = match &attribute.kind {
            Kind::Scalar(scalar) => {
                let widget = scalar.widget();
                if widget == Widget::Blocks {
                    read_blocks(form, &path, lookups)
                } else if widget == Widget::Toggle {
                    if !form.0.iter().any(|(key, _)| *key == path) {
                        continue;
                    }
                    Value::Bool(form.flag(&path))
                } else {
                    let text = form.raw(&path);
                    if scalar.capabilities().secret {
                        // Empty keeps the stored password.
                        if text.is_empty() {
                            continue;
                        }
                        Value::String(text.to_owned())
                    } else if text.trim().is_empty() {
                        Value::Null
                    } else {
                        match widget.read(text) {
                            Ok(value) => value,
                            Err(message) => {
                                errors.add(&path, message);
                                Value::String(text.to_owned())
                            }
                        }
                    }
                }
            }
            Kind::Relation(_) | Kind::Media(_) => {
                let files = matches!(attribute.kind, Kind::Media(_));
                let ids = form
                    .all(&path)
                    .into_iter()
                    .map(|id| match id.parse::<i64>() {
                        Ok(number) if files => Value::from(number),
                        _ => Value::String(id),
                    })
                    .collect();
                let text = form.text(&join(&path, ADD));
                if !text.is_empty() {
                    lookups.push(Lookup {
                        path: path.clone(),
                        target: match &attribute.kind {
                            Kind::Relation(relation) => Some(relation.target.clone()),
                            _ => None,
                        },
                        text,
                        image: false,
                    });
                }
                Value::Array(ids)
            }
            Kind::Component(reference) => {
                let Some(component) = schema.component(&reference.component) else {
                    continue;
                };
                let attrs: Vec<&Attribute> = component.attributes.iter().collect();
                if reference.repeatable {
                    Value::Array(
                        items(form, &path)
                            .into_iter()
                            .map(|item| {
                                Value::Object(from_form(
                                    schema, &attrs, &item, form, errors, lookups,
                                ))
                            })
                            .collect(),
                    )
                } else if form.flag(&join(&path, PRESENT)) {
                    Value::Object(from_form(schema, &attrs, &path, form, errors, lookups))
                } else {
                    Value::Null
                }
            }
            Kind::DynamicZone(_) => Value::Array(
                items(form, &path)
                    .into_iter()
                    .filter_map(|item| {
                        let uid = form.text(&join(&item, COMPONENT));
                        let component = schema.component(&uid)?;
                        let attrs: Vec<&Attribute> = component.attributes.iter().collect();
                        let mut object = from_form(schema, &attrs, &item, form, errors, lookups);
                        object.insert(COMPONENT.into(), Value::String(uid));
                        Some(Value::Object(object))
                    })
                    .collect(),
            ),
        };
        model.insert(attribute.name.clone(), value);
    }
    model
}

/// A blocks field as its editor posted it: each item's kind and text made
/// into Strapi's block, blocks kept as they were passed through. No block
/// is null.
fn read_blocks(form: &FormData, path: &str, lookups: &mut Vec<Lookup>) -> Value {
    let blocks: Vec<Value> = items(form, path)
        .into_iter()
        .filter_map(|item| {
            let raw = form.raw(&join(&item, BLOCK_RAW));
            if !raw.is_empty() {
                return serde_json::from_str(raw).ok();
            }
            let kind = form.text(&join(&item, BLOCK_KIND));
            let image = serde_json::from_str(form.raw(&join(&item, BLOCK_IMAGE))).ok();
            let file = form.text(&join(&item, BLOCK_FILE));
            if kind == blocks::IMAGE && !file.is_empty() {
                lookups.push(Lookup {
                    path: item.clone(),
                    target: None,
                    text: file,
                    image: true,
                });
            }
            Some(blocks::from_text(
                &kind,
                form.raw(&join(&item, BLOCK_TEXT)),
                image,
            ))
        })
        .collect();
    if blocks.is_empty() {
        Value::Null
    } else {
        Value::Array(blocks)
    }
}

/// Sets the picture of the image block at `path`.
pub fn set_block_image(model: &mut Map<String, Value>, path: &str, file: Value) {
    if let Some(Value::Object(block)) = at_mut(model, path) {
        block.insert("image".into(), file);
    }
}

/// The paths of a list's items in the order the form posted them.
fn items(form: &FormData, path: &str) -> Vec<String> {
    let marker = format!(".{ITEM}");
    form.0
        .iter()
        .filter_map(|(key, _)| {
            let item = key.strip_suffix(&marker)?;
            let index = item.strip_prefix(path)?.strip_prefix('.')?;
            (index.parse::<usize>().is_ok()).then(|| item.to_owned())
        })
        .collect()
}

/// The value at a form path in the model.
fn at_mut<'m>(model: &'m mut Map<String, Value>, path: &str) -> Option<&'m mut Value> {
    let mut segments = path.split('.');
    let mut current = model.get_mut(segments.next()?)?;
    for segment in segments {
        current = match current {
            Value::Object(object) => object.get_mut(segment)?,
            Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Adds a resolved id to a relation or media field.
pub fn link(model: &mut Map<String, Value>, path: &str, id: Value) {
    if let Some(Value::Array(ids)) = at_mut(model, path)
        && !ids.contains(&id)
    {
        ids.push(id);
    }
}

/// A change a form button asks for, without saving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// A new item at the end of a repeatable component, a non-repeatable
    /// component made present, or (with a component uid) a dynamic zone item.
    Add(String, Option<String>),
    Remove(String),
    Up(String),
    Down(String),
    /// A relation or file taken off a field.
    Unlink(String, String),
    /// A Markdown field shown rendered beside its text; nothing changes.
    Preview(String),
    /// A new block of a kind at the end of a blocks field.
    AddBlock(String, String),
}

impl Edit {
    /// Reads a button's value: `add:sections`, `add:blocks:shared.quote`,
    /// `remove:sections.1`, `up:…`, `down:…`, `unlink:tags:<id>`.
    pub fn parse(text: &str) -> Option<Edit> {
        let (verb, rest) = text.split_once(':')?;
        Some(match verb {
            "add" => match rest.split_once(':') {
                Some((path, uid)) => Edit::Add(path.to_owned(), Some(uid.to_owned())),
                None => Edit::Add(rest.to_owned(), None),
            },
            "remove" => Edit::Remove(rest.to_owned()),
            "up" => Edit::Up(rest.to_owned()),
            "down" => Edit::Down(rest.to_owned()),
            "preview" => Edit::Preview(rest.to_owned()),
            "block" => {
                let (path, kind) = rest.split_once(':')?;
                Edit::AddBlock(path.to_owned(), kind.to_owned())
            }
            "unlink" => {
                let (path, id) = rest.split_once(':')?;
                Edit::Unlink(path.to_owned(), id.to_owned())
            }
            _ => return None,
        })
    }

    /// Applies the edit; false when its path is not in the form.
    pub fn apply(&self, model: &mut Map<String, Value>) -> bool {
        let parent = |path: &str| {
            path.rsplit_once('.')
                .map(|(p, i)| (p.to_owned(), i.parse::<usize>().ok()))
        };
        match self {
            Edit::Add(path, uid) => match at_mut(model, path) {
                Some(Value::Array(items)) => {
                    let mut item = Map::new();
                    if let Some(uid) = uid {
                        item.insert(COMPONENT.into(), Value::String(uid.clone()));
                    }
                    items.push(Value::Object(item));
                    true
                }
                Some(value @ Value::Null) => {
                    *value = Value::Object(Map::new());
                    true
                }
                _ => false,
            },
            Edit::Remove(path) => {
                if let Some((list, Some(index))) = parent(path)
                    && let Some(Value::Array(items)) = at_mut(model, &list)
                    && index < items.len()
                {
                    items.remove(index);
                    return true;
                }
                match at_mut(model, path) {
                    Some(value @ Value::Object(_)) => {
                        *value = Value::Null;
                        true
                    }
                    _ => false,
                }
            }
            Edit::Up(path) | Edit::Down(path) => {
                let Some((list, Some(index))) = parent(path) else {
                    return false;
                };
                let Some(Value::Array(items)) = at_mut(model, &list) else {
                    return false;
                };
                let other = match self {
                    Edit::Up(_) => index.checked_sub(1),
                    _ => Some(index + 1),
                };
                match other {
                    Some(other) if other < items.len() && index < items.len() => {
                        items.swap(index, other);
                        true
                    }
                    _ => false,
                }
            }
            Edit::Preview(_) => true,
            Edit::AddBlock(path, kind) => {
                let Some(block) = blocks::empty(kind) else {
                    return false;
                };
                match at_mut(model, path) {
                    Some(Value::Array(list)) => {
                        list.push(block);
                        true
                    }
                    Some(value @ Value::Null) => {
                        *value = Value::Array(vec![block]);
                        true
                    }
                    _ => false,
                }
            }
            Edit::Unlink(path, id) => match at_mut(model, path) {
                Some(Value::Array(ids)) => {
                    let before = ids.len();
                    ids.retain(|v| match v {
                        Value::String(s) => s != id,
                        other => id.parse::<i64>().ok() != other.as_i64(),
                    });
                    ids.len() != before
                }
                _ => false,
            },
        }
    }
}

/// The data the engine writes, from a working copy: single relations and
/// media as one id or null, components as their fields.
pub fn to_data(
    schema: &Schema,
    attributes: &[&Attribute],
    model: &Map<String, Value>,
) -> Map<String, Value> {
    let mut data = Map::new();
    for attribute in attributes {
        let Some(value) = model.get(&attribute.name) else {
            continue;
        };
        let value = match &attribute.kind {
            Kind::Relation(_) | Kind::Media(_) if !multiple(&attribute.kind) => value
                .as_array()
                .and_then(|ids| ids.last().cloned())
                .unwrap_or(Value::Null),
            Kind::Component(reference) => {
                let Some(component) = schema.component(&reference.component) else {
                    continue;
                };
                let attrs: Vec<&Attribute> = component.attributes.iter().collect();
                match value {
                    Value::Array(items) => Value::Array(
                        items
                            .iter()
                            .filter_map(Value::as_object)
                            .map(|item| Value::Object(to_data(schema, &attrs, item)))
                            .collect(),
                    ),
                    Value::Object(item) => Value::Object(to_data(schema, &attrs, item)),
                    other => other.clone(),
                }
            }
            Kind::DynamicZone(_) => Value::Array(
                zone_items(schema, value)
                    .map(|(uid, attrs, item)| {
                        let mut object = to_data(schema, &attrs, item);
                        object.insert(COMPONENT.into(), Value::String(uid.to_owned()));
                        Value::Object(object)
                    })
                    .collect(),
            ),
            _ => value.clone(),
        };
        data.insert(attribute.name.clone(), value);
    }
    data
}

/// The ids a form shows and needs names for: documents by related type,
/// and files.
#[derive(Debug, Default)]
pub struct References {
    pub documents: BTreeMap<String, BTreeSet<String>>,
    pub files: BTreeSet<i64>,
}

impl References {
    pub fn collect(schema: &Schema, attributes: &[&Attribute], model: &Map<String, Value>) -> Self {
        let mut references = References::default();
        references.walk(schema, attributes, model);
        references
    }

    fn walk(&mut self, schema: &Schema, attributes: &[&Attribute], model: &Map<String, Value>) {
        for attribute in attributes {
            let Some(value) = model.get(&attribute.name) else {
                continue;
            };
            let ids = value.as_array().into_iter().flatten();
            match &attribute.kind {
                Kind::Relation(relation) => {
                    let set = self.documents.entry(relation.target.clone()).or_default();
                    set.extend(ids.filter_map(Value::as_str).map(str::to_owned));
                }
                Kind::Media(_) => self.files.extend(ids.filter_map(Value::as_i64)),
                Kind::Component(reference) => {
                    if let Some(component) = schema.component(&reference.component) {
                        let attrs: Vec<&Attribute> = component.attributes.iter().collect();
                        let items: Vec<&Map<String, Value>> = match value {
                            Value::Array(items) => {
                                items.iter().filter_map(Value::as_object).collect()
                            }
                            Value::Object(item) => vec![item],
                            _ => Vec::new(),
                        };
                        for item in items {
                            self.walk(schema, &attrs, item);
                        }
                    }
                }
                Kind::DynamicZone(_) => {
                    for (_, attrs, item) in zone_items(schema, value) {
                        self.walk(schema, &attrs, item);
                    }
                }
                Kind::Scalar(_) => {}
            }
        }
    }
}

/// A file as a form shows it.
#[derive(Debug, Clone)]
pub struct FileLabel {
    pub name: String,
    /// A small preview, for images.
    pub thumbnail: Option<String>,
}

/// Names of the ids a form shows.
#[derive(Debug, Default)]
pub struct Labels {
    /// By related type uid, then documentId.
    pub documents: HashMap<String, HashMap<String, String>>,
    pub files: HashMap<i64, FileLabel>,
}

/// One related entry or file on a field, with the button that unlinks it.
pub struct Linked {
    pub id: String,
    pub label: String,
    pub thumbnail: Option<String>,
    /// Not found: deleted since it was linked.
    pub missing: bool,
}

/// An item of a repeatable component or dynamic zone, drawn ahead.
pub struct Item {
    pub path: String,
    /// Its component and position: "Quote 2".
    pub label: String,
    /// The component's uid, for dynamic zones.
    pub component: Option<String>,
    pub html: String,
    pub first: bool,
    pub last: bool,
}

/// One block of a blocks field.
pub struct BlockItem {
    pub path: String,
    /// "Block 3".
    pub label: String,
    /// Its kind; `None` for a block kept as it is.
    pub kind: Option<String>,
    pub text: String,
    /// An image block's picture: its URL and alternative text.
    pub image: Option<(String, String)>,
    /// The picture as stored, or the whole block when it is kept as it is.
    pub json: String,
    pub first: bool,
    pub last: bool,
}

/// What an editor types a field's value with.
pub enum Control {
    Input {
        kind: &'static str,
        value: String,
        step: Option<&'static str>,
        min: Option<String>,
        max: Option<String>,
        max_length: Option<u64>,
    },
    TextArea {
        value: String,
        max_length: Option<u64>,
        /// `markdown`, `json` or `blocks`: what the text is, for the editor's help.
        format: Option<&'static str>,
        /// Markdown rendered, when its preview was asked for.
        preview: Option<String>,
    },
    Blocks {
        items: Vec<BlockItem>,
    },
    Password {
        /// The entry exists: an empty input keeps what it has.
        stored: bool,
    },
    Toggle {
        checked: bool,
    },
    Select {
        value: String,
        options: Vec<String>,
    },
    Uid {
        value: String,
        /// The control of the field it is made from.
        source: Option<(String, String)>,
        /// Where to ask for a proposal or whether a value is free; fields
        /// inside components have none (they are not unique).
        check: Option<String>,
    },
    Links {
        multiple: bool,
        /// The related type's uid, for the search as you type; `None` for media.
        target: Option<String>,
        target_name: String,
        linked: Vec<Linked>,
    },
    Component {
        repeatable: bool,
        component_name: String,
        items: Vec<Item>,
        can_add: bool,
    },
    Zone {
        items: Vec<Item>,
        /// Uid, name, and the uid as an id part.
        choices: Vec<(String, String, String)>,
        can_add: bool,
    },
}

/// One field of the form.
pub struct FieldView {
    pub path: String,
    pub label: String,
    pub required: bool,
    pub hint: Option<String>,
    pub error: Option<String>,
    pub control: Control,
}

impl FieldView {
    /// The id of the field's control.
    pub fn id(&self) -> String {
        format!("field-{}", self.path.replace('.', "-"))
    }
}

/// A group of fields, drawn on its own so that components can nest.
#[derive(Template)]
#[template(path = "content/fields.html")]
pub struct Fields {
    pub fields: Vec<FieldView>,
}

/// What a view is drawn from.
pub struct Drawing<'a> {
    pub schema: &'a Schema,
    pub errors: &'a FieldErrors,
    pub labels: &'a Labels,
    /// The paths of password fields an empty input keeps (those of an entry
    /// that exists); their values are never read.
    pub stored_secrets: &'a BTreeSet<String>,
    /// Where the entry's uid fields ask what they would take and whether a
    /// value is free (`field` and `text` are added).
    pub uid_check: &'a str,
    /// The Markdown field whose preview was asked for.
    pub preview: Option<&'a str>,
}

fn text_of(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

fn option_text(scalar: &cairn_core::schema::kinds::Scalar, name: &str) -> Option<String> {
    scalar.option(name).map(|v| text_of(Some(v)))
}

/// The controls of a group of attributes.
pub fn views(
    drawing: &Drawing<'_>,
    attributes: &[&Attribute],
    prefix: &str,
    model: &Map<String, Value>,
) -> Result<Vec<FieldView>, askama::Error> {
    let mut fields = Vec::new();
    for attribute in attributes {
        let path = join(prefix, &attribute.name);
        let value = model.get(&attribute.name);
        let mut hint = None;
        let control = match &attribute.kind {
            Kind::Scalar(scalar) => {
                let text = text_of(value);
                let max_length = scalar.option("maxLength").and_then(Value::as_u64);
                if let Some(max) = max_length {
                    hint = Some(format!("At most {max} characters."));
                }
                let input = |kind: &'static str, value: String, step: Option<&'static str>| {
                    Control::Input {
                        kind,
                        value,
                        step,
                        min: option_text(scalar, "min"),
                        max: option_text(scalar, "max"),
                        max_length,
                    }
                };
                match scalar.widget() {
                    Widget::Text => input("text", text, None),
                    Widget::Email => input("email", text, None),
                    Widget::Integer => input("number", text, Some("1")),
                    Widget::Decimal => input("number", text, Some("any")),
                    Widget::Date => input("date", text, None),
                    Widget::Time => input("time", text, Some("0.001")),
                    Widget::DateTime => {
                        hint = Some("In UTC.".to_owned());
                        input(
                            "datetime-local",
                            text.trim_end_matches('Z').to_owned(),
                            Some("0.001"),
                        )
                    }
                    Widget::TextArea => Control::TextArea {
                        value: text,
                        max_length,
                        format: None,
                        preview: None,
                    },
                    Widget::Markdown => Control::TextArea {
                        preview: (drawing.preview == Some(path.as_str()))
                            .then(|| super::markdown::to_html(&text)),
                        value: text,
                        max_length,
                        format: Some("markdown"),
                    },
                    Widget::Blocks => {
                        let list: &[Value] =
                            value.and_then(Value::as_array).map_or(&[], Vec::as_slice);
                        let count = list.len();
                        let items = list
                            .iter()
                            .enumerate()
                            .map(|(index, block)| {
                                let item = join(&path, &index.to_string());
                                let (kind, text, json) = match blocks::to_text(block) {
                                    Some((kind, text)) => {
                                        let image = block.get("image").filter(|i| !i.is_null());
                                        (
                                            Some(kind),
                                            text,
                                            image.map(Value::to_string).unwrap_or_default(),
                                        )
                                    }
                                    None => (None, String::new(), block.to_string()),
                                };
                                let image = block.get("image").filter(|i| !i.is_null()).map(|i| {
                                    (text_of(i.get("url")), text_of(i.get("alternativeText")))
                                });
                                BlockItem {
                                    label: format!("Block {}", index + 1),
                                    path: item,
                                    kind,
                                    text,
                                    image,
                                    json,
                                    first: index == 0,
                                    last: index + 1 == count,
                                }
                            })
                            .collect();
                        Control::Blocks { items }
                    }
                    Widget::Json => Control::TextArea {
                        value: match value {
                            Some(Value::String(raw)) if drawing.errors.get(&path).is_some() => {
                                raw.clone()
                            }
                            None | Some(Value::Null) => String::new(),
                            Some(other) => serde_json::to_string_pretty(other).unwrap_or_default(),
                        },
                        max_length: None,
                        format: Some("json"),
                        preview: None,
                    },
                    Widget::Password => Control::Password {
                        stored: drawing.stored_secrets.contains(&path),
                    },
                    Widget::Toggle => Control::Toggle {
                        checked: value == Some(&Value::Bool(true)),
                    },
                    Widget::Select(options) => Control::Select {
                        value: text,
                        options,
                    },
                    Widget::Uid => Control::Uid {
                        value: text,
                        source: scalar.source_field().map(|source| {
                            let id = format!("field-{}", join(prefix, source).replace('.', "-"));
                            (source.to_owned(), id)
                        }),
                        check: prefix
                            .is_empty()
                            .then(|| format!("{}&field={}", drawing.uid_check, attribute.name)),
                    },
                }
            }
            Kind::Relation(_) | Kind::Media(_) => {
                let target = match &attribute.kind {
                    Kind::Relation(relation) => Some(relation.target.clone()),
                    _ => None,
                };
                let names = target
                    .as_ref()
                    .and_then(|t| drawing.labels.documents.get(t));
                let linked = value
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|id| {
                        let (label, thumbnail) = match (id, names) {
                            (Value::String(document_id), Some(names)) => {
                                (names.get(document_id).cloned(), None)
                            }
                            (Value::Number(n), _) => {
                                match n.as_i64().and_then(|n| drawing.labels.files.get(&n)) {
                                    Some(file) => (Some(file.name.clone()), file.thumbnail.clone()),
                                    None => (None, None),
                                }
                            }
                            _ => (None, None),
                        };
                        let id = text_of(Some(id));
                        Linked {
                            missing: label.is_none(),
                            label: label.unwrap_or_else(|| id.clone()),
                            thumbnail,
                            id,
                        }
                    })
                    .collect();
                Control::Links {
                    multiple: multiple(&attribute.kind),
                    target_name: match &target {
                        Some(uid) => drawing
                            .schema
                            .content_type(uid)
                            .map_or_else(|| uid.clone(), |t| t.display_name().to_owned()),
                        None => "file".to_owned(),
                    },
                    target,
                    linked,
                }
            }
            Kind::Component(reference) => {
                let Some(component) = drawing.schema.component(&reference.component) else {
                    continue;
                };
                let attrs: Vec<&Attribute> = component.attributes.iter().collect();
                let name = component.def.info.display_name.clone();
                let objects: Vec<&Map<String, Value>> = match value {
                    Some(Value::Array(items)) => {
                        items.iter().filter_map(Value::as_object).collect()
                    }
                    Some(Value::Object(item)) => vec![item],
                    _ => Vec::new(),
                };
                let count = objects.len();
                let mut items = Vec::new();
                for (index, object) in objects.into_iter().enumerate() {
                    let item_path = if reference.repeatable {
                        join(&path, &index.to_string())
                    } else {
                        path.clone()
                    };
                    let html = Fields {
                        fields: views(drawing, &attrs, &item_path, object)?,
                    }
                    .render()?;
                    items.push(Item {
                        label: format!("{name} {}", index + 1),
                        component: None,
                        first: index == 0,
                        last: index + 1 == count,
                        path: item_path,
                        html,
                    });
                }
                Control::Component {
                    repeatable: reference.repeatable,
                    can_add: if reference.repeatable {
                        reference.max.is_none_or(|max| (count as u64) < max)
                    } else {
                        count == 0
                    },
                    component_name: name,
                    items,
                }
            }
            Kind::DynamicZone(zone) => {
                let entries: Vec<&Map<String, Value>> = value
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_object)
                    .collect();
                let count = entries.len();
                let mut items = Vec::new();
                for (index, object) in entries.into_iter().enumerate() {
                    let uid = text_of(object.get(COMPONENT));
                    let Some(component) = drawing.schema.component(&uid) else {
                        continue;
                    };
                    let attrs: Vec<&Attribute> = component.attributes.iter().collect();
                    let item_path = join(&path, &index.to_string());
                    let html = Fields {
                        fields: views(drawing, &attrs, &item_path, object)?,
                    }
                    .render()?;
                    items.push(Item {
                        label: format!("{} {}", component.def.info.display_name, index + 1),
                        component: Some(uid),
                        first: index == 0,
                        last: index + 1 == count,
                        path: item_path,
                        html,
                    });
                }
                Control::Zone {
                    items,
                    choices: zone
                        .components
                        .iter()
                        .map(|uid| {
                            let name = drawing
                                .schema
                                .component(uid)
                                .map_or_else(|| uid.clone(), |c| c.def.info.display_name.clone());
                            (uid.clone(), name, uid.replace('.', "-"))
                        })
                        .collect(),
                    can_add: zone.max.is_none_or(|max| (count as u64) < max),
                }
            }
        };
        fields.push(FieldView {
            error: drawing.errors.get(&path),
            label: attribute.name.clone(),
            required: attribute.required,
            hint,
            path,
            control,
        });
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn model(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn buttons_add_move_and_remove_items_and_unlink_ids() {
        let mut m =
            model(json!({"sections": [{"a": 1}, {"a": 2}], "seo": null, "tags": ["x", "y"]}));
        assert!(Edit::parse("down:sections.0").is_some_and(|e| e.apply(&mut m)));
        assert_eq!(m["sections"], json!([{"a": 2}, {"a": 1}]));
        assert!(!Edit::parse("down:sections.1").is_some_and(|e| e.apply(&mut m)));
        assert!(Edit::parse("add:sections:shared.quote").is_some_and(|e| e.apply(&mut m)));
        assert_eq!(m["sections"][2], json!({"__component": "shared.quote"}));
        assert!(Edit::parse("remove:sections.0").is_some_and(|e| e.apply(&mut m)));
        assert_eq!(m["sections"].as_array().map(Vec::len), Some(2));
        assert!(Edit::parse("add:seo").is_some_and(|e| e.apply(&mut m)));
        assert_eq!(m["seo"], json!({}));
        assert!(Edit::parse("remove:seo").is_some_and(|e| e.apply(&mut m)));
        assert_eq!(m["seo"], Value::Null);
        assert!(Edit::parse("unlink:tags:x").is_some_and(|e| e.apply(&mut m)));
        assert_eq!(m["tags"], json!(["y"]));
        assert_eq!(Edit::parse("explode:tags"), None);
    }

    #[test]
    fn items_are_read_in_the_order_they_were_posted() {
        let form = FormData(vec![
            ("blocks.2.__item".into(), String::new()),
            ("blocks.0.__item".into(), String::new()),
            ("blocks.10.title.__item".into(), String::new()),
            ("other.1.__item".into(), String::new()),
        ]);
        assert_eq!(items(&form, "blocks"), vec!["blocks.2", "blocks.0"]);
    }
}
