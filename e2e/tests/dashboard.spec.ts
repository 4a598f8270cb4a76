import { expect, test, type Page } from '@playwright/test';

/** Signs in on the simulator's consent page; answers the simulator's address. */
async function signIn(page: Page, username: string): Promise<string> {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in with Oura' }).click();
  await page.getByLabel('Simulated account').fill(username);
  const simulator = new URL(page.url()).origin;
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByRole('heading', { name: 'Trends' })).toBeVisible();
  return simulator;
}

test('after sign-in the dashboard syncs, then shows scores and charts', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

  await signIn(page, 'dash-e2e');

  // The first sync (two years) starts at sign-in; the bar says when it is done.
  await expect(page.getByText(/Last synced/)).toBeVisible({ timeout: 45_000 });
  for (const name of ['Sleep score', 'Readiness score', 'Activity score']) {
    await expect(page.getByRole('article', { name })).toContainText(/\d+/);
  }
  await expect(page.getByText(/vs 7-day average|same as 7-day average/).first()).toBeVisible();
  await expect(page.getByRole('article', { name: 'Stress' })).toContainText(/High stress .+, high recovery/);
  await expect(page.getByRole('article', { name: 'Blood oxygen' })).toContainText(/\d+\.\d %/);
  await expect(page.getByRole('article', { name: 'Resilience' })).toContainText(
    /Limited|Adequate|Solid|Strong|Exceptional/,
  );
  await expect(page.getByRole('article', { name: 'Cardiovascular age' })).toContainText(/\d+ years/);
  await expect(page.getByRole('article', { name: 'Optimal bedtime' })).toContainText(/\d\d:\d\d–\d\d:\d\d/);
  // VO2 max is estimated on some days only: a value, or why there is none.
  await expect(page.getByRole('article', { name: 'VO2 max' })).toContainText(/ml\/kg\/min|No estimate in the last week/);
  await expect(page.getByRole('img', { name: /^Sleep score from/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Body temperature from .* average [+-]\d\.\d °C/ })).toBeVisible();
  // Readiness's temperature: each night's deviation, with Oura's own trend of it as the line.
  const temperature = page.locator('figure.chart', { has: page.getByText('Body temperature', { exact: true }) });
  await expect(temperature.locator('.legend')).toContainText("Oura's 3-day trend");
  await expect(temperature.locator('path.trend')).toHaveAttribute('d', /^M\d/);
  const points = page.locator('figure.chart').first().locator('circle.point');
  expect(await points.count()).toBeGreaterThan(20);
  await expect(page.getByRole('article', { name: 'Activity and the next night\'s sleep' })).toContainText(/r = -?\d\.\d\d/);
  await expect(page.getByRole('article', { name: 'Sleep by weekday' })).toContainText(/Based on \d+ days/);
  expect(errors).toEqual([]);
});

test('without the stress, SpO2 and heart health permissions the cards say why they are empty', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in with Oura' }).click();
  await page.getByLabel('Simulated account').fill('no-stress-e2e');
  await page.getByRole('checkbox', { name: /^stress/ }).uncheck();
  await page.getByRole('checkbox', { name: /^spo2/ }).uncheck();
  await page.getByRole('checkbox', { name: /^heart_health/ }).uncheck();
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByText(/Last synced/)).toBeVisible({ timeout: 45_000 });

  await expect(page.getByRole('article', { name: 'Sleep score' })).toContainText(/\d+/);
  for (const name of ['Stress', 'Blood oxygen', 'Resilience', 'VO2 max', 'Cardiovascular age']) {
    const card = page.getByRole('article', { name });
    await expect(card).toContainText(/its permission was not granted on Oura's consent page/);
    await expect(card.getByRole('link', { name: 'Grant access' })).toHaveAttribute('href', '/auth/login');
  }
  // The bedtime window comes with the daily permission, which was granted.
  await expect(page.getByRole('article', { name: 'Optimal bedtime' })).toContainText(/\d\d:\d\d–\d\d:\d\d/);
});

test('the range buttons and date navigation change the charts', async ({ page }) => {
  await signIn(page, 'range-e2e');
  await expect(page.getByText(/Last synced/)).toBeVisible({ timeout: 45_000 });

  await page.getByRole('button', { name: '7 days' }).click();
  await expect(page.getByRole('button', { name: '7 days' })).toHaveAttribute('aria-pressed', 'true');
  const label = page.locator('.range-label');
  const before = await label.textContent();
  await page.getByRole('button', { name: '← Earlier' }).click();
  await expect(label).not.toHaveText(before ?? '');
  await page.getByRole('button', { name: '365 days' }).click();
  await expect(page.getByRole('img', { name: /^Activity score from/ })).toBeVisible();
});

