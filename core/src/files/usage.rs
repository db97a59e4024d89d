//! Which entries use a file, so that deleting it can say what it leaves
//! without a picture.

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};

use crate::error::Result;
use crate::schema::registry::Schema;
use crate::schema::system::{DOCUMENT_ID, FILE_ID, ID, SOURCE_ID};

/// An entry that links a file through one of its media fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileUse {
    pub type_uid: String,
    pub type_name: String,
    pub field: String,
    pub document_id: String,
}

/// Every entry (any state or locale, counted once) whose media fields link
/// file `id`. Files inside components are held as ids in their JSON and
/// are not looked for.
pub async fn usage(conn: &impl ConnectionTrait, schema: &Schema, id: i64) -> Result<Vec<FileUse>> {
    let mut found = Vec::new();
    for content_type in schema.content_types() {
        for (field, link) in content_type.owned_links().filter(|(_, link)| link.media) {
            let (rows, links) = (Alias::new("r"), Alias::new("l"));
            let select = Query::select()
                .distinct()
                .expr(Expr::col((rows.clone(), Alias::new(DOCUMENT_ID))))
                .from_as(Alias::new(&content_type.table), rows.clone())
                .join_as(
                    JoinType::InnerJoin,
                    Alias::new(&link.table),
                    links.clone(),
                    Expr::col((links.clone(), Alias::new(SOURCE_ID)))
                        .equals((rows.clone(), Alias::new(ID))),
                )
                .and_where(Expr::col((links, Alias::new(FILE_ID))).eq(id))
                .to_owned();
            for row in conn.query_all(&select).await? {
                found.push(FileUse {
                    type_uid: content_type.uid.clone(),
                    type_name: content_type.display_name().to_owned(),
                    field: field.name().to_owned(),
                    document_id: row.try_get_by_index(0)?,
                });
            }
        }
    }
    Ok(found)
}
