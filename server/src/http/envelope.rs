//! Bodies of successful content responses: `{ "data": …, "meta": … }`,
//! written straight onto a buffer, and the `meta.pagination` of lists.

use cairn_core::Error;
use cairn_core::entries::{Entry, Page};
use cairn_core::query::Pagination;
use serde_json::{Map, Value, json};

use super::error::{ApiError, ApiResult};

/// The bytes a response body starts with: a page of 25 short entries.
const RESPONSE_CAPACITY: usize = 8 * 1024;

/// Room for `,"meta":{…}}` after a list's entries.
const META_CAPACITY: usize = 128;

/// `{ "data": …, "meta": … }`, taking the entries over: `json!` would copy
/// them, a deep copy of every response.
pub fn envelope(data: Value, meta: Value) -> Value {
    let mut body = Map::with_capacity(2);
    body.insert("data".to_owned(), data);
    body.insert("meta".to_owned(), meta);
    Value::Object(body)
}

/// A read's body, `{ "data": …, "meta": … }`, its data written by `data`
/// in place. `size` is what the data is known to need.
pub fn read_body(
    size: usize,
    data: impl FnOnce(&mut Vec<u8>) -> serde_json::Result<()>,
    meta: &Value,
) -> ApiResult<Vec<u8>> {
    let internal = |e| ApiError::from(Error::internal(e));
    // Growing from empty copied a page of entries about ten times over.
    let mut body = Vec::with_capacity(RESPONSE_CAPACITY.max(size + META_CAPACITY));
    body.extend_from_slice(b"{\"data\":");
    data(&mut body).map_err(internal)?;
    body.extend_from_slice(b",\"meta\":");
    serde_json::to_writer(&mut body, meta).map_err(internal)?;
    body.push(b'}');
    Ok(body)
}

/// A read's body for one entry.
pub fn entry_body(entry: &Entry) -> ApiResult<Vec<u8>> {
    read_body(0, |body| serde_json::to_writer(body, entry), &json!({}))
}

/// A list's body: its page of entries (already JSON) and its pagination.
pub fn page_body(pagination: &Pagination, page: &Page) -> ApiResult<Vec<u8>> {
    let meta = json!({ "pagination": pagination_meta(pagination, page) });
    let data = |body: &mut Vec<u8>| {
        body.extend_from_slice(&page.data);
        Ok(())
    };
    read_body(page.data.len(), data, &meta)
}

/// Strapi's `meta.pagination` for each way of paging, plus the cursor of
/// the next page when there is one.
fn pagination_meta(pagination: &Pagination, page: &Page) -> Value {
    let mut meta = match pagination {
        Pagination::Page {
            page: number,
            page_size,
            ..
        } => {
            let mut meta = json!({ "page": number, "pageSize": page_size });
            if let Some(total) = page.total {
                meta["pageCount"] = json!(total.div_ceil((*page_size).max(1)));
                meta["total"] = json!(total);
            }
            meta
        }
        Pagination::Offset { start, limit, .. } => {
            let mut meta = json!({ "start": start, "limit": limit });
            if let Some(total) = page.total {
                meta["total"] = json!(total);
            }
            meta
        }
        Pagination::Cursor { limit, .. } => {
            let mut meta = json!({ "limit": limit });
            if let Some(total) = page.total {
                meta["total"] = json!(total);
            }
            meta
        }
    };
    if let Some(cursor) = &page.next_cursor {
        meta["nextCursor"] = json!(cursor);
    }
    meta
}
