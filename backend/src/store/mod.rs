//! All persistent state, behind one type: SQL, migrations and typed rows, and no business rule.
//! SQLite by default (a file in the data directory, WAL); what is SQLite-only lives in `sqlite.rs`.

pub mod audit;
mod clock_shift;
pub mod dialex_outcomes;
pub mod dials;
pub mod do_not_call;
mod health;
pub mod idempotency;
pub mod jobs;
pub mod room_calls;
mod sqlite;
pub mod webhooks;

use std::path::Path;

use sqlx::SqlitePool;

use crate::clock::Clock;

#[derive(Clone)]
pub struct Store {
    /// Reads.
    pool: SqlitePool,
    /// Every write, one at a time (see `sqlite::Pools`).
    writer: SqlitePool,
    /// The time every row is stamped with.
    clock: Clock,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database directory: {0}")]
    Io(#[from] std::io::Error),
}

impl StoreError {
    /// The database cannot take writes (disk full, read-only file or file system, I/O failure):
    /// an operator's problem to fix, not a bug; nothing that needed the write went ahead.
    pub fn is_unwritable(&self) -> bool {
        match self {
            StoreError::Database(sqlx::Error::Database(err)) => err.code().is_some_and(|code| sqlite::is_unwritable(&code)),
            StoreError::Io(_) => true,
            _ => false,
        }
    }
}

/// The SQLite database file in `data_dir`.
pub fn database_file(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join("callout-console.db")
}

/// The schema, from `backend/migrations`, embedded at build time.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

impl Store {
    /// Opens (creating if needed) `callout-console.db` in `data_dir` and brings its schema up to date.
    pub async fn open(data_dir: &Path, clock: Clock) -> Result<Self, StoreError> {
        let sqlite::Pools { readers, writer } = sqlite::open(data_dir).await?;
        MIGRATOR.run(&writer).await?;
        Ok(Self { pool: readers, writer, clock })
    }

    /// Unix milliseconds on the store's clock, the time format of every stored timestamp.
    fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The pool for reads.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// The connection for one write statement.
    fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    /// A transaction that writes: it takes the write lock at its start, so two of them never
    /// both read and then fail to upgrade (SQLite's "database is locked" on a busy snapshot).
    async fn write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
        Ok(self.writer.begin_with(sqlite::BEGIN_WRITE).await?)
    }
}
