// The meeting callout page: pasted numbers are checked by the backend's normaliser, duplicates
// flagged, and the confirmation step counts what would be sent before anything is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { screenshot } from '../support/browser.mjs';
import { openPage, assertNoUnexpectedErrors, useBackendAndBrowser, SANDBOX_MEETING } from '../support/app.mjs';

const ctx = useBackendAndBrowser();

const PASTED = [
  '13800138000',
  '86,13900139000,,Bob',
  '12345',                   // too short
  '+86 137 0013 7000',
  '86;13800138000;;Alice again', // same number as the first row
  '1\t2025550123\t\tDana',
].join('\n');

test('pasted numbers are checked row by row, duplicates flagged, and the confirmation counts them', async () => {
  const { page, consoleErrors } = await openPage(ctx.browser, ctx.backend.base, '/callout');
  await page.getByTestId('paste-numbers').waitFor({ timeout: 20000 });
  await page.getByTestId('paste-numbers').fill(PASTED);
  await page.getByRole('button', { name: 'Add these numbers' }).click();

  const rows = page.getByTestId('number-row');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="row-verdict"][data-state="pending"]').length === 0
    && document.querySelectorAll('[data-testid="number-row"]').length === 6, null, { timeout: 15000 });
  assert.equal(await rows.count(), 6);
  const states = await page.getByTestId('row-verdict').evaluateAll((els) => els.map((e) => e.dataset.state));
  assert.deepEqual(states, ['valid', 'valid', 'invalid', 'valid', 'duplicate', 'valid']);
  assert.equal(await rows.nth(0).getByTestId('row-verdict').textContent(), '+8613800138000');
  assert.match(await rows.nth(2).getByTestId('row-verdict').textContent(), /short|not a phone|numbering plan/i);
  assert.match(await rows.nth(4).getByTestId('row-verdict').textContent(), /Duplicate of row 1/);
  assert.equal(await page.getByTestId('numbers-summary').textContent(), '4 valid · 1 invalid · 1 duplicates · 0 do-not-call');

  // The 9-digit code people join with: the check resolves it to the meeting's id.
  await page.getByTestId('meeting-id').fill('530812452');
  await page.getByTestId('callout-review').click();
  const confirm = page.getByTestId('callout-confirm');
  await confirm.waitFor();
  assert.equal(await page.getByTestId('confirm-valid').textContent(), '4');
  assert.equal(await page.getByTestId('confirm-batches').textContent(), '1');
  assert.equal(await page.getByTestId('confirm-meeting').textContent(), SANDBOX_MEETING);
  // The meeting as the provider describes it, looked up before anything is dialled.
  assert.equal(await page.getByTestId('confirm-subject').textContent(), 'Sandbox callout meeting');
  assert.equal(await page.getByTestId('confirm-meeting-state').getAttribute('data-state'), 'started');
  assert.match(await page.getByTestId('confirm-meeting-time').textContent(), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\+8 – \d{4}-/);
  assert.match(await page.getByTestId('confirm-operator').textContent(), /^sandbox-host · a host of this meeting$/);
  // After a long form the confirmation is scrolled into view.
  assert.ok(await confirm.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top < window.innerHeight && r.bottom > 0; }));
  assert.match(await page.getByTestId('confirm-skipped').textContent(), /^2 /);
  await screenshot(page, 'callout-confirm');

  await page.getByTestId('callout-start').click();
  // Once the job exists, the live job view takes over.
  await page.waitForURL(/\/callout\/jobs\/[^/]+$/, { timeout: 15000 });
  await page.getByTestId('job-table').waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('callout-confirm').count(), 0);
  await screenshot(page, 'callout-submitted');
  // Going back shows the form as it was left.
  await page.goBack();
  await page.getByTestId('paste-numbers').waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('meeting-id').inputValue(), '530812452');
  assert.equal(await page.getByTestId('number-row').count(), 6);
  assert.equal(await page.getByTestId('numbers-summary').textContent(), '4 valid · 1 invalid · 1 duplicates · 0 do-not-call');
  assertNoUnexpectedErrors(consoleErrors, [/Failed to load resource/]);
});

