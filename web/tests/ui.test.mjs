// Drives the control-room UI in Debian's Chromium (headless, through playwright-core) against the real
// server on embedded defaults with the demo camera: sign in, the camera grid, the timeline's recorded spans,
// playback from a clicked instant, an incident from a range, full-text search, an export and its download.
// Screenshots at 1280x720 go to web/test-artifacts/ (linked from docs/ui.md).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { demoCameraId, startServer, waitFor } from './server.mjs';

const artifacts = join(dirname(fileURLToPath(import.meta.url)), '../test-artifacts');
const stepTimeout = 30_000;
const word = `zebra${Date.now().toString(36)}`;
let server;
let browser;
let page;
let spans = [];
const policyViolations = [];

const shot = name => page.screenshot({ path: join(artifacts, `${name}.png`) });

async function recordedSpans(minimumSeconds) {
  const now = Date.now();
  const response = await server.api(`/api/v1/playback/${demoCameraId}/segments?from=${new Date(now - 600_000).toISOString()}&to=${new Date(now + 60_000).toISOString()}`);
  if (!response.ok) return null;
  const body = await response.json();
  return body.recorded_seconds >= minimumSeconds ? body.spans : null;
}

/** The x coordinate on the timeline track of a wall-clock instant, from the view the timeline shows. */
async function xOf(instantMs) {
  const view = await page.locator('.timeline').evaluate(e => [Number(e.dataset.viewStart), Number(e.dataset.viewEnd)]);
  const box = await page.getByTestId('timeline-track').boundingBox();
  assert.ok(instantMs > view[0] && instantMs < view[1], `the instant ${new Date(instantMs).toISOString()} is outside the timeline's view`);
  return { x: box.x + ((instantMs - view[0]) / (view[1] - view[0])) * box.width, y: box.y + box.height * 0.6 };
}

async function dragOnTimeline(fromMs, toMs) {
  const a = await xOf(fromMs);
  const b = await xOf(toMs);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 8 });
  await page.mouse.up();
  await page.getByTestId('range-panel').locator('h2').waitFor({ timeout: stepTimeout });
}

async function openDemoCamera() {
  await page.goto(`${server.baseUrl}/#/camera/${demoCameraId}`);
  await page.locator('.timeline').waitFor({ timeout: stepTimeout });
  await page.getByRole('button', { name: '5 min' }).click();
  await waitFor('recorded spans on the timeline', stepTimeout, () =>
    page.locator('.timeline').evaluate(e => Number(e.dataset.spans ?? 0) > 0 && e.querySelectorAll('.tl-span').length > 0));
}

