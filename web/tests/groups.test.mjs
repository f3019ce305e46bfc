// The Groups page (administrators): create, rename and delete camera groups, put cameras in and take them out, give a
// viewer's key a group and take it away, with refusals as sentences; a viewer sees neither the page's link nor the page,
// and once limited to a group, only its cameras. In Debian's Chromium against the real server (no camera records).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './browser.mjs';
import { startServer, waitFor } from './server.mjs';
import { json } from './footage.mjs';

const artifacts = join(dirname(fileURLToPath(import.meta.url)), '../test-artifacts');
const stepTimeout = 30_000;
let server;
let browser;
let page;
let viewer;
const cameras = [];

async function post(path, body) {
  return json(await server.api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }));
}

async function signedIn(secret) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  context.setDefaultTimeout(stepTimeout);
  const opened = await context.newPage();
  await opened.goto(server.baseUrl);
  await opened.locator('select[name=kind]').selectOption('key');
  await opened.getByTestId('api-key').fill(secret);
  await opened.getByRole('button', { name: 'Sign in' }).click();
  await opened.locator('[data-camera-id], #main p').first().waitFor();
  return opened;
}

const message = () => page.locator('#message').textContent();
const memberNames = () => page.getByTestId('group-member').locator('a').allTextContents();
const groupsNow = async () => json(await server.api('/api/v1/camera-groups'));

