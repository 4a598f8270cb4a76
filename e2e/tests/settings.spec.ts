import { expect, test, type Page } from '@playwright/test';

async function signIn(page: Page, username = 'demo') {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in with Oura' }).click();
  await page.getByLabel('Simulated account').fill(username);
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByRole('heading', { name: 'Trends' })).toBeVisible();
}

test('an API key is created, shown once, works with a script, and is revoked', async ({ page }) => {
  await signIn(page, 'keys-e2e');
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByText('No API keys yet')).toBeVisible();

  await page.getByLabel('Name').fill('e2e script');
  await page.getByRole('button', { name: 'Create key' }).click();
  const secret = (await page.getByLabel('New API key').textContent()) ?? '';
  expect(secret).toMatch(/^odk_/);
  await expect(page.getByRole('list', { name: 'Your API keys' })).toContainText('e2e script');

  // A script, without the browser's cookies.
  const script = await page.context().request.fetch('/api/profile', {
    headers: { Authorization: `Bearer ${secret}`, Cookie: '' },
  });
  expect(script.status()).toBe(200);
  expect((await script.json()).email).toBe('keys-e2e@example.com');

  await page.getByRole('button', { name: 'Revoke e2e script' }).click();
  await expect(page.getByText('No API keys yet')).toBeVisible();
  await expect(page.getByLabel('New API key')).toHaveCount(0);
  const after = await page.context().request.fetch('/api/profile', {
    headers: { Authorization: `Bearer ${secret}`, Cookie: '' },
  });
  expect(after.status()).toBe(401);
});

test('deleting the account asks for confirmation, then signs out for good', async ({ page }) => {
  await signIn(page, 'delete-e2e');
  await page.getByRole('link', { name: 'Settings' }).click();

  await page.getByRole('button', { name: 'Delete my account and data…' }).click();
  const confirm = page.getByRole('button', { name: 'Delete permanently' });
  await expect(confirm).toBeDisabled();
  await page.getByLabel('Type DELETE to confirm').fill('DELETE');
  await confirm.click();

  // The first sync is still running here, and in demo mode Oura's revocation is answered by
  // the same busy in-process simulator: allow it time.
  await expect(page.getByText('Your account and all its data were deleted.')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('link', { name: 'Sign in with Oura' })).toBeVisible();
  expect((await page.request.get('/api/profile')).status()).toBe(401);
});

test('settings when signed out shows the sign-in page', async ({ page }) => {
  await page.goto('/settings');

  await expect(page.getByRole('link', { name: 'Sign in with Oura' })).toBeVisible();
});

test('settings show how each collection synced, how its news arrives, and that nothing was set aside', async ({ page }) => {
  await signIn(page, 'health-e2e');
  await expect(page.getByText(/Last synced/)).toBeVisible({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Settings' }).click();

  const health = page.getByRole('region', { name: 'Sync health' });
  await expect(health.getByRole('row', { name: /Daily sleep/ })).toContainText('OK');
  // Demo mode subscribes to Oura's webhooks: each row says how its news arrives.
  await expect(health.getByRole('row', { name: /Daily sleep/ })).toContainText('webhook');
  await expect(health.getByRole('row', { name: /Heart rate/ })).toContainText('Oura sends no events for it');
  await expect(health.getByText(/Next background sync: /)).toBeVisible();
  await expect(health.getByText('Every document Oura sent could be read.')).toBeVisible();
});
