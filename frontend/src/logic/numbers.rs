//! Number rows as people enter, paste or import them (splitting is the shared crate's, so browser
//! and backend read a list the same way), and the verdict on each row once the backend checked it. Plain functions, no view code: `cargo test -p callout-frontend` runs them natively.

use callout_shared::{
    meeting::CalloutNumberInput,
    number_list,
    numbers::{NumberInput, NumberProblem, NumberValidation},
};

/// Numbers per provider request: Tencent Meeting's callout takes at most 50 phones at a time.
pub const BATCH_SIZE: usize = 50;

/// One number as entered: the four columns, untouched apart from trimming.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NumberRow {
    pub country_code: String,
    pub number: String,
    pub extension: String,
    pub nickname: String,
}

impl NumberRow {
    pub fn new(country_code: &str, number: &str, extension: &str, nickname: &str) -> Self {
        Self {
            country_code: country_code.trim().to_owned(),
            number: number.trim().to_owned(),
            extension: extension.trim().to_owned(),
            nickname: nickname.trim().to_owned(),
        }
    }

    /// A row with nothing to dial is left out of checks and counts (a fresh empty row, say).
    pub fn is_blank(&self) -> bool {
        self.country_code.trim().is_empty() && self.number.trim().is_empty() && self.extension.trim().is_empty()
    }

    /// What the backend's validator takes. A leading `+` on the country code is the user's habit, not data.
    pub fn to_input(&self) -> NumberInput {
        NumberInput {
            country_code: self.country_code.trim().trim_start_matches('+').to_owned(),
            number: self.number.trim().to_owned(),
            extension: self.extension.trim().to_owned(),
        }
    }

    /// What a dialling submit sends for the row: the number as checked, and the nickname if any.
    pub fn to_callout_input(&self) -> CalloutNumberInput {
        CalloutNumberInput { number: self.to_input(), nick_name: Some(self.nickname.trim().to_owned()).filter(|n| !n.is_empty()) }
    }
}

impl From<CalloutNumberInput> for NumberRow {
    fn from(input: CalloutNumberInput) -> Self {
        let n = input.number;
        NumberRow::new(&n.country_code, &n.number, &n.extension, input.nick_name.as_deref().unwrap_or(""))
    }
}

/// Splits pasted text into rows the way the backend splits a pasted list (`number`, `number,
/// nickname`, or `country_code, number, extension, nickname`; tab, `,` or `;`). A header line is skipped.
pub fn split_pasted(text: &str) -> Vec<NumberRow> {
    let mut rows: Vec<NumberRow> = number_list::parse_text(text).into_iter().map(NumberRow::from).collect();
    if rows.first().is_some_and(|r| r.number.eq_ignore_ascii_case("number")) {
        rows.remove(0);
    }
    rows
}

/// Parses an uploaded CSV in the template's columns (header optional, quotes and BOM understood).
pub fn parse_csv(text: &str) -> Vec<NumberRow> {
    number_list::parse_csv(text).into_iter().map(NumberRow::from).collect()
}

/// The downloadable template, the backend's own. The BOM makes spreadsheet programs read UTF-8 nicknames.
pub fn csv_template() -> String {
    format!("\u{feff}{}", number_list::CSV_TEMPLATE)
}

/// What the console knows about one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowState {
    /// Nothing entered: ignored.
    Blank,
    /// Not checked yet (or the answer is for older input).
    Pending,
    Valid {
        e164: String,
    },
    Invalid {
        problem: NumberProblem,
    },
    /// Valid, but the same E.164 number appears in an earlier row (0-based index).
    Duplicate {
        e164: String,
        first: usize,
    },
    /// Valid, but on the do-not-call list: it will not be called.
    Blocked {
        e164: String,
    },
}

