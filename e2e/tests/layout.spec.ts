import { expect, test, type Page } from '@playwright/test';

// The dashboard at a phone's width and a desktop's, in the light and the dark theme (which
// follows the system setting). Screenshots are kept in test-results/screenshots for review;
// the checks are what a person would notice: no sideways scrolling, legible chart labels on a
// phone, the width used on a desktop, the theme applied.

async function signIn(page: Page, username: string) {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in with Oura' }).click();
  await page.getByLabel('Simulated account').fill(username);
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByText(/Last synced/)).toBeVisible({ timeout: 45_000 });
  await expect(page.getByRole('img', { name: /^Body temperature from/ })).toBeVisible();
}

for (const scheme of ['light', 'dark'] as const) {
  test(`on a 360 px phone in the ${scheme} theme nothing scrolls sideways and chart labels stay legible`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 360, height: 800 });
    await signIn(page, `phone-${scheme}-e2e`);

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // The header takes two rows: the name, then the links with "Sign out" beside them.
    const nav = page.getByRole('navigation', { name: 'Main' });
    const settings = await nav.getByRole('link', { name: 'Settings' }).boundingBox();
    const signOut = await nav.getByRole('button', { name: 'Sign out' }).boundingBox();
    const middle = (box: { y: number; height: number } | null) => (box ? box.y + box.height / 2 : NaN);
    expect(Math.abs(middle(settings) - middle(signOut))).toBeLessThan(4);
    const label = page.locator('figure.chart .grid text').first();
    const height = (await label.boundingBox())?.height ?? 0;
    expect(height).toBeGreaterThanOrEqual(10);
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe(scheme === 'dark' ? 'rgb(15, 23, 32)' : 'rgb(244, 246, 248)');
    await page.screenshot({ path: `test-results/screenshots/dashboard-360-${scheme}.png`, fullPage: true });
  });

  test(`on a 1440 px screen in the ${scheme} theme the trends sit side by side`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, `wide-${scheme}-e2e`);

    const charts = page.locator('figure.chart');
    const [first, second] = [await charts.nth(0).boundingBox(), await charts.nth(1).boundingBox()];
    expect(first && second && Math.abs(first.y - second.y) < 2).toBeTruthy();
    expect(second!.x).toBeGreaterThan(first!.x + first!.width);
    const page_width = (await page.locator('main, .page').first().boundingBox())?.width ?? 0;
    expect(page_width).toBeGreaterThan(1100);
    await page.screenshot({ path: `test-results/screenshots/dashboard-1440-${scheme}.png`, fullPage: true });
  });
}

// The night page's charts (stages, heart rate and HRV through the night, heart rate through
// the day) draw at their real width too: their labels neither shrink to specks on a phone
// nor swell on a wide screen.
for (const width of [360, 1440]) {
  test(`at ${width} px the night page's chart labels keep their size`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await signIn(page, `night-${width}-e2e`);
    await page.getByRole('link', { name: /See the night/ }).click();
    await expect(page.getByRole('img', { name: /^Sleep stages:/ }).first()).toBeVisible();
    await expect(page.getByText(/Heart rate through the day/)).toBeVisible();

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const heights = await page.locator('figure.chart text.axis').evaluateAll((labels) =>
      labels.map((label) => label.getBoundingClientRect().height),
    );
    expect(heights.length).toBeGreaterThan(8);
    for (const height of heights) {
      expect(height).toBeGreaterThanOrEqual(10);
      expect(height).toBeLessThanOrEqual(18);
    }
    await page.screenshot({ path: `test-results/screenshots/night-${width}.png`, fullPage: true });
  });
}

// The other pages at a phone's width: nothing scrolls sideways, neither the page nor the
// sync-health table, whose rows become blocks with each value after its label.
test('at 360 px the profile and settings pages do not scroll sideways', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  await signIn(page, 'pages-360-e2e');
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  await page.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByRole('heading', { name: 'Your ring' })).toBeVisible();
  expect(await overflow()).toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'test-results/screenshots/profile-360.png', fullPage: true });

  await page.getByRole('link', { name: 'Settings' }).click();
  const health = page.getByRole('region', { name: 'Sync health' });
  await expect(health.getByRole('row', { name: /Daily sleep/ })).toBeVisible();
  expect(await overflow()).toBeLessThanOrEqual(0);
  const table = health.getByRole('table');
  expect(await table.evaluate((t) => t.scrollWidth - t.clientWidth)).toBeLessThanOrEqual(0);
  // Each value under the collection's name, after its label, its dates on one line (not broken
  // at their dashes).
  const stored = health.getByRole('row', { name: /Daily sleep/ }).getByRole('cell').first();
  const [name, storedBox] = await Promise.all([
    health.getByRole('row', { name: /Daily sleep/ }).getByRole('rowheader').boundingBox(),
    stored.boundingBox(),
  ]);
  expect(storedBox!.y).toBeGreaterThanOrEqual(name!.y + name!.height - 1);
  expect(await stored.evaluate((cell) => getComputedStyle(cell, '::before').content)).toBe('"Stored through: "');
  const lines = await stored.evaluate((cell) => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return range.getClientRects().length;
  });
  expect(lines).toBe(1);
  await page.screenshot({ path: 'test-results/screenshots/settings-360.png', fullPage: true });
});
