// The do-not-call list: admins add numbers (normalised by the backend, refused with the reason when
// invalid) and remove them after a confirmation; numbers from the configuration file stay;
// operators only read the list and viewers do not see it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBackend } from '../support/backend.mjs';
import { screenshot } from '../support/browser.mjs';
import { openPage, assertNoUnexpectedErrors, useBackendAndBrowser, SANDBOX_MEETING } from '../support/app.mjs';

const CONFIGURED = '+8613900000099';
const ctx = useBackendAndBrowser({ env: { CALLOUT__DO_NOT_CALL: JSON.stringify([CONFIGURED]) } });

const numbers = (page) => page.getByTestId('dnc-row-number').allTextContents();

test('an admin adds, finds and removes numbers; configured ones stay', async () => {
  const { page, consoleErrors } = await openPage(ctx.browser, ctx.backend.base, '/do-not-call');
  await page.getByTestId('dnc-row').first().waitFor({ timeout: 20000 });
  assert.deepEqual(await numbers(page), [CONFIGURED]);
  const configured = page.getByTestId('dnc-row').first();
  assert.match(await configured.textContent(), /configuration file/);
  assert.equal(await configured.getByTestId('dnc-remove').count(), 0, 'a configured number is removed in the file');

  // An invalid number is refused next to the field, with the normaliser's reason.
  await page.getByTestId('dnc-number').fill('12');
  await page.getByTestId('dnc-add').click();
  await page.getByTestId('number-error').getByText(/short|not a phone|numbering plan/i).waitFor({ timeout: 10000 });
  assert.deepEqual(await numbers(page), [CONFIGURED]);

  await page.getByTestId('dnc-number').fill('139 0000 0098');
  await page.getByTestId('dnc-note').fill('asked not to be called');
  await page.getByTestId('dnc-add').click();
  await page.getByTestId('global-alert').getByText('+8613900000098 is on the do-not-call list.').waitFor({ timeout: 10000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="dnc-row"]').length === 2);
  assert.deepEqual(await numbers(page), ['+8613900000098', CONFIGURED]);
  assert.equal(await page.getByTestId('dnc-number').inputValue(), '', 'the form is ready for the next number');

  // Adding it again, without a note, says so and keeps the note.
  await page.getByTestId('dnc-number').fill('+86 139 0000 0098');
  await page.getByTestId('dnc-add').click();
  await page.getByTestId('global-alert').getByText('+8613900000098 was on the do-not-call list already; its note is kept.').waitFor({ timeout: 10000 });
  assert.deepEqual(await numbers(page), ['+8613900000098', CONFIGURED]);
  assert.match(await page.getByTestId('dnc-row').first().textContent(), /asked not to be called/);

  await page.getByTestId('dnc-search').fill('asked');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="dnc-row"]').length === 1);
  await screenshot(page, 'do-not-call');
  await page.getByTestId('dnc-search').fill('');

  // Removing asks first; saying no sends nothing.
  const deletes = [];
  page.on('request', (request) => { if (request.method() === 'DELETE') deletes.push(request.url()); });
  const asked = new Promise((resolve) => page.once('dialog', (dialog) => resolve(dialog.dismiss())));
  await page.getByRole('button', { name: 'Remove +8613900000098' }).click();
  await asked;
  await page.getByTestId('dnc-search').fill('');
  assert.deepEqual(deletes, [], 'a dismissed confirmation sends no request');
  assert.deepEqual(await numbers(page), ['+8613900000098', CONFIGURED]);
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Remove +8613900000098' }).click();
  await page.getByTestId('global-alert').getByText('+8613900000098 was removed from the do-not-call list.').waitFor({ timeout: 10000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="dnc-row"]').length === 1);
  assert.equal(deletes.length, 1);
  const list = await (await fetch(`${ctx.backend.base}/api/v1/do-not-call`)).json();
  assert.deepEqual(list.map((e) => e.e164), [CONFIGURED]);
  // The refused add is a 422 the browser logs as a failed request.
  assertNoUnexpectedErrors(consoleErrors, [/422/]);
});

test('an operator reads the list without changing it; a viewer does not see it', async () => {
  const operator = await startBackend({ env: { CALLOUT__AUTH__DEV__GROUPS: '["callout-operators"]' } });
  const viewer = await startBackend({ env: { CALLOUT__AUTH__DEV__GROUPS: '["callout-viewers"]' } });
  try {
    const { page } = await openPage(ctx.browser, operator.base, '/do-not-call');
    await page.getByTestId('dnc-admins-only').waitFor({ timeout: 20000 });
    await page.getByTestId('dnc-empty').waitFor();
    assert.equal(await page.getByTestId('dnc-number').count(), 0);
    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.ok(await nav.getByRole('link', { name: 'Do-not-call list' }).isVisible());
    assert.equal(await nav.getByRole('link', { name: 'Audit log' }).count(), 0);

    const { page: viewerPage } = await openPage(ctx.browser, viewer.base, '/');
    await viewerPage.getByTestId('me-role').getByText('viewer').waitFor({ timeout: 20000 });
    assert.equal(await viewerPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Do-not-call list' }).count(), 0);
  } finally {
    await operator.stop();
    await viewer.stop();
  }
});

test('the callout form flags a do-not-call number as it is typed and does not count it', async () => {
  const { page, consoleErrors } = await openPage(ctx.browser, ctx.backend.base, '/callout');
  await page.getByTestId('paste-numbers').waitFor({ timeout: 20000 });
  await page.getByTestId('paste-numbers').fill(`${CONFIGURED}\n13800138000`);
  await page.getByRole('button', { name: 'Add these numbers' }).click();
  await page.locator('[data-testid="row-verdict"][data-state="blocked"]').waitFor({ timeout: 15000 });
  assert.match(await page.locator('[data-testid="row-verdict"][data-state="blocked"]').textContent(), /^\+8613900000099 · on the do-not-call list/);
  assert.equal(await page.getByTestId('numbers-summary').textContent(), '1 valid · 0 invalid · 0 duplicates · 1 do-not-call');
  await page.getByTestId('meeting-id').fill(SANDBOX_MEETING);
  await page.getByTestId('callout-review').click();
  await page.getByTestId('callout-confirm').waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('confirm-valid').textContent(), '1', 'only the other number is to be called');
  assert.match(await page.getByTestId('confirm-skipped').textContent(), /^1 invalid, duplicate or do-not-call/);
  assertNoUnexpectedErrors(consoleErrors);
});
