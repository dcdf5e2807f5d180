use axum::Json;
use callout_shared::numbers::{NumberValidation, ValidateNumbersRequest, ValidateNumbersResponse};

use crate::{error::AppError, extract::ApiJson, phone, security::CurrentUser};

/// Rows per validation call: a whole pasted list, but bounded.
pub const MAX_NUMBERS_PER_VALIDATION: usize = 5_000;

pub async fn validate(
    _user: CurrentUser,
    ApiJson(request): ApiJson<ValidateNumbersRequest>,
) -> Result<Json<ValidateNumbersResponse>, AppError> {
    if request.numbers.len() > MAX_NUMBERS_PER_VALIDATION {
        return Err(AppError::invalid("numbers", format!("at most {MAX_NUMBERS_PER_VALIDATION} numbers per request")));
    }
    let region = match request.default_region.as_deref() {
        None => phone::DEFAULT_REGION,
        Some(code) => {
            phone::region(code).ok_or_else(|| AppError::invalid("default_region", format!("`{code}` is not an ISO 3166 country code")))?
        }
    };
    let results = request
        .numbers
        .iter()
        .map(|input| match phone::normalize(input, region) {
            Ok(number) => NumberValidation::Valid { number },
            Err(problem) => NumberValidation::Invalid { problem, message: problem.message().to_owned() },
        })
        .collect();
    Ok(Json(ValidateNumbersResponse { results }))
}
