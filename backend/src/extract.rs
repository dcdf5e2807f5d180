//! Request extractors whose failures speak the API's error format.

use axum::{
    body::Bytes,
    extract::{
        path::{ErrorKind, FailedToDeserializePathParams},
        rejection::PathRejection,
        FromRequest, FromRequestParts, Path, Query, Request,
    },
    http::{header, request::Parts},
};
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// A JSON body. Unlike `axum::Json`, a bad body names the field that is wrong, in the API's error
/// format, and anything but `application/json` is refused (a simple form post cannot reach us).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json")));
        if !json {
            return Err(AppError::InvalidRequest { message: "the body must be JSON (Content-Type: application/json)".into(), field: None });
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| AppError::InvalidRequest { message: format!("the body could not be read: {e}"), field: None })?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize(&mut de) {
            // One JSON value and nothing after it: trailing bytes mean the body is not what it seems.
            Ok(value) => match de.end() {
                Ok(()) => Ok(ApiJson(value)),
                Err(err) => Err(AppError::InvalidRequest { message: format!("malformed request body: {err}"), field: None }),
            },
            Err(err) => {
                let path = err.path().to_string();
                let field = (path != ".").then_some(path);
                Err(AppError::InvalidRequest { message: format!("malformed request body: {}", err.inner()), field })
            }
        }
    }
}

/// Query parameters whose failures speak the API's error format.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        Query::<T>::try_from_uri(&parts.uri)
            .map(|Query(value)| ApiQuery(value))
            .map_err(|e| AppError::InvalidRequest { message: format!("malformed query: {}", e.body_text()), field: None })
    }
}

/// Path parameters whose failures speak the API's error format (axum's own `Path` answers plain
/// text, e.g. for a parameter that is not UTF-8 once percent-decoded), naming the parameter.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(PathRejection::FailedToDeserializePathParams(err)) => Err(path_error(&err)),
            Err(err) => Err(AppError::InvalidRequest { message: format!("malformed path: {}", err.body_text()), field: None }),
        }
    }
}

fn path_error(err: &FailedToDeserializePathParams) -> AppError {
    let field = match err.kind() {
        ErrorKind::ParseErrorAtKey { key, .. } | ErrorKind::InvalidUtf8InPathParam { key } | ErrorKind::DeserializeError { key, .. } => {
            Some(key.clone())
        }
        _ => None,
    };
    AppError::InvalidRequest { message: format!("malformed path: {}", err.body_text()), field }
}
