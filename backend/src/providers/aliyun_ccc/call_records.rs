//! CCC 2017-07-05 `ListCallDetailRecords`: the contact center's record of how each call ended. DialEx
//! answers only with a task id; this is where the console learns what became of the call.
//!
//! Sources (public, read for this module):
//! - Request: aliyun-openapi-python-sdk `aliyun-python-sdk-ccc/aliyunsdkccc/request/v20170705/ListCallDetailRecordsRequest.py`
//!   (POST; `InstanceId`, `Criteria`, `PhoneNumber`, `StartTime`, `StopTime`, `PageNumber`, `PageSize`, `ContactType`,
//!   `ContactDisposition`, `ContactId`, `OrderBy`, `WithRecording`, all query parameters).
//! - Response: aliyun-openapi-java-sdk `aliyun-java-sdk-ccc/src/main/java/com/aliyuncs/ccc/transform/v20170705/ListCallDetailRecordsResponseUnmarshaller.java`
//!   (`CallDetailRecords.{TotalCount, PageNumber, PageSize, List[]}`; each record `ContactId`, `StartTime` (long),
//!   `Duration` (int), `ContactType`, `ContactDisposition`, `CallingNumber`, `CalledNumber`, `AgentNames`, `Agents[]`,
//!   `Recordings[]`, …).
//! - Meanings: AlibabaCloudDocs/ccc `cn.zh-CN/开发指南/API参考/报表/获取通话详单.md`: `StartTime`/`StopTime` are epoch
//!   milliseconds (0: from today's midnight / until now) and a query spans at most 7 days; `PageSize` is at most 100;
//!   `Criteria` searches the customer's number, an agent's or a skill group's name, while `PhoneNumber` is the contact
//!   center's own number; `TotalCount` is filled on the first page only; an outbound record's `StartTime` counts from
//!   when the call connected; `Duration` is in seconds; `ContactDisposition` is one of `Success`, `NoAnswer`,
//!   `AbandonedInContactFlow`, `AbandonedInQueue`, `AbandonedRing`, `QueueOverflow`, `OneStepTransfer`. The doc's JSON
//!   example wraps lists in an object (`"List": {"CallDetailRecord": [...]}`, `"Agents": {"CallDetailAgent": []}`);
//!   the Java unmarshaller reads them as plain arrays. Both are accepted here.

use serde::Deserialize;

use super::client::AliyunCccClient;
use crate::providers::{transport::Classified, ProviderError};

/// The largest page the API serves.
pub const MAX_RECORDS_PAGE_SIZE: u32 = 100;
/// The longest span one query may cover (the doc: at most 7 days).
pub const MAX_QUERY_SPAN_MS: i64 = 7 * 24 * 3600 * 1000;

/// One page of an instance's call records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecordQuery {
    pub instance_id: String,
    /// The customer's number as the contact center dialled it (`Criteria` also matches agent and
    /// skill-group names, so callers still compare `called_number`).
    pub criteria: Option<String>,
    /// Epoch milliseconds; a span longer than [`MAX_QUERY_SPAN_MS`] is cut to it.
    pub start_ms: i64,
    pub stop_ms: i64,
    /// From 1.
    pub page_number: u32,
    pub page_size: u32,
}

/// A call as the contact center recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecord {
    /// The record's id ("话务ID, globally unique").
    pub contact_id: String,
    /// Epoch ms; for an outbound call, when it connected.
    pub start_ms: Option<i64>,
    pub duration_secs: Option<i64>,
    pub contact_type: Option<String>,
    /// How the call ended, in the provider's word (`Success`, `NoAnswer`, …).
    pub disposition: Option<String>,
    pub calling_number: Option<String>,
    pub called_number: Option<String>,
}

/// One page of records; `total_count` only when the provider filled it (the first page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecordPage {
    pub records: Vec<CallRecord>,
    pub total_count: Option<u32>,
    pub page_number: u32,
    pub page_size: u32,
}

impl AliyunCccClient {
    /// One page of `ListCallDetailRecords`. A read: any failure can be asked again later.
    pub async fn list_call_detail_records(&self, query: &CallRecordQuery) -> Result<CallRecordPage, ProviderError> {
        let body = self.post_signed("ListCallDetailRecords", "list_call_detail_records", &query_params(query), classify).await?;
        parse_page(&body).map_err(|detail| ProviderError::Unknown {
            provider: crate::providers::Provider::AliyunCcc,
            detail,
            http_status: None,
            raw: Some(body.clone()),
        })
    }
}

