import { expect, test, type Page } from '@playwright/test';

/** Fails the test on any console error (a CSP violation, a panic in the wasm, ...). */
function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

async function signIn(page: Page, decision: 'Allow' | 'Deny' = 'Allow') {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in with Oura' }).click();
  // The demo's simulator may still be serving the previous test's first sync: allow it time.
  await expect(page.getByRole('heading', { name: 'Sign in to Oura' })).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: decision }).click();
  if (decision === 'Allow') {
    await expect(page.getByRole('heading', { name: 'Trends' })).toBeVisible();
    await page.getByRole('link', { name: 'Profile' }).click();
  }
}

test('a newcomer sees the landing page with the demo banner', async ({ page }) => {
  const errors = watchConsole(page);

  await page.goto('/');

  await expect(page.getByRole('heading', { name: 'Your Oura data, on your own server' })).toBeVisible();
  await expect(page.getByRole('note', { name: 'Demo mode' })).toContainText('Demo data');
  // The stylesheet is inlined (for the first paint) and admitted by the policy's hash.
  await expect(page.locator('.app-header')).toHaveCSS('display', 'flex');
  expect(errors).toEqual([]);
});

test('sign in, allow, and the profile is shown', async ({ page }) => {
  const errors = watchConsole(page);

  await signIn(page, 'Allow');

  await expect(page.getByRole('heading', { name: 'Your Oura profile' })).toBeVisible();
  await expect(page.getByText('demo@example.com')).toBeVisible();
  await expect(page.getByText(/\d+ years/)).toBeVisible();
  await expect(page.getByText(/\d+\.\d kg/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('the profile is the kept one, and "Refresh from Oura" asks Oura anew', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, 'Allow');
  await expect(page.getByText('Kept from your last sync.')).toBeVisible();

  const [answer] = await Promise.all([
    page.waitForResponse((response) => response.url().endsWith('/api/profile?refresh=true')),
    page.getByRole('button', { name: 'Refresh from Oura' }).click(),
  ]);

  expect(answer.status()).toBe(200);
  await expect(page.getByText('demo@example.com')).toBeVisible();
  // A second press asks again (the same address as the first).
  const [again] = await Promise.all([
    page.waitForResponse((response) => response.url().endsWith('/api/profile?refresh=true')),
    page.getByRole('button', { name: 'Refresh from Oura' }).click(),
  ]);
  expect(again.status()).toBe(200);
  expect(errors).toEqual([]);
});

test('no Oura token is readable in the browser', async ({ page, context }) => {
  await signIn(page, 'Allow');
  await expect(page.getByRole('heading', { name: 'Your Oura profile' })).toBeVisible();

  const visible = await page.evaluate(() => ({
    cookie: document.cookie,
    local: JSON.stringify(localStorage),
    session: JSON.stringify(sessionStorage),
    html: document.documentElement.outerHTML,
  }));
  const cookies = await context.cookies();

  expect(visible.cookie).toBe(''); // the session cookie is HttpOnly
  for (const text of [visible.local, visible.session, visible.html, JSON.stringify(cookies)]) {
    expect(text).not.toContain('_0XSIM_');
    expect(text).not.toContain('_1XSIM_');
  }
  expect(cookies.find((c) => c.name === 'oura_session')?.httpOnly).toBe(true);
});

test('deny shows a friendly message and leads back to the start', async ({ page }) => {
  await signIn(page, 'Deny');

  await expect(page.getByRole('heading', { name: 'You did not give access' })).toBeVisible();
  await expect(page.getByText('Nothing was stored')).toBeVisible();
  await page.getByRole('link', { name: 'Back to the start page' }).click();
  await expect(page.getByRole('link', { name: 'Sign in with Oura' })).toBeVisible();
});

test('sign out returns to the landing page, for good', async ({ page }) => {
  await signIn(page, 'Allow');
  await expect(page.getByRole('heading', { name: 'Your Oura profile' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();

  await expect(page.getByRole('link', { name: 'Sign in with Oura' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('link', { name: 'Sign in with Oura' })).toBeVisible();
  const response = await page.request.get('/api/profile');
  expect(response.status()).toBe(401);
});

test('a failed sign-out is said on its page, and not carried to the next', async ({ page }) => {
  await signIn(page, 'Allow');
  await expect(page.getByRole('heading', { name: 'Your Oura profile' })).toBeVisible();
  // The server cannot be reached for the sign-out alone.
  await page.route('**/auth/logout', (route) => route.abort());

  await page.getByRole('button', { name: 'Sign out' }).click();
  const failure = page.getByRole('alert').filter({ hasText: 'Signing out failed' });
  await expect(failure).toBeVisible();
  await page.getByRole('link', { name: 'Settings' }).click();

  await expect(page.getByRole('heading', { name: 'API keys' })).toBeVisible();
  await expect(failure).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
});

test('moving between pages keeps the frame: no new session check, and the header stays', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, 'Allow');
  await expect(page.getByRole('heading', { name: 'Your Oura profile' })).toBeVisible();
  const sessionChecks: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/session') sessionChecks.push(request.url());
  });

  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'API keys' })).toBeVisible();
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Trends' })).toBeVisible();
  await page.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByRole('heading', { name: 'Your Oura profile' })).toBeVisible();

  expect(sessionChecks).toEqual([]);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('the profile fits a phone-sized screen', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, 'Allow');
  await expect(page.getByRole('heading', { name: 'Your Oura profile' })).toBeVisible();

  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );

  expect(overflow).toBeLessThanOrEqual(0);
});

/**
 * Serves an attacker's page at `pageUrl` (Playwright answers it; nothing listens there) whose
 * form posts to `target`, submits it, and returns the status the app answered.
 */
async function submitFormFrom(page: Page, pageUrl: string, target: string): Promise<number> {
  await page.route(pageUrl, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><form method="post" action="${target}"><button>go</button></form>`,
    }),
  );
  await page.goto(pageUrl);
  const [answer] = await Promise.all([
    page.waitForResponse((response) => response.url() === target),
    page.getByRole('button', { name: 'go' }).click(),
  ]);
  return answer.status();
}

// A page on another port of the same host is another origin but the same site: the browser
// sends the SameSite=Lax session cookie with its form, so only the app's CSRF check stands
// between it and the logout (this test fails without that middleware).
test('a form on another origin of the same site cannot sign the person out', async ({ page }) => {
  await signIn(page, 'Allow');
  await expect(page.getByRole('heading', { name: 'Your Oura profile' })).toBeVisible();
  const app = new URL(page.url());

  const status = await submitFormFrom(page, `http://${app.hostname}:9/prize`, `${app.origin}/auth/logout`);
  expect(status).toBe(403);

  await page.goto('/profile');
  await expect(page.getByRole('heading', { name: 'Your Oura profile' })).toBeVisible();
});

// A truly different site (localhost against 127.0.0.1): its form arrives without the cookie
// at all (SameSite=Lax) and is refused for its Sec-Fetch-Site too.
test('a form on a different site cannot sign the person out', async ({ page }) => {
  await signIn(page, 'Allow');
  await expect(page.getByRole('heading', { name: 'Your Oura profile' })).toBeVisible();
  const app = new URL(page.url());
  const otherHost = app.hostname === 'localhost' ? '127.0.0.1' : 'localhost';

  const status = await submitFormFrom(page, `http://${otherHost}:9/prize`, `${app.origin}/auth/logout`);
  expect(status).toBe(403);

  await page.goto('/profile');
  await expect(page.getByRole('heading', { name: 'Your Oura profile' })).toBeVisible();
});
