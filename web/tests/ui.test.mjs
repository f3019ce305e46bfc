// Drives the control-room UI in Debian's Chromium (headless, through playwright-core) against the real
// server on embedded defaults with the demo camera: sign-in with a key and with a bearer token, the camera
// grid and its operator-only buttons, the timeline (spans, stills on hover, zoom from 7 days to seconds),
// playback from a clicked instant, keyboard shortcuts, notes, incidents (create, edit, custody), search with
// its filters, exports, incident clips (kept, verified, deleted with a reason), who watched what, cameras side by side,
// the live picture on opening a camera (a minute across file rotations), a copied link played by ffmpeg and GStreamer,
// a 4K wall, and errors as sentences.
// Screenshots at 1280x720 (and one at 3840x2160) go to web/test-artifacts/ (linked from docs/ui.md).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './browser.mjs';
import { demoCameraId, mintToken, segmentSeconds, startServer, waitFor } from './server.mjs';
import { apiKey, json, mirrorCamera, recordedSpans, storedSegments } from './footage.mjs';
import { newestHlsJs, pinnedHlsJsVersion } from './newest-hls.mjs';

const artifacts = join(dirname(fileURLToPath(import.meta.url)), '../test-artifacts');
const stepTimeout = 30_000;
const word = `zebra${Date.now().toString(36)}`;
let server;
let browser;
let page;
let spans = [];
const policyViolations = [];
let mirror;
let incidentId;

/** Saves a screenshot of the page, after checking that nothing on it is wider than the window. */
async function shot(name, target = page) {
  const { scrollWidth, innerWidth, wide } = await target.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .map(e => `${e.tagName.toLowerCase()}.${e.className}: ${Math.round(e.getBoundingClientRect().right)} px`).slice(0, 5),
  }));
  assert.ok(scrollWidth <= innerWidth, `the ${name} page is ${scrollWidth} px wide in a ${innerWidth} px window: ${wide.join('; ')}`);
  await target.screenshot({ path: join(artifacts, `${name}.png`) });
}

async function newPage(viewport = { width: 1280, height: 720 }) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  context.setDefaultTimeout(stepTimeout);
  const opened = await context.newPage();
  // the server's Content-Security-Policy: Chromium reports what it blocks on the console
  opened.on('console', message => { if (/Content Security Policy/i.test(message.text())) policyViolations.push(message.text()); });
  return opened;
}

async function signIn(target, secret, kind = 'key') {
  await target.goto(server.baseUrl);
  await target.locator('select[name=kind]').selectOption(kind);
  await target.getByTestId('api-key').fill(secret);
  await target.getByRole('button', { name: 'Sign in' }).click();
}

/** The x coordinate on the timeline track of a wall-clock instant, from the view the timeline shows. */
async function xOf(instantMs, target = page) {
  const view = await target.locator('.timeline').evaluate(e => [Number(e.dataset.viewStart), Number(e.dataset.viewEnd)]);
  const box = await target.getByTestId('timeline-track').boundingBox();
  assert.ok(instantMs > view[0] && instantMs < view[1], `the instant ${new Date(instantMs).toISOString()} is outside the timeline's view`);
  return { x: box.x + ((instantMs - view[0]) / (view[1] - view[0])) * box.width, y: box.y + box.height * 0.6 };
}

/** The instant the timeline maps an x coordinate to (what a click there asks for). */
const instantAtX = (x, target = page) => target.locator('.timeline').evaluate((e, px) => {
  const box = e.querySelector('.tl-track').getBoundingClientRect();
  return Number(e.dataset.viewStart) + ((px - box.left) / box.width) * (Number(e.dataset.viewEnd) - Number(e.dataset.viewStart));
}, x);

async function dragOnTimeline(fromMs, toMs) {
  const a = await xOf(fromMs);
  const b = await xOf(toMs);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 8 });
  await page.mouse.up();
  await page.getByTestId('range-panel').locator('h2').waitFor({ timeout: stepTimeout });
}

async function openDemoCamera(target = page) {
  await target.goto(`${server.baseUrl}/#/camera/${demoCameraId}`);
  await target.locator('.timeline').waitFor({ timeout: stepTimeout });
  await target.getByRole('button', { name: '5 min' }).click();
  await waitFor('recorded spans on the timeline', stepTimeout, () =>
    target.locator('.timeline').evaluate(e => Number(e.dataset.spans ?? 0) > 0 && e.querySelectorAll('.tl-span').length > 0));
}

/** Clicks an instant on the timeline and waits until the video has played a second from there. */
async function playFrom(instantMs) {
  const video = page.getByTestId('video');
  const point = await xOf(instantMs);
  const clicked = await instantAtX(point.x);
  await page.mouse.click(point.x, point.y);
  // the camera opened on its live picture: wait for the footage of the clicked instant, not for what played before
  const first = await waitFor('the video to start playing near the clicked instant', stepTimeout, () => video.evaluate((v, at) => {
    const shown = Number(document.querySelector('[data-testid=clock]').dataset.ms);
    return !v.paused && v.readyState >= 3 && v.currentTime > 0 && shown >= at - 2000 && shown <= at + 5000 ? [v.currentTime] : null;
  }, clicked));
  const played = await waitFor('the video to advance by a second', stepTimeout, async () => {
    const state = await video.evaluate(v => ({ time: v.currentTime, clock: Number(document.querySelector('[data-testid=clock]').dataset.ms) }));
    return state.time - first[0] >= 1 && Number.isFinite(state.clock) ? state : null;
  });
  return { clicked, first: first[0], ...played };
}

/** The player's video and clock; while the page is still being built, a state that satisfies no wait. */
const playerState = (target = page) => target.evaluate(() => {
  const video = document.querySelector('[data-testid=video]');
  if (!video) return { time: NaN, paused: true, rate: NaN, clock: NaN, speed: '' };
  return {
    time: video.currentTime, paused: video.paused, rate: video.playbackRate,
    clock: Number(document.querySelector('[data-testid=clock]').dataset.ms),
    speed: document.querySelector('.speed').textContent,
  };
});

