// Live latency, side by side: how far behind the camera's clock the picture a browser shows is, for the live playlist with
// LL-HLS partial segments (Footage:Playback:LivePartMilliseconds=333, the default) and for the design before them (whole
// 2 s chunks only, LivePartMilliseconds=0). Two servers, each with its demo camera, run at once on this machine so that
// its load weighs on all alike; Chromium plays their live links with hls.js (the version the UI is built with): the first
// as the UI plays it now, the second with hls.js's defaults and as the UI played it before. Every 500 ms, after a warm-up, the lag of each is read: the wall clock minus the
// EXT-X-PROGRAM-DATE-TIME of the frame being shown (hls.js playingDate), i.e. from the moment the recorder received the
// frame to the moment the browser shows it. Prints p50, p95 and the worst of each.
//   node bench/live-latency/latency.mjs [seconds=120] [warm-up seconds=20]
// Needs the server built (dotnet build Footage.slnx -c Release) and web/ installed and built (npm ci && npm run build);
// bench/live-latency/run.sh does all of it.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoCameraId, startServer, waitFor } from '../../web/tests/server.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const web = createRequire(join(repo, 'web/package.json'));
const { chromium } = web('playwright-core');
const hlsSource = readFileSync(web.resolve('hls.js/dist/hls.min.js'), 'utf8');
const hlsVersion = JSON.parse(readFileSync(join(dirname(web.resolve('hls.js/package.json')), 'package.json'), 'utf8')).version;
const seconds = Number(process.argv[2] ?? 120);
const warmUp = Number(process.argv[3] ?? 20);

// two servers (with and without parts); the one without is played as hls.js plays it by default (three target durations
// behind the edge) and as the UI played it before partial segments (3 s behind, liveSyncDuration: 3)
const servers = [{}, { Footage__Playback__LivePartMilliseconds: '0' }];
const designs = [
  { name: 'LL-HLS, parts of 333 ms (now; the UI\'s settings)', server: 0, hls: { lowLatencyMode: true, maxLiveSyncPlaybackRate: 1.5 } },
  { name: 'whole 2 s chunks, hls.js defaults', server: 1, hls: { lowLatencyMode: true, maxLiveSyncPlaybackRate: 1.5 } },
  { name: 'whole 2 s chunks, the UI before (liveSyncDuration 3 s)', server: 1, hls: { liveSyncDuration: 3, liveMaxLatencyDuration: 12 } },
];

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A page of the server's own origin (served by the bench, not the server) playing the link with hls.js. */
async function play(browser, server, url, config) {
  const context = await browser.newContext({ viewport: { width: 640, height: 360 } });
  await context.route(`${server.baseUrl}/latency-bench/**`, route => route.request().url().endsWith('/hls.min.js')
    ? route.fulfill({ contentType: 'text/javascript', body: hlsSource })
    : route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><video muted playsinline autoplay></video><script src="hls.min.js"></script><script>
        const video = document.querySelector('video');
        const fatal = [];
        const hls = new Hls(${JSON.stringify(config)});
        hls.on(Hls.Events.ERROR, (_e, d) => { if (d.fatal) fatal.push(d.details); });
        hls.loadSource(${JSON.stringify(url)});
        hls.attachMedia(video);
        video.play().catch(() => {});
        window.sample = () => ({ playing: !video.paused && video.readyState >= 3, clock: hls.playingDate?.getTime() ?? NaN, fatal: fatal.length, now: Date.now() });
      </script>`,
    }));
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/latency-bench/player.html`);
  return page;
}

const running = [];
let browser;
try {
  for (const settings of servers) running.push(await startServer({ ...settings, Footage__Recording__SegmentSeconds: '60' }));
  for (const server of running) {
    await waitFor('the demo camera to be recording', 90_000, async () => (await server.api(`/api/v1/playback/${demoCameraId}/hls`)).ok, 500);
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
  });
  const pages = [];
  for (const design of designs) {
    const server = running[design.server];
    const link = await (await server.api(`/api/v1/playback/${demoCameraId}/links`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ lifetime: 'PT1H' }),
    })).json();
    pages.push(await play(browser, server, link.url, design.hls));
  }
  console.log(`hls.js ${hlsVersion}, Chromium; ${warmUp} s of warm-up, then ${seconds} s sampled every 500 ms; load ${(await import('node:os')).loadavg().map(l => l.toFixed(1)).join(' ')}`);
  await new Promise(ok => setTimeout(ok, warmUp * 1000));
  const lags = designs.map(() => []);
  const stalls = designs.map(() => 0);
  const fatal = designs.map(() => 0);
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    for (let i = 0; i < pages.length; i++) {
      const s = await pages[i].evaluate(() => window.sample());
      fatal[i] = s.fatal;
      if (s.playing && Number.isFinite(s.clock)) lags[i].push(s.now - s.clock); else stalls[i]++;
    }
    await new Promise(ok => setTimeout(ok, 500));
  }
  console.log('| design | samples | p50 | p95 | worst | not playing | fatal errors |');
  console.log('|---|---|---|---|---|---|---|');
  designs.forEach((design, i) => {
    const sorted = lags[i].sort((a, b) => a - b);
    const ms = v => (v === undefined ? '-' : `${(v / 1000).toFixed(2)} s`);
    console.log(`| ${design.name} | ${sorted.length} | ${ms(percentile(sorted, 50))} | ${ms(percentile(sorted, 95))} | ${ms(sorted.at(-1))} | ${stalls[i]} | ${fatal[i]} |`);
  });
  console.log(`load at the end ${(await import('node:os')).loadavg().map(l => l.toFixed(1)).join(' ')}`);
} finally {
  await browser?.close();
  for (const server of running) await server.stop();
}
