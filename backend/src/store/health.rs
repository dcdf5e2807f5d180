//! What operations ask of the database: is it there, is its schema complete, how many jobs are in
//! each state.

use super::{Store, StoreError, MIGRATOR};

impl Store {
    /// The engine behind the store, as readiness names it.
    pub fn engine(&self) -> &'static str {
        "sqlite"
    }

    /// The database answers a query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Migrations this build embeds that the database has not applied successfully, as `version description`.
    pub async fn missing_migrations(&self) -> Result<Vec<String>, StoreError> {
        let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success = 1").fetch_all(&self.pool).await?;
        Ok(MIGRATOR
            .iter()
            .filter(|m| m.migration_type.is_up_migration() && !applied.contains(&m.version))
            .map(|m| format!("{} {}", m.version, m.description))
            .collect())
    }

    /// Jobs per stored state.
    pub async fn jobs_by_state(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetch_all(&self.pool).await?)
    }
}