const frameSpread = video => video.evaluate(v => {
  const canvas = document.createElement('canvas');
  canvas.width = 160; canvas.height = 90;
  const context = canvas.getContext('2d');
  context.drawImage(v, 0, 0, 160, 90);
  const pixels = context.getImageData(0, 0, 160, 90).data;
  let min = 255, max = 0;
  for (let i = 0; i < pixels.length; i += 4) { const l = (pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3; min = Math.min(min, l); max = Math.max(max, l); }
  return max - min;
});

const viewSpan = () => page.locator('.timeline').evaluate(e => Number(e.dataset.viewEnd) - Number(e.dataset.viewStart));

async function searchIds(fields) {
  await page.goto(`${server.baseUrl}/#/incidents`);
  await page.goto(`${server.baseUrl}/#/search`);
  await page.getByTestId('search-text').fill(word);
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'camera') await page.getByTestId('camera-filter').getByLabel(value).check();
    else if (name === 'severity' || name === 'status') await page.locator(`select[name=${name}]`).selectOption(value);
    else await page.locator(`input[name=${name}]`).fill(value);
  }
  await page.getByRole('button', { name: 'Search' }).click();
  const results = page.getByTestId('search-results');
  await waitFor('the search results', stepTimeout, async () => !/Searching/.test(await results.textContent()) && (await results.textContent()).length > 0);
  return (await results.locator('[data-incident-id]').evaluateAll(rows => rows.map(r => r.dataset.incidentId))).sort();
}

