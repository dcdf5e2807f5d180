// A meeting callout followed live on the job view until every dialled number is final, then the
// job found in the audit log. The sandbox runs fifty times faster than real calls so the whole
// lifecycle fits in a test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/browser.mjs';
import { openPage, assertNoUnexpectedErrors, useBackendAndBrowser } from '../support/app.mjs';

const ctx = useBackendAndBrowser({ env: { CALLOUT__SANDBOX__TIME_SCALE: '0.02' } });
const MEETING = '6058890385480921052';

// 58 valid mobile numbers (every last digit, so every lifecycle) and 2 that are not numbers at all.
const VALID = Array.from({ length: 58 }, (_, i) => `1380000${String(i).padStart(4, '0')}`);
const PASTED = [...VALID.slice(0, 20), '12345', ...VALID.slice(20, 40), 'not a number', ...VALID.slice(40)].join('\n');

let jobId;

test('60 pasted numbers, 2 invalid, are followed live until every dialled number is final', async () => {
  const { page, consoleErrors } = await openPage(ctx.browser, ctx.backend.base, '/callout');
  await page.getByTestId('paste-numbers').waitFor({ timeout: 20000 });
  await page.getByTestId('paste-numbers').fill(PASTED);
  await page.getByRole('button', { name: 'Add these numbers' }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="row-verdict"][data-state="pending"]').length === 0
    && document.querySelectorAll('[data-testid="number-row"]').length === 60, null, { timeout: 20000 });
  await page.getByTestId('meeting-id').fill(MEETING);
  await page.getByTestId('callout-review').click();
  assert.equal(await page.getByTestId('confirm-valid').textContent(), '58');
  await page.getByTestId('callout-start').click();

  await page.waitForURL(/\/callout\/jobs\/[^/]+$/, { timeout: 15000 });
  jobId = decodeURIComponent(page.url().split('/').pop());
  await page.getByTestId('job-table').waitFor({ timeout: 15000 });
  await page.locator('[data-testid="live-state"]', { hasText: 'Live updates on.' }).waitFor({ timeout: 10000 });
  // The two invalid rows were flagged on the form and never sent.
  assert.equal(await page.getByTestId('job-row').count(), 58);
  assert.equal(await page.getByTestId('not-dialled').textContent(), '0');

  // A search typed while the job runs stays, and keeps filtering, through the live updates.
  await page.getByTestId('job-search').fill('1380000005');
  // Counters move while we watch: remember every value the finished counter shows.
  const seen = new Set();
  const deadline = Date.now() + 120000;
  for (;;) {
    seen.add(await page.getByTestId('count-finished').textContent());
    if ((await page.getByTestId('job-state').getAttribute('data-state')) === 'finished') break;
    assert.ok(Date.now() < deadline, `job not finished; finished counter went ${[...seen].join(', ')}`);
    await page.waitForTimeout(200);
  }
  assert.equal(await page.getByTestId('job-search').inputValue(), '1380000005');
  assert.equal(await page.getByTestId('job-row').count(), 8, 'rows 13800000050 to 13800000057');
  await page.getByTestId('job-search').fill('');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="job-row"][data-final="true"]').length === 58, null, { timeout: 15000 });
  assert.equal(await page.getByTestId('count-batches').textContent(), '2 / 2');
  assert.equal(await page.getByTestId('count-finished').textContent(), '58 / 58');
  assert.ok(seen.size > 1, `the counter should have moved live, saw ${[...seen].join(', ')}`);

  // Filter, search and sort work on the final rows.
  await page.getByTestId('job-filter').selectOption('answered');
  assert.equal(await page.getByTestId('job-row').count(), 0, 'every answered call has ended');
  await page.getByTestId('job-filter').selectOption('completed');
  assert.ok((await page.getByTestId('job-row').count()) > 0);
  await page.getByTestId('job-filter').selectOption('all');
  await page.getByTestId('job-search').fill('13800000057');
  assert.equal(await page.getByTestId('job-row').count(), 1);
  // A number that joined twice shows both of its in-meeting ids.
  await page.getByTestId('job-search').fill('13800000003');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="job-row"]').length === 1);
  await page.waitForFunction(() => document.querySelector('[data-testid="row-call-id"]').textContent.split('\n').length === 2, null, { timeout: 10000 });
  await page.getByTestId('job-search').fill('');
  await page.getByTestId('job-sort').selectOption('status');
  assert.equal(await page.getByTestId('job-row').count(), 58);
  assert.equal(await page.getByTestId('page-of').textContent(), 'Page 1 of 1');
  assert.ok(await page.getByTestId('page-next').isDisabled(), 'one page only');
  assert.ok(await page.getByTestId('retry-unknown').isDisabled(), 'nothing unknown to retry');
  assert.ok(await page.getByTestId('cancel-ringing').isDisabled(), 'nothing ringing to cancel');
  assert.match(await page.getByTestId('job-export').getAttribute('href'), /\/export\.csv\?utc_offset_minutes=480$/, 'times in the browser\'s zone');
  // The outcome report: counts and shares of every dialled call, medians, a chart of the ends.
  const counts = await page.getByTestId('report-count').allTextContents();
  assert.equal(counts.map(Number).reduce((a, b) => a + b, 0), 58, `every dialled call is counted: ${counts}`);
  const rates = await page.getByTestId('report-rate').allTextContents();
  assert.ok(rates.every((r) => /^\d+ %$/.test(r)), rates.join());
  assert.match(await page.getByTestId('report-median-answer').textContent(), /^\d+ s$|^\d+ min \d+ s$/);
  assert.match(await page.getByTestId('report-median-length').textContent(), /^\d+ s$|^\d+ min \d+ s$/);
  assert.ok(await page.getByTestId('report-chart').locator('rect').count() > 0, 'the chart has bars');
  assert.match(await page.getByTestId('report-chart').locator('figcaption').textContent(), /GMT\+8 – /);
  const bytes = new Uint8Array(await (await fetch(new URL(await page.getByTestId('job-export').getAttribute('href'), ctx.backend.base))).arrayBuffer());
  // Excel-safe: a UTF-8 BOM first, and a cell that starts like a formula (`+86…`) neutralised with `'`.
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'the export starts with a BOM');
  const exported = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.slice(3));
  assert.match(exported.split('\n')[1], /,'\+86\d+,/, 'the E.164 cell cannot run as a formula');
  const header = exported.split('\n')[0];
  assert.match(header, /sent_at,answered_at,ended_at,seconds_to_answer,call_seconds/);
  assert.match(exported.split('\n')[1], /\+08:00/, 'times in the browser\'s zone');
  await screenshot(page, 'job-view');

  // Calling the not-answered again is a new job, after a yes.
  const again = page.getByTestId('retry-not-answered');
  const notAnswered = Number((await again.textContent()).match(/\d+/)[0]);
  assert.ok(notAnswered > 0, 'numbers ending 6 to 9 ring out or are rejected');
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/callouts')) posts.push(r.url()); });
  page.once('dialog', (d) => d.dismiss());
  await again.click();
  assert.deepEqual(posts, [], 'saying no starts nothing');
  page.once('dialog', (d) => d.accept());
  await again.click();
  await page.waitForURL((url) => url.pathname.startsWith('/callout/jobs/') && !url.pathname.endsWith(jobId), { timeout: 15000 });
  await page.getByTestId('job-table').waitFor({ timeout: 15000 });
  assert.match(await page.getByTestId('job-title').textContent(), /· not answered, again$/);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="job-row"]').length === n, notAnswered, { timeout: 15000 })
    .catch(async (e) => { throw new Error(`${e.message}: ${await page.getByTestId('job-row').count()} rows, want ${notAnswered}; ${await page.getByTestId('job-matching').textContent()}`); });
  assertNoUnexpectedErrors(consoleErrors, [/Failed to load resource/]);
});