/// Judges each row from the validator's answer for it (`None` while unchecked). The first
/// occurrence of a number is kept; later ones are flagged as duplicates of it.
pub fn classify(rows: &[NumberRow], checks: &[Option<NumberValidation>]) -> Vec<RowState> {
    let mut seen = std::collections::HashMap::new();
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            if row.is_blank() {
                return RowState::Blank;
            }
            match checks.get(i).cloned().flatten() {
                None => RowState::Pending,
                Some(NumberValidation::Invalid { problem, .. }) => RowState::Invalid { problem },
                Some(NumberValidation::Valid { number, do_not_call: true }) => RowState::Blocked { e164: number.e164 },
                Some(NumberValidation::Valid { number, .. }) => match seen.get(&number.e164) {
                    Some(&first) => RowState::Duplicate { e164: number.e164, first },
                    None => {
                        seen.insert(number.e164.clone(), i);
                        RowState::Valid { e164: number.e164 }
                    }
                },
            }
        })
        .collect()
}

/// Counts for the summary line and the confirmation step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub valid: usize,
    pub invalid: usize,
    pub duplicates: usize,
    /// On the do-not-call list.
    pub blocked: usize,
    pub pending: usize,
}

impl Tally {
    pub fn of(states: &[RowState]) -> Self {
        states.iter().fold(Tally::default(), |mut t, state| {
            match state {
                RowState::Blank => {}
                RowState::Pending => t.pending += 1,
                RowState::Valid { .. } => t.valid += 1,
                RowState::Invalid { .. } => t.invalid += 1,
                RowState::Duplicate { .. } => t.duplicates += 1,
                RowState::Blocked { .. } => t.blocked += 1,
            }
            t
        })
    }

    /// Provider requests needed for the valid numbers.
    pub fn batches(&self) -> usize {
        self.valid.div_ceil(BATCH_SIZE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use callout_shared::numbers::NormalizedNumber;

    fn valid(e164: &str) -> Option<NumberValidation> {
        Some(NumberValidation::Valid {
            number: NormalizedNumber {
                e164: e164.into(),
                country_code: 86,
                national_number: e164.trim_start_matches("+86").into(),
                national_format: String::new(),
                extension: None,
                region: Some("CN".into()),
            },
            do_not_call: false,
        })
    }

    fn invalid(problem: NumberProblem) -> Option<NumberValidation> {
        Some(NumberValidation::Invalid { problem, message: problem.message().into() })
    }

    #[test]
    fn pasted_lines_become_rows_and_blank_lines_vanish() {
        let rows = split_pasted("13800138000\n\n  +8613900139000  \r\n");
        assert_eq!(rows, vec![NumberRow::new("", "13800138000", "", ""), NumberRow::new("", "+8613900139000", "", "")]);
    }

    #[test]
    fn pasted_columns_may_use_commas_semicolons_or_tabs() {
        let rows = split_pasted("86,13800138000,,Alice\n1;2025550123;1234;Bob\n852\t61234567\t\t陈\n13700137000, Dana");
        assert_eq!(rows[0], NumberRow::new("86", "13800138000", "", "Alice"));
        assert_eq!(rows[1], NumberRow::new("1", "2025550123", "1234", "Bob"));
        assert_eq!(rows[2], NumberRow::new("852", "61234567", "", "陈"));
        assert_eq!(rows[3], NumberRow::new("", "13700137000", "", "Dana"), "two columns are number and nickname");
    }

    #[test]
    fn a_header_line_is_skipped_in_pastes_and_csv() {
        assert_eq!(split_pasted("country_code,number,extension,nickname\n86,13800138000").len(), 1);
        assert_eq!(parse_csv("Country_Code,Number,Extension,Nick_Name\n86,13800138000,,A\n").len(), 1);
        assert_eq!(parse_csv("86,13800138000,,A\n").len(), 1, "the header is optional");
    }

    #[test]
    fn csv_handles_quotes_bom_and_crlf() {
        let rows = parse_csv("\u{feff}country_code,number,extension,nickname\r\n86,13800138000,,\"Li, \"\"Lei\"\"\"\r\n\r\n\"1\",\"2025550123\",\"12\",\"two\nlines\"");
        assert_eq!(
            rows,
            vec![NumberRow::new("86", "13800138000", "", "Li, \"Lei\""), NumberRow::new("1", "2025550123", "12", "two\nlines")]
        );
    }

    #[test]
    fn the_template_parses_back_into_its_examples() {
        let template = csv_template();
        assert!(template.starts_with("\u{feff}country_code,number,extension,nick_name\n"));
        let rows = parse_csv(&template);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1], NumberRow::new("86", "01065529988", "8001", "Front desk"));
    }