describe('control-room UI', { timeout: 540_000 }, () => {
  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await startServer();
    spans = await waitFor('the demo camera to store 12 s of footage', 90_000, () => recordedSpans(server, 12), 500);
    mirror = await mirrorCamera(server);
    browser = await launchChromium(stepTimeout);
    page = await newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    assert.deepEqual(policyViolations, [], 'the UI broke a rule of the content security policy');
  });

  it('signs in with the API key and shows the camera grid with the demo camera recording', async () => {
    const milestone = await json(await server.api('/api/v1/cameras', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Lobby (Milestone)', source: 'milestone', storage_mode: 'MILESTONE', enabled: true }),
    }));
    await page.goto(server.baseUrl);
    await shot('sign-in');
    await signIn(page, server.adminKey);
    const card = page.locator(`[data-camera-id="${demoCameraId}"]`);
    await card.waitFor();
    await waitFor('the demo camera to show as recording', stepTimeout, async () => (await card.getByTestId('camera-state').textContent()) === 'Recording');
    await waitFor('the latest still on the demo camera card', stepTimeout, () => card.locator('img').count());
    assert.equal(await card.getByTestId('stop-recording').count(), 1, 'an administrator sees Stop recording');
    // the recorder holding the camera, as the fleet's status says (any recorder answers alike)
    const fleet = await (await server.api('/api/v1/recording/status')).json();
    const demoStatus = fleet.cameras.find(c => c.camera_id === demoCameraId);
    assert.ok(demoStatus.recorder_id, 'the status names the recorder holding the demo camera');
    assert.equal(await card.getByTestId('camera-recorder').textContent(), `On recorder ${demoStatus.recorder_id}`);
    const mirrorCard = page.locator(`[data-camera-id="${mirror.id}"]`);
    await waitFor('the mirror camera\'s last segment, from the catalog', stepTimeout, async () =>
      /^Last segment .* ago/.test(await mirrorCard.getByTestId('last-segment').textContent()));
    assert.equal(await mirrorCard.getByTestId('camera-state').textContent(), 'Stopped');
    assert.equal(await mirrorCard.getByTestId('camera-recorder').count(), 0, 'a stopped camera is held by no recorder');
    const milestoneCard = page.locator(`[data-camera-id="${milestone.id}"]`);
    await waitFor('the Milestone camera to show who records it', stepTimeout, async () =>
      (await milestoneCard.getByTestId('camera-state').textContent()) === 'Recorded by Milestone');
    assert.equal(await milestoneCard.getByTestId('start-recording').count(), 0, 'Milestone records the camera: nothing to start');
    await shot('cameras');
  });

  it('plays from a clicked instant: the video advances and its clock matches the instant', async () => {
    await openDemoCamera();
    const track = await page.getByTestId('timeline-track').boundingBox();
    assert.ok(track.y + track.height <= 720, `at 1280x720 the timeline ends at ${track.y + track.height} px, below the window`);
    const span = spans.find(s => Date.parse(s.end_time) - Date.parse(s.start_time) >= 8000) ?? spans[0];
    const played = await playFrom(Date.parse(span.start_time) + 2000);
    const expected = played.clicked + (played.time - played.first) * 1000;
    assert.ok(Math.abs(played.clock - expected) < 1000,
      `the clock shows ${new Date(played.clock).toISOString()} but the clicked instant plus what was played is ${new Date(expected).toISOString()}`);
    const spread = await frameSpread(page.getByTestId('video'));
    assert.ok(spread > 40, `the video frame is blank (brightness spread ${spread})`);
    assert.ok(await page.getByTestId('live-badge').isHidden(), 'recorded footage is not marked Live');
    await shot('camera-playing');
  });

  it('shows the still nearest the pointer on hover and adds a note at the playing instant as a marker', async () => {
    const timeline = await json(await server.api(`/api/v1/playback/${demoCameraId}/segments?from=${spans[0].start_time}&to=${new Date().toISOString()}`));
    assert.ok(timeline.thumbnails.length > 0, 'the demo camera has stills');
    const still = Date.parse(timeline.thumbnails[0].captured_at);
    const point = await xOf(still + 1500);
    await page.mouse.move(point.x, point.y);
    const image = page.locator('.tl-hover img');
    await image.waitFor();
    await waitFor('the still to load', stepTimeout, () => image.evaluate(i => i.complete && i.naturalWidth > 0));
    assert.match(await page.locator('.tl-hover').textContent(), /\d\d:\d\d:\d\d/);
    await shot('timeline-hover');
    await page.mouse.move(point.x, point.y - 300);

    await page.getByTestId('note-text').fill(`Gate opens ${word}`);
    await page.getByTestId('add-note').click();
    await waitFor('the note as a marker on the timeline', stepTimeout, () => page.locator('.tl-annotation').count());
    assert.match(await page.locator('.tl-annotation').first().getAttribute('title'), new RegExp(`Gate opens ${word}`));
  });

  it('steps frames, jumps 10 s and changes speed from 0.5x to 16x with the keyboard', async () => {
    await page.getByTestId('timeline-track').focus();
    await page.keyboard.press('.');
    await waitFor('the video to pause', stepTimeout, async () => (await playerState()).paused);
    await new Promise(ok => setTimeout(ok, 400));
    const before = await playerState();
    await page.keyboard.press('.');
    const stepped = await waitFor('one frame forward', stepTimeout, async () => { const s = await playerState(); return s.time > before.time && s.clock !== before.clock ? s : null; });
    assert.ok(Math.abs(stepped.time - before.time - 0.04) < 0.005, `one frame is 40 ms, the video moved ${stepped.time - before.time} s`);
    assert.ok(Math.abs(stepped.clock - before.clock - 40) < 20, `the clock moved ${stepped.clock - before.clock} ms for one frame`);
    await page.keyboard.press(',');
    await waitFor('one frame back', stepTimeout, async () => Math.abs((await playerState()).time - before.time) < 0.005);

    const base = await playerState();
    await page.keyboard.press('ArrowRight');
    const ahead = await waitFor('the clock 10 s later', stepTimeout, async () => { const s = await playerState(); return Math.abs(s.clock - base.clock - 10_000) < 1000 ? s : null; });
    await page.keyboard.press('ArrowLeft');
    await waitFor('the clock 10 s earlier again', stepTimeout, async () => Math.abs((await playerState()).clock - ahead.clock + 10_000) < 1000);

    const speeds = [];
    for (let i = 0; i < 6; i++) { await page.keyboard.press(']'); speeds.push((await playerState()).speed); }
    assert.deepEqual(speeds, ['2x', '4x', '8x', '16x', '16x', '16x']);
    assert.equal((await playerState()).rate, 16);
    for (let i = 0; i < 6; i++) await page.keyboard.press('[');
    const slowest = await playerState();
    assert.equal(slowest.speed, '0.5x');
    assert.equal(slowest.rate, 0.5);
    await page.keyboard.press(']');
    await page.keyboard.press(' ');
    await waitFor('play to resume at 1x', stepTimeout, async () => { const s = await playerState(); return !s.paused && s.rate === 1; });
  });

  it('zooms the timeline from 7 days down to 10 seconds and says so when nothing is recorded at a clicked instant', async () => {
    await page.getByRole('button', { name: '7 d' }).click();
    assert.equal(await viewSpan(), 7 * 86_400_000);
    await page.getByTitle('Zoom out').click();
    assert.equal(await viewSpan(), 7 * 86_400_000, 'the view never exceeds 7 days');
    for (let i = 0; i < 18; i++) await page.getByTitle('Zoom in').click();
    assert.equal(await viewSpan(), 10_000, 'the view zooms down to 10 seconds');
    const ticks = await page.locator('.tl-tick').allTextContents();
    assert.ok(ticks.length >= 3 && ticks.every(t => /^\d\d:\d\d:\d\d$/.test(t)), `the axis is labelled in seconds: ${ticks}`);
    await waitFor('the 10 s view to hold the playing instant', stepTimeout, async () => {
      const [start, end] = await page.locator('.timeline').evaluate(e => [Number(e.dataset.viewStart), Number(e.dataset.viewEnd)]);
      const clock = (await playerState()).clock;
      return clock >= start && clock <= end;
    });
    const box = await page.getByTestId('timeline-track').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 400);
    await waitFor('the wheel to zoom out', 5000, async () => (await viewSpan()) > 10_000);
    await page.getByRole('button', { name: '1 h' }).click();
    await waitFor('spans in the hour view', stepTimeout, () => page.locator('.tl-span').count());
    await shot('timeline-zoom');

    await page.getByRole('button', { name: '1 d' }).click();
    const early = await page.locator('.timeline').evaluate(e => Number(e.dataset.viewStart) + 3_600_000);
    const point = await xOf(early);
    await page.mouse.click(point.x, point.y);
    await waitFor('a sentence saying nothing is recorded there', stepTimeout, async () =>
      /Nothing is recorded at this instant/.test(await page.getByTestId('player-state').textContent()));
  });

  it('creates an incident from a range, edits it, adds a note and shows its verified chain of custody', async () => {
    await openDemoCamera();
    const start = Date.parse(spans[0].start_time) + 1000;
    await dragOnTimeline(start, start + 6000);
    await page.getByTestId('incident-title').fill(`Forklift ${word} at the north gate`);
    await page.locator('textarea[name=description]').fill('A forklift reverses into the barrier.');
    await shot('camera-range');
    await page.getByTestId('create-incident').click();
    await page.getByRole('heading', { name: `Forklift ${word} at the north gate` }).waitFor();
    incidentId = page.url().split('/').at(-1);

    await page.locator('select[name=status]').selectOption('INVESTIGATING');
    await page.locator('input[name=tags]').fill('forklift, north-gate');
    await page.locator('input[name=assigned_to]').fill('night.shift');
    await page.locator('textarea[name=description]').fill('A forklift reverses into the barrier and drives off.');
    await page.getByTestId('save-incident').click();
    const custody = page.locator('.custody tbody');
    await waitFor('the edits in the chain of custody', stepTimeout, async () => {
      const text = await custody.textContent();
      return ['CREATED', 'STATUS_CHANGED', 'TAGGED', 'UPDATED', 'OPEN → INVESTIGATING', 'forklift, north-gate'].every(part => text.includes(part));
    });

    await page.getByTestId('incident-note').fill(`Driver ${word} leaves the cab`);
    await page.getByTestId('add-incident-note').click();
    await waitFor('the note in the incident', stepTimeout, async () => (await page.getByTestId('annotations').textContent()).includes(`Driver ${word} leaves the cab`));
    await waitFor('the note in the chain of custody', stepTimeout, async () => (await custody.textContent()).includes('ANNOTATED'));

    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await waitFor('the custody verdict', stepTimeout, async () => /The chain of \d+ entries is intact/.test(await page.getByTestId('custody-verdict').textContent()));
    await shot('incident');
    const stored = await json(await server.api(`/api/v1/metadata/incidents/${incidentId}`));
    assert.equal(stored.status, 'INVESTIGATING');
    assert.deepEqual(stored.tags, ['forklift', 'north-gate']);
    assert.equal(stored.assigned_to, 'night.shift');

    await page.goto(`${server.baseUrl}/#/incidents`);
    await page.locator(`[data-incident-id="${incidentId}"]`).waitFor();
    await shot('incidents');
  });

  it('finds incidents by full text and each filter, and opens the footage at the incident\'s start', async () => {
    const start = Date.parse(spans[0].start_time) + 2000;
    const other = await json(await fetch(`${server.baseUrl}/api/v1/metadata/incidents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${mintToken('inspector.lee', 'operator')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        title: `Van ${word} parked in the fire lane`, severity: 'HIGH', camera_ids: [mirror.id], tags: ['vehicle'],
        start_time: new Date(start).toISOString(), end_time: new Date(start + 4000).toISOString(), assigned_to: 'inspector.lee',
      }),
    }));
    const both = [incidentId, other.id].sort();
    assert.deepEqual(await searchIds({}), both, 'full text finds both incidents');
    assert.match(await page.getByTestId('search-results').innerHTML(), new RegExp(`<mark>${word}</mark>`, 'i'));
    await shot('search');
    assert.deepEqual(await searchIds({ severity: 'HIGH' }), [other.id], 'severity');
    assert.deepEqual(await searchIds({ status: 'INVESTIGATING' }), [incidentId], 'status');
    assert.deepEqual(await searchIds({ tags: 'forklift' }), [incidentId], 'tags');
    assert.deepEqual(await searchIds({ camera: 'Gate mirror' }), [other.id], 'cameras');
    assert.deepEqual(await searchIds({ source: 'demo' }), [incidentId], 'source');
    assert.deepEqual(await searchIds({ created_by: 'inspector.lee' }), [other.id], 'created by');
    assert.deepEqual(await searchIds({ assigned_to: 'night.shift' }), [incidentId], 'assigned to');
    assert.deepEqual(await searchIds({ from: toLocalInput(start + 60_000), to: toLocalInput(start + 120_000) }), [], 'time, after both');
    assert.deepEqual(await searchIds({ from: toLocalInput(start - 1000), to: toLocalInput(start + 1000) }), both, 'time, across both');
    await shot('search-filters');

    await searchIds({ status: 'INVESTIGATING' });
    const incident = await json(await server.api(`/api/v1/metadata/incidents/${incidentId}`));
    const clickedAt = Date.now();
    await page.getByTestId('search-results').getByTestId('open-footage').click();
    await waitFor('the camera page opened from the result', stepTimeout, () => page.url().includes(`/camera/${demoCameraId}/at/`));
    const state = await waitFor('the footage to play', stepTimeout, async () => { const s = await playerState(); return !s.paused && s.time > 0 && Number.isFinite(s.clock) ? s : null; });
    const wanted = Date.parse(incident.start_time);
    assert.ok(state.clock >= wanted - 1000 && state.clock <= wanted + (Date.now() - clickedAt) + 1000,
      `the footage opened at ${new Date(state.clock).toISOString()}, the incident starts at ${incident.start_time}`);

    // The incident is a marker on the timeline; clicking it opens the incident.
    const marker = page.locator(`.tl-incident[data-marker-id="${incidentId}"]`);
    await marker.waitFor();
    await marker.click({ position: { x: 1, y: 2 } });
    await waitFor('the incident opened from its marker', stepTimeout, () => page.url().endsWith(`#/incident/${incidentId}`));
  });

  it('finds notes and footage by their words too, filters by kind, and opens a note at its instant on the timeline', async () => {
    const timeline = await json(await server.api(`/api/v1/playback/${demoCameraId}/segments?from=${spans[0].start_time}&to=${new Date().toISOString()}`));
    const written = await json(await server.api('/api/v1/metadata/annotations', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ segment_id: timeline.segments[0].id, timestamp_offset: 1500, type: 'note', content: `White van, partial plate K-71, ${word}` }),
    }));
    const found = await json(await server.api(`/api/v1/metadata/search?kind=annotation&q=${encodeURIComponent(`"white van" K-71 ${word}`)}`));
    assert.deepEqual(found.items.map(i => i.id), [written.id], 'the note is found by its words, the plate as typed');
    const note = found.items[0];
    await page.goto(`${server.baseUrl}/#/incidents`);
    await page.goto(`${server.baseUrl}/#/search`);
    await page.getByTestId('search-text').fill(word);
    await page.getByRole('button', { name: 'Search' }).click();
    const results = page.getByTestId('search-results');
    const kindsShown = async () => (await results.locator('[data-kind]').evaluateAll(rows => [...new Set(rows.map(r => r.dataset.kind))])).sort();
    await waitFor('hits of every kind', stepTimeout, async () => (await kindsShown()).length >= 3);
    assert.deepEqual(await kindsShown(), ['annotation', 'incident', 'segment'], 'incidents, the notes and the footage they are on');
    await page.getByTestId('kind-filter').getByLabel('Notes', { exact: true }).check();
    await page.getByRole('button', { name: 'Search' }).click();
    await waitFor('notes only', stepTimeout, async () => JSON.stringify(await kindsShown()) === '["annotation"]');
    const row = results.locator(`[data-hit-id="${note.id}"]`);
    assert.match(await row.innerHTML(), new RegExp(`White van, partial plate K-71, <mark>${word}</mark>`, 'i'));
    await shot('search-notes');
    await row.getByTestId('open-footage').click();
    await waitFor('the camera page opened at the note', stepTimeout, () => decodeURIComponent(page.url()).includes(`/camera/${note.camera_id}/at/${note.open_at}`));
    await waitFor('the footage to play', stepTimeout, async () => { const s = await playerState(); return !s.paused && s.time > 0 && Number.isFinite(s.clock) ? s : null; });
  });

  it('requests an export of a range, follows it to completion and downloads the signed zip with the MP4', async () => {
    await openDemoCamera();
    // after the incident made from 1 s to 7 s (a press on its bar opens it instead of starting a range): from 9 s to 14 s
    const start = Date.parse(spans[0].start_time) + 9000;
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
    const file = join(artifacts, 'export.zip');
    await download.saveAs(file);
    assert.ok(statSync(file).size > 10_000, 'the downloaded export is too small to hold footage');
    const zip = readFileSync(file);
    assert.equal(zip.subarray(0, 4).toString('latin1'), 'PK\x03\x04', 'the download is a zip');
    const mp4 = zip.indexOf(Buffer.from('ftyp'));
    assert.ok(mp4 > 0, 'the zip holds an MP4 (stored, not deflated)');
    const verdict = await json(await server.api('/api/v1/storage/evidence/verify', { method: 'POST', headers: { 'Content-Type': 'application/zip' }, body: zip }));
    assert.equal(verdict.valid, true, `the downloaded export does not verify: ${JSON.stringify(verdict.problems)}`);
    assert.equal(verdict.kind, 'export');
  });

  it('keeps the incident as a clip, downloads the signed zip that verifies, deletes it with a reason, and shows who watched what', async () => {
    await page.goto(`${server.baseUrl}/#/incident/${incidentId}`);
    await page.getByTestId('clip-margin').fill('2');
    await page.getByTestId('clip-reason').fill(`Police request ${word}`);
    await page.getByTestId('save-clip').click();
    const row = page.locator('[data-clip-id]').first();
    await row.waitFor();
    await waitFor('the clip to be kept', 90_000, async () => {
      const status = await row.getAttribute('data-status');
      assert.notEqual(status, 'FAILED', `the clip failed: ${await row.textContent()}`);
      return status === 'COMPLETED';
    }, 500);
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('download-clip').click()]);
    const file = join(artifacts, 'incident-clip.zip');
    await download.saveAs(file);
    const zip = readFileSync(file);
    assert.equal(zip.subarray(0, 4).toString('latin1'), 'PK\x03\x04', 'the clip downloads as a zip');
    const verdict = await json(await server.api('/api/v1/storage/evidence/verify', { method: 'POST', headers: { 'Content-Type': 'application/zip' }, body: zip }));
    assert.equal(verdict.valid, true, `the downloaded clip does not verify: ${JSON.stringify(verdict.problems)}`);
    assert.equal(verdict.signed_by_this_system, true);
    assert.deepEqual(verdict.files.map(f => f.file).sort(), [`${demoCameraId}.mp4`, 'manifest.json']);
    await page.reload(); // the download happened after the page read the chain of custody
    const custody = page.locator('.custody tbody');
    await waitFor('the clip in the chain of custody', stepTimeout, async () => {
      const text = await custody.textContent();
      return ['CLIP_CREATED', 'CLIP_COMPLETED', 'CLIP_DOWNLOADED', `Police request ${word}`].every(part => text.includes(part));
    });
    await page.getByTestId('clips').scrollIntoViewIfNeeded();
    await shot('incident-clips');

    await row.getByTestId('delete-reason').fill(`Released by the court ${word}`);
    await row.getByTestId('delete-clip').click();
    await waitFor('the clip shown as deleted', stepTimeout, async () => (await page.locator('[data-clip-id]').first().getAttribute('data-status')) === 'DELETED');
    assert.match(await page.getByTestId('clip-deleted').textContent(), new RegExp(`Deleted by admin .*Released by the court ${word}`));
    await waitFor('the deletion in the chain of custody', stepTimeout, async () => (await custody.textContent()).includes('CLIP_DELETED'));
    assert.equal((await server.api(`/api/v1/storage/clips/${verdict.id}/download`)).status, 410, 'a deleted clip is gone');

    await page.getByRole('link', { name: 'Who watched' }).click();
    await page.getByTestId('access-camera').selectOption(demoCameraId);
    await page.getByTestId('show-access').click();
    const entries = page.getByTestId('access-entries');
    await waitFor('the accesses of the demo camera', stepTimeout, async () => {
      const kinds = await entries.locator('tr[data-access]').evaluateAll(rows => rows.map(r => r.dataset.access));
      return ['playback', 'export', 'export_download', 'clip', 'clip_download'].every(kind => kinds.includes(kind));
    });
    assert.match(await entries.textContent(), /admin \(admin\)/);
    await shot('access');
  });

  it('plays two cameras side by side on the same instant and exports a range of both', async () => {
    await page.goto(`${server.baseUrl}/#/wall/${demoCameraId},${mirror.id}`);
    await page.locator('.timeline').waitFor();
    await page.getByRole('button', { name: '5 min' }).click();
    await waitFor('recorded spans on the timeline', stepTimeout, () => page.locator('.tl-span').count());
    const videos = page.getByTestId('video');
    assert.equal(await videos.count(), 2);
    const target = Date.parse(spans[0].start_time) + 3000;
    const point = await xOf(target);
    const clicked = await instantAtX(point.x);
    await page.mouse.click(point.x, point.y);
    const states = () => page.evaluate(() => [...document.querySelectorAll('.player')].map(p => ({
      time: p.querySelector('video').currentTime, paused: p.querySelector('video').paused, ready: p.querySelector('video').readyState,
      clock: Number(p.querySelector('[data-testid=clock]').dataset.ms),
    })));
    const first = await waitFor('both players to play', stepTimeout, async () => { const all = await states(); return all.every(s => !s.paused && s.ready >= 3 && Number.isFinite(s.clock)) ? all : null; });
    const clocks = await waitFor('both players to advance by a second', stepTimeout, async () => {
      const all = await states();
      return all.every((s, i) => s.time - first[i].time >= 1) ? all.map(s => s.clock) : null;
    });
    assert.ok(Math.abs(clocks[0] - clocks[1]) < 1000, `the two players are ${Math.abs(clocks[0] - clocks[1])} ms apart`);
    for (const clock of clocks) assert.ok(clock >= clicked - 1000 && clock < clicked + 15_000, `a player shows ${new Date(clock).toISOString()}, the click was at ${new Date(clicked).toISOString()}`);
    for (let i = 0; i < 2; i++) assert.ok(await frameSpread(videos.nth(i)) > 40, `player ${i + 1} shows a blank frame`);
    await shot('wall');

    const start = Date.parse(spans[0].start_time) + 1000;
    await dragOnTimeline(start, start + 4000);
    assert.equal(await page.locator('input[name=range_camera]:checked').count(), 2, 'the range applies to both cameras');
    await page.getByTestId('export-reason').fill(`Both gates ${word}`);
    await page.getByTestId('request-export').click();
    await waitFor('the exports page', stepTimeout, () => /#\/exports\/[0-9a-f-]{36}$/.test(page.url()));
    const row = page.locator(`[data-export-id="${page.url().split('/').at(-1)}"]`);
    await waitFor('the two-camera export to complete', 90_000, async () => {
      const status = await row.getAttribute('data-status');
      assert.notEqual(status, 'FAILED', `the export failed: ${await row.textContent()}`);
      return status === 'COMPLETED';
    }, 500);
    assert.match(await row.textContent(), /2 camera\(s\)/);
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('download').click()]);
    const file = join(artifacts, 'export-two-cameras.zip');
    await download.saveAs(file);
    assert.equal(readFileSync(file).subarray(0, 4).toString('latin1'), 'PK\x03\x04', 'two cameras come as a zip');
  });

  it('opens a camera on its live picture at once and keeps playing it live for a minute across file rotations', async () => {
    await page.goto(`${server.baseUrl}/#/cameras`);
    const openedAt = Date.now();
    await page.goto(`${server.baseUrl}/#/camera/${demoCameraId}`);
    // no click: the live picture plays as soon as the camera is open
    const first = await waitFor('the live picture to play on opening the camera', stepTimeout, async () => {
      const s = await playerState();
      return !s.paused && s.time > 0 && Number.isFinite(s.clock) && Date.now() - s.clock < 10_000 ? { ...s, wall: Date.now() } : null;
    });
    console.log(`live picture playing ${first.wall - openedAt} ms after opening the camera, ${first.wall - first.clock} ms behind the clock`);
    await waitFor('the Live badge', stepTimeout, () => page.getByTestId('live-badge').isVisible());

    // meanwhile the newest hls.js on npm plays a live link (no headers, low-latency mode) in a page of its own
    const newest = await newestPlayer();
    const firstNewest = await waitFor('the newest hls.js to play the live link', stepTimeout, async () => {
      const s = await newest.page.evaluate(() => window.sample());
      return !s.paused && s.time > 0 && Number.isFinite(s.clock) ? { ...s, wall: Date.now() } : null;
    });

    // a minute of live playback: the recorder closes a file every 15 s, the playlist keeps every chunk it listed
    const samples = [];
    const newestSamples = [];
    for (let i = 0; i < 12; i++) {
      await new Promise(ok => setTimeout(ok, 5000));
      const s = await playerState();
      const player = await page.locator('.player').evaluate(e => ({ errors: Number(e.dataset.fatalErrors ?? 0), last: e.dataset.lastError ?? '' }));
      samples.push({ ...s, wall: Date.now(), ...player });
      newestSamples.push({ ...await newest.page.evaluate(() => window.sample()), wall: Date.now() });
    }
    await newest.page.context().close();
    const last = samples.at(-1);
    assert.deepEqual(samples.filter(s => s.errors > 0).map(s => s.last), [], 'hls.js reported no fatal error while playing live');
    assert.ok(samples.every(s => !s.paused), 'the live picture never stopped');
    for (let i = 1; i < samples.length; i++) {
      assert.ok(samples[i].clock > samples[i - 1].clock, `the playing frame's time did not advance between ${i * 5} s and ${(i + 1) * 5} s`);
    }
    const played = last.clock - first.clock;
    const elapsed = last.wall - first.wall;
    assert.ok(Math.abs(played - elapsed) < 3000, `in ${elapsed} ms of wall clock the playhead moved ${played} ms`);
    const lags = samples.map(s => s.wall - s.clock).sort((a, b) => a - b);
    assert.ok(lags.at(-1) < 8000, `the live picture fell ${lags.at(-1)} ms behind the clock`);
    // the rotations crossed: files that ended while the picture played (once catalogued: the last may still be uploading)
    const crossed = async (from, to) => (await storedSegments(server, demoCameraId)).filter(f => Date.parse(f.end_time) > from && Date.parse(f.end_time) <= to);
    let rotations = [];
    await waitFor('the files played across to be catalogued', stepTimeout, async () => (rotations = await crossed(first.clock, last.clock)).length >= 3).catch(() => {});
    assert.ok(rotations.length >= 3, `the minute crossed ${rotations.length} file rotations, wanted at least 3`);
    console.log(`live for ${elapsed} ms across ${rotations.length} rotations: ${lags[Math.floor(lags.length / 2)]} ms behind the clock at the median (PROGRAM-DATE-TIME of the playing frame), ${lags.at(-1)} ms at most`);

    // the newest hls.js played the same minute, across the same rotations
    assert.deepEqual(newestSamples.flatMap(s => s.fatal).filter((f, i, all) => all.indexOf(f) === i), [], `hls.js ${newest.version} reported no fatal error`);
    assert.ok(newestSamples.every(s => !s.paused), `hls.js ${newest.version} never stopped`);
    for (let i = 1; i < newestSamples.length; i++) {
      assert.ok(newestSamples[i].clock > newestSamples[i - 1].clock, `hls.js ${newest.version}: the playing frame's time did not advance between ${i * 5} s and ${(i + 1) * 5} s`);
    }
    const newestPlayed = newestSamples.at(-1).clock - firstNewest.clock;
    const newestElapsed = newestSamples.at(-1).wall - firstNewest.wall;
    assert.ok(Math.abs(newestPlayed - newestElapsed) < 3000, `hls.js ${newest.version}: in ${newestElapsed} ms of wall clock the playhead moved ${newestPlayed} ms`);
    const newestRotations = await crossed(firstNewest.clock, newestSamples.at(-1).clock);
    assert.ok(newestRotations.length >= 3, `hls.js ${newest.version} crossed ${newestRotations.length} file rotations, wanted at least 3`);
    const newestLags = newestSamples.map(s => s.wall - s.clock).sort((a, b) => a - b);
    assert.ok(newestLags.at(-1) < 8000, `hls.js ${newest.version} fell ${newestLags.at(-1)} ms behind the clock`);
    console.log(`the newest hls.js on npm (${newest.version}; the UI pins ${pinnedHlsJsVersion(join(dirname(fileURLToPath(import.meta.url)), '..'))}) played a live link across ${newestRotations.length} rotations: ${newestLags[Math.floor(newestLags.length / 2)]} ms behind the clock at the median, ${newestLags.at(-1)} ms at most`);
    assert.ok(await frameSpread(page.getByTestId('video')) > 40, 'the live frame is not blank');
    await shot('camera-live');
  });

  it('copies a link of the live picture that ffmpeg and GStreamer\'s hlsdemux play without a key', async () => {
    await page.getByTestId('link-lifetime').selectOption('PT1H');
    await page.getByTestId('copy-link').click();
    const shared = page.getByTestId('shared-link');
    await waitFor('the link in its box', stepTimeout, async () => /\/index\.m3u8$/.test(await shared.inputValue()));
    const url = await shared.inputValue();
    assert.ok(!url.includes(server.adminKey), 'the link does not carry the key');
    const playlist = await (await fetch(url)).text();
    assert.match(playlist, /^#EXTM3U\n# Shared by admin /, 'the playlist opens without headers and names who shared it');
    await shot('camera-link');

    // two players at once, with nothing but the URL: ffmpeg reads 12 s of the live picture, GStreamer plays it in real time
    // for 30 s (of which at least 10 s of pictures: starting takes it a few seconds on a loaded machine)
    const [ffmpeg, gstreamer] = await Promise.all([
      run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-i', url, '-t', '12', '-f', 'framemd5', '-'], 40_000),
      run('gst-launch-1.0', ['-v', 'souphttpsrc', `location=${url}`, '!', 'hlsdemux', '!', 'tsdemux', '!', 'h264parse', '!', 'decodebin', '!',
        'fakesink', 'sync=true', 'silent=false'], 30_000),
    ]);
    const frames = ffmpeg.stdout.split('\n').filter(l => /^\d/.test(l)).length;
    assert.equal(ffmpeg.stderr.trim(), '', 'ffmpeg reports no error');
    assert.ok(frames >= 12 * 25 - 5, `ffmpeg decoded ${frames} frames of 12 s`);
    const buffers = gstreamer.stdout.split('\n').filter(l => l.includes('last-message = chain')).length;
    assert.doesNotMatch(gstreamer.stdout + gstreamer.stderr, /ERROR/, 'GStreamer reports no error');
    assert.ok(buffers >= 10 * 25, `GStreamer's hlsdemux played ${buffers} frames in 30 s`);
    console.log(`a copied live link: ffmpeg decoded ${frames} frames, GStreamer's hlsdemux played ${buffers} in real time`);

    // its use is in the audit log, under the name of who made it
    const linkId = url.split('/links/')[1].split('/')[0];
    const audit = await json(await server.api(`/api/v1/audit?actor=${encodeURIComponent(`admin (link ${linkId})`)}`));
    assert.ok(audit.length >= 1, 'the link\'s use is audited');
  });
  it('signs in with a bearer token, and says so when a token is not valid', async () => {
    const bearer = await newPage();
    try {
      await signIn(bearer, mintToken('inspector.lee', 'operator', 'a-different-signing-key-0123456789-abcdef'), 'bearer');
      await waitFor('a sentence for the refused token', stepTimeout, async () => /not signed in, or your key is no longer valid/.test(await bearer.locator('.signin .error').textContent()));
      await signIn(bearer, mintToken('inspector.lee', 'operator'), 'bearer');
      await waitFor('the signed-in name', stepTimeout, async () => (await bearer.locator('#who').textContent()) === 'inspector.lee (operator)');
      const card = bearer.locator(`[data-camera-id="${demoCameraId}"]`);
      await card.waitFor();
      assert.equal(await card.getByTestId('stop-recording').count(), 1, 'an operator sees Stop recording');
    } finally {
      await bearer.context().close();
    }
  });

  it('shows a viewer no recording buttons, and turns 403 and 400 answers into sentences', async () => {
    const viewer = await newPage();
    try {
      await signIn(viewer, await apiKey(server, 'viewer'));
      const card = viewer.locator(`[data-camera-id="${demoCameraId}"]`);
      await card.waitFor();
      assert.equal(await card.locator('button').count(), 0, 'a viewer has no Start or Stop recording');
      assert.ok(await viewer.locator('#nav-access').isHidden(), 'only administrators see who watched what');
      await shot('cameras-viewer', viewer);
      await viewer.goto(`${server.baseUrl}/#/incident/${incidentId}`);
      await viewer.locator('[data-clip-id]').first().waitFor();
      assert.equal(await viewer.getByTestId('save-clip').count(), 0, 'a viewer cannot save a clip');
      assert.equal(await viewer.getByTestId('delete-clip').count(), 0, 'a viewer cannot delete one');
      await viewer.getByTestId('save-incident').click();
      await waitFor('the 403 sentence', stepTimeout, async () =>
        (await viewer.locator('#message').textContent()) === 'Your role does not allow this. Ask an operator or an administrator.');
      await shot('error-403', viewer);
      await viewer.goto(`${server.baseUrl}/#/search`);
      await viewer.getByTestId('search-text').fill('x'.repeat(1001));
      await viewer.getByRole('button', { name: 'Search' }).click();
      await waitFor('the 400 sentence', stepTimeout, async () =>
        /^The search failed\. The request was not accepted: q .+\.$/.test(await viewer.getByTestId('search-results').textContent()));
      await shot('error-400', viewer);
    } finally {
      await viewer.context().close();
    }
  });

  it('fits a 4K control-room wall without overflowing', async () => {
    const wall = await newPage({ width: 3840, height: 2160 });
    try {
      await signIn(wall, server.adminKey);
      await wall.locator(`[data-camera-id="${demoCameraId}"]`).waitFor();
      await openDemoCamera(wall);
      const point = await xOf(Date.parse(spans[0].start_time) + 2000, wall);
      await wall.mouse.click(point.x, point.y);
      await waitFor('the video to play on the wall', stepTimeout, async () => { const s = await playerState(wall); return !s.paused && s.time > 0.5; });
      const layout = await wall.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        timelineBottom: document.querySelector('[data-testid=timeline-track]').getBoundingClientRect().bottom,
        video: document.querySelector('[data-testid=video]').getBoundingClientRect().width,
        track: document.querySelector('[data-testid=timeline-track]').getBoundingClientRect().width,
        font: parseFloat(getComputedStyle(document.documentElement).fontSize),
      }));
      assert.ok(layout.scrollWidth <= 3840, `the page is ${layout.scrollWidth} px wide on a 3840 px screen`);
      assert.ok(layout.timelineBottom <= 2160, `the timeline ends at ${layout.timelineBottom} px, below the 2160 px screen`);
      assert.ok(layout.video > 2000, `the video is only ${layout.video} px wide`);
      assert.ok(layout.track > 3000, `the timeline is only ${layout.track} px wide`);
      assert.ok(layout.font >= 24, `the type is ${layout.font} px, too small for a wall`);
      await shot('camera-4k', wall);
    } finally {
      await wall.context().close();
    }
  });

  it('stops and starts recording from the camera grid', async () => {
    await page.goto(`${server.baseUrl}/#/cameras`);
    const card = () => page.locator(`[data-camera-id="${demoCameraId}"]`);
    await card().getByTestId('stop-recording').click();
    await waitFor('the demo camera to show as stopped', stepTimeout, async () => (await card().getByTestId('camera-state').textContent()) === 'Stopped');
    await card().getByTestId('start-recording').click();
    await waitFor('the demo camera to record again', 45_000, async () => (await card().getByTestId('camera-state').textContent()) === 'Recording', 500);
  });

  it('says in a sentence that the server cannot be reached, with nothing left spinning', async () => {
    await server.stop();
    await page.getByRole('link', { name: 'Exports' }).click();
    await waitFor('the exports page to give up', stepTimeout, async () => /The exports could not be loaded\. The server cannot be reached/.test(await page.locator('main').textContent()));
    await page.getByRole('link', { name: 'Cameras' }).click();
    await waitFor('a sentence for the unreachable server', stepTimeout, async () =>
      /The cameras could not be loaded\. The server cannot be reached\. Check the network connection\./.test(await page.locator('main').textContent()));
    assert.doesNotMatch(await page.locator('main').textContent(), /Loading/);
    await shot('server-down');
  });
});

