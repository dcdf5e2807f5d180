//! What only SQLite needs: the file, WAL, and the connection pragmas.

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    SqlitePool,
};

use super::StoreError;

pub async fn open(data_dir: &Path) -> Result<SqlitePool, StoreError> {
    std::fs::create_dir_all(data_dir)?;
    let url = format!("sqlite://{}", super::database_file(data_dir).display());
    let options = SqliteConnectOptions::from_str(&url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // WAL + NORMAL is durable across process crashes, which is what write-ahead needs.
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(5))
        .foreign_keys(true);
    Ok(SqlitePoolOptions::new().max_connections(8).connect_with(options).await?)
}
