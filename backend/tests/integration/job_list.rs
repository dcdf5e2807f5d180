//! The jobs page's list: every job of every kind, paged by the server, filtered by time, account,
//! meeting, submitter, state, kind and name; a job's name given at submit is its title.

use crate::common;

use callout_console::sandbox::{
    aliyun_ccc::{SANDBOX_CALLER, SANDBOX_INSTANCE_ID},
    tencent_meeting::SANDBOX_MEETING_ID,
};
use serde_json::{json, Value};

async fn submit(app: &common::TestApp, path: &str, body: Value) -> String {
    let response = app.post_json(path, &body).await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
    response.json::<Value>().await.unwrap()["job_id"].as_str().unwrap().to_owned()
}

async fn list(app: &common::TestApp, query: &str) -> (Vec<String>, u64) {
    let response = app.get(&format!("/api/v1/callouts?{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    let page: Value = response.json().await.unwrap();
    let ids = page["jobs"].as_array().unwrap().iter().map(|j| j["id"].as_str().unwrap().to_owned()).collect();
    (ids, page["total"].as_u64().unwrap())
}

#[tokio::test]
async fn every_job_is_found_by_page_and_filter_and_shows_its_name() {
    let app = common::spawn_with("[sandbox]\ntime_scale = 0.01\n", &[]).await;
    let meeting = |name: &str, number: &str| json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID, "text": number, "name": name });
    let standup = submit(&app, "/api/v1/callouts", meeting("Morning stand-up 晨会", "13800138002")).await;
    let evening = submit(&app, "/api/v1/callouts", meeting("  Evening review  ", "13800138004")).await;
    let dialex = json!({ "account_id": "sandbox-ccc", "instance_id": SANDBOX_INSTANCE_ID, "caller": SANDBOX_CALLER,
                         "answer_mode": "ivr", "rout_point": "cf-welcome-ivr", "numbers": [{ "number": "157 3203 6618" }],
                         "name": "Renewals 100% done_" });
    let renewals = submit(&app, "/api/v1/dialex/jobs", dialex).await;
    for id in [&standup, &evening, &renewals] {
        app.wait_for_job(id, |j| j["state"] == "finished").await;
    }

    // Newest first, a page at a time, with the total of every page.
    assert_eq!(list(&app, "page_size=2").await, (vec![renewals.clone(), evening.clone()], 3));
    assert_eq!(list(&app, "page_size=2&page=2").await, (vec![standup.clone()], 3));
    assert_eq!(list(&app, "page_size=2&page=3").await, (vec![], 3), "past the end is an empty page");

    // Each filter narrows the list.
    assert_eq!(list(&app, "kind=dialex").await.0, [renewals.as_str()]);
    assert_eq!(list(&app, "account_id=sandbox-tencent").await.0, [evening.as_str(), standup.as_str()]);
    assert_eq!(list(&app, &format!("meeting_id={SANDBOX_MEETING_ID}")).await.0, [evening.as_str(), standup.as_str()]);
    assert_eq!(list(&app, "meeting_id=1234").await, (vec![], 0));
    assert_eq!(list(&app, "created_by=dev").await.1, 3);
    assert_eq!(list(&app, "created_by=someone-else").await.1, 0);
    assert_eq!(list(&app, "state=finished").await.1, 3);
    assert_eq!(list(&app, "state=dialling").await.1, 0);
    assert_eq!(list(&app, "search=MORNING").await.0, [standup.as_str()], "names match in any case");
    assert_eq!(list(&app, "search=%E6%99%A8%E4%BC%9A").await.0, [standup.as_str()]);
    assert_eq!(list(&app, &format!("search={}", &evening[..8])).await.0, [evening.as_str()], "the start of an id finds the job");
    assert_eq!(list(&app, "search=100%25").await.0, [renewals.as_str()], "% is a character, not a wildcard");
    assert_eq!(list(&app, "search=_").await.0, [renewals.as_str()], "_ is a character, not a wildcard");
    assert_eq!(list(&app, "search=+&account_id=").await.1, 3, "blank filters are no filters");
    let created_at = |id: &String| {
        let id = id.clone();
        let app = &app;
        async move { app.get(&format!("/api/v1/callouts/{id}")).await.json::<Value>().await.unwrap()["created_at"].as_i64().unwrap() }
    };
    let (first, last) = (created_at(&standup).await, created_at(&renewals).await);
    assert_eq!(list(&app, &format!("from={last}")).await.0.first(), Some(&renewals));
    assert_eq!(list(&app, &format!("to={first}")).await.0.last(), Some(&standup));
    assert_eq!(list(&app, &format!("from={}", last + 1)).await.1, 0);

    // The name is the job's title, trimmed.
    let job: Value = app.get(&format!("/api/v1/callouts/{evening}")).await.json().await.unwrap();
    assert_eq!(job["name"], "Evening review");

    // Refused clearly.
    let long = meeting(&"x".repeat(201), "13800138006");
    let refused = app.post_json("/api/v1/callouts", &long).await;
    assert_eq!(refused.status(), 400);
    assert_eq!(refused.json::<Value>().await.unwrap()["field"], "name");
    let empty = app.post_json("/api/v1/callouts", &json!({ "account_id": "sandbox-tencent", "meeting_id": SANDBOX_MEETING_ID })).await;
    assert_eq!(empty.status(), 422, "well-formed, but nothing to dial");
    assert_eq!(empty.json::<Value>().await.unwrap()["field"], "numbers");
    for (query, field) in [("page_size=101", "page_size"), ("page=0", "page"), ("state=done", "")] {
        let response = app.get(&format!("/api/v1/callouts?{query}")).await;
        assert!(matches!(response.status().as_u16(), 400 | 422), "{query}: {}", response.status());
        if !field.is_empty() {
            assert_eq!(response.json::<Value>().await.unwrap()["field"], field, "{query}");
        }
    }
    assert_eq!(list(&app, "").await.1, 3, "nothing refused was recorded");
}
