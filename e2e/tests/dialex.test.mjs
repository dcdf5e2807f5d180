// DialEx against the real backend in sandbox mode: each answer mode reaches the CCC emulator and
// comes back with a task id; a wrong-case agent domain comes back as the provider's refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/browser.mjs';
import { openPage, assertNoUnexpectedErrors, useBackendAndBrowser } from '../support/app.mjs';

const INSTANCE = 'd278629c-c687-4aa3-b044-4fe9b012e7ef';
const ctx = useBackendAndBrowser();

async function fillForm(page, { mode, routPoint }) {
  await page.getByTestId('account').waitFor({ timeout: 20000 });
  await page.locator('#account_id option[value="sandbox-ccc"]').waitFor({ state: 'attached' });
  await page.getByTestId('account').selectOption('sandbox-ccc');
  await page.getByTestId('instance').selectOption(INSTANCE);
  await page.getByLabel('Caller number').fill('02285196281');
  await page.getByLabel('Callee number').fill('15732036617');
  await page.getByLabel(mode).check();
  await page.locator('#rout_point').fill(routPoint);
}

const modes = [
  { mode: 'IVR (contact flow)', routPoint: 'cf-welcome-ivr', label: 'Contact-flow ID', shot: 'dialex-ivr' },
  { mode: 'Agent', routPoint: 'agent001@CalloutDemo', label: 'Agent (ram_id@domain)', shot: 'dialex-agent' },
  { mode: 'Skill group', routPoint: 'paEF_1GAQXXJ', label: 'Skill-group ID', shot: 'dialex-skill-group' },
];

for (const { mode, routPoint, label, shot } of modes) {
  test(`a DialEx call routed to ${mode} is accepted with a task id`, async () => {
    const { page, consoleErrors } = await openPage(ctx.browser, ctx.backend.base, '/dialex');
    await fillForm(page, { mode, routPoint });
    assert.ok(await page.getByText(label, { exact: true }).isVisible(), 'the route point label follows the mode');
    await page.getByTestId('dialex-submit').click();
    const taskId = page.getByTestId('dialex-task-id');
    await taskId.waitFor({ timeout: 15000 });
    assert.ok((await taskId.textContent()).trim().length > 0);
    await screenshot(page, shot);
    assertNoUnexpectedErrors(consoleErrors);
    await page.close();
  });
}

test('a DialEx refusal shows the provider error and its code', async () => {
  const { page, consoleErrors } = await openPage(ctx.browser, ctx.backend.base, '/dialex');
  await fillForm(page, { mode: 'Agent', routPoint: 'agent001@calloutdemo' });
  await page.getByTestId('dialex-submit').click();
  const alert = page.getByTestId('global-alert');
  await alert.waitFor({ timeout: 15000 });
  assert.match(await alert.textContent(), /provider/i);
  const code = (await page.getByTestId('provider-code').textContent()).trim();
  assert.ok(code.length > 0, 'the provider code is shown');
  assert.equal(await page.getByTestId('dialex-task-id').count(), 0);
  await screenshot(page, 'dialex-provider-error');
  assertNoUnexpectedErrors(consoleErrors, [/Failed to load resource/]);
  await page.close();
});

test('DialEx checks that the fields are filled before sending anything', async () => {
  const { page } = await openPage(ctx.browser, ctx.backend.base, '/dialex');
  await page.getByTestId('account').waitFor({ timeout: 20000 });
  await page.getByTestId('dialex-submit').click();
  assert.equal(await page.getByTestId('callee-error').textContent(), 'This field is required.');
  assert.equal(await page.getByTestId('rout_point-error').textContent(), 'This field is required.');
  // Tablet width: the form stays usable in one column.
  await page.setViewportSize({ width: 768, height: 1024 });
  assert.ok(await page.getByTestId('dialex-submit').isVisible());
  await screenshot(page, 'dialex-tablet');
  await page.close();
});
