// The callout status list (marking the console's own calls) and the ms_open_id lookup, against
// calls placed through the API into the sandbox meeting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/browser.mjs';
import { openPage, startJob, useBackendAndBrowser, SANDBOX_MEETING as MEETING } from '../support/app.mjs';

const ctx = useBackendAndBrowser({ env: { CALLOUT__SANDBOX__TIME_SCALE: '0.02' } });

/** Places the calls once, the first time a test needs them (the backend starts in a hook). */
let placed;
function placeCalls() {
  placed ??= place();
  return placed;
}

async function place() {
  // 13900000013 answers and has two ms_open_ids (last digit 3); 13900000021 answers too.
  const jobId = await startJob(ctx.backend.base, '13900000013\n13900000021', 'lookup-setup');
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
  // The backend marks the calls this console placed with their submitter and job.
  const marks = await page.getByTestId('ours').allTextContents();
  assert.deepEqual(marks.map((m) => m.trim()), ['dev@localhost', 'dev@localhost']);
  await page.getByTestId('ours').first().getByRole('link').click();
  await page.waitForURL(/\/callout\/jobs\//);
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
