// One headless Chromium per test file: Debian's chromium through playwright-core. Without it the
// end-to-end tests are skipped with a plain message, unless VESTNIK_REQUIRE_BROWSER=1 (CI).
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

export const chromiumPath = process.env.VESTNIK_CHROMIUM ?? '/usr/bin/chromium';

export const browserArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether the e2e tests can run here; throws when they must (CI) but cannot. */
export function browserAvailable(): boolean {
  if (existsSync(chromiumPath)) return true;
  const missing = `Chromium not found at ${chromiumPath} (apt-get install chromium, or set VESTNIK_CHROMIUM).`;
  if (process.env.VESTNIK_REQUIRE_BROWSER === '1') {
    throw new Error(
      `${missing} The web client's end-to-end tests are required here (VESTNIK_REQUIRE_BROWSER=1).`,
    );
  }
  console.warn(`${missing} The web client's end-to-end tests are skipped.`);
  return false;
}

/** Launches Chromium with a fresh temporary profile (playwright makes one per launch). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: browserArgs, headless: true });
}
