// Pause, resume and stop on the job view: a job paced slowly (30 requests a minute, a batch every two
// seconds) is held, let go, then stopped after a yes; the stopped rows say so and nothing more is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/browser.mjs';
import { openPage, assertNoUnexpectedErrors, useBackendAndBrowser, startJob } from '../support/app.mjs';

const ctx = useBackendAndBrowser({ env: { CALLOUT__SANDBOX__RATE_LIMIT_PER_MINUTE: '30' } });

test('a person pauses, resumes and stops a job from its page', async () => {
  const text = Array.from({ length: 250 }, (_, i) => `1390001${String(i).padStart(4, '0')}`).join('\n');
  const id = await startJob(ctx.backend.base, text, 'control-1');
  const { page, consoleErrors } = await openPage(ctx.browser, ctx.backend.base, `/callout/jobs/${id}`);
  await page.getByTestId('job-table').waitFor({ timeout: 15000 });

  await page.getByTestId('job-pause').click();
  await page.getByTestId('paused-note').waitFor({ state: 'visible', timeout: 10000 });
  assert.match(await page.getByTestId('paused-note').textContent(), /Sending is paused: \d+ numbers wait\./);
  assert.ok(await page.getByTestId('job-pause').isHidden(), 'a paused job offers resume, not pause');
  await screenshot(page, 'job-paused');
  const sent = await page.getByTestId('count-batches').textContent();
  await page.waitForTimeout(3000);
  assert.equal(await page.getByTestId('count-batches').textContent(), sent, 'nothing is sent while paused');

  await page.getByTestId('job-resume').click();
  await page.getByTestId('paused-note').waitFor({ state: 'hidden', timeout: 10000 });

  const asked = new Promise((resolve) => page.once('dialog', (d) => { resolve(d.message()); d.accept(); }));
  await page.getByTestId('job-stop').click();
  assert.match(await asked, /^Never send the \d+ numbers not sent yet\?/);
  await page.getByTestId('global-alert').getByText(/numbers will not be sent\./).waitFor({ timeout: 10000 });
  await page.getByTestId('job-stop').waitFor({ state: 'hidden', timeout: 10000 });
  // The stopped rows carry their badge and the reason, with who stopped the job.
  await page.getByTestId('job-filter').selectOption('not_dialled');
  await page.locator('[data-testid="row-reason"]', { hasText: 'Not sent: the job was stopped by' }).first().waitFor({ timeout: 10000 });
  assert.ok(await page.locator('[data-status="not-dialled"]', { hasText: 'Stopped' }).first().isVisible());
  assertNoUnexpectedErrors(consoleErrors);
});
