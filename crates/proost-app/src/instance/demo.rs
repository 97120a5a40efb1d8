//! The demo connection of a fresh instance: a generated shop whose personal columns are
//! known, so they are masked from the first query.

use std::path::Path;
use std::sync::Arc;

use crate::connections::NewConnection;
use crate::{App, StartError};

/// The demo's personal columns and their categories.
const PERSONAL: &[(&str, &str)] = &[
    ("first_name", "name"),
    ("last_name", "name"),
    ("email", "email"),
    ("phone", "phone"),
    ("street_address", "street_address"),
    ("postal_code", "postal_code"),
    ("city", "city"),
    ("date_of_birth", "date_of_birth"),
    ("iban", "bank_account"),
    ("health_notes", "special.health"),
];

/// Generates the shop database under `sources_dir` and adds it as `sample_shop`.
pub(super) async fn create(app: &Arc<App>, sources_dir: &Path) -> Result<(), StartError> {
    let demo_path = sources_dir.join("sample_shop.db");
    let path = demo_path.clone();
    tokio::task::spawn_blocking(move || {
        proost_sample::ensure_sample_shop(&path, proost_sample::SampleSize::DEMO)
    })
    .await
    .map_err(|e| StartError::Demo(e.to_string()))?
    .map_err(|e| StartError::Demo(e.to_string()))?;
    let added = crate::connections::add(
        app,
        None,
        NewConnection {
            name: "sample_shop".into(),
            kind: "sqlite".into(),
            url: format!("sqlite://{}", demo_path.display()),
            region: None,
        },
        true,
    )
    .await
    .map_err(|e| StartError::Demo(e.message))?;
    for (column, category) in PERSONAL {
        let categories = serde_json::json!([{"category": category, "confidence": 1.0,
                                             "evidence": ["demo schema"]}]);
        app.store
            .upsert_classification(
                &added.record.id,
                "main",
                "customers",
                column,
                Some(&categories),
                Some("confirmed"),
                None,
                None,
            )
            .await?;
    }
    if let Some(crate::connections::ScanOutcome::Failed { error }) = added.scan {
        return Err(StartError::Demo(error.message));
    }
    Ok(())
}
