// The jobs page: every job of every kind, paged by the server and filtered through the URL, a
// job's name as its title, times in the browser's zone; the job view numbers rows from 1 and asks
// before hanging up on ringing calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/browser.mjs';
import { startBackend } from '../support/backend.mjs';
import { openPage, assertNoUnexpectedErrors, useBackendAndBrowser, SANDBOX_MEETING } from '../support/app.mjs';

const ctx = useBackendAndBrowser({ env: { CALLOUT__SANDBOX__TIME_SCALE: '0.02' } });
const INSTANCE = 'd278629c-c687-4aa3-b044-4fe9b012e7ef';

async function submit(path, body, key) {
  const response = await fetch(`${ctx.backend.base}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf': '1', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 202, await response.clone().text());
  return (await response.json()).job_id;
}

const rowTitles = (page) => page.getByTestId('job-list-title').locator('a').allTextContents();

test('every job is listed, paged and filtered by the server, with its name as title', async () => {
  const meeting = (name, text) => ({ account_id: 'sandbox-tencent', meeting_id: SANDBOX_MEETING, text, name });
  const ids = [];
  // 23 jobs: more than one page of 20.
  for (let i = 1; i <= 21; i++) ids.push(await submit('/callouts', meeting(`Batch ${String(i).padStart(2, '0')}`, `1380000${String(i).padStart(4, '0')}`), `jobs-${i}`));
  ids.push(await submit('/callouts', meeting('Board meeting 董事会', '13800001002'), 'jobs-board'));
  ids.push(await submit('/dialex/jobs', { account_id: 'sandbox-ccc', instance_id: INSTANCE, caller: '02285196281', answer_mode: 'ivr',
    rout_point: 'cf-welcome-ivr', numbers: [{ number: '157 3203 6618' }], name: 'Renewals' }, 'jobs-dialex'));

  const { page, consoleErrors } = await openPage(ctx.browser, ctx.backend.base, '/jobs');
  await page.getByTestId('job-list').waitFor({ timeout: 20000 });
  assert.equal(await page.getByTestId('jobs-total').textContent(), '23 jobs');
  assert.equal(await page.getByTestId('job-list-row').count(), 20, 'one page of 20');
  assert.deepEqual((await rowTitles(page)).slice(0, 3), ['Renewals', 'Board meeting 董事会', 'Batch 21'], 'newest first');
  // Times are local, with the zone named (the tests' browser runs at UTC+8).
  assert.match(await page.getByTestId('job-list-row').first().locator('td').first().textContent(), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\+8$/);
  await page.getByTestId('page-next').click();
  await page.waitForURL(/\/jobs\?page=2$/);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="job-list-row"]').length === 3);
  assert.deepEqual(await rowTitles(page), ['Batch 03', 'Batch 02', 'Batch 01']);
  assert.equal(await page.getByTestId('page-of').textContent(), 'Page 2 of 2');

  // Filters go into the URL; a reload keeps them.
  await page.getByTestId('jobs-filter-kind').selectOption('dialex');
  await page.getByTestId('jobs-apply').click();
  await page.waitForURL(/\/jobs\?kind=dialex$/);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="job-list-row"]').length === 1);
  assert.deepEqual(await rowTitles(page), ['Renewals']);
  assert.equal(await page.getByTestId('job-list-target').getAttribute('data-kind'), 'dialex');
  await page.getByTestId('jobs-clear').click();
  await page.getByTestId('jobs-filter-search').fill('董事');
  await page.getByTestId('jobs-apply').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="job-list-row"]').length === 1);
  await page.reload();
  await page.getByTestId('job-list').waitFor({ timeout: 20000 });
  assert.equal(await page.getByTestId('jobs-filter-search').inputValue(), '董事', 'the form starts from the URL');
  assert.deepEqual(await rowTitles(page), ['Board meeting 董事会']);
  const today = await page.evaluate(() => { const d = new Date(); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`; });
  await page.getByTestId('jobs-clear').click();
  await page.getByTestId('jobs-filter-created_by').fill('nobody');
  await page.getByTestId('jobs-apply').click();
  await page.getByTestId('jobs-empty').waitFor();
  await page.getByTestId('jobs-clear').click();
  await page.getByTestId('jobs-filter-from').fill(today);
  await page.getByTestId('jobs-filter-state').selectOption('finished');
  await page.getByTestId('jobs-apply').click();
  await page.waitForURL(/state=finished/);
  // The address changes before the filtered page is answered: wait for the answer, not the old rows.
  await page.waitForFunction(() => {
    const states = [...document.querySelectorAll('[data-testid="job-list-state"]')].map((e) => e.dataset.state);
    return states.length > 0 && states.every((s) => s === 'finished');
  }, null, { timeout: 15000 }).catch(() => {});
  const states = await page.getByTestId('job-list-state').evaluateAll((els) => els.map((e) => e.dataset.state));
  assert.ok(states.length > 0 && states.every((s) => s === 'finished'), states.join());
  await screenshot(page, 'jobs');

  // The job opens with its name as title, its id beside it, and rows numbered from 1.
  await page.getByTestId('jobs-clear').click();
  await page.getByTestId('jobs-filter-search').fill('Board');
  await page.getByTestId('jobs-apply').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="job-list-row"]').length === 1);
  await page.getByTestId('job-list-title').locator('a').click();
  await page.getByTestId('job-table').waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('job-title').textContent(), 'Board meeting 董事会');
  assert.equal(await page.getByTestId('job-id').textContent(), ids[21]);
  assert.equal(await page.getByTestId('job-row-index').first().textContent(), '1');
  assertNoUnexpectedErrors(consoleErrors);
});