    #[test]
    fn a_plus_on_the_country_code_is_dropped_for_the_validator() {
        assert_eq!(NumberRow::new("+86", " 138 0013 8000 ", "", "").to_input().country_code, "86");
        assert_eq!(NumberRow::new("+86", "138 0013 8000", "", "").to_input().number, "138 0013 8000");
    }

    #[test]
    fn a_submitted_row_carries_its_nickname_only_when_there_is_one() {
        let sent = NumberRow::new("+852", "21234567", "", " HK office ").to_callout_input();
        assert_eq!((sent.number.country_code.as_str(), sent.nick_name.as_deref()), ("852", Some("HK office")));
        assert_eq!(NumberRow::new("", "13800138000", "", "  ").to_callout_input().nick_name, None, "a blank nickname is not sent");
    }

    #[test]
    fn later_copies_of_a_number_are_flagged_and_the_first_kept() {
        let rows = vec![NumberRow::new("", "a", "", ""); 4];
        let states = classify(&rows, &[valid("+8613800138000"), valid("+8613900139000"), valid("+8613800138000"), None]);
        assert_eq!(states[0], RowState::Valid { e164: "+8613800138000".into() });
        assert_eq!(states[2], RowState::Duplicate { e164: "+8613800138000".into(), first: 0 });
        assert_eq!(states[3], RowState::Pending);
    }

    #[test]
    fn a_do_not_call_number_is_counted_apart_and_not_to_call() {
        let rows = vec![NumberRow::new("", "a", "", ""); 2];
        let mut listed = valid("+8613900000098");
        if let Some(NumberValidation::Valid { do_not_call, .. }) = &mut listed {
            *do_not_call = true;
        }
        let states = classify(&rows, &[listed, valid("+8613800138000")]);
        assert_eq!(states[0], RowState::Blocked { e164: "+8613900000098".into() });
        let tally = Tally::of(&states);
        assert_eq!((tally.valid, tally.blocked), (1, 1));
    }

    #[test]
    fn blank_rows_are_neither_checked_nor_counted() {
        let rows = vec![NumberRow::default(), NumberRow::new("", "x", "", "")];
        let states = classify(&rows, &[None, invalid(NumberProblem::NotANumber)]);
        assert_eq!(states, vec![RowState::Blank, RowState::Invalid { problem: NumberProblem::NotANumber }]);
        assert_eq!(Tally::of(&states), Tally { invalid: 1, ..Tally::default() });
    }

    #[test]
    fn six_rows_with_one_invalid_and_one_duplicate_leave_four_to_call_in_one_batch() {
        let rows = vec![NumberRow::new("", "n", "", ""); 6];
        let checks = [
            valid("+8613800138000"),
            valid("+8613900139000"),
            invalid(NumberProblem::TooShort),
            valid("+8613700137000"),
            valid("+8613800138000"),
            valid("+8613600136000"),
        ];
        let tally = Tally::of(&classify(&rows, &checks));
        assert_eq!(tally, Tally { valid: 4, invalid: 1, duplicates: 1, blocked: 0, pending: 0 });
        assert_eq!(tally.batches(), 1);
    }

    #[test]
    fn batches_hold_fifty_numbers() {
        let tally = |valid| Tally { valid, ..Tally::default() };
        assert_eq!([tally(0).batches(), tally(50).batches(), tally(51).batches(), tally(101).batches()], [0, 1, 2, 3]);
    }
}
