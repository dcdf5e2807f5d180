// A job as a small campaign, from the form: a start time an hour ahead and a retry policy, previewed
// before it is sent; the job waits, listed as scheduled; the sandbox clock is moved forward instead of
// waited for, and the row that was not answered shows its second attempt and when it goes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/browser.mjs';
import { openPage, assertNoUnexpectedErrors, useBackendAndBrowser, SANDBOX_MEETING } from '../support/app.mjs';

const ctx = useBackendAndBrowser({ env: { CALLOUT__SANDBOX__TIME_SCALE: '0.02' } });

/** Moves the sandbox backend's clock forward, as an admin may there. */
async function advanceClock(seconds) {
  const response = await fetch(`${ctx.backend.base}/api/v1/sandbox/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf': '1' },
    body: JSON.stringify({ seconds }),
  });
  assert.equal(response.status, 200, await response.text());
}

test('a person schedules a job with a retry policy and watches the not-answered number called again', async () => {
  const { page, consoleErrors } = await openPage(ctx.browser, ctx.backend.base, '/callout');
  await page.getByTestId('paste-numbers').waitFor({ timeout: 20000 });
  // Ends in 6: rings out unanswered; ends in 1: answered.
  await page.getByTestId('paste-numbers').fill('13760000016\n13760000011');
  await page.getByRole('button', { name: 'Add these numbers' }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="row-verdict"][data-state="valid"]').length === 2, null, { timeout: 15000 });
  await page.getByTestId('meeting-id').fill(SANDBOX_MEETING);

  // An hour from now in the browser's own zone (the tests run at UTC+8), as the picker writes it.
  const start = await page.evaluate(() => {
    const at = new Date(Date.now() + 3600e3);
    const two = (n) => String(n).padStart(2, '0');
    return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}`;
  });
  await page.getByTestId('campaign-start').fill(start);
  await page.getByTestId('campaign-retry').check();
  await page.getByTestId('retry-attempts').fill('2');
  await page.getByTestId('retry-spacing').fill('5');
  await page.getByTestId('campaign-preview').click();
  const span = page.getByTestId('campaign-span').first();
  await span.waitFor({ timeout: 10000 });
  // With no window of its own or the account's, dialling starts at the chosen minute.
  assert.match(await span.textContent(), new RegExp(`^${start.replace('T', ' ')}:00 GMT\\+8`));
  await screenshot(page, 'campaign-form');

  await page.getByTestId('callout-review').click();
  await page.getByTestId('callout-confirm').waitFor();
  await page.getByTestId('callout-start').click();
  await page.waitForURL(/\/callout\/jobs\/[^/]+$/, { timeout: 15000 });
  await page.getByTestId('job-table').waitFor({ timeout: 15000 });
  const id = page.url().split('/').pop();

  assert.equal(await page.getByTestId('job-state').getAttribute('data-state'), 'scheduled');
  assert.match(await page.getByTestId('job-waiting').textContent(), /^Waits for its start time; dialling begins \d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\+8$/);
  assert.equal(await page.getByTestId('job-retry-policy').textContent(), 'up to 2 attempts, 5 minutes apart');
  assert.match(await page.getByTestId('job-start-at').textContent(), new RegExp(`^${start.replace('T', ' ')}`));
  assert.deepEqual(await page.getByTestId('row-attempt').allTextContents(), ['attempt 1 of 2', 'attempt 1 of 2']);
  await screenshot(page, 'campaign-scheduled');

  // The jobs list shows it as scheduled, and nothing was dialled.
  const list = await openPage(ctx.browser, ctx.backend.base, '/jobs');
  const listed = list.page.locator(`[data-testid="job-list-row"][data-job="${id}"] [data-testid="job-list-state"]`);
  await listed.waitFor({ timeout: 15000 });
  assert.equal(await listed.getAttribute('data-state'), 'scheduled');
  await list.page.close();
  const before = await (await fetch(`${ctx.backend.base}/api/v1/callouts/${id}`)).json();
  assert.equal(before.counters.batches_sent, 0);

  // Its start time comes: the answered row ends with one attempt, the other waits five minutes.
  await advanceClock(3660);
  const rows = page.getByTestId('job-row');
  await rows.nth(0).getByTestId('row-attempt').getByText(/^attempt 2 of 2, next at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\+8$/).waitFor({ timeout: 20000 });
  await page.getByTestId('job-waiting').getByText(/^The next attempts wait for their spacing; dialling resumes /).waitFor({ timeout: 10000 });
  await rows.nth(1).locator('[data-status="completed"]').waitFor({ timeout: 20000 });
  assert.equal(await rows.nth(1).getByTestId('row-attempt').textContent(), 'attempt 1 of 2');
  await screenshot(page, 'campaign-second-attempt-waits');

  // Five minutes on, the second attempt is dialled and ends; the job is done after it.
  await advanceClock(360);
  await rows.nth(0).locator('[data-status="not_answered"]').waitFor({ timeout: 20000 });
  assert.equal(await rows.nth(0).getByTestId('row-attempt').textContent(), 'attempt 2 of 2');
  await page.locator('[data-testid="job-state"][data-state="finished"]').waitFor({ timeout: 20000 });
  const done = await (await fetch(`${ctx.backend.base}/api/v1/callouts/${id}`)).json();
  assert.equal(done.attempts.length, 1, JSON.stringify(done.attempts));
  assert.equal(done.attempts[0].status, 'not_answered');
  await screenshot(page, 'campaign-finished');
  assertNoUnexpectedErrors(consoleErrors);
});