test('export downloads a CSV with a row a day for the range on screen', async ({ page }) => {
  await signIn(page, 'export-e2e');
  await expect(page.getByText(/Last synced/)).toBeVisible({ timeout: 45_000 });
  await page.getByRole('button', { name: '7 days' }).click();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  const path = await download.path();
  const text = require('node:fs').readFileSync(path, 'utf8') as string;
  const lines = text.trim().split('\n');

  expect(download.suggestedFilename()).toMatch(/^oura-.*\.csv$/);
  expect(lines[0]).toBe(
    'day,sleep_score,readiness_score,activity_score,steps,active_calories,stress_high_minutes,' +
      'recovery_high_minutes,stress_day_summary,spo2_average_percent,breathing_disturbance_index,' +
      'resilience_level,temperature_deviation_celsius,temperature_trend_deviation_celsius,vo2_max,' +
      'vascular_age,pulse_wave_velocity,optimal_bedtime_start,optimal_bedtime_end,bedtime_start,bedtime_end,' +
      'total_sleep_minutes,deep_sleep_minutes,light_sleep_minutes,rem_sleep_minutes,awake_minutes,' +
      'sleep_efficiency_percent,average_hrv_ms,lowest_heart_rate_bpm',
  );
  expect(lines.length).toBe(8);
});

