// The app shell loads from the real release build and shows live health data from the backend.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBackend } from '../support/backend.mjs';
import { launchBrowser, screenshot } from '../support/browser.mjs';

let backend;
let browser;

before(async () => {
  backend = await startBackend();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await backend?.stop();
});

test('the dashboard shows the backend health served by the real build', async () => {
  const expected = await (await fetch(`${backend.base}/api/v1/health`)).json();
  const page = await browser.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });

  await page.goto(backend.base + '/');
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
  await screenshot(page, 'shell-dashboard');
  assert.deepEqual(consoleErrors, []);
});

test('a client-side route survives a reload through the backend', async () => {
  const page = await browser.newPage();
  await page.goto(backend.base + '/room-call');
  await page.getByRole('heading', { name: 'Room call' }).waitFor({ timeout: 20000 });
  const current = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Room call' });
  assert.equal(await current.getAttribute('aria-current'), 'page');
  await screenshot(page, 'shell-room-call');
});
