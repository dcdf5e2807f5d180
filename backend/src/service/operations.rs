//! What operators of the backend ask of it: readiness for a load balancer, metrics for Prometheus.

use callout_shared::{
    health::{ReadinessCheck, ReadinessItem, ReadinessResponse},
    me::Role,
};

use super::{Actor, Calls, ServiceError};

impl Calls {
    /// Ready when the database answers and its schema has every migration of this build.
    pub async fn readiness(&self) -> ReadinessResponse {
        let database = self.store.ping().await.map_err(|e| e.to_string());
        let migrations = match &database {
            Ok(()) => match self.store.missing_migrations().await {
                Ok(missing) if missing.is_empty() => Ok(()),
                Ok(missing) => Err(format!("not applied: {}", missing.join(", "))),
                Err(err) => Err(err.to_string()),
            },
            Err(_) => Err("the database does not answer".to_owned()),
        };
        let checks: Vec<ReadinessCheck> = [(ReadinessItem::Database, database), (ReadinessItem::Migrations, migrations)]
            .into_iter()
            .map(|(name, result)| ReadinessCheck { name, ready: result.is_ok(), detail: result.err() })
            .collect();
        if let Some(check) = checks.iter().find(|c| !c.ready) {
            tracing::warn!(check = ?check.name, detail = check.detail.as_deref().unwrap_or_default(), "not ready");
        }
        ReadinessResponse { ready: checks.iter().all(|c| c.ready), engine: self.store.engine().to_owned(), checks }
    }

    /// The Prometheus text, for admins.
    pub async fn metrics_for(&self, actor: &Actor) -> Result<String, ServiceError> {
        actor.require(Role::Admin)?;
        Ok(self.metrics().await)
    }

    /// The Prometheus text, for the internal metrics listener (no sign-in: it is for the network inside).
    pub async fn metrics(&self) -> String {
        match self.store.jobs_by_state().await {
            Ok(counts) => crate::metrics::jobs_by_state(&counts),
            // The rest is still worth scraping while the database is away; the job gauge keeps its last value.
            Err(err) => tracing::warn!(%err, "jobs could not be counted for the metrics"),
        }
        crate::metrics::render()
    }
}
