//! What only SQLite needs: the file, WAL, and the connection pragmas.

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    Connection, SqlitePool,
};

use super::StoreError;

/// How a writing transaction begins: with the write lock (see `Store::write`).
pub const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";

/// SQLite result codes (primary, the low byte of an extended code) that mean "cannot write here":
/// SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_FULL.
pub fn is_unwritable(code: &str) -> bool {
    code.parse::<u32>().is_ok_and(|c| matches!(c & 0xff, 8 | 10 | 13 | 14))
}

/// Readers, and the one connection every write goes through. SQLite lets one writer in at a time;
/// writers that meet at the lock wait in its busy handler, which sleeps (up to 100 ms a turn), so 64
/// concurrent dials spent most of their time asleep. Queued for one connection instead, they take
/// turns in order, and readers (WAL) never wait for them.
pub struct Pools {
    pub readers: SqlitePool,
    pub writer: SqlitePool,
}

pub async fn open(data_dir: &Path) -> Result<Pools, StoreError> {
    std::fs::create_dir_all(data_dir)?;
    let url = format!("sqlite://{}", super::database_file(data_dir).display());
    let options = SqliteConnectOptions::from_str(&url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // WAL + NORMAL is durable across process crashes, which is what write-ahead needs.
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(5))
        .foreign_keys(true);
    let pool = |connections: u32| {
        SqlitePoolOptions::new()
            .max_connections(connections)
            // A transaction that could not be committed or rolled back (disk full, read-only) can
            // leave its connection marked as inside it, and every later BEGIN on it fails: such a
            // connection is closed rather than returned to the pool.
            .after_release(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
            .connect_with(options.clone())
    };
    // The writer first: it creates the file and switches it to WAL.
    let writer = pool(1).await?;
    let readers = pool(8).await?;
    Ok(Pools { readers, writer })
}
