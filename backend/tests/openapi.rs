//! The served OpenAPI document describes every route the router has.

mod common;

use serde_json::Value;

#[tokio::test]
async fn every_route_is_documented_with_schemas() {
    let app = common::spawn().await;
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    let paths = doc["paths"].as_object().unwrap();
    let router = include_str!("../src/api/mod.rs");
    let routes: Vec<&str> = router.split(".route(\"").skip(1).map(|rest| rest.split('"').next().unwrap()).collect();
    assert!(routes.len() >= 20, "{routes:?}");
    for route in routes {
        assert!(paths.contains_key(&format!("/api/v1{route}")), "{route} is not documented");
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in ["CreateCalloutJob", "JobSummary", "CallStatus", "ApiErrorBody", "RoomTarget", "StartDialEx", "AnswerMode"] {
        assert!(schemas.contains_key(name), "{name} schema missing");
    }
    let create = &paths["/api/v1/callouts"]["post"];
    assert!(create["parameters"].as_array().unwrap().iter().any(|p| p["name"] == "Idempotency-Key"));
}