/// The query's parameters, in the provider's names.
fn query_params(query: &CallRecordQuery) -> Vec<(String, String)> {
    let stop = query.stop_ms.min(query.start_ms.saturating_add(MAX_QUERY_SPAN_MS));
    let mut params = vec![
        ("InstanceId".to_owned(), query.instance_id.clone()),
        ("StartTime".to_owned(), query.start_ms.to_string()),
        ("StopTime".to_owned(), stop.to_string()),
        ("PageNumber".to_owned(), query.page_number.max(1).to_string()),
        ("PageSize".to_owned(), query.page_size.clamp(1, MAX_RECORDS_PAGE_SIZE).to_string()),
        // Recordings are not needed, and the doc says leaving them out makes the query faster.
        ("WithRecording".to_owned(), "false".to_owned()),
    ];
    if let Some(criteria) = &query.criteria {
        params.push(("Criteria".to_owned(), criteria.clone()));
    }
    params
}

/// A read: an error body is a refusal, a throttle is a rate limit, anything else unreadable is unknown.
fn classify(status: u16, body: String) -> Classified {
    let answer: Option<WireAnswer> = serde_json::from_str(&body).ok();
    match answer {
        Some(answer) if (200..300).contains(&status) && answer.success != Some(false) && answer.call_detail_records.is_some() => {
            Classified::Success(body)
        }
        Some(answer) if status < 500 => super::client::refusal(status, answer.code, answer.message, answer.request_id, body),
        _ => Classified::Unknown(format!("HTTP {status} with an answer that is not a call record list")),
    }
}

