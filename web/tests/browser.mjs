// The headless Chromium every browser test drives (CHROMIUM_PATH, else the OS's), with autoplay allowed so that players
// start without a click.
import { chromium } from 'playwright-core';

export function launchChromium(timeout = 30_000) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    timeout,
  });
}
