//! The per-number table of a live job: the rows as the backend last reported them, and the
//! filtered, sorted, paged slice the page shows. Jobs can hold 10,000 numbers, so the page only
//! ever renders one page of rows, and live updates replace a row in place by id.

use std::{cmp::Ordering, collections::HashMap};

use callout_shared::{
    call_status::CallStatus,
    jobs::{ItemPhase, JobCounters, JobItem},
};

/// Rows per page of the job view.
pub const PAGE_SIZE: usize = 200;

/// Which rows to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    #[default]
    All,
    /// Rows that were never sent: invalid, duplicate or on the do-not-call list.
    NotDialled,
    Status(CallStatus),
}

impl StatusFilter {
    /// The value of the filter's `<option>`.
    pub fn tag(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::NotDialled => "not_dialled",
            StatusFilter::Status(s) => s.as_str(),
        }
    }

    pub fn from_tag(tag: &str) -> StatusFilter {
        match tag {
            "not_dialled" => StatusFilter::NotDialled,
            _ => tag.parse::<CallStatus>().map(StatusFilter::Status).unwrap_or_default(),
        }
    }

    fn keeps(self, item: &JobItem) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::NotDialled => !dialled(item),
            StatusFilter::Status(s) => dialled(item) && item.status == s,
        }
    }
}

/// Whether the row went (or is going) to the provider.
pub fn dialled(item: &JobItem) -> bool {
    !matches!(item.phase, ItemPhase::Invalid | ItemPhase::Duplicate | ItemPhase::Blocked | ItemPhase::Stopped)
}

/// How many rows of a job went to the provider: the base of its progress bars.
pub fn dialled_count(c: &JobCounters) -> u32 {
    c.rows.saturating_sub(c.invalid + c.duplicates + c.blocked + c.stopped)
}

/// How many numbers of a job wait for their batch (or are on their way): what a pause holds.
pub fn waiting_count(c: &JobCounters) -> u32 {
    dialled_count(c).saturating_sub(c.accepted + c.provider_invalid + c.unknown)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Row,
    Number,
    Status,
    Batch,
}

impl SortKey {
    pub const ALL: [SortKey; 4] = [SortKey::Row, SortKey::Number, SortKey::Status, SortKey::Batch];

    pub fn tag(self) -> &'static str {
        match self {
            SortKey::Row => "row",
            SortKey::Number => "number",
            SortKey::Status => "status",
            SortKey::Batch => "batch",
        }
    }

    pub fn from_tag(tag: &str) -> SortKey {
        SortKey::ALL.into_iter().find(|k| k.tag() == tag).unwrap_or_default()
    }

    fn compare(self, a: &JobItem, b: &JobItem) -> Ordering {
        let primary = match self {
            SortKey::Row => Ordering::Equal,
            SortKey::Number => a.e164.as_deref().unwrap_or(&a.input).cmp(b.e164.as_deref().unwrap_or(&b.input)),
            SortKey::Status => a.status.rank().cmp(&b.status.rank()).then(a.status.as_str().cmp(b.status.as_str())),
            SortKey::Batch => a.batch.cmp(&b.batch),
        };
        primary.then(a.row.cmp(&b.row))
    }
}

/// What the user asked to see.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TableQuery {
    pub filter: StatusFilter,
    pub search: String,
    pub sort: SortKey,
    pub descending: bool,
    /// Zero-based.
    pub page: usize,
}

/// One page of rows and where it sits among all matching rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TablePage {
    pub rows: Vec<JobItem>,
    pub matching: usize,
    pub page: usize,
    pub pages: usize,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobTable {
    items: Vec<JobItem>,
    by_id: HashMap<i64, usize>,
}

