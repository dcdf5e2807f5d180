//! All persistent state, behind one type. SQLite by default (a file in the data directory, WAL);
//! the SQL is kept portable so a PostgreSQL pool can follow for several replicas.

pub mod audit;
pub mod do_not_call;
pub mod idempotency;
pub mod jobs;

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    Row, SqlitePool,
};

/// Schema versions in order; each runs once, in a transaction.
const MIGRATIONS: [(i64, &str); 1] = [(1, include_str!("../../migrations/0001_init.sql"))];

#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
}

#[derive(Debug, thiserror::Error)]
#[error("database: {0}")]
pub struct StoreError(#[from] sqlx::Error);

impl From<StoreError> for crate::error::AppError {
    fn from(err: StoreError) -> Self {
        crate::error::AppError::Internal(err.to_string())
    }
}

impl Store {
    /// Opens (creating if needed) `callout-console.db` in `data_dir` and brings its schema up to date.
    pub async fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|e| StoreError(sqlx::Error::Io(e)))?;
        let url = format!("sqlite://{}", data_dir.join("callout-console.db").display());
        let options = SqliteConnectOptions::from_str(&url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // WAL + NORMAL is durable across process crashes, which is what write-ahead needs.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
        let store = Self { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::raw_sql("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
            .execute(&self.pool)
            .await?;
        for (version, sql) in MIGRATIONS {
            let applied: Option<i64> = sqlx::query("SELECT version FROM schema_migrations WHERE version = ?")
                .bind(version)
                .fetch_optional(&self.pool)
                .await?
                .map(|row| row.get(0));
            if applied.is_some() {
                continue;
            }
            let mut tx = self.pool.begin().await?;
            sqlx::raw_sql(sql).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")
                .bind(version)
                .bind(now_ms())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            tracing::info!(version, "database schema migrated");
        }
        Ok(())
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

/// Unix milliseconds, the time format of every stored timestamp.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

impl Store {
    /// Records a provider event once; false when its trace id was seen before.
    pub async fn record_webhook_event(&self, account_id: &str, trace_id: &str, event: &str, payload: &str) -> Result<bool, StoreError> {
        let inserted = sqlx::query(
            "INSERT INTO webhook_events (account_id, trace_id, event, received_at, payload) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(account_id)
        .bind(trace_id)
        .bind(event)
        .bind(now_ms())
        .bind(payload)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(inserted == 1)
    }
}

impl Store {
    pub async fn record_room_call(
        &self,
        account_id: &str,
        meeting_id: &str,
        target: &str,
        invite_id: &str,
        created_by: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO room_calls (invite_id, account_id, meeting_id, target, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
            .bind(invite_id)
            .bind(account_id)
            .bind(meeting_id)
            .bind(target)
            .bind(created_by)
            .bind(now_ms())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn record_dialex(
        &self,
        account_id: &str,
        call: &callout_shared::dialex::DialExRequest,
        task_id: &str,
        created_by: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO dialex_tasks (task_id, account_id, instance_id, callee, answer_mode, rout_point, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(task_id)
        .bind(account_id)
        .bind(&call.instance_id)
        .bind(&call.callee)
        .bind(format!("{:?}", call.answer_mode))
        .bind(&call.rout_point)
        .bind(created_by)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
