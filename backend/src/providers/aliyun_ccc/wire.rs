//! The gateway's JSON, field for field. Nothing here leaves the `aliyun_ccc` module.

use serde::{Deserialize, Deserializer};

/// A DialEx answer, or an error answer (the gateway's error body shares `RequestId`, `Code`, `Message`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DialExResponse {
    pub request_id: Option<String>,
    pub success: Option<bool>,
    pub code: Option<String>,
    pub message: Option<String>,
    /// Declared a string, shown as a number in the doc's own example: accept both.
    #[serde(default, deserialize_with = "lenient_string")]
    pub status_code: Option<String>,
    pub status_desc: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub task_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub time_stamp: Option<String>,
}

/// A string, or a number taken as its text.
fn lenient_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(deserializer)? {
        Some(serde_json::Value::String(text)) => Some(text),
        Some(serde_json::Value::Number(number)) => Some(number.to_string()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::DialExResponse;

    #[test]
    fn status_code_may_be_a_number_or_a_string() {
        let doc: DialExResponse = serde_json::from_str(
            r#"{"TimeStamp":"1554862236398","StatusCode":200,"HttpStatusCode":200,"RequestId":"26D1277F","TaskId":"155486223597726619","Success":true,"Code":"OK"}"#,
        )
        .unwrap();
        assert_eq!(doc.status_code.as_deref(), Some("200"));
        assert_eq!(doc.task_id.as_deref(), Some("155486223597726619"));
        let text: DialExResponse = serde_json::from_str(r#"{"StatusCode":"200","TaskId":1,"Success":true}"#).unwrap();
        assert_eq!(text.status_code.as_deref(), Some("200"));
        assert_eq!(text.task_id.as_deref(), Some("1"));
    }
}
