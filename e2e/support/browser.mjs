// Debian's Chromium, headless, driven by playwright-core. Never downloads a browser.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { outputDir, recordResponse } from './backend.mjs';

export { outputDir };
export const screenshotDir = path.join(outputDir, 'screenshots');

/**
 * A fresh persistent Chromium context. Times are shown in the browser's zone: the tests run in
 * China's (no daylight saving, 8 hours from UTC) so a time left in UTC is visible. `options` adds
 * or overrides playwright context options (a phone's viewport, another zone).
 */
export async function launchBrowser(options = {}) {
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'callout-e2e-'));
  mkdirSync(screenshotDir, { recursive: true });
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 800 },
    timezoneId: 'Asia/Shanghai',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    ...options,
  });
  context.on('response', recordResponse);
  return context;
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}
