//! Turning pasted text and CSV files into number rows. Pure and small, so the backend (which
//! dials) and the browser (which previews) split lists the same way.

use crate::{meeting::CalloutNumberInput, numbers::NumberInput};

/// The CSV template offered for download: the header and one example row per kind of number.
pub const CSV_TEMPLATE: &str =
    "country_code,number,extension,nick_name\n86,13800138000,,Zhang San\n86,01065529988,8001,Front desk\n852,21234567,,HK office\n";

/// One number per line; a line may be `number`, `number, nickname` or `country_code, number,
/// extension, nickname` (separated by comma, semicolon or tab). Blank lines are skipped.
pub fn parse_text(text: &str) -> Vec<CalloutNumberInput> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let cells: Vec<String> = line.split([',', ';', '\t']).map(|c| c.trim().to_owned()).collect();
            row_from_cells(&cells)
        })
        .collect()
}

/// CSV in the template's columns (`country_code,number,extension,nick_name`); quoted cells
/// (`"Zhang, San"`) are understood. A header row is optional; when there is one, its names (English
/// or Chinese: 国家/地区代码, 号码, 分机, 昵称) say which column is which, in any order.
pub fn parse_csv(text: &str) -> Vec<CalloutNumberInput> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows: Vec<Vec<String>> = csv_records(text).into_iter().filter(|r| r.iter().any(|c| !c.trim().is_empty())).collect();
    let mut columns = [0, 1, 2, 3];
    if let Some(header) = rows.first().and_then(|r| header_columns(r)) {
        columns = header;
        rows.remove(0);
    }
    rows.into_iter()
        .map(|cells| {
            let cell = |field: usize| cells.get(columns[field]).map(|c| c.trim().to_owned()).unwrap_or_default();
            let nick = cell(3);
            CalloutNumberInput {
                number: NumberInput { country_code: cell(0), number: cell(1), extension: cell(2) },
                nick_name: (!nick.is_empty()).then_some(nick),
            }
        })
        .collect()
}

/// Names a header cell may give each field (country code, number, extension, nick name).
const HEADER_NAMES: [&[&str]; 4] = [
    &["country_code", "country code", "国家/地区代码", "国家代码", "国家/地区"],
    &["number", "phone", "号码", "电话号码", "手机号"],
    &["extension", "ext", "分机", "分机号"],
    &["nick_name", "nickname", "name", "昵称", "姓名"],
];

/// The column of each field, when `row` is a header (it names the number column); a field the
/// header does not name reads an empty cell.
fn header_columns(row: &[String]) -> Option<[usize; 4]> {
    let find = |names: &[&str]| row.iter().position(|c| names.iter().any(|n| c.trim().eq_ignore_ascii_case(n)));
    let number = find(HEADER_NAMES[1])?;
    let missing = usize::MAX;
    Some([
        find(HEADER_NAMES[0]).unwrap_or(missing),
        number,
        find(HEADER_NAMES[2]).unwrap_or(missing),
        find(HEADER_NAMES[3]).unwrap_or(missing),
    ])
}

fn row_from_cells(cells: &[String]) -> CalloutNumberInput {
    let nick = |s: &String| (!s.is_empty()).then(|| s.clone());
    match cells {
        [number] => CalloutNumberInput { number: NumberInput { number: number.clone(), ..NumberInput::default() }, nick_name: None },
        [number, nick_name] => {
            CalloutNumberInput { number: NumberInput { number: number.clone(), ..NumberInput::default() }, nick_name: nick(nick_name) }
        }
        [cc, number, ext] => CalloutNumberInput {
            number: NumberInput { country_code: cc.clone(), number: number.clone(), extension: ext.clone() },
            nick_name: None,
        },
        [cc, number, ext, nick_name, ..] => CalloutNumberInput {
            number: NumberInput { country_code: cc.clone(), number: number.clone(), extension: ext.clone() },
            nick_name: nick(nick_name),
        },
        [] => CalloutNumberInput::default(),
    }
}

/// RFC 4180 records: commas separate, double quotes quote, `""` is a quote inside quotes.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !record.is_empty() {
        record.push(cell);
        records.push(record);
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_text_in_the_shapes_people_paste() {
        let rows = parse_text("13800138000\n\n+852 2123 4567, HK office\n86;01065529988;8001;Front desk\n");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].number.number, "13800138000");
        assert_eq!(rows[1].nick_name.as_deref(), Some("HK office"));
        assert_eq!((rows[2].number.country_code.as_str(), rows[2].number.extension.as_str()), ("86", "8001"));
    }

    #[test]
    fn csv_with_header_quotes_and_bom() {
        let rows = parse_csv("\u{feff}country_code,number,extension,nick_name\r\n86,13800138000,,\"Zhang, San\"\r\n852,21234567,,\n");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].nick_name.as_deref(), Some("Zhang, San"));
        assert_eq!(rows[1].number.country_code, "852");
        assert_eq!(rows[1].nick_name, None);
    }

    #[test]
    fn the_template_parses_to_its_example_rows() {
        let rows = parse_csv(CSV_TEMPLATE);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].number.extension, "8001");
    }

    #[test]
    fn chinese_headers_and_a_bom_name_the_columns_in_any_order() {
        let rows = parse_csv("\u{feff}号码,国家/地区代码,分机,昵称\r\n13800138000,86,,张三\r\n21234567,852,8001,香港办公室\r\n");
        assert_eq!(rows.len(), 2, "the header is not a data row");
        assert_eq!((rows[0].number.number.as_str(), rows[0].number.country_code.as_str()), ("13800138000", "86"));
        assert_eq!(rows[0].nick_name.as_deref(), Some("张三"));
        assert_eq!((rows[1].number.extension.as_str(), rows[1].nick_name.as_deref()), ("8001", Some("香港办公室")));
    }

    #[test]
    fn a_header_that_leaves_out_columns_reads_them_empty() {
        let rows = parse_csv("昵称,号码\n李四,13800138001\n");
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].number.number.as_str(), rows[0].number.country_code.as_str()), ("13800138001", ""));
        assert_eq!(rows[0].nick_name.as_deref(), Some("李四"));
    }
}