test('a night opens its hypnogram with heart rate and HRV', async ({ page }) => {
  await signIn(page, 'night-e2e');
  await expect(page.getByText(/Last synced/)).toBeVisible({ timeout: 45_000 });

  await page.getByRole('link', { name: 'See the night →' }).click();

  await expect(page.getByRole('heading', { name: /^Night ending \d{4}-\d{2}-\d{2}$/ })).toBeVisible();
  const stages = page.getByRole('img', { name: /^Sleep stages: Awake .*Deep/ });
  await expect(stages).toBeVisible();
  expect(await stages.locator('rect.stage[data-stage="deep"]').count()).toBeGreaterThan(0);
  // Each stage is coloured by its data-stage (the stylesheet's deep blue, not SVG's default black).
  await expect(stages.locator('rect.stage[data-stage="deep"]').first()).toHaveCSS('fill', 'rgb(31, 63, 143)');
  await expect(page.getByRole('img', { name: /^Heart rate \(bpm\)/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^HRV \(ms\)/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Heart rate through the day \(bpm, local time, UTC/ })).toBeVisible();

  await page.getByRole('link', { name: '← Night before' }).click();
  await expect(page.getByRole('heading', { name: /^Night ending/ })).toBeVisible();

  // A night without sleep says why: a synced one the ring was not worn for, or one the sync
  // has not reached.
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const days = await (await page.request.get(`/api/daily?start=${iso(Date.now() - 300 * 86_400_000)}&end=${iso(Date.now() - 2 * 86_400_000)}`)).json();
  const unworn = days.find((d: { sleep: unknown }) => d.sleep === null);
  expect(unworn, 'the simulator leaves some nights without the ring').toBeTruthy();
  await page.goto(`/night/${unworn.day}`);
  await expect(page.getByText(/No sleep recorded for this night: the ring was not worn/)).toBeVisible();
  await page.goto(`/night/${iso(Date.now() + 3 * 86_400_000)}`);
  await expect(page.getByText(/No sleep for this night yet: not synced yet/)).toBeVisible();
});

test('each chart says why its days without data have none', async ({ page }) => {
  await signIn(page, 'gaps-e2e');
  await expect(page.getByText(/Last synced/)).toBeVisible({ timeout: 45_000 });

  await page.getByRole('button', { name: '365 days' }).click();
  const sleep = page.locator('figure.chart', { has: page.getByText('Sleep score', { exact: true }) });
  await expect(sleep.locator('.legend')).toContainText(/\d+ of 365 days without data: .*\d+ ring not worn/);

  // On a month, each such day is marked along the axis with its reason.
  await page.getByRole('button', { name: '30 days' }).click();
  const gaps = sleep.locator('rect.gap title');
  const legend = await sleep.locator('.legend').innerText();
  const missing = Number(/(\d+) of 30 days without data/.exec(legend)?.[1]);
  expect(await gaps.count()).toBe(missing);
  for (const title of await gaps.allTextContents()) {
    expect(title).toMatch(/^\d{4}-\d{2}-\d{2}: no data \((ring not worn|not synced yet|rest mode|not in Oura yet)\)$/);
  }
});

test('tags and workouts are marked on the charts, a tag has its insight, a night shows its tags', async ({ page }) => {
  await signIn(page, 'events-e2e');
  await expect(page.getByText(/Last synced/)).toBeVisible({ timeout: 45_000 });

  const sleep = page.locator('figure.chart', { has: page.getByText('Sleep score', { exact: true }) });
  const activity = page.locator('figure.chart', { has: page.getByText('Activity score', { exact: true }) });
  await expect(activity.locator('circle.marker[data-kind="workout"]').first()).toBeVisible();
  await expect(activity.locator('circle.marker[data-kind="workout"]').first()).toHaveAttribute('aria-label', /\d{4}-\d{2}-\d{2}: .*kcal/);
  await expect(sleep.locator('circle.marker[data-kind="tag"]').first()).toHaveAttribute('aria-label', /\d{4}-\d{2}-\d{2}: \S/);
  await expect(sleep.getByText('tag', { exact: true })).toBeVisible();
  await expect(page.getByRole('article', { name: 'Nights after Alcohol' })).toContainText(
    /sleep score \d+ against \d+.*\(n = \d+ against \d+\)/,
  );

  // The night after an evening with a tag lists it.
  const today = new Date().toISOString().slice(0, 10);
  const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
  const events = await (await page.request.get(`/api/events?start=${yearAgo}&end=${today}`)).json();
  const tag = events.tags.find((t: { name: string }) => t.name === 'Alcohol');
  const morning = new Date(Date.parse(tag.day) + 86_400_000).toISOString().slice(0, 10);
  await page.goto(`/night/${morning}`);
  await expect(page.getByRole('region', { name: 'Tags' })).toContainText(`Alcohol ${tag.day} 20:30`);

  // A day with a session lists it, with what its samples say.
  const session = events.sessions[0];
  await page.goto(`/night/${session.day}`);
  await expect(page.getByRole('region', { name: 'Sessions' })).toContainText(
    /(Meditation|Breathing|Relaxation) at \d\d:\d\d, \d+ min.*heart rate \d+ bpm \(lowest \d+\), HRV \d+ ms/,
  );
});

test('without an Oura membership every card says so', async ({ page }) => {
  await signIn(page, 'no-membership-e2e');
  await expect(page.getByText(/Last synced|could not|Not synced/).first()).toBeVisible({ timeout: 45_000 });

  for (const name of ['Sleep score', 'Readiness score', 'Stress', 'VO2 max', 'Optimal bedtime']) {
    await expect(page.getByRole('article', { name })).toContainText(/only with an active Oura membership/);
  }
});

test('an Oura app too old for the newer features is asked to update', async ({ page }) => {
  await signIn(page, 'old-app-e2e');
  await expect(page.getByText(/Last synced/)).toBeVisible({ timeout: 45_000 });

  await expect(page.getByRole('article', { name: 'Sleep score' })).toContainText(/\d+/);
  for (const name of ['Resilience', 'VO2 max', 'Cardiovascular age']) {
    await expect(page.getByRole('article', { name })).toContainText(/Update the Oura app on your phone/);
  }
});

test('the profile page shows the ring worn now', async ({ page }) => {
  await signIn(page, 'ring-e2e');
  await expect(page.getByText(/Last synced/)).toBeVisible({ timeout: 45_000 });

  await page.getByRole('link', { name: 'Profile' }).click();

  const ring = page.getByRole('region', { name: 'Your ring' });
  await expect(ring).toContainText(/Gen\d \w+/);
  await expect(ring).toContainText(/US \d+/);
  await expect(ring).toContainText(/Battery\s*\d+ %/);
});

test.describe('in Tokyo', () => {
  test.use({ timezoneId: 'Asia/Tokyo' });

  test('times read in the browser\'s own time zone', async ({ page }) => {
    await signIn(page, 'tokyo-e2e');

    await expect(page.getByText(/Last synced \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC\+09:00\)/)).toBeVisible({ timeout: 45_000 });
  });
});

test('a webhook event changes an open dashboard without a reload', async ({ page }) => {
  test.setTimeout(150_000);
  const simulator = await signIn(page, 'webhook-e2e');
  await expect(page.getByText(/Last synced/)).toBeVisible({ timeout: 45_000 });
  const sleep = page.locator('figure.chart', { has: page.getByText('Sleep score', { exact: true }) });
  const label = await sleep.locator('circle.point').nth(10).getAttribute('aria-label');
  const day = label!.slice(0, 10);
  const point = sleep.locator(`circle.point[aria-label^="${day}:"]`);
  await expect(point).toHaveCount(1);
  const announce = async (event_type: string) => {
    const answer = await page.request.post(`${simulator}/sim/webhook-events`, {
      form: { user: 'webhook-e2e', data_type: 'daily_sleep', event_type, day },
    });
    expect((await answer.json()).delivered).toEqual([200]);
  };

  // Oura announces that the night's score was deleted, then that it is back: the page,
  // left open, follows within its 20 s watch.
  await announce('delete');
  await expect(point).toHaveCount(0, { timeout: 45_000 });
  await announce('create');
  await expect(point).toHaveCount(1, { timeout: 45_000 });
});
