//! The do-not-call list as the page keeps it: sorted by number, changed in place by the answers to
//! its own adds and removes (no reload that could race them), filtered by a search.

use callout_shared::dnc::DoNotCallEntry;

/// Puts the stored entry in its place: a number already listed gets its new note.
pub fn upsert(list: &mut Vec<DoNotCallEntry>, entry: DoNotCallEntry) {
    match list.binary_search_by(|e| e.e164.cmp(&entry.e164)) {
        Ok(at) => list[at] = entry,
        Err(at) => list.insert(at, entry),
    }
}

pub fn remove(list: &mut Vec<DoNotCallEntry>, e164: &str) {
    list.retain(|e| e.e164 != e164);
}

/// Whether an entry matches the search box: part of the number, or of the note in any case.
pub fn matches(entry: &DoNotCallEntry, search: &str) -> bool {
    let search = search.trim();
    let digits: String = search.chars().filter(|c| c.is_ascii_digit()).collect();
    search.is_empty()
        || (!digits.is_empty() && entry.e164.contains(&digits))
        || entry.note.as_deref().is_some_and(|n| n.to_lowercase().contains(&search.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(e164: &str, note: Option<&str>) -> DoNotCallEntry {
        DoNotCallEntry { e164: e164.into(), note: note.map(Into::into), added_by: None, added_at: None, configured: false }
    }

    #[test]
    fn an_added_number_lands_in_order_and_a_known_one_is_replaced() {
        let mut list = vec![entry("+8613900000001", None), entry("+8613900000009", None)];
        upsert(&mut list, entry("+8613900000005", None));
        upsert(&mut list, entry("+8613900000009", Some("new note")));
        let numbers: Vec<_> = list.iter().map(|e| e.e164.as_str()).collect();
        assert_eq!(numbers, ["+8613900000001", "+8613900000005", "+8613900000009"]);
        assert_eq!(list[2].note.as_deref(), Some("new note"));
        remove(&mut list, "+8613900000005");
        assert_eq!(list.len(), 2);
    }

    #[test]
    fn search_finds_numbers_as_typed_and_notes_in_any_case() {
        let e = entry("+8613900000098", Some("Asked not to be called"));
        assert!(matches(&e, ""));
        assert!(matches(&e, "139 0000"));
        assert!(matches(&e, "+86139"));
        assert!(matches(&e, "asked"));
        assert!(!matches(&e, "138"));
        assert!(!matches(&e, "refused"));
    }
}