test('editing a row re-checks it as you type', async () => {
  const { page } = await openPage(ctx.browser, ctx.backend.base, '/callout');
  const number = page.getByTestId('row-number').first();
  await number.waitFor({ timeout: 20000 });
  await number.fill('1380013800');
  await page.locator('[data-testid="row-verdict"][data-state="invalid"]').waitFor({ timeout: 10000 });
  await number.fill('13800138000');
  await page.locator('[data-testid="row-verdict"][data-state="valid"]').waitFor({ timeout: 10000 });
  assert.equal(await page.getByTestId('row-verdict').first().textContent(), '+8613800138000');
});

test('the meeting id must be digits and the page asks for valid numbers', async () => {
  const { page } = await openPage(ctx.browser, ctx.backend.base, '/callout');
  await page.getByTestId('meeting-id').waitFor({ timeout: 20000 });
  await page.getByTestId('meeting-id').fill('12ab');
  await page.getByTestId('callout-review').click();
  assert.equal(await page.getByTestId('meeting_id-error').textContent(), 'A meeting ID has only digits.');
  await page.getByTestId('meeting-id').fill('123456');
  await page.getByTestId('callout-review').click();
  await page.getByTestId('global-alert').waitFor();
  assert.match(await page.getByTestId('global-alert').textContent(), /at least one valid number/);
  assert.equal(await page.getByTestId('callout-confirm').count(), 0);
});

test('a CSV file becomes rows, and the template offers the same columns', async () => {
  const { page } = await openPage(ctx.browser, ctx.backend.base, '/callout');
  await page.getByTestId('csv-file').waitFor({ state: 'attached', timeout: 20000 });
  const csv = 'country_code,number,extension,nick_name\r\n86,13800138000,,"Li, Lei"\r\n86,01065529988,8001,Front desk\r\n';
  await page.getByTestId('csv-file').setInputFiles({ name: 'numbers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="row-verdict"][data-state="valid"]').length === 2, null, { timeout: 15000 });
  assert.equal(await page.getByTestId('number-row').count(), 2, 'the empty starting row made way');
  assert.equal(await page.getByLabel('Nickname, row 1').inputValue(), 'Li, Lei');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-template').click()]);
  assert.equal(download.suggestedFilename(), 'numbers-template.csv');
  const template = readFileSync(await download.path(), 'utf8');
  assert.match(template, /^\uFEFFcountry_code,number,extension,nick_name\n/);
});

test('an ended meeting is refused before a job exists, with words that say why', async () => {
  const ENDED = '7567173273889276131';
  const { page, consoleErrors } = await openPage(ctx.browser, ctx.backend.base, '/callout');
  await page.getByTestId('row-number').first().waitFor({ timeout: 20000 });
  await page.getByTestId('row-number').first().fill('13800138000');
  await page.locator('[data-testid="row-verdict"][data-state="valid"]').waitFor({ timeout: 10000 });
  await page.getByTestId('meeting-id').fill(ENDED);
  await page.getByTestId('callout-review').click();
  await page.getByTestId('meeting_id-error').getByText(/The meeting has ended\. — the meeting has ended: phones cannot be called into it/).waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('callout-confirm').count(), 0, 'no confirmation for a meeting that takes no calls');
  const jobs = await (await fetch(`${ctx.backend.base}/api/v1/callouts?meeting_id=${ENDED}`)).json();
  assert.equal(jobs.total, 0, 'no job was created');
  await screenshot(page, 'callout-meeting-ended');
  assertNoUnexpectedErrors(consoleErrors);
});

test('a UTF-8 CSV with a BOM and Chinese headers in another order becomes rows, the header no row', async () => {
  const { page } = await openPage(ctx.browser, ctx.backend.base, '/callout');
  await page.getByTestId('csv-file').waitFor({ state: 'attached', timeout: 20000 });
  await page.getByTestId('language').selectOption('zh-CN');
  const csv = '\uFEFF号码,国家/地区代码,分机,昵称\r\n13800138000,86,,张三\r\n21234567,852,8001,香港办公室\r\n';
  await page.getByTestId('csv-file').setInputFiles({ name: '名单.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="row-verdict"][data-state="valid"]').length === 2, null, { timeout: 15000 });
  assert.equal(await page.getByTestId('number-row').count(), 2, 'the header is not a data row');
  const verdicts = await page.getByTestId('row-verdict').allTextContents();
  assert.deepEqual(verdicts, ['+8613800138000', '+85221234567;ext=8001']);
  assert.equal(await page.getByLabel('第 1 行昵称', { exact: true }).inputValue(), '张三');
  await page.getByTestId('language').selectOption('en');
});