describe('control-room UI', { timeout: 300_000 }, () => {
  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await startServer();
    spans = await waitFor('the demo camera to record 12 s of footage', 90_000, () => recordedSpans(12), 500);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
      timeout: stepTimeout,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
    context.setDefaultTimeout(stepTimeout);
    page = await context.newPage();
    // the server's Content-Security-Policy: Chromium reports what it blocks on the console
    page.on('console', message => { if (/Content Security Policy/i.test(message.text())) policyViolations.push(message.text()); });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    assert.deepEqual(policyViolations, [], 'the UI broke a rule of the content security policy');
  });

  it('signs in with the API key and shows the camera grid with the demo camera recording', async () => {
    await page.goto(server.baseUrl);
    await shot('sign-in');
    await page.getByTestId('api-key').fill(server.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const card = page.locator(`[data-camera-id="${demoCameraId}"]`);
    await card.waitFor();
    await waitFor('the demo camera to show as recording', stepTimeout, async () => (await card.getByTestId('camera-state').textContent()) === 'Recording');
    await waitFor('the latest still on the demo camera card', stepTimeout, () => card.locator('img').count());
    await shot('cameras');
  });

  it('plays from a clicked instant: the video advances and its clock matches the instant', async () => {
    await openDemoCamera();
    const span = spans.find(s => Date.parse(s.end_time) - Date.parse(s.start_time) >= 8000) ?? spans[0];
    const target = Date.parse(span.start_time) + 3000;
    const video = page.getByTestId('video');
    await video.evaluate(v => { window.firstPlaying = null; v.addEventListener('playing', () => { window.firstPlaying ??= v.currentTime; }); });
    const point = await xOf(target);
    const clicked = await page.locator('.timeline').evaluate((e, x) => {
      const box = e.querySelector('.tl-track').getBoundingClientRect();
      return Number(e.dataset.viewStart) + ((x - box.left) / box.width) * (Number(e.dataset.viewEnd) - Number(e.dataset.viewStart));
    }, point.x);
    await page.mouse.click(point.x, point.y);
    await waitFor('the video to start playing', stepTimeout, () => page.evaluate(() => window.firstPlaying !== null));
    const played = await waitFor('the video to advance by a second', stepTimeout, async () => {
      const state = await video.evaluate(v => ({ time: v.currentTime, first: window.firstPlaying, clock: Number(document.querySelector('[data-testid=clock]').dataset.ms) }));
      return state.time - state.first >= 1 && Number.isFinite(state.clock) ? state : null;
    });
    const expected = clicked + (played.time - played.first) * 1000;
    assert.ok(Math.abs(played.clock - expected) < 1000,
      `the clock shows ${new Date(played.clock).toISOString()} but the clicked instant plus what was played is ${new Date(expected).toISOString()}`);
    const spread = await video.evaluate(v => {
      const canvas = document.createElement('canvas');
      canvas.width = 160; canvas.height = 90;
      const context = canvas.getContext('2d');
      context.drawImage(v, 0, 0, 160, 90);
      const pixels = context.getImageData(0, 0, 160, 90).data;
      let min = 255, max = 0;
      for (let i = 0; i < pixels.length; i += 4) { const l = (pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3; min = Math.min(min, l); max = Math.max(max, l); }
      return max - min;
    });
    assert.ok(spread > 40, `the video frame is blank (brightness spread ${spread})`);
    await shot('camera-playing');
  });

  it('creates an incident from a range selected on the timeline and verifies its custody chain', async () => {
    const start = Date.parse(spans[0].start_time) + 1000;
    await dragOnTimeline(start, start + 6000);
    await page.getByTestId('incident-title').fill(`Forklift ${word} at the north gate`);
    await page.locator('textarea[name=description]').fill('A forklift reverses into the barrier.');
    await shot('camera-range');
    await page.getByTestId('create-incident').click();
    await page.getByRole('heading', { name: `Forklift ${word} at the north gate` }).waitFor();
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await waitFor('the custody verdict', stepTimeout, async () => /intact/.test(await page.getByTestId('custody-verdict').textContent()));
    await shot('incident');
  });

  it('finds the incident by full-text search and opens its footage', async () => {
    await page.goto(`${server.baseUrl}/#/search`);
    await page.getByTestId('search-text').fill(word);
    await page.getByRole('button', { name: 'Search' }).click();
    const result = page.getByTestId('search-results').locator('.result');
    await result.first().waitFor();
    assert.equal(await result.count(), 1, 'the search finds exactly the one incident');
    assert.match(await result.first().innerHTML(), new RegExp(`<mark>${word}</mark>`, 'i'));
    await shot('search');
    await result.first().getByTestId('open-footage').click();
    await waitFor('the camera page opened from the result', stepTimeout, () => page.url().includes(`/camera/${demoCameraId}/at/`));
  });

  it('requests an export of a range, follows it to completion and downloads the MP4', async () => {
    await openDemoCamera();
    const start = Date.parse(spans[0].start_time) + 1000;
    await dragOnTimeline(start, start + 5000);
    await page.getByTestId('export-reason').fill(`UI test ${word}`);
    await page.getByTestId('request-export').click();
    const row = page.locator('[data-export-id]').first();
    await row.waitFor();
    await waitFor('the export to complete', 90_000, async () => {
      const status = await row.getAttribute('data-status');
      assert.notEqual(status, 'FAILED', `the export failed: ${await row.textContent()}`);
      return status === 'COMPLETED';
    }, 500);
    await shot('exports');
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('download').click()]);
    const file = join(artifacts, 'export.mp4');
    await download.saveAs(file);
    assert.ok(statSync(file).size > 10_000, 'the downloaded export is too small to hold footage');
    assert.equal(readFileSync(file).subarray(4, 8).toString('latin1'), 'ftyp', 'the download is an MP4');
  });
});
