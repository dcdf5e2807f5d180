// The callout status list (marking the console's own calls) and the ms_open_id lookup, against
// calls placed through the API into the sandbox meeting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/browser.mjs';
import { openPage, useBackendAndBrowser } from '../support/app.mjs';

const MEETING = '6058890385480921052';
const ctx = useBackendAndBrowser({ env: { CALLOUT__SANDBOX__TIME_SCALE: '0.02' } });

/** Places the calls once, the first time a test needs them (the backend starts in a hook). */
let placed;
function placeCalls() {
  placed ??= place();
  return placed;
}

async function place() {
  // 13900000013 answers and has two ms_open_ids (last digit 3); 13900000021 answers too.
  const response = await fetch(`${ctx.backend.base}/api/v1/callouts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf': '1', 'idempotency-key': 'lookup-setup' },
    body: JSON.stringify({ account_id: 'sandbox-tencent', meeting_id: MEETING, text: '13900000013\n13900000021' }),
  });
  assert.equal(response.status, 202);
  const { job_id: jobId } = await response.json();
  for (let i = 0; i < 100; i += 1) {
    const job = await (await fetch(`${ctx.backend.base}/api/v1/callouts/${jobId}`)).json();
    if (job.items.every((item) => item.ms_open_id)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail('the calls did not connect');
}

test('the callout status list shows every call of the meeting and marks ours', async () => {
  await placeCalls();
  const { page } = await openPage(ctx.browser, ctx.backend.base, '/status');
  await page.getByTestId('meeting-id').waitFor({ timeout: 20000 });
  await page.getByTestId('meeting-id').fill(MEETING);
  await page.getByTestId('status-show').click();
  await page.getByTestId('status-row').first().waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('status-row').count(), 2);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="ours"]')].every((e) => e.textContent.trim().length > 0), null, { timeout: 10000 });
  await screenshot(page, 'callout-status');
});

test('the ms_open_id lookup lists every id of a connected number', async () => {
  await placeCalls();
  const { page } = await openPage(ctx.browser, ctx.backend.base, '/ms-open-id');
  await page.getByTestId('meeting-id').waitFor({ timeout: 20000 });
  await page.getByTestId('meeting-id').fill(MEETING);
  await page.getByTestId('paste-numbers').fill('13900000013');
  await page.getByRole('button', { name: /add these numbers/i }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="row-verdict"][data-state="pending"]').length === 0, null, { timeout: 10000 });
  await page.getByTestId('ms-open-id-submit').click();
  await page.getByTestId('ms-open-id-row').first().waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('ms-open-id').count(), 2);
  await screenshot(page, 'ms-open-id');
});
