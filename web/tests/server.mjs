// Starts the real Footage.Server (built by `dotnet build`) on embedded defaults (SQLite, filesystem storage)
// in a temp folder with the demo camera recording 15-second segments (long enough for the live edge to matter),
// a known admin key and a bearer-token signing key.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const demoCameraId = '00000000-0000-4000-8000-00000000d0d0';
export const segmentSeconds = 15;
const jwt = { issuer: 'footage-ui-test', audience: 'footage', signingKey: 'ui-test-jwt-signing-key-0123456789-abcdef' };

/** A bearer token (HS256) the server accepts: what an identity provider would issue. */
export function mintToken(name, role, signingKey = jwt.signingKey) {
  const part = value => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: name, preferred_username: name, role, iss: jwt.issuer, aud: jwt.audience, iat: now, nbf: now - 5, exp: now + 3600 })}`;
  return `${body}.${createHmac('sha256', signingKey).update(body).digest('base64url')}`;
}

export function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => ok(port)); });
  });
}

function serverDll() {
  const candidates = ['Release', 'Debug']
    .map(c => join(repo, 'src/Footage.Server/bin', c, 'net10.0/Footage.Server.dll'))
    .filter(p => existsSync(p));
  if (!candidates.length) throw new Error('Footage.Server is not built: run `dotnet build Footage.slnx` first.');
  return candidates.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

/** @param settings more environment for the server (e.g. `{ Footage__Playback__LivePartMilliseconds: '0' }`). */
export async function startServer(settings = {}) {
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), 'footage-ui-'));
  const adminKey = `ui-test-admin-${port}-${Date.now()}`;
  const baseUrl = `http://127.0.0.1:${port}`;
  const output = [];
  const child = spawn('dotnet', [serverDll(), '--urls', baseUrl], {
    cwd: data,
    env: {
      ...process.env,
      Footage__DataDirectory: data,
      Footage__Auth__AdminApiKey: adminKey,
      Footage__Web__Root: join(repo, 'web/dist'),
      Footage__Auth__Jwt__Issuer: jwt.issuer,
      Footage__Auth__Jwt__Audience: jwt.audience,
      Footage__Auth__Jwt__SigningKey: jwt.signingKey,
      Footage__Recording__SegmentSeconds: String(segmentSeconds),
      Footage__Recording__ThumbnailSeconds: '4',
      Footage__Recording__DemoCamera__Enabled: 'true',
      DOTNET_ENVIRONMENT: 'Production',
      ...settings,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', d => output.push(String(d)));
  child.stderr.on('data', d => output.push(String(d)));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([new Promise(ok => child.once('exit', ok)), new Promise(ok => setTimeout(ok, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(data, { recursive: true, force: true });
  };
  const api = async (path, init = {}) => {
    const response = await fetch(baseUrl + path, { ...init, headers: { 'X-Api-Key': adminKey, ...(init.headers ?? {}) } });
    return response;
  };
  try {
    await waitFor('the server to answer /health', 60_000, async () => {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output.join('').slice(-3000)}`);
      try { return (await fetch(`${baseUrl}/health`)).ok; } catch { return false; }
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, adminKey, api, stop, data, log: () => output.join('') };
}

/** Polls until check() is truthy; fails with a sentence naming what was awaited. */
export async function waitFor(what, timeoutMs, check, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}.`);
    await new Promise(ok => setTimeout(ok, intervalMs));
  }
}
