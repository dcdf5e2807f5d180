//! Pasted number lists and CSV files. Input: any UTF-8 text, read both ways.
//!
//! Properties: every cell comes out trimmed, a nick name is never `Some("")`, pasted text gives one
//! row per non-blank line with no separator left in a cell, and both parsers read back their own
//! rows when those are written out again (text as `cc,number,ext,nick` lines, CSV quoted under the
//! template's header).
#![no_main]

use callout_shared::{
    meeting::CalloutNumberInput,
    number_list::{parse_csv, parse_text, CSV_TEMPLATE},
};
use libfuzzer_sys::fuzz_target;

fn cells(row: &CalloutNumberInput) -> [&str; 4] {
    [&row.number.country_code, &row.number.number, &row.number.extension, row.nick_name.as_deref().unwrap_or("")]
}

fn check_cells(rows: &[CalloutNumberInput]) {
    for row in rows {
        assert_ne!(row.nick_name.as_deref(), Some(""), "an empty nick name is None: {row:?}");
        for cell in cells(row) {
            assert_eq!(cell, cell.trim(), "cells are trimmed: {row:?}");
        }
    }
}

fn quote(cell: &str) -> String {
    format!("\"{}\"", cell.replace('"', "\"\""))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };

    let rows = parse_text(text);
    check_cells(&rows);
    assert_eq!(rows.len(), text.lines().filter(|line| !line.trim().is_empty()).count(), "one row per non-blank line");
    for row in &rows {
        for cell in cells(row) {
            assert!(!cell.contains([',', ';', '\t', '\n']), "no separator inside a pasted cell: {row:?}");
        }
    }
    let written: String = rows.iter().map(|row| cells(row).join(",") + "\n").collect();
    assert_eq!(parse_text(&written), rows, "pasted text reads back its own rows");

    let rows = parse_csv(text);
    check_cells(&rows);
    let header = CSV_TEMPLATE.lines().next().unwrap();
    let mut written = format!("{header}\r\n");
    for row in &rows {
        written += &cells(row).map(quote).join(",");
        written += "\r\n";
    }
    let kept: Vec<CalloutNumberInput> = rows.into_iter().filter(|row| cells(row).iter().any(|c| !c.is_empty())).collect();
    assert_eq!(parse_csv(&written), kept, "CSV reads back its own rows");
});
