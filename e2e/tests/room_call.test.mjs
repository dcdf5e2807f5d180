// Room calls: a SIP address is checked as you type, then invited; the page shows the invite id
// and follows the status. A viewer cannot invite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/browser.mjs';
import { startBackend } from '../support/backend.mjs';
import { openPage, useBackendAndBrowser } from '../support/app.mjs';

const ctx = useBackendAndBrowser();

test('a SIP address is validated as you type, invited, and its status followed', async () => {
  const { page } = await openPage(ctx.browser, ctx.backend.base, '/room-call');
  await page.getByTestId('target-address').waitFor({ timeout: 20000 });
  await page.getByTestId('meeting-id').fill('6058890385480921052');
  await page.getByTestId('target-address').check();
  await page.getByTestId('dial-string').fill('room 1');
  assert.equal(await page.getByTestId('dial_string-error').textContent(), 'An address has no spaces.');
  await page.getByTestId('dial-string').fill('room1@rooms.example.com');
  assert.equal(await page.getByTestId('dial_string-error').textContent(), '');
  await page.getByTestId('room-call-submit').click();
  await page.getByTestId('invite-id').waitFor({ timeout: 15000 });
  assert.ok((await page.getByTestId('invite-id').textContent()).length > 0);
  await page.locator('[data-testid="room-call-status"][data-status]').waitFor({ timeout: 15000 });
  assert.notEqual(await page.getByTestId('room-call-status').textContent(), '…');
  // The provider's answer state in words (its number kept), and its time in local time with the zone.
  await page.waitForFunction(() => document.querySelector('[data-testid="room-call-response-time"]')?.textContent !== '', null, { timeout: 15000 });
  assert.match(await page.getByTestId('room-call-raw-status').textContent(), /^(no answer|not called|joining|rejected|calling|cancelled|left) \(\d\)$/);
  assert.match(await page.getByTestId('room-call-response-time').textContent(), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\+8$/);
  await screenshot(page, 'room-call');
});

test('a viewer cannot invite a room and does not see the audit log', async () => {
  const viewer = await startBackend({ env: { CALLOUT__AUTH__DEV__GROUPS: '["callout-viewers"]' } });
  try {
    const { page } = await openPage(ctx.browser, viewer.base, '/room-call');
    await page.getByTestId('viewer-note').waitFor({ timeout: 20000 });
    assert.ok(await page.getByTestId('room-call-submit').isDisabled());
    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.equal(await nav.getByRole('link', { name: 'Room call' }).count(), 1);
    assert.equal(await nav.getByRole('link', { name: 'Audit log' }).count(), 0);
    await screenshot(page, 'room-call-viewer');
  } finally {
    await viewer.stop();
  }
});
