// Cameras as a city has them, played in Debian's Chromium by the newest hls.js: H.264 with AAC sound, with G.711 sound (made
// AAC by the recorder), a key frame every 10 s at 30 fps, 12.5 fps, a picture that changes size every 3 s, and H.265, which this
// Chromium cannot decode, through the master playlist's H.264 rendition. The simulator's cameras are recorded for real (2 s
// files) and a few seconds of each are played one after the other in one page, at three times the speed, from the master playlist
// as the UI's player opens it: each plays to the end of its range without an error, decodes its frames, and its sound.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, waitFor } from './server.mjs';
import { json, storedSegments } from './footage.mjs';
import { startCameraSimulator } from './simulator.mjs';
import { newestHlsJs } from './newest-hls.mjs';
import { launchChromium } from './browser.mjs';

const stepTimeout = 30_000;
const rangeSeconds = 4;
const kinds = [
  { name: 'H.264 with AAC sound', kind: { audio: 'aac' }, fps: 25, sound: true },
  { name: 'H.264 with G.711 sound made AAC', kind: { audio: 'pcmu' }, fps: 25, sound: true },
  { name: 'a key frame every 10 s at 30 fps', kind: { gop: 10, fps: '30' }, fps: 30 },
  { name: '12.5 fps, a key frame every 4 s', kind: { gop: 4, fps: '12.5' }, fps: 12.5 },
  { name: 'a picture that changes size every 3 s', kind: { resize_every: 3 }, fps: 25, resized: true },
  { name: 'H.265, played through its H.264 rendition', kind: { codec: 'h265' }, fps: 25, rendition: 'h264' },
];
let server;
let simulator;
let browser;
let page;
let hlsVersion;
let started;
const cameras = [];

async function post(path, body) {
  return json(await server.api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined }));
}

