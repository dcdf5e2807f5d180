// The language switch: Chinese text replaces English everywhere and survives a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/browser.mjs';
import { openPage, assertNoUnexpectedErrors, useBackendAndBrowser, startJob } from '../support/app.mjs';

const ctx = useBackendAndBrowser();

test('switching to Chinese translates the shell and is remembered across a reload', async () => {
  const { page, consoleErrors } = await openPage(ctx.browser, ctx.backend.base, '/');
  await page.getByTestId('health-version').waitFor({ timeout: 20000 });
  assert.ok(await page.getByRole('link', { name: 'Meeting callout' }).isVisible());

  await page.getByTestId('language').selectOption('zh-CN');
  await page.getByRole('link', { name: '会议外呼' }).waitFor();
  assert.ok(await page.getByText('沙箱：呼叫只发往内置模拟器').isVisible());
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  assert.equal(await page.title(), '外呼控制台');

  await page.reload();
  await page.getByRole('heading', { name: '概览' }).waitFor({ timeout: 20000 });
  assert.equal(await page.getByTestId('language').inputValue(), 'zh-CN');
  await screenshot(page, 'dashboard-zh');

  await page.goto(ctx.backend.base + '/dialex');
  await page.getByRole('heading', { name: '云呼叫中心 DialEx 外呼' }).waitFor({ timeout: 20000 });
  await screenshot(page, 'dialex-zh');

  await page.getByTestId('language').selectOption('en');
  await page.getByRole('heading', { name: 'Contact Center DialEx' }).waitFor();
  assertNoUnexpectedErrors(consoleErrors);
});

test('a job row says why it was not dialled in the page language, and follows a switch', async () => {
  const jobId = await startJob(ctx.backend.base, '13800000001\n13800000001\n12345', 'i18n-reasons');
  const { page, consoleErrors } = await openPage(ctx.browser, ctx.backend.base, `/callout/jobs/${jobId}`);
  const reasons = page.getByTestId('row-reason');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="row-reason"]').length === 3, null, { timeout: 20000 });
  // The language is remembered per browser: choose it here rather than rely on what is stored.
  await page.getByTestId('language').selectOption('zh-CN');
  await page.locator('[data-testid="row-reason"]', { hasText: '与第 1 行号码相同。' }).waitFor();
  const zh = await reasons.allTextContents();
  assert.ok(zh.includes('与第 1 行号码相同。'), JSON.stringify(zh));
  // The invalid row's words are the normaliser's problem, in Chinese (no English letters left).
  const invalid = zh.find((r) => r && !r.startsWith('与第'));
  assert.ok(invalid && !/[a-z]/i.test(invalid), JSON.stringify(zh));

  await page.getByTestId('language').selectOption('en');
  await page.locator('[data-testid="row-reason"]', { hasText: 'Same number as row 1.' }).waitFor();
  assertNoUnexpectedErrors(consoleErrors);
});