fn parse_page(body: &str) -> Result<CallRecordPage, String> {
    let answer: WireAnswer = serde_json::from_str(body).map_err(|err| format!("the call records could not be read: {err}"))?;
    let records = answer.call_detail_records.ok_or("the answer has no CallDetailRecords")?;
    let list = items(records.list, "CallDetailRecord");
    let records_read = list
        .into_iter()
        .map(|value| serde_json::from_value::<WireRecord>(value).map_err(|err| format!("a call record could not be read: {err}")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CallRecordPage {
        records: records_read
            .into_iter()
            .filter_map(|r| {
                Some(CallRecord {
                    contact_id: r.contact_id.filter(|id| !id.is_empty())?,
                    start_ms: r.start_time.as_ref().and_then(number),
                    duration_secs: r.duration.as_ref().and_then(number),
                    contact_type: r.contact_type,
                    disposition: r.contact_disposition,
                    calling_number: r.calling_number,
                    called_number: r.called_number,
                })
            })
            .collect(),
        // Zero on pages after the first (the doc): that is "not told", not "none".
        total_count: records.total_count.as_ref().and_then(number).filter(|n| *n > 0).map(|n| n as u32),
        page_number: records.page_number.as_ref().and_then(number).unwrap_or(1) as u32,
        page_size: records.page_size.as_ref().and_then(number).unwrap_or(0) as u32,
    })
}

/// A list as a plain array, or wrapped in an object under `inner` (the doc's JSON example).
fn items(value: Option<serde_json::Value>, inner: &str) -> Vec<serde_json::Value> {
    match value {
        Some(serde_json::Value::Array(items)) => items,
        Some(serde_json::Value::Object(mut map)) => match map.remove(inner) {
            Some(serde_json::Value::Array(items)) => items,
            Some(one @ serde_json::Value::Object(_)) => vec![one],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// A number, or a string of digits (the gateway is loose about JSON types).
fn number(value: &serde_json::Value) -> Option<i64> {
    match value {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireAnswer {
    request_id: Option<String>,
    success: Option<bool>,
    code: Option<String>,
    message: Option<String>,
    call_detail_records: Option<WireRecords>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireRecords {
    total_count: Option<serde_json::Value>,
    page_number: Option<serde_json::Value>,
    page_size: Option<serde_json::Value>,
    list: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireRecord {
    contact_id: Option<String>,
    start_time: Option<serde_json::Value>,
    duration: Option<serde_json::Value>,
    contact_type: Option<String>,
    contact_disposition: Option<String>,
    calling_number: Option<String>,
    called_number: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shaped like the doc's JSON example (wrapped lists, agents and recordings included).
    const DOC_SHAPED: &str = r#"{
        "RequestId": "D70B6625-B54F-4831-BDC4-917A7EBBCE77",
        "CallDetailRecords": {
            "TotalCount": 2, "PageSize": 10, "PageNumber": 1,
            "List": { "CallDetailRecord": [
                { "CalledNumber": "13011110813", "ContactType": "Outbound", "ContactDisposition": "Success",
                  "InstanceId": "9cfad875-6260-4a53-ab6e-b13e3fb31f7d", "StartTime": 1587519561000,
                  "Agents": { "CallDetailAgent": [ { "Satisfaction": "未评价", "AgentId": "282366787439559254" } ] },
                  "Duration": 138, "ContactId": "2670898993",
                  "Recordings": { "Recording": [ { "FileName": "158751957570800080331895.wav", "StartTime": 1587519575000, "Duration": 124 } ] },
                  "SatisfactionDesc": "未发送", "CallingNumber": "18701699172", "Feedback": "", "SkillGroupNames": "默认技能组",
                  "AgentNames": "社科测试账号" },
                { "CalledNumber": "17630774300", "ContactType": "Outbound", "ContactDisposition": "NoAnswer",
                  "StartTime": 1587537004000, "Agents": { "CallDetailAgent": [] }, "Duration": 5, "ContactId": "2671290587",
                  "Recordings": { "Recording": [] }, "CallingNumber": "02124196528" }
            ] }
        },
        "HttpStatusCode": 200, "Code": "OK", "Success": true
    }"#;

    #[test]
    fn a_doc_shaped_answer_reads_into_records() {
        let page = parse_page(DOC_SHAPED).unwrap();
        assert_eq!(page.total_count, Some(2));
        assert_eq!((page.page_number, page.page_size), (1, 10));
        assert_eq!(
            page.records[0],
            CallRecord {
                contact_id: "2670898993".into(),
                start_ms: Some(1_587_519_561_000),
                duration_secs: Some(138),
                contact_type: Some("Outbound".into()),
                disposition: Some("Success".into()),
                calling_number: Some("18701699172".into()),
                called_number: Some("13011110813".into()),
            }
        );
        assert_eq!(page.records[1].disposition.as_deref(), Some("NoAnswer"));
        assert!(matches!(classify(200, DOC_SHAPED.into()), Classified::Success(_)));
    }

    #[test]
    fn plain_array_lists_and_string_numbers_are_read_too() {
        let body = r#"{"Success":true,"CallDetailRecords":{"TotalCount":0,"PageNumber":"2","PageSize":100,
            "List":[{"ContactId":"7","StartTime":"1587519561000","Duration":"3","CalledNumber":"1"},{"ContactId":""}]}}"#;
        let page = parse_page(body).unwrap();
        assert_eq!(page.total_count, None, "zero on a later page means not told");
        assert_eq!(page.page_number, 2);
        assert_eq!(page.records.len(), 1, "a record without an id cannot be matched, so it is left out");
        assert_eq!((page.records[0].start_ms, page.records[0].duration_secs), (Some(1_587_519_561_000), Some(3)));
    }

    #[test]
    fn errors_are_refusals_throttles_or_unknown() {
        let error = |code: &str| format!(r#"{{"RequestId":"r","HostId":"h","Code":"{code}","Message":"m"}}"#);
        assert!(matches!(classify(400, error("Throttling.User")), Classified::RateLimited(_)));
        assert!(
            matches!(classify(404, error("InvalidInstanceId.NotFound")), Classified::Rejected(b) if b.code == "InvalidInstanceId.NotFound")
        );
        assert!(matches!(classify(200, r#"{"Success":false,"Code":"Busy"}"#.into()), Classified::Rejected(_)));
        assert!(matches!(classify(500, error("InternalError")), Classified::Unknown(_)));
        assert!(matches!(classify(200, "<xml/>".into()), Classified::Unknown(_)));
    }

    #[test]
    fn the_query_names_the_window_the_number_and_no_recordings_and_keeps_to_seven_days() {
        let query = CallRecordQuery {
            instance_id: "i".into(),
            criteria: Some("13800000001".into()),
            start_ms: 1_000,
            stop_ms: 1_000 + 30 * 24 * 3600 * 1000,
            page_number: 0,
            page_size: 500,
        };
        let params = query_params(&query);
        let get = |name: &str| params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        assert_eq!(get("StopTime"), Some((1_000 + MAX_QUERY_SPAN_MS).to_string().as_str()));
        assert_eq!((get("PageNumber"), get("PageSize")), (Some("1"), Some("100")));
        assert_eq!((get("Criteria"), get("WithRecording")), (Some("13800000001"), Some("false")));
    }
}
