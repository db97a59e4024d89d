//! What a list view shows, as its address says: the search, the filters,
//! the sort, the page and the locale. Every link of the list (a column
//! header, a filter's removal, the next page) is this state changed in one
//! way and written back as an address, so the browser's back button, a
//! bookmark and a shared link all show the same list.
//!
//! Filters are written `f=<path>~<operator>~<value>` (`f=price~$gte~10`,
//! `f=category.name~$containsi~kit`): one parameter per condition, so each
//! can be shown and removed on its own. They are checked against the schema
//! by the engine's resolver like any content API filter.

use std::sync::Arc;

use cairn_core::entries::ListOptions;
use cairn_core::error::Path;
use cairn_core::query::{Filter, Operand, Operator, Pagination, Sort};
use cairn_core::schema::registry::ContentType;

/// Page sizes an editor can pick.
pub const PAGE_SIZES: [u64; 4] = [10, 20, 50, 100];
const DEFAULT_PAGE_SIZE: u64 = 20;
/// Earlier pages remembered for "Previous"; beyond them it goes to the first.
const TRAIL_LIMIT: usize = 50;
/// The first page in the trail: it starts after no cursor. Cursors are
/// URL-safe base64, which has no dot.
const FIRST: &str = ".";

/// One filter condition as the editor set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// Field names joined by dots, through relations.
    pub path: String,
    pub operator: Operator,
    /// Empty for `$null` and `$notNull`.
    pub value: String,
}

impl Condition {
    /// Reads `path~operator~value`; `None` when it is not one.
    pub fn parse(text: &str) -> Option<Condition> {
        let mut parts = text.splitn(3, '~');
        let path = parts.next()?.trim();
        let operator = Operator::parse(parts.next()?)?;
        let value = parts.next().unwrap_or_default();
        (!path.is_empty()).then(|| Condition {
            path: path.to_owned(),
            operator,
            value: value.to_owned(),
        })
    }

    fn encode(&self) -> String {
        format!("{}~{}~{}", self.path, self.operator.name(), self.value)
    }

    fn filter(&self, index: usize) -> Filter {
        let operand = match self.operator {
            Operator::Null | Operator::NotNull => Operand::Flag(true),
            Operator::In | Operator::NotIn | Operator::Between => {
                Operand::Many(self.value.split(',').map(|v| v.trim().to_owned()).collect())
            }
            _ => Operand::One(self.value.clone()),
        };
        Filter::Condition {
            path: self.path.split('.').map(str::to_owned).collect(),
            operator: self.operator,
            operand,
            at: Arc::new(Path::from(["f", &index.to_string()])),
        }
    }

    /// How the condition reads in a filter chip: `price ≥ 10`.
    pub fn describe(&self) -> String {
        let words = match self.operator {
            Operator::Eq | Operator::Eqi => "is",
            Operator::Ne | Operator::Nei => "is not",
            Operator::Lt => "<",
            Operator::Lte => "≤",
            Operator::Gt => ">",
            Operator::Gte => "≥",
            Operator::In => "is one of",
            Operator::NotIn => "is none of",
            Operator::Contains | Operator::Containsi => "contains",
            Operator::NotContains | Operator::NotContainsi => "does not contain",
            Operator::Null => return format!("{} is empty", self.path),
            Operator::NotNull => return format!("{} is set", self.path),
            Operator::Between => "is between",
            Operator::StartsWith | Operator::StartsWithi => "starts with",
            Operator::EndsWith | Operator::EndsWithi => "ends with",
        };
        format!("{} {words} {}", self.path, self.value)
    }
}

/// A list view's state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListState {
    /// Text searched for in the type's main field.
    pub search: String,
    pub conditions: Vec<Condition>,
    /// A field name and whether it sorts descending.
    pub sort: Option<(String, bool)>,
    /// The cursor this page starts after; the first page has none.
    pub after: Option<String>,
    /// The cursors of the pages before this one, oldest first.
    pub trail: Vec<String>,
    pub page_size: u64,
    pub locale: Option<String>,
}

impl ListState {
    /// The state a list address's query pairs describe. Parameters it does
    /// not know are left out; malformed filters are reported by `invalid`.
    pub fn from_pairs(pairs: &[(String, String)]) -> (ListState, Vec<String>) {
        let mut state = ListState {
            page_size: DEFAULT_PAGE_SIZE,
            ..ListState::default()
        };
        let mut invalid = Vec::new();
        for (key, value) in pairs {
            match key.as_str() {
                "q" => state.search = value.trim().to_owned(),
                "f" => match Condition::parse(value) {
                    Some(condition) => state.conditions.push(condition),
                    None => invalid.push(value.clone()),
                },
                "sort" => {
                    let (field, direction) = value.split_once(':').unwrap_or((value, "asc"));
                    if !field.is_empty() {
                        state.sort = Some((field.to_owned(), direction == "desc"));
                    }
                }
                "after" if !value.is_empty() => state.after = Some(value.clone()),
                "trail" => {
                    state.trail = value
                        .split(',')
                        .filter(|c| !c.is_empty())
                        .map(str::to_owned)
                        .collect();
                }
                "size" => {
                    if let Ok(size) = value.parse::<u64>()
                        && PAGE_SIZES.contains(&size)
                    {
                        state.page_size = size;
                    }
                }
                "locale" if !value.is_empty() => state.locale = Some(value.clone()),
                _ => {}
            }
        }
        (state, invalid)
    }

