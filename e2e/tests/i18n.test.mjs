// The language switch: Chinese text replaces English everywhere and survives a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/browser.mjs';
import { openPage, assertNoUnexpectedErrors, useBackendAndBrowser } from '../support/app.mjs';

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