describe('camera kinds in the browser', { timeout: 240_000 }, () => {
  before(async () => {
    const { version, source } = newestHlsJs();
    hlsVersion = version;
    [simulator, server] = await Promise.all([
      startCameraSimulator(0, { kinds: kinds.map(k => k.kind) }),
      startServer({ Footage__Recording__SegmentSeconds: '2', Footage__Recording__DemoCamera__Enabled: 'false' }),
    ]);
    started = Date.now();
    for (const [i, url] of simulator.urls.entries()) {
      const camera = await post('/api/v1/cameras', { name: `Kind ${i + 1}`, rtsp_url: url, storage_mode: 'LOCAL' });
      await post(`/api/v1/recording/start/${camera.id}`);
      cameras.push(camera);
    }
    browser = await launchChromium(stepTimeout);
    const context = await browser.newContext({ viewport: { width: 640, height: 360 } });
    context.setDefaultTimeout(stepTimeout);
    page = await context.newPage();
    // a page of the server's origin that the server does not have, with the newest hls.js: served by the test
    await context.route(`${server.baseUrl}/camera-kinds/**`, route => route.request().url().endsWith('/hls.min.js')
      ? route.fulfill({ contentType: 'text/javascript', body: source })
      : route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><video playsinline></video><script src="hls.min.js"></script><script>
          // plays one range of the master playlist to its end at three times the speed; what happened, once it ended or failed
          window.playRange = (url, key) => new Promise(done => {
            const video = document.querySelector('video');
            const hls = new Hls({ xhrSetup: xhr => xhr.setRequestHeader('X-Api-Key', key) });
            const errors = [];
            const sizes = new Set();
            let level = null;
            let codecs = [];
            const finish = outcome => {
              const quality = video.getVideoPlaybackQuality();
              const result = { outcome, errors, sizes: [...sizes], level, codecs, time: video.currentTime, duration: video.duration,
                frames: quality.totalVideoFrames, dropped: quality.droppedVideoFrames, soundBytes: video.webkitAudioDecodedByteCount };
              clearTimeout(timer);
              hls.destroy();
              video.removeAttribute('src');
              video.load();
              done(result);
            };
            const timer = setTimeout(() => finish('timed out'), 25000);
            video.onresize = () => sizes.add(video.videoWidth + 'x' + video.videoHeight);
            video.onended = () => finish('ended');
            hls.on(Hls.Events.MANIFEST_PARSED, (_e, data) => { codecs = data.levels.map(l => l.name + ' ' + l.videoCodec + (l.audioCodec ? ' ' + l.audioCodec : '')); });
            hls.on(Hls.Events.LEVEL_SWITCHED, (_e, data) => { level = hls.levels[data.level].name + ' ' + hls.levels[data.level].videoCodec; });
            hls.on(Hls.Events.ERROR, (_e, data) => {
              errors.push((data.fatal ? 'fatal ' : '') + data.details + ' ' + (data.reason ?? data.error?.message ?? ''));
              if (data.fatal) finish('failed');
            });
            hls.loadSource(url);
            hls.attachMedia(video);
            video.playbackRate = 3;
            video.onloadedmetadata = () => { video.playbackRate = 3; video.play().catch(e => errors.push('play: ' + e.message)); };
          });
        </script>`,
      }));
    await page.goto(`${server.baseUrl}/camera-kinds/player.html`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await simulator?.stop();
  });

  it('plays each kind of camera from its recording, its sound too, H.265 through the H.264 rendition', async () => {
    // a range of each camera's first stored files: at least rangeSeconds (the 10 s GOP camera's first file is 10 s long)
    const ranges = [];
    for (const camera of cameras) {
      ranges.push(await waitFor(`${camera.name} to have ${rangeSeconds} s stored`, 90_000, async () => {
        const segments = await storedSegments(server, camera.id);
        const from = segments.length ? Date.parse(segments[0].start_time) : 0;
        return segments.length && Date.parse(segments.at(-1).end_time) - from >= rangeSeconds * 1000
          ? { from: new Date(from).toISOString(), to: new Date(from + rangeSeconds * 1000).toISOString() } : null;
      }, 500));
    }
    for (const camera of cameras) await post(`/api/v1/recording/stop/${camera.id}`);

    console.log(`${rangeSeconds} s of each camera stored: ${((Date.now() - started) / 1000).toFixed(1)} s after the server and simulator started`);
    const failures = [];
    const playing = Date.now();
    for (const [i, { name, fps, sound, resized, rendition }] of kinds.entries()) {
      const { from, to } = ranges[i];
      const url = `${server.baseUrl}/api/v1/playback/${cameras[i].id}/master.m3u8?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
      const played = await page.evaluate(([u, key]) => window.playRange(u, key), [url, server.adminKey]);
      console.log(`${name}: ${played.outcome} at ${played.time.toFixed(2)} of ${played.duration.toFixed(2)} s, level ${played.level} of [${played.codecs.join('; ')}], `
        + `${played.frames} frames (${played.dropped} dropped), sizes ${played.sizes.join(' ')}, ${played.soundBytes} bytes of sound decoded`
        + (played.errors.length ? `, errors: ${played.errors.join('; ')}` : ''));
      const wrong = [];
      if (played.outcome !== 'ended') wrong.push(`did not play to its end (${played.outcome})`);
      if (played.errors.some(e => e.startsWith('fatal'))) wrong.push('a fatal error');
      if (!(played.duration >= rangeSeconds - 0.5)) wrong.push(`lasts ${played.duration} s`);
      // the frames of the range, give or take a GOP's lead frames and the ones Chromium skips at three times the speed
      if (played.frames < fps * rangeSeconds * 0.5) wrong.push(`decoded ${played.frames} frames`);
      if (sound && !(played.soundBytes > 0)) wrong.push('no sound decoded');
      if (resized && played.sizes.length < 2) wrong.push(`one picture size only: ${played.sizes.join(' ')}`);
      if (rendition && !played.level?.startsWith(`${rendition} avc1`)) wrong.push(`played ${played.level}, not the ${rendition} rendition`);
      if (rendition) {
        // hls.js keeps only the renditions the browser can decode: the master itself offers both
        const master = await (await server.api(new URL(url).pathname + new URL(url).search)).text();
        if (!/CODECS="(hvc1|hev1)/.test(master) || !/CODECS="avc1/.test(master)) wrong.push(`the master does not offer H.265 and H.264: ${master}`);
      }
      if (wrong.length) failures.push(`${name}: ${wrong.join(', ')}`);
    }
    console.log(`the ${kinds.length} kinds played in ${((Date.now() - playing) / 1000).toFixed(1)} s with hls.js ${hlsVersion}`);
    assert.deepEqual(failures, [], `hls.js ${hlsVersion}`);
  });
});
