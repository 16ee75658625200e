import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive the browser UI against a real `visionbench serve` (see
 * tests/e2e/support/globalSetup.ts) in Debian's Chromium: Playwright's own browsers are never
 * downloaded. The build runs first (`npm run test:e2e` = `electron-vite build && playwright test`).
 */
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  globalSetup: './tests/e2e/support/globalSetup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: process.env.VISIONBENCH_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    trace: 'retain-on-failure',
  },
});