    /// The address of this state's list of `uid`.
    pub fn href(&self, uid: &str) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if !self.search.is_empty() {
            query.append_pair("q", &self.search);
        }
        for condition in &self.conditions {
            query.append_pair("f", &condition.encode());
        }
        if let Some((field, descending)) = &self.sort {
            query.append_pair(
                "sort",
                &format!("{field}:{}", if *descending { "desc" } else { "asc" }),
            );
        }
        if let Some(after) = &self.after {
            query.append_pair("after", after);
        }
        if !self.trail.is_empty() {
            query.append_pair("trail", &self.trail.join(","));
        }
        if self.page_size != DEFAULT_PAGE_SIZE {
            query.append_pair("size", &self.page_size.to_string());
        }
        if let Some(locale) = &self.locale {
            query.append_pair("locale", locale);
        }
        let query = query.finish();
        if query.is_empty() {
            format!("/admin/content/{uid}")
        } else {
            format!("/admin/content/{uid}?{query}")
        }
    }

    /// The same list from its first page: any change to what it shows
    /// starts it over.
    pub fn first_page(&self) -> ListState {
        ListState {
            after: None,
            trail: Vec::new(),
            ..self.clone()
        }
    }

    /// Sorted by `field`: ascending first, descending when it already was.
    pub fn sorted_by(&self, field: &str) -> ListState {
        let descending = matches!(&self.sort, Some((f, false)) if f == field);
        ListState {
            sort: Some((field.to_owned(), descending)),
            ..self.first_page()
        }
    }

    pub fn without_condition(&self, index: usize) -> ListState {
        let mut state = self.first_page();
        if index < state.conditions.len() {
            state.conditions.remove(index);
        }
        state
    }

    pub fn with_condition(&self, condition: Condition) -> ListState {
        let mut state = self.first_page();
        state.conditions.push(condition);
        state
    }

    pub fn in_locale(&self, locale: &str) -> ListState {
        ListState {
            locale: Some(locale.to_owned()),
            ..self.first_page()
        }
    }

    /// The page after this one, which starts after `cursor`.
    pub fn next(&self, cursor: &str) -> ListState {
        let mut trail = self.trail.clone();
        trail.push(self.after.clone().unwrap_or_else(|| FIRST.to_owned()));
        if trail.len() > TRAIL_LIMIT {
            trail.remove(0);
        }
        ListState {
            after: Some(cursor.to_owned()),
            trail,
            ..self.clone()
        }
    }

    /// The page before this one, when there is one.
    pub fn previous(&self) -> Option<ListState> {
        self.after.as_ref()?;
        let mut trail = self.trail.clone();
        let after = trail.pop().filter(|cursor| cursor != FIRST);
        Some(ListState {
            after,
            trail,
            ..self.clone()
        })
    }

    /// The position of this page's first entry, from 1.
    pub fn first_position(&self) -> u64 {
        if self.after.is_none() {
            1
        } else {
            (self.trail.len() as u64) * self.page_size + 1
        }
    }

    /// How the engine lists this state: drafts (what editors work on),
    /// private fields included, newest first unless sorted, keyset pages
    /// with a remembered count.
    pub fn list_options(&self, content_type: &ContentType) -> ListOptions {
        let mut filters: Vec<Filter> = self
            .conditions
            .iter()
            .enumerate()
            .map(|(index, condition)| condition.filter(index))
            .collect();
        if !self.search.is_empty()
            && let Some(main) = content_type.main_field()
        {
            filters.push(Filter::Condition {
                path: vec![main.name().to_owned()],
                operator: Operator::Containsi,
                operand: Operand::One(self.search.clone()),
                at: Arc::new(Path::from("q")),
            });
        }
        let sort = match &self.sort {
            Some((field, descending)) => vec![Sort {
                path: vec![field.clone()],
                descending: *descending,
            }],
            // Newest first, read backwards along the index every table
            // has: at a million entries the first page costs what it does
            // at ten. Sorting by a column without an index of its own
            // reads every matching row (docs/schema.md: indexes).
            None => vec![Sort {
                path: vec!["id".to_owned()],
                descending: true,
            }],
        };
        ListOptions {
            read: super::editor_read(self.locale.clone()),
            filters: match filters.len() {
                0 => None,
                1 => filters.pop(),
                _ => Some(Filter::And(filters)),
            },
            sort,
            pagination: Pagination::Cursor {
                after: self.after.clone(),
                limit: self.page_size,
                with_count: true,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn an_address_reads_back_as_the_same_state() {
        let (state, invalid) = ListState::from_pairs(&pairs(&[
            ("q", "walnut"),
            ("f", "price~$gte~10"),
            ("f", "category.name~$containsi~a~b"),
            ("f", "nonsense"),
            ("sort", "price:desc"),
            ("size", "50"),
            ("locale", "fr"),
        ]));
        assert_eq!(invalid, vec!["nonsense".to_owned()]);
        assert_eq!(state.conditions[1].value, "a~b");
        let href = state.href("api::product.product");
        let query = href.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let again: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        assert_eq!(ListState::from_pairs(&again).0, state);
    }

    #[test]
    fn pages_go_forward_and_back_through_the_trail() {
        let (first, _) = ListState::from_pairs(&[]);
        let second = first.next("c1");
        let third = second.next("c2");
        assert_eq!(third.first_position(), 41);
        let query = third.href("t");
        let pairs: Vec<(String, String)> = form_urlencoded::parse(
            query
                .split_once('?')
                .map(|(_, q)| q)
                .unwrap_or_default()
                .as_bytes(),
        )
        .into_owned()
        .collect();
        assert_eq!(
            ListState::from_pairs(&pairs).0,
            third,
            "the first page is kept in the trail"
        );
        let back = third.previous().unwrap_or_default();
        assert_eq!(back, second);
        assert_eq!(back.previous().unwrap_or_default(), first);
        assert_eq!(first.previous(), None);
        assert_eq!(third.sorted_by("title").after, None);
        assert_eq!(
            first.sorted_by("title").sorted_by("title").sort,
            Some(("title".to_owned(), true))
        );
    }
}