impl JobTable {
    pub fn new(mut items: Vec<JobItem>) -> Self {
        items.sort_by_key(|i| i.row);
        let by_id = items.iter().enumerate().map(|(at, i)| (i.id, at)).collect();
        JobTable { items, by_id }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Every row, in row order.
    pub fn items(&self) -> &[JobItem] {
        &self.items
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Takes a live update. An update older than what we hold (events can overtake a reload) is
    /// ignored; says whether anything changed.
    pub fn apply(&mut self, item: JobItem) -> bool {
        match self.by_id.get(&item.id) {
            Some(&at) if self.items[at].updated_at > item.updated_at || self.items[at] == item => false,
            Some(&at) => {
                self.items[at] = item;
                true
            }
            None => {
                // A row we did not know: keep row order, which the reload would give too.
                let at = self.items.partition_point(|i| i.row < item.row);
                self.items.insert(at, item);
                self.by_id = self.items.iter().enumerate().map(|(at, i)| (i.id, at)).collect();
                true
            }
        }
    }

    /// Merges the rows shown before this snapshot arrived: a row newer than the snapshot's (a live
    /// update can overtake a reload), or one it lacks, stays; on a tie the snapshot wins.
    pub fn keep_newer(&mut self, shown: &JobTable) {
        for item in &shown.items {
            if self.by_id.get(&item.id).is_none_or(|&at| self.items[at].updated_at < item.updated_at) {
                self.apply(item.clone());
            }
        }
    }

    /// The rows matching the query, sorted; the page is clamped to the last one.
    pub fn page(&self, query: &TableQuery) -> TablePage {
        let matching = self.matching(query);
        let pages = matching.len().div_ceil(PAGE_SIZE).max(1);
        let page = query.page.min(pages - 1);
        let rows = matching.iter().skip(page * PAGE_SIZE).take(PAGE_SIZE).map(|i| (*i).clone()).collect();
        TablePage { rows, matching: matching.len(), page, pages }
    }

    /// The rows matching the query (all pages) as tab-separated text for the clipboard.
    pub fn to_tsv(&self, query: &TableQuery) -> String {
        let mut lines = vec!["row\tinput\te164\tnick_name\tbatch\tstatus\traw_status\treason\tms_open_id\ttask_id".to_owned()];
        for i in self.matching(query) {
            let text = |v: &Option<String>| v.clone().unwrap_or_default().replace(['\t', '\n'], " ");
            lines.push(format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                i.row + 1,
                i.input.replace(['\t', '\n'], " "),
                text(&i.e164),
                text(&i.nick_name),
                i.batch.map(|b| b.to_string()).unwrap_or_default(),
                i.status.as_str(),
                text(&i.raw_status),
                text(&i.reason),
                if i.ms_open_ids.is_empty() { text(&i.ms_open_id) } else { i.ms_open_ids.join(" ") },
                text(&i.task_id),
            ));
        }
        lines.join("\n")
    }

    /// Every row matching the query's filter and search, in its order (all pages).
    fn matching(&self, query: &TableQuery) -> Vec<&JobItem> {
        let needle = query.search.trim().to_lowercase();
        let mut matching: Vec<&JobItem> = self.items.iter().filter(|i| query.filter.keeps(i) && matches_search(i, &needle)).collect();
        // Rows are kept in row order already; the default order needs no sort.
        if query.sort != SortKey::Row || query.descending {
            matching.sort_by(|a, b| if query.descending { query.sort.compare(b, a) } else { query.sort.compare(a, b) });
        }
        matching
    }

    /// Dialled rows that are not final yet.
    /// Calls that "Cancel ringing" would hang up: sent, and queued or ringing at the provider, as
    /// the backend chooses them (an unknown row may not exist there; an answered one is talking).
    pub fn ringing_rows(&self) -> usize {
        self.items.iter().filter(|i| i.phase == ItemPhase::Sent && matches!(i.status, CallStatus::Queued | CallStatus::Ringing)).count()
    }
}

fn matches_search(item: &JobItem, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    let has = |v: &str| v.to_lowercase().contains(needle);
    has(&item.input)
        || [&item.e164, &item.nick_name, &item.ms_open_id, &item.task_id, &item.reason].into_iter().flatten().any(|v| has(v))
        || item.ms_open_ids.iter().any(|v| has(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::fixtures;

    fn item(id: i64, status: CallStatus) -> JobItem {
        JobItem {
            nick_name: (id % 2 == 0).then(|| format!("Guest {id}")),
            batch: Some((id as u32 - 1) / 50 + 1),
            ..fixtures::call(id, status)
        }
    }

    fn table(n: i64) -> JobTable {
        JobTable::new((1..=n).map(|id| item(id, if id % 3 == 0 { CallStatus::Answered } else { CallStatus::Ringing })).collect())
    }

    #[test]
    fn ten_thousand_rows_page_by_two_hundred_and_clamp_the_page() {
        let t = table(10_000);
        let first = t.page(&TableQuery::default());
        assert_eq!((first.rows.len(), first.matching, first.pages), (200, 10_000, 50));
        assert_eq!(first.rows[0].row, 1);
        let beyond = t.page(&TableQuery { page: 99, ..Default::default() });
        assert_eq!(beyond.page, 49);
        assert_eq!(beyond.rows.last().unwrap().row, 10_000);
    }

    #[test]
    fn filter_search_and_sort_combine() {
        let mut t = table(10);
        let mut invalid = item(11, CallStatus::Failed);
        invalid.phase = ItemPhase::Invalid;
        invalid.e164 = None;
        t.apply(invalid);
        let answered = t.page(&TableQuery { filter: StatusFilter::Status(CallStatus::Answered), ..Default::default() });
        assert_eq!(answered.rows.iter().map(|i| i.row).collect::<Vec<_>>(), vec![3, 6, 9]);
        let not_dialled = t.page(&TableQuery { filter: StatusFilter::NotDialled, ..Default::default() });
        assert_eq!(not_dialled.rows.iter().map(|i| i.row).collect::<Vec<_>>(), vec![11]);
        let failed = t.page(&TableQuery { filter: StatusFilter::Status(CallStatus::Failed), ..Default::default() });
        assert_eq!(failed.matching, 0, "a never-dialled row is not a failed call");
        let guests = t.page(&TableQuery { search: " guest 1".into(), ..Default::default() });
        assert_eq!(guests.rows.iter().map(|i| i.row).collect::<Vec<_>>(), vec![10]);
        let by_status = t.page(&TableQuery { sort: SortKey::Status, descending: true, ..Default::default() });
        assert_eq!(by_status.rows[0].status, CallStatus::Failed);
        assert_eq!(by_status.rows.last().unwrap().row, 1);
    }

    #[test]
    fn live_updates_replace_rows_but_never_go_back_in_time() {
        let mut t = table(3);
        let mut newer = item(2, CallStatus::Completed);
        newer.updated_at = 5;
        assert!(t.apply(newer.clone()));
        let mut older = item(2, CallStatus::Ringing);
        older.updated_at = 4;
        assert!(!t.apply(older));
        assert!(!t.apply(newer), "the same row twice changes nothing");
        assert_eq!(t.page(&TableQuery::default()).rows[1].status, CallStatus::Completed);
        assert_eq!(t.ringing_rows(), 1, "only the ringing call is canceled; the answered one is talking");
        assert!(t.apply(item(7, CallStatus::Queued)));
        assert_eq!(t.len(), 4);
        assert_eq!(t.ringing_rows(), 2, "a queued call may still ring");
        assert!(t.apply(item(8, CallStatus::Unknown)));
        let mut unsent = item(9, CallStatus::Queued);
        unsent.phase = ItemPhase::Pending;
        assert!(t.apply(unsent));
        assert_eq!(t.ringing_rows(), 2, "an unknown or unsent row rings nowhere");
    }

    #[test]
    fn a_reload_keeps_the_rows_shown_that_are_newer_than_its_snapshot() {
        let mut shown = table(3);
        let mut live = item(2, CallStatus::Completed);
        live.updated_at = 5;
        shown.apply(live);
        let mut tie = item(3, CallStatus::Completed);
        tie.updated_at = 2;
        shown.apply(tie);
        let mut snapshot = item(3, CallStatus::NotAnswered);
        snapshot.updated_at = 2;
        let mut reloaded = JobTable::new(vec![item(1, CallStatus::Completed), item(2, CallStatus::Ringing), snapshot]);
        reloaded.keep_newer(&shown);
        let statuses: Vec<_> = reloaded.items().iter().map(|i| i.status).collect();
        assert_eq!(
            statuses,
            [CallStatus::Completed, CallStatus::Completed, CallStatus::NotAnswered],
            "newer shown rows win, ties go to the snapshot"
        );
        let mut fewer = JobTable::new(vec![item(1, CallStatus::Completed)]);
        fewer.keep_newer(&shown);
        assert_eq!(fewer.len(), 3, "rows the snapshot lacks stay");
    }

    #[test]
    fn the_clipboard_text_has_a_header_and_every_matching_row() {
        let t = table(250);
        let tsv = t.to_tsv(&TableQuery { filter: StatusFilter::Status(CallStatus::Answered), page: 3, ..Default::default() });
        let lines: Vec<_> = tsv.lines().collect();
        assert_eq!(lines.len(), 1 + 83);
        assert!(lines[0].starts_with("row\tinput"));
        assert!(lines[1].starts_with("4\t13800130003\t+8613800130003\t\t1\tanswered"), "rows count from 1, as on the form");
    }

    #[test]
    fn dialex_rows_are_found_and_copied_by_their_task_id() {
        let mut placed = item(1, CallStatus::Placed);
        placed.task_id = Some("task-7f3a".into());
        let t = JobTable::new(vec![placed, item(2, CallStatus::Failed)]);
        let found = t.page(&TableQuery { search: "7F3A".into(), ..Default::default() });
        assert_eq!(found.rows.iter().map(|i| i.row).collect::<Vec<_>>(), vec![1]);
        assert_eq!(t.ringing_rows(), 0, "a placed DialEx call is the contact center's: nothing to cancel here");
        let tsv = t.to_tsv(&TableQuery::default());
        assert!(tsv.lines().next().unwrap().ends_with("\tms_open_id\ttask_id"));
        assert!(tsv.lines().nth(1).unwrap().ends_with("\tplaced\t\t\t\ttask-7f3a"));
    }

    #[test]
    fn filter_and_sort_tags_round_trip() {
        for f in [
            StatusFilter::All,
            StatusFilter::NotDialled,
            StatusFilter::Status(CallStatus::NotAnswered),
            StatusFilter::Status(CallStatus::Placed),
        ] {
            assert_eq!(StatusFilter::from_tag(f.tag()), f);
        }
        for k in SortKey::ALL {
            assert_eq!(SortKey::from_tag(k.tag()), k);
        }
    }
}
