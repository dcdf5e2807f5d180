// The app shell loads from the real release build and shows live health data from the backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBackend } from '../support/backend.mjs';
import { screenshot } from '../support/browser.mjs';
import { useBackendAndBrowser } from '../support/app.mjs';

const ctx = useBackendAndBrowser();

test('the dashboard shows the backend health served by the real build', async () => {
  const expected = await (await fetch(`${ctx.backend.base}/api/v1/health`)).json();
  const page = await ctx.browser.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });

  await page.goto(ctx.backend.base + '/');
  await page.getByTestId('health-version').waitFor({ timeout: 20000 });

  assert.equal(await page.getByTestId('health-version').textContent(), expected.version);
  assert.equal(await page.getByTestId('health-mode').textContent(), 'sandbox');
  assert.equal(await page.getByTestId('health-status').textContent(), 'ok');
  assert.match(await page.getByTestId('footer-version').textContent(), new RegExp(`backend ${expected.version}`));
  assert.ok(await page.getByText('Sandbox: calls go to built-in emulators').isVisible());

  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const label of ['Meeting callout', 'Callout status', 'ms_open_id lookup', 'Room call', 'DialEx']) {
    assert.ok(await nav.getByRole('link', { name: label }).isVisible(), `navigation has ${label}`);
  }
  // Who am I, the dev-mode warning, and the sandbox accounts.
  await page.getByTestId('me-role').waitFor();
  assert.equal(await page.getByTestId('me-role').textContent(), 'admin');
  assert.equal(await page.getByTestId('me-name').textContent(), 'Developer');
  assert.ok(await page.getByTestId('dev-banner').isVisible());
  const accounts = page.getByTestId('account-row');
  assert.ok(await accounts.count() >= 2);
  assert.match(await accounts.filter({ hasText: 'sandbox-ccc' }).textContent(), /Alibaba Cloud Contact Center.*sandbox/);
  await screenshot(page, 'shell-dashboard');
  assert.deepEqual(consoleErrors, []);
});

test('a client-side route survives a reload through the backend', async () => {
  const page = await ctx.browser.newPage();
  await page.goto(ctx.backend.base + '/room-call');
  await page.getByRole('heading', { name: 'Room call' }).waitFor({ timeout: 20000 });
  const current = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Room call' });
  assert.equal(await current.getAttribute('aria-current'), 'page');
  await screenshot(page, 'shell-room-call');
});

test('a viewer sees the dialling pages read-only, with the reason', async () => {
  const viewerBackend = await startBackend({ env: { CALLOUT__AUTH__DEV__GROUPS: '["callout-viewers"]' } });
  try {
    const page = await ctx.browser.newPage();
    await page.goto(viewerBackend.base + '/dialex');
    await page.getByTestId('viewer-note').waitFor({ timeout: 20000 });
    assert.ok(await page.getByTestId('dialex-submit').isDisabled());
    await page.goto(viewerBackend.base + '/callout');
    await page.getByTestId('viewer-note').waitFor({ timeout: 20000 });
    assert.ok(await page.getByTestId('callout-review').isDisabled());
    await screenshot(page, 'callout-viewer');
  } finally {
    await viewerBackend.stop();
  }
});

test('an unknown path shows a real not-found page with the way back', async () => {
  const page = await ctx.browser.newPage();
  await page.goto(ctx.backend.base + '/no/such/page');
  await page.getByTestId('not-found').waitFor({ timeout: 20000 });
  assert.ok(await page.getByRole('heading', { name: 'Page not found' }).isVisible());
  assert.equal(await page.getByTestId('not-found-path').textContent(), '/no/such/page');
  assert.doesNotMatch(await page.getByTestId('not-found').textContent(), /not available yet/);
  await screenshot(page, 'not-found');
  await page.getByTestId('not-found-home').click();
  await page.getByTestId('health-version').waitFor({ timeout: 20000 });
  assert.equal(new URL(page.url()).pathname, '/');
});
