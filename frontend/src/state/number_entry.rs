//! State of the number entry: editable rows, and the backend's verdict on each. Checks are keyed by
//! row id *and* the input they were made for, so an answer about older text never labels newer text.

use std::{collections::HashMap, time::Duration};

use callout_shared::numbers::{NumberInput, NumberValidation, ValidateNumbersRequest};
use leptos::prelude::*;

use crate::{
    api::{self, ApiError},
    logic::numbers::{classify, NumberRow, RowState, Tally},
    state::tasks::Tasks,
};

/// Pause after the last keystroke before asking the backend.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// One editable row. Each column is its own signal so typing does not rebuild the list.
#[derive(Clone, Copy)]
pub struct RowFields {
    pub id: u64,
    pub country_code: RwSignal<String>,
    pub number: RwSignal<String>,
    pub extension: RwSignal<String>,
    pub nickname: RwSignal<String>,
}

impl RowFields {
    fn new(id: u64, row: NumberRow) -> Self {
        Self {
            id,
            country_code: RwSignal::new(row.country_code),
            number: RwSignal::new(row.number),
            extension: RwSignal::new(row.extension),
            nickname: RwSignal::new(row.nickname),
        }
    }

    pub fn value(&self) -> NumberRow {
        NumberRow {
            country_code: self.country_code.get(),
            number: self.number.get(),
            extension: self.extension.get(),
            nickname: self.nickname.get(),
        }
    }
}

#[derive(Clone, Copy)]
pub struct NumberEntryState {
    pub rows: RwSignal<Vec<RowFields>>,
    checks: RwSignal<HashMap<u64, (NumberInput, NumberValidation)>>,
    /// Row id → (position, state), recomputed when rows or checks change.
    pub states: Memo<HashMap<u64, (usize, RowState)>>,
    pub tally: Memo<Tally>,
    pub checking: RwSignal<bool>,
    pub check_error: RwSignal<Option<ApiError>>,
    next_id: StoredValue<u64>,
    generation: StoredValue<u64>,
    tasks: Tasks,
}

impl NumberEntryState {
    /// Starts with one empty row and begins checking as rows change. No `Default`: creating one
    /// starts an effect, which should be a visible decision of the page that owns it.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        let rows = RwSignal::new(vec![RowFields::new(0, NumberRow::default())]);
        let checks = RwSignal::new(HashMap::<u64, (NumberInput, NumberValidation)>::new());
        let states = Memo::new(move |_: Option<&HashMap<u64, (usize, RowState)>>| {
            let values: Vec<NumberRow> = rows.with(|rows| rows.iter().map(RowFields::value).collect());
            let ids: Vec<u64> = rows.with(|rows| rows.iter().map(|r| r.id).collect());
            let verdicts: Vec<Option<NumberValidation>> = checks.with(|checks| {
                ids.iter()
                    .zip(&values)
                    .map(|(id, row)| checks.get(id).filter(|(input, _)| *input == row.to_input()).map(|(_, v)| v.clone()))
                    .collect()
            });
            classify(&values, &verdicts).into_iter().enumerate().map(|(i, state)| (ids[i], (i, state))).collect()
        });
        let tally = Memo::new(move |_| {
            let mut ordered: Vec<(usize, RowState)> = states.get().into_values().collect();
            ordered.sort_by_key(|(i, _)| *i);
            Tally::of(&ordered.into_iter().map(|(_, s)| s).collect::<Vec<_>>())
        });
        let state = Self {
            rows,
            checks,
            states,
            tally,
            checking: RwSignal::new(false),
            check_error: RwSignal::new(None),
            next_id: StoredValue::new(1),
            generation: StoredValue::new(0),
            tasks: Tasks::new(),
        };
        Effect::new(move |_| state.schedule_check());
        state
    }

    /// Debounced: one batched call for every row whose current input has no verdict yet; an answer
    /// that arrives after newer typing is dropped.
    fn schedule_check(self) {
        let pending: Vec<(u64, NumberInput)> = self.rows.with(|rows| {
            rows.iter().map(|r| (r.id, r.value())).filter(|(_, row)| !row.is_blank()).map(|(id, row)| (id, row.to_input())).collect()
        });
        let pending: Vec<_> = self.checks.with_untracked(|checks| {
            pending.into_iter().filter(|(id, input)| checks.get(id).is_none_or(|(checked, _)| checked != input)).collect()
        });
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        self.checking.set(!pending.is_empty());
        if pending.is_empty() {
            return;
        }
        set_timeout(
            move || {
                // The page may be gone by now.
                if self.generation.try_get_value() != Some(generation) {
                    return;
                }
                self.tasks.spawn(async move {
                    let request =
                        ValidateNumbersRequest { numbers: pending.iter().map(|(_, i)| i.clone()).collect(), default_region: None };
                    let answer = api::validate_numbers(&request).await;
                    if self.generation.get_value() != generation {
                        return;
                    }
                    self.checking.set(false);
                    match answer {
                        Ok(answer) => {
                            self.check_error.set(None);
                            self.checks.update(|checks| {
                                for ((id, input), verdict) in pending.into_iter().zip(answer.results) {
                                    checks.insert(id, (input, verdict));
                                }
                            });
                        }
                        Err(error) => self.check_error.set(Some(error)),
                    }
                });
            },
            DEBOUNCE,
        );
    }

    pub fn add_row(self) {
        self.append(vec![NumberRow::default()]);
    }

    pub fn remove_row(self, id: u64) {
        self.rows.update(|rows| rows.retain(|r| r.id != id));
        if self.rows.with_untracked(Vec::is_empty) {
            self.add_row();
        }
    }

    /// Adds rows at the end; empty rows that were only waiting for input make way.
    pub fn append(self, new_rows: Vec<NumberRow>) {
        let replace_blanks = new_rows.iter().any(|r| !r.is_blank());
        let fresh: Vec<RowFields> = new_rows
            .into_iter()
            .map(|row| {
                let id = self.next_id.get_value();
                self.next_id.set_value(id + 1);
                RowFields::new(id, row)
            })
            .collect();
        self.rows.update(|rows| {
            if replace_blanks {
                rows.retain(|r| !r.value().is_blank());
            }
            rows.extend(fresh);
        });
    }

    /// The first occurrence of each valid number, in row order: what a submit sends.
    pub fn valid_rows(self) -> Vec<NumberRow> {
        let states = self.states.get_untracked();
        self.rows.with_untracked(|rows| {
            rows.iter().filter(|r| matches!(states.get(&r.id), Some((_, RowState::Valid { .. })))).map(RowFields::value).collect()
        })
    }
}