test('the audit log shows the job', async () => {
  const { page } = await openPage(ctx.browser, ctx.backend.base, '/audit');
  await page.getByTestId('audit-table').waitFor({ timeout: 20000 });
  const nav = page.getByRole('navigation', { name: 'Main' });
  assert.equal(await nav.getByRole('link', { name: 'Audit log' }).count(), 1, 'admins see the audit log');
  await page.locator('[data-testid="audit-row-action"][data-action="callout_job"]').first().waitFor();
  assert.equal(await page.locator('[data-testid="audit-row-action"][data-action="callout_job"]').first().textContent(), 'Callout job', 'actions in words');
  const targets = await page.getByTestId('audit-row-target').allTextContents();
  assert.ok(targets.some((t) => t.includes(MEETING)), `meeting ${MEETING} among ${targets.join(', ')}`);
  assert.ok(jobId);
  // Actions are picked from a list, not typed as codes.
  await page.getByLabel('Action').selectOption('callout_job');
  await page.getByTestId('audit-apply').click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="audit-row-action"]')].every((e) => e.dataset.action === 'callout_job'));
  assert.equal(await page.getByTestId('audit-row-outcome').first().textContent(), 'done');
  await page.getByTestId('language').selectOption('zh-CN');
  await page.getByTestId('audit-row-action').first().getByText('外呼任务').waitFor();
  assert.equal(await page.getByTestId('audit-row-outcome').first().textContent(), '成功');
  await page.getByTestId('language').selectOption('en');
  assert.match(await page.getByTestId('audit-export').getAttribute('href'), /\/audit\/export\.csv\?action=callout_job/);
  await screenshot(page, 'audit');
});