describe('the Groups page', { timeout: 120_000 }, () => {
  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await startServer({ Footage__Recording__DemoCamera__Enabled: 'false' });
    for (const name of ['Harbour 001', 'Harbour 002', 'Harbour 003', 'Airport 001', 'Airport 002', 'Station 001']) {
      cameras.push(await post('/api/v1/cameras', { name }));
    }
    viewer = await post('/api/v1/auth/keys', { name: 'night-shift-viewer', role: 'viewer' });
    browser = await launchChromium(stepTimeout);
    page = await signedIn(server.adminKey);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('creates, fills, renames and gives a group, and says in words what it refuses', async () => {
    await page.getByRole('link', { name: 'Groups' }).click();
    await page.getByText('No group yet.').waitFor();

    await page.getByTestId('create-group').click();
    await waitFor('the sentence for an empty name', stepTimeout, async () => /^The request was not accepted: name .+\.$/.test(await message()));
    await page.getByTestId('new-group-name').fill('Harbour');
    await page.getByTestId('create-group').click();
    await waitFor('the new group opened', stepTimeout, async () => (await page.getByTestId('group-detail').locator('h2').textContent()) === 'Harbour');
    const harbour = (await groupsNow()).find(g => g.name === 'Harbour');
    assert.ok(page.url().endsWith(`#/groups/${harbour.id}`));
    await page.getByTestId('new-group-name').fill('Harbour');
    await page.getByTestId('create-group').click();
    await waitFor('the sentence for a name taken', stepTimeout, async () => /^This cannot be done right now/.test(await message()));

    await page.getByTestId('group-camera-search').fill('harbour');
    await waitFor('the three Harbour cameras found', stepTimeout, async () => (await page.getByTestId('add-camera').count()) === 3);
    for (const name of ['Harbour 001', 'Harbour 002', 'Harbour 003']) {
      await page.getByTestId('group-camera-result').filter({ hasText: name }).getByTestId('add-camera').click();
      await waitFor(`${name} in the group`, stepTimeout, async () => (await memberNames()).includes(name));
    }
    await page.getByTestId('group-member').filter({ hasText: 'Harbour 002' }).getByTestId('remove-camera').click();
    await waitFor('Harbour 002 taken out', stepTimeout, async () => JSON.stringify(await memberNames()) === JSON.stringify(['Harbour 001', 'Harbour 003']));
    assert.deepEqual(new Set((await groupsNow())[0].camera_ids), new Set([cameras[0].id, cameras[2].id]));

    await page.getByTestId('group-rename').fill('Harbour district');
    await page.getByTestId('save-group-name').click();
    await waitFor('the new name in the list', stepTimeout, async () => (await page.getByTestId('group-list').textContent()).includes('Harbour district'));
    assert.equal((await groupsNow())[0].name, 'Harbour district');

    // a user name the API refuses, then the viewer's key given the group
    await page.getByTestId('access-user').fill('x'.repeat(300));
    await page.getByTestId('give-access').click();
    await waitFor('the sentence naming the user name', stepTimeout, async () => /^The request was not accepted: name .+\.$/.test(await message()));
    await page.getByTestId('access-user').fill('');
    assert.ok(!(await page.getByTestId('access-key').locator('option').allTextContents()).some(t => t.includes('(admin)')), 'admins are not offered');
    await page.getByTestId('access-key').selectOption({ label: 'night-shift-viewer (viewer)' });
    await page.getByTestId('give-access').click();
    await waitFor('the key listed', stepTimeout, async () => (await page.getByTestId('group-access-entry').allTextContents()).some(t => t.includes('night-shift-viewer (viewer)')));
    const scopes = await json(await server.api('/api/v1/access'));
    assert.deepEqual(scopes.find(s => s.principal === `key:${viewer.id}`).group_ids, [harbour.id]);
    await page.screenshot({ path: join(artifacts, 'groups.png') });
  });

  it('shows a viewer no Groups page, and only the cameras of the group it was given', async () => {
    const seen = await signedIn(viewer.key);
    assert.ok(!(await seen.getByRole('link', { name: 'Groups' }).isVisible()), 'no Groups link for a viewer');
    await waitFor('the two cameras of the group', stepTimeout, async () => (await seen.locator('[data-camera-id]').count()) === 2);
    assert.deepEqual((await seen.locator('[data-camera-id] h2').allTextContents()).sort(), ['Harbour 001', 'Harbour 003']);
    await seen.goto(`${server.baseUrl}/#/groups`);
    await seen.getByText('Only administrators manage camera groups and who sees them.').waitFor();
    await seen.context().close();
  });

  it('takes the group away, gives every camera back, and deletes the group after asking', async () => {
    await page.getByTestId('group-access-entry').getByTestId('take-access').click();
    await waitFor('nobody limited to the group', stepTimeout, async () => (await page.getByTestId('group-access-none').count()) === 1);
    let scope = (await json(await server.api('/api/v1/access'))).find(s => s.principal === `key:${viewer.id}`);
    assert.deepEqual(scope.group_ids, []);
    await page.getByTestId('access-key').selectOption({ label: 'night-shift-viewer (viewer)' });
    await page.getByTestId('give-access').click();
    await page.getByTestId('group-access-entry').getByTestId('lift-limit').click();
    await waitFor('the limit lifted', stepTimeout, async () => (await page.getByTestId('group-access-none').count()) === 1);
    scope = (await json(await server.api('/api/v1/access'))).find(s => s.principal === `key:${viewer.id}`);
    assert.equal(scope, undefined, 'the key sees every camera again');

    const id = (await groupsNow())[0].id;
    assert.ok(!(await page.getByTestId('confirm-delete').isVisible()), 'the question is asked only after Delete group');
    await page.getByTestId('delete-group').click();
    await page.getByTestId('confirm-delete').waitFor();
    assert.equal((await groupsNow()).length, 1, 'nothing is deleted before the answer');
    await page.getByTestId('confirm-delete-group').click();
    await page.getByText('No group yet.').waitFor();
    assert.equal((await groupsNow()).length, 0);
    const cameraList = await json(await server.api('/api/v1/cameras'));
    assert.equal(cameraList.length, cameras.length, 'its cameras stay');
    const audit = (await json(await server.api('/api/v1/audit?limit=1000'))).map(e => `${e.method} ${e.path}`);
    assert.ok(audit.includes('POST /api/v1/camera-groups'), 'the creation is audited');
    assert.ok(audit.some(a => a.startsWith('PUT /api/v1/camera-groups/')), 'the changes of the group are audited');
    assert.ok(audit.some(a => a.startsWith(`PUT /api/v1/access/keys/${viewer.id}`)), 'the access change is audited');
    assert.ok(audit.includes(`DELETE /api/v1/camera-groups/${id}`), 'the deletion is audited');
  });
});
