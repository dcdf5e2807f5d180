// The dashboard's recent jobs: a job started elsewhere appears without a reload and its counters
// follow the event stream to the final states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/browser.mjs';
import { openPage, assertNoUnexpectedErrors, startJob, useBackendAndBrowser } from '../support/app.mjs';

const ctx = useBackendAndBrowser({ env: { CALLOUT__SANDBOX__TIME_SCALE: '0.02' } });

test('a new job appears on the dashboard and its counters follow it live to the end', async () => {
  const { page, consoleErrors } = await openPage(ctx.browser, ctx.backend.base, '/');
  const card = page.getByTestId('recent-jobs');
  await card.getByText('No jobs yet.').waitFor({ timeout: 20000 });

  // The sandbox's last digit decides the call: 4 is a short call, 6 rings out, 8 is rejected.
  const jobId = await startJob(ctx.backend.base, '13900000014\n13900000016\n13900000018', 'dashboard-job');
  const row = card.getByTestId('job-list-row');
  await row.waitFor({ timeout: 10000 });
  assert.equal(await row.count(), 1);
  await page.waitForFunction(() => document.querySelector('[data-testid="job-list-state"]')?.dataset.state === 'finished', null, { timeout: 20000 });
  assert.equal(await row.getByTestId('job-list-finished').textContent(), '3 / 3');
  const badges = await row.locator('[data-status]').evaluateAll((els) => els.map((e) => [e.dataset.status, e.textContent]));
  assert.deepEqual(badges, [['completed', 'Completed 1'], ['not_answered', 'Not answered 2']]);
  await screenshot(page, 'dashboard-recent-jobs');

  assert.equal(await row.getByTestId('job-list-title').locator('a').textContent(), 'Callout to meeting 6058890385480921052');
  await row.getByRole('link').click();
  await page.waitForURL(new RegExp(`/callout/jobs/${jobId}$`));
  // Every job is one click away.
  await page.goBack();
  await page.getByTestId('all-jobs').click();
  await page.waitForURL(/\/jobs$/);
  await page.getByTestId('job-list-row').first().waitFor({ timeout: 20000 });
  assertNoUnexpectedErrors(consoleErrors);
});
