//! `POST /api/v1/numbers/validate`: the backend's one phone-number normaliser, offered to the
//! browser so the UI validates as you type with exactly the code that dials.

use serde::{Deserialize, Serialize};

/// One number as a person entered it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NumberInput {
    /// Country calling code without `+` (`86`); empty when `number` carries `+…` or `00…`.
    #[serde(default)]
    pub country_code: String,
    pub number: String,
    #[serde(default)]
    pub extension: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ValidateNumbersRequest {
    pub numbers: Vec<NumberInput>,
    /// Country assumed for national numbers without a country code (ISO 3166 alpha-2, default `CN`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_region: Option<String>,
}

/// A number that can be dialled.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NormalizedNumber {
    /// `+8613800138000`, the key for duplicates (with `;ext=` when there is an extension).
    pub e164: String,
    pub country_code: u16,
    /// The national significant number, as Tencent Meeting's `phone` wants it.
    pub national_number: String,
    /// Digits as dialled inside the country, trunk prefix included (`01065529988`).
    pub national_format: String,
    pub extension: Option<String>,
    /// Region of the number (ISO alpha-2), when it maps to one.
    pub region: Option<String>,
}

/// Why a number cannot be dialled. Stable codes for translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NumberProblem {
    Empty,
    NotANumber,
    InvalidCountryCode,
    TooShort,
    TooLong,
    /// Parses, but no such number exists in the numbering plan.
    NotAValidNumber,
    InvalidExtension,
}

crate::wire_words!(NumberProblem, "number problem", {
    NumberProblem::Empty => "empty",
    NumberProblem::NotANumber => "not_a_number",
    NumberProblem::InvalidCountryCode => "invalid_country_code",
    NumberProblem::TooShort => "too_short",
    NumberProblem::TooLong => "too_long",
    NumberProblem::NotAValidNumber => "not_a_valid_number",
    NumberProblem::InvalidExtension => "invalid_extension",
});

impl NumberProblem {
    pub fn message(self) -> &'static str {
        match self {
            NumberProblem::Empty => "no number was entered",
            NumberProblem::NotANumber => "this is not a phone number",
            NumberProblem::InvalidCountryCode => "unknown country calling code",
            NumberProblem::TooShort => "too short for a number of this country",
            NumberProblem::TooLong => "too long for a number of this country",
            NumberProblem::NotAValidNumber => "no such number exists in this country's numbering plan",
            NumberProblem::InvalidExtension => "an extension may only contain digits, * and #, at most 20",
        }
    }
}

/// One row of the answer: in the same order as the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum NumberValidation {
    Valid {
        number: NormalizedNumber,
        /// On the do-not-call list: no job will dial it (told to operators and admins only).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        do_not_call: bool,
    },
    Invalid {
        problem: NumberProblem,
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ValidateNumbersResponse {
    pub results: Vec<NumberValidation>,
}
