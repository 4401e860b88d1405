/**
 * Debian's chromium, driven by puppeteer-core (which never downloads a browser). Missing chromium skips the
 * browser tests with a message on a developer machine, and fails them in CI (CI=true), where `.ci/run`
 * installs it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

export const chromiumAvailable = () => existsSync(CHROMIUM);

export const browserSkipReason = (): string | null => {
  if (chromiumAvailable()) return null;
  if (process.env.CI === 'true') throw new Error(`chromium is missing at ${CHROMIUM}: CI must install it (apt-get install -y chromium)`);
  return `chromium not found at ${CHROMIUM}: browser tests skipped (apt-get install -y chromium to run them)`;
};

export const launchChromium = async (): Promise<Browser> => {
  mkdirSync(ARTIFACTS, { recursive: true });
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // CI runs as root; the sandbox needs user namespaces that containers often lack.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run'],
  });
};