test('the day filters read year-month-day in the Chinese UI, whatever the browser locale', async () => {
  const { page, consoleErrors } = await openPage(ctx.browser, ctx.backend.base, '/jobs');
  await page.getByTestId('job-list').waitFor({ timeout: 20000 });
  // The language is remembered per browser: choose it here rather than rely on what is stored.
  await page.getByTestId('language').selectOption('zh-CN');
  const from = page.getByTestId('jobs-filter-from');
  // Not the browser's date control, which shows mm/dd/yyyy in an English browser.
  assert.equal(await from.getAttribute('type'), 'text');
  assert.equal(await from.getAttribute('placeholder'), '年-月-日');
  await from.fill('2026/13/01');
  assert.equal(await from.getAttribute('aria-invalid'), 'true', 'a day that does not exist is flagged');
  const today = await page.evaluate(() => { const d = new Date(); return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日`; });
  await from.fill(today);
  assert.equal(await from.getAttribute('aria-invalid'), 'false');
  await page.getByTestId('jobs-apply').click();
  await page.waitForURL(/from=\d{4}-\d{2}-\d{2}/);
  await page.getByTestId('job-list-row').first().waitFor();
  await page.getByTestId('language').selectOption('en');
  assertNoUnexpectedErrors(consoleErrors);
});

test('a job without a name is titled by its meeting; cancelling ringing calls asks first', async () => {
  // Calls at real speed ring long enough to be cancelled.
  const slow = await startBackend();
  try {
    const response = await fetch(`${slow.base}/api/v1/callouts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf': '1', 'idempotency-key': 'ring-1' },
      body: JSON.stringify({ account_id: 'sandbox-tencent', meeting_id: SANDBOX_MEETING, text: '13800002001\n13800002002\n13800002003' }),
    });
    const { job_id: id } = await response.json();
    const { page } = await openPage(ctx.browser, slow.base, `/callout/jobs/${id}`);
    await page.getByTestId('job-table').waitFor({ timeout: 15000 });
    assert.equal(await page.getByTestId('job-title').textContent(), `Callout to meeting ${SANDBOX_MEETING}`);
    const button = page.getByTestId('cancel-ringing');
    await page.waitForFunction(() => !document.querySelector('[data-testid="cancel-ringing"]').disabled, null, { timeout: 15000 });
    const cancels = [];
    page.on('request', (r) => { if (r.url().endsWith('/cancel-ringing')) cancels.push(r.url()); });
    const asked = new Promise((resolve) => page.once('dialog', (d) => { resolve(d.message()); d.dismiss(); }));
    await button.click();
    assert.match(await asked, /^Hang up \d calls that are ringing or waiting to ring\?/);
    assert.deepEqual(cancels, [], 'saying no sends nothing');
    page.once('dialog', (d) => d.accept());
    await button.click();
    await page.getByTestId('global-alert').getByText(/ringing calls canceled\./).waitFor({ timeout: 15000 });
    assert.equal(cancels.length, 1);
    await page.waitForFunction(() => document.querySelector('[data-testid="cancel-ringing"]').disabled, null, { timeout: 15000 });
  } finally {
    await slow.stop();
  }
});
