// Every page fits a phone (390x844) in both languages, and is screenshotted at phone and laptop
// sizes. Under mobile emulation `innerWidth` grows to the content's width, so the check compares the
// document's scroll width with the device's width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launchBrowser, screenshotDir } from '../support/browser.mjs';
import { startBackend } from '../support/backend.mjs';
import { startJob } from '../support/app.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const LAPTOP = { viewport: { width: 1366, height: 768 } };
let backend;
let jobId;

before(async () => {
  backend = await startBackend({ env: { CALLOUT__SANDBOX__TIME_SCALE: '0.02' } });
  // A job with rows of every kind: long E.164 numbers, an invalid row with a long reason, a repeat.
  const text = ['13800003001, 张三', '+1 650 253 0000', 'not a phone number at all', '138 0000 3001', '+44 20 7946 0958'].join('\n');
  jobId = await startJob(backend.base, text, 'layout-job');
});
after(async () => backend?.stop());

const routes = () => ['/', '/jobs', '/callout', '/status', '/ms-open-id', '/room-call', '/dialex', '/do-not-call', '/audit',
  `/callout/jobs/${jobId}`, '/no-such-page'];

async function visitAll(device, size) {
  const browser = await launchBrowser(device);
  const overflowing = [];
  try {
    for (const lang of ['en', 'zh-CN']) {
      for (const route of routes()) {
        const page = await browser.newPage();
        await page.addInitScript((l) => localStorage.setItem('callout-console.lang', l), lang);
        await page.goto(backend.base + route);
        await page.locator('main h1').first().waitFor({ timeout: 20000 });
        // Data-driven parts have loaded when no spinner is left.
        await page.waitForFunction(() => !document.querySelector('.progress'), null, { timeout: 20000 }).catch(() => {});
        if (route.startsWith('/callout/jobs/')) await page.getByTestId('job-row-index').first().waitFor({ timeout: 20000 });
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > device.viewport.width) overflowing.push(`${route} (${lang}): ${width}px`);
        const name = (route === '/' ? 'dashboard' : route.slice(1).replace(/\//g, '-').replace(jobId, 'job')) || 'root';
        await page.screenshot({ path: path.join(screenshotDir, `layout-${size}-${lang}-${name}.png`), fullPage: true });
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  return overflowing;
}

test('no page is wider than a 390 px phone, in either language', async () => {
  assert.deepEqual(await visitAll(PHONE, 'phone'), []);
});

test('every page fits a 1366 px laptop, and the job table keeps reasons to one line', async () => {
  assert.deepEqual(await visitAll(LAPTOP, 'laptop'), []);
  const browser = await launchBrowser(LAPTOP);
  try {
    const page = await browser.newPage();
    await page.goto(`${backend.base}/callout/jobs/${jobId}`);
    await page.getByTestId('job-row-index').first().waitFor({ timeout: 20000 });
    const tallest = await page.getByTestId('job-row').evaluateAll((rows) => Math.max(...rows.map((r) => r.getBoundingClientRect().height)));
    assert.ok(tallest < 60, `a row is ${tallest}px tall: a reason or number wraps over many lines`);
    const wrap = await page.getByTestId('job-table').evaluate((t) => [t.parentElement.scrollWidth, t.parentElement.clientWidth]);
    assert.ok(wrap[0] <= wrap[1], `the job table scrolls sideways (${wrap[0]} > ${wrap[1]} px): a column such as ms_open_id is cut off`);
  } finally {
    await browser.close();
  }
});
