/**
 * Renders the app's icons (public/icon-*.png, named in public/manifest.webmanifest) from
 * public/favicon.svg with Debian's Chromium: installing a web app needs PNGs of 192 and 512 px.
 * The PNGs are committed; run this again after changing the SVG:
 *   npx tsx scripts/icons.ts
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../tests/e2e/browser';

const PUBLIC = fileURLToPath(new URL('../public/', import.meta.url));
/** The favicon's own blue. */
const ICON_BLUE = '#2b5fd9';

interface Icon {
  readonly file: string;
  readonly size: number;
  /**
   * A maskable icon fills its square (a launcher may cut it to a circle or a squircle):
   * the σ stays inside the middle 80%, the safe zone, and the rest is the favicon's blue.
   */
  readonly background?: string;
}

const ICONS: readonly Icon[] = [
  { file: 'icon-192.png', size: 192 },
  { file: 'icon-512.png', size: 512 },
  { file: 'icon-maskable-512.png', size: 512, background: ICON_BLUE },
];

const svg = `data:image/svg+xml;base64,${readFileSync(`${PUBLIC}favicon.svg`).toString('base64')}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
try {
  for (const icon of ICONS) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
    await page.setContent(`<body style="margin:0;display:grid;place-items:center;height:100vh;background:${icon.background ?? 'transparent'}"><img src="${svg}" width="${icon.size}" height="${icon.size}"></body>`);
    await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    await page.screenshot({ path: `${PUBLIC}${icon.file}`, omitBackground: !icon.background });
    await page.close();
  }
} finally {
  await browser.close();
}
