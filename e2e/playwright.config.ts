import { defineConfig } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The one place that says where the app runs and how it starts.
const port = Number(process.env.E2E_PORT ?? 3199);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './tests',
  // A first sync (two years of fifteen collections) can take a while on a loaded 2-core machine.
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      // Debian's Chromium: Playwright's own browser download cannot reach the network here.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    // The real backend in demo mode (no OURA_CLIENT_ID), serving the SPA built into it (from
    // ../dist, as it was when the server was compiled: build the SPA first).
    command: 'cargo run --quiet -p backend --bin oura-dashboard',
    cwd: '..',
    url: `${baseURL}/healthz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      OURA_CLIENT_ID: '',
      BIND_ADDRESS: `127.0.0.1:${port}`,
      PUBLIC_URL: baseURL,
      DEMO_SIMULATOR_PORT: '0',
      // A fresh database for every run.
      DATABASE_URL: `sqlite://${join(tmpdir(), `oura-dashboard-e2e-${process.pid}.db`)}`,
      REDIS_URL: '',
      // Two weeks of heart rate (about 4000 readings) keeps the first sync of this debug build
      // quick; everything else syncs the default two years.
      SYNC_HEART_RATE_BACKFILL_DAYS: '14',
      RUST_LOG: 'warn',
    },
  },
});
