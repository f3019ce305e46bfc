// The Cameras page with a city's catalog: 500 cameras in 50 groups, found by name, state and group, a page at a time,
// in Debian's Chromium against the real server (no demo camera: nothing records), and a viewer limited to one group.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium } from './browser.mjs';
import { startServer, waitFor } from './server.mjs';
import { json } from './footage.mjs';

const stepTimeout = 30_000;
const districts = ['Harbour', 'Old Town', 'Airport', 'Station', 'Stadium'];
let server;
let browser;
const cameras = [];
const groups = [];

async function post(path, body, method = 'POST') {
  return json(await server.api(path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }));
}

async function signedInPage(secret) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  context.setDefaultTimeout(stepTimeout);
  const page = await context.newPage();
  await page.goto(server.baseUrl);
  await page.locator('select[name=kind]').selectOption('key');
  await page.getByTestId('api-key').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.goto(`${server.baseUrl}/#/cameras`);
  return page;
}

const position = page => page.getByTestId('camera-page').textContent();
const cardNames = page => page.locator('[data-camera-id] h2').allTextContents();

describe('the Cameras page at 500 cameras', { timeout: 600_000 }, () => {
  before(async () => {
    server = await startServer({ Footage__Recording__DemoCamera__Enabled: 'false' });
    for (let i = 0; i < 500; i += 25) {
      cameras.push(...await Promise.all(Array.from({ length: 25 }, (_, k) => i + k).map(n => post('/api/v1/cameras', {
        name: `${districts[n % districts.length]} ${String(Math.floor(n / districts.length) + 1).padStart(3, '0')}`,
        storage_mode: n % 10 === 0 ? 'MILESTONE' : 'LOCAL',
      }))));
    }
    for (let g = 0; g < 50; g++) {
      groups.push(await post('/api/v1/camera-groups', { name: `Group ${String(g).padStart(2, '0')}`, camera_ids: cameras.filter((_, i) => i % 50 === g).map(c => c.id) }));
    }
    browser = await launchChromium(stepTimeout);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows a page of 24, pages through them, and filters by text, state and group', async () => {
    const page = await signedInPage(server.adminKey);
    await waitFor('the first page', stepTimeout, async () => (await position(page)) === '1–24 of 500');
    assert.equal(await page.locator('[data-camera-id]').count(), 24);
    const first = await cardNames(page);
    assert.deepEqual(first, [...first].sort((a, b) => a.localeCompare(b)), 'sorted by name');

    await page.getByTestId('next-page').click();
    await waitFor('the second page', stepTimeout, async () => (await position(page)) === '25–48 of 500');
    assert.ok(!(await cardNames(page)).some(name => first.includes(name)), 'the second page shows other cameras');
    await page.getByTestId('previous-page').click();
    await waitFor('the first page again', stepTimeout, async () => (await position(page)) === '1–24 of 500');
    assert.ok(await page.getByTestId('previous-page').isDisabled(), 'no page before the first');

    await page.getByTestId('camera-filter').fill('airport 01');
    await waitFor('the cameras named Airport 01x', stepTimeout, async () => (await position(page)) === '1–10 of 10');
    assert.ok((await cardNames(page)).every(name => name.startsWith('Airport 01')), (await cardNames(page)).join(', '));
    assert.ok(await page.getByTestId('next-page').isDisabled(), 'one page only');

    await page.getByTestId('camera-filter').fill('');
    await page.getByTestId('status-filter').selectOption('milestone');
    await waitFor('the 50 Milestone cameras', stepTimeout, async () => (await position(page)) === '1–24 of 50');
    assert.deepEqual(new Set(await page.getByTestId('camera-state').allTextContents()), new Set(['Recorded by Milestone']));

    await page.getByTestId('status-filter').selectOption('');
    await page.getByTestId('group-filter').selectOption({ label: 'Group 07 (10)' });
    await waitFor('the 10 cameras of Group 07', stepTimeout, async () => (await position(page)) === '1–10 of 10');
    const expected = cameras.filter((_, i) => i % 50 === 7).map(c => c.name).sort((a, b) => a.localeCompare(b));
    assert.deepEqual([...await cardNames(page)].sort((a, b) => a.localeCompare(b)), expected);

    await page.getByTestId('camera-filter').fill('no such camera');
    await waitFor('the sentence for no match', stepTimeout, async () => /No camera matches these filters/.test(await page.getByTestId('camera-grid').textContent()));
    await page.context().close();
  });

  it('shows a viewer limited to one group only its cameras and only that group', async () => {
    const key = await post('/api/v1/auth/keys', { name: 'ui-limited-viewer', role: 'viewer' });
    await post(`/api/v1/access/keys/${key.id}`, { group_ids: [groups[3].id] }, 'PUT');
    const page = await signedInPage(key.key);
    await waitFor('the 10 cameras of Group 03', stepTimeout, async () => (await position(page)) === '1–10 of 10');
    const expected = cameras.filter((_, i) => i % 50 === 3).map(c => c.name).sort((a, b) => a.localeCompare(b));
    assert.deepEqual([...await cardNames(page)].sort((a, b) => a.localeCompare(b)), expected);
    assert.deepEqual(await page.getByTestId('group-filter').locator('option').allTextContents(), ['Every group', 'Group 03 (10)']);
    await page.context().close();
  });
});
