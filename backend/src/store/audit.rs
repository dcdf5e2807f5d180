//! The audit log: who (verified identity, and on whose behalf), what, which account and target,
//! when, and the outcome. Append-only.

use callout_shared::audit::{AuditEntry, AuditQuery};

use sqlx::SqliteConnection;

use super::{Store, StoreError};

/// One thing to record; `at` is set on insert.
pub struct NewAuditEntry<'a> {
    pub subject: &'a str,
    pub email: Option<&'a str>,
    pub auth_mode: &'a str,
    pub on_behalf_of: Option<&'a str>,
    pub action: &'a str,
    pub account_id: Option<&'a str>,
    pub target: Option<&'a str>,
    pub outcome: &'a str,
    pub detail: Option<&'a str>,
}

impl Store {
    pub async fn audit(&self, e: NewAuditEntry<'_>) -> Result<(), StoreError> {
        let mut conn = self.writer().acquire().await?;
        insert(&mut conn, &e, self.now_ms()).await
    }

    /// Newest first, filtered.
    pub async fn audit_entries(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
        let mut sql = String::from("SELECT * FROM audit_log WHERE 1 = 1");
        let mut binds: Vec<String> = Vec::new();
        if let Some(user) = q.user.as_deref().filter(|s| !s.is_empty()) {
            sql.push_str(" AND (subject = ? OR email = ?)");
            binds.push(user.to_owned());
            binds.push(user.to_owned());
        }
        if let Some(action) = q.action.as_deref().filter(|s| !s.is_empty()) {
            sql.push_str(" AND action = ?");
            binds.push(action.to_owned());
        }
        if let Some(account) = q.account_id.as_deref().filter(|s| !s.is_empty()) {
            sql.push_str(" AND account_id = ?");
            binds.push(account.to_owned());
        }
        if q.from.is_some() {
            sql.push_str(" AND at >= ?");
        }
        if q.to.is_some() {
            sql.push_str(" AND at < ?");
        }
        sql.push_str(" ORDER BY id DESC LIMIT ? OFFSET ?");
        // Built only from the fixed fragments above; every value is bound.
        let mut query = sqlx::query_as::<_, AuditRow>(sqlx::AssertSqlSafe(sql));
        for b in &binds {
            query = query.bind(b);
        }
        if let Some(from) = q.from {
            query = query.bind(from);
        }
        if let Some(to) = q.to {
            query = query.bind(to);
        }
        let limit = i64::from(q.limit.unwrap_or(100).clamp(1, 10_000));
        query = query.bind(limit).bind(i64::from(q.offset.unwrap_or(0)));
        Ok(query.fetch_all(self.pool()).await?.into_iter().map(AuditRow::into_entry).collect())
    }
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    subject: String,
    email: Option<String>,
    auth_mode: String,
    on_behalf_of: Option<String>,
    action: String,
    account_id: Option<String>,
    target: Option<String>,
    outcome: String,
    detail: Option<String>,
}

impl AuditRow {
    fn into_entry(self) -> AuditEntry {
        let AuditRow { id, at, subject, email, auth_mode, on_behalf_of, action, account_id, target, outcome, detail } = self;
        AuditEntry { id, at, subject, email, auth_mode, on_behalf_of, action, account_id, target, outcome, detail }
    }
}

/// Appends one entry inside the caller's transaction.
pub(super) async fn insert(conn: &mut SqliteConnection, e: &NewAuditEntry<'_>, now: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, subject, email, auth_mode, on_behalf_of, action, account_id, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(now)
    .bind(e.subject)
    .bind(e.email)
    .bind(e.auth_mode)
    .bind(e.on_behalf_of)
    .bind(e.action)
    .bind(e.account_id)
    .bind(e.target)
    .bind(e.outcome)
    .bind(e.detail)
    .execute(conn)
    .await?;
    Ok(())
}
