//! The browser validates numbers with the backend's normaliser, in one call for many rows.

use crate::common;

use serde_json::{json, Value};

#[tokio::test]
async fn a_batch_answers_row_by_row_in_order() {
    let app = common::spawn().await;
    let body = json!({ "numbers": [
        { "country_code": "86", "number": "138 0013 8000" },
        { "number": "+1 650 253 0000", "extension": "42" },
        { "country_code": "86", "number": "12" },
        { "number": "call me" },
        { "country_code": "852", "number": "2123 4567" }
    ]});
    let response = app.post_json("/api/v1/numbers/validate", &body).await;
    assert_eq!(response.status(), 200);
    let results = response.json::<Value>().await.unwrap()["results"].clone();
    assert_eq!(results[0]["result"], "valid");
    assert_eq!(results[0]["number"]["e164"], "+8613800138000");
    assert_eq!(results[1]["number"]["e164"], "+16502530000;ext=42");
    assert_eq!(results[2]["problem"], "too_short");
    assert_eq!(results[3]["problem"], "not_a_number");
    assert_eq!(results[4]["number"]["national_number"], "21234567");
}

#[tokio::test]
async fn a_malformed_body_names_the_field() {
    let app = common::spawn().await;
    let response = app.post_json("/api/v1/numbers/validate", &json!({ "numbers": [{ "number": 5 }] })).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "invalid_request");
    assert_eq!(body["field"], "numbers[0].number");
    let response = app.post_json("/api/v1/numbers/validate", &json!({ "numbers": [], "default_region": "XX" })).await;
    assert_eq!(response.json::<Value>().await.unwrap()["field"], "default_region");
    let text = app.http.post(app.url("/api/v1/numbers/validate")).header("x-csrf", "1").body("numbers=1").send().await.unwrap();
    assert_eq!(text.status(), 400, "only JSON bodies are read");
}

#[tokio::test]
async fn a_do_not_call_number_is_flagged_for_operators_but_not_told_to_viewers() {
    let config = "do_not_call = [\"+86 139 0000 0099\"]\n";
    let body = json!({ "numbers": [{ "number": "139 0000 0099" }, { "number": "13800138000" }] });
    let admin = common::spawn_with(config, &[]).await;
    let results = admin.post_json("/api/v1/numbers/validate", &body).await.json::<Value>().await.unwrap()["results"].clone();
    assert_eq!((results[0]["result"].as_str(), results[0]["do_not_call"].as_bool()), (Some("valid"), Some(true)));
    assert!(results[1].get("do_not_call").is_none(), "a number not listed carries no flag: {results}");
    let viewer = common::spawn_with(&format!("{config}[auth.dev]\ngroups = [\"callout-viewers\"]\n"), &[]).await;
    let results = viewer.post_json("/api/v1/numbers/validate", &body).await.json::<Value>().await.unwrap()["results"].clone();
    assert!(results[0].get("do_not_call").is_none(), "viewers may not read the list: {results}");
}
