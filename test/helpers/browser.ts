// Headless Debian Chromium for tests of what a reader sees. The background-networking flags matter: without them
// Chromium keeps trying to reach Google's hosts, which a closed network refuses (and which would count as requests).
import { type Browser, chromium } from 'playwright-core';

/** Where Debian's chromium package puts the browser (`.ci/run` installs it). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