/** Runs a program to its end, or stops it (SIGINT, then SIGKILL) after timeoutMs; its output and exit code. */
/**
 * A page that plays a live link of the demo camera with the newest hls.js on npm, as a user's own web page would: the link
 * alone, no headers. `window.sample()` tells its state.
 */
async function newestPlayer() {
  const { version, source } = newestHlsJs();
  const link = await json(await server.api(`/api/v1/playback/${demoCameraId}/links`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ lifetime: 'PT1H' }),
  }));
  const context = await browser.newContext({ viewport: { width: 640, height: 360 } });
  context.setDefaultTimeout(stepTimeout);
  const player = await context.newPage();
  // a page of the server's origin (so the link is not cross-origin) that the server does not have: served by the test
  await context.route(`${server.baseUrl}/newest-hls/**`, route => route.request().url().endsWith('/hls.min.js')
    ? route.fulfill({ contentType: 'text/javascript', body: source })
    : route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><video muted playsinline autoplay></video><script src="hls.min.js"></script><script>
        const video = document.querySelector('video');
        const fatal = [];
        const hls = new Hls({ lowLatencyMode: true });
        hls.on(Hls.Events.ERROR, (_e, d) => { if (d.fatal) fatal.push(d.details + ' ' + (d.reason ?? d.error?.message ?? '')); });
        hls.loadSource(${JSON.stringify(link.url)});
        hls.attachMedia(video);
        video.play().catch(() => {});
        window.sample = () => ({ time: video.currentTime, paused: video.paused, clock: hls.playingDate?.getTime() ?? NaN, fatal: [...fatal], version: Hls.version });
      </script>`,
    }));
  await player.goto(`${server.baseUrl}/newest-hls/player.html`);
  return { page: player, version };
}

function run(command, args, timeoutMs) {
  return new Promise(ok => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => { stdout += d; });
    child.stderr.on('data', d => { stderr += d; });
    const stop = setTimeout(() => { child.kill('SIGINT'); setTimeout(() => child.kill('SIGKILL'), 3000); }, timeoutMs);
    child.on('close', code => { clearTimeout(stop); ok({ code, stdout, stderr }); });
  });
}

function toLocalInput(msValue) {
  const d = new Date(msValue);
  const pad = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
