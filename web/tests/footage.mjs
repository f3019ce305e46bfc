// What the browser tests need from the server besides the page: recorded spans, the catalog's latest segment,
// API keys of a role, and a second camera whose footage is a copy of the demo camera's stored segments.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { demoCameraId } from './server.mjs';

const isoAgo = ms => new Date(Date.now() - ms).toISOString();

export async function json(response) {
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** The demo camera's recorded spans of the last 10 minutes once it holds at least minimumSeconds, else null. */
export async function recordedSpans(server, minimumSeconds) {
  const response = await server.api(`/api/v1/playback/${demoCameraId}/segments?from=${isoAgo(600_000)}&to=${isoAgo(-60_000)}`);
  if (!response.ok) return null;
  const body = await response.json();
  return body.recorded_seconds >= minimumSeconds ? body.spans : null;
}

/** The stored segments of a camera (with key frames), oldest first. */
export async function storedSegments(server, cameraId) {
  const body = await json(await server.api(`/api/v1/storage/segments/${cameraId}?from=${isoAgo(3_600_000)}&include=keyframes&limit=1000`));
  return body.items;
}

export async function apiKey(server, role) {
  const created = await json(await server.api('/api/v1/auth/keys', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: `ui-${role}`, role }),
  }));
  return created.key;
}

/**
 * A second camera (source "mirror") whose catalog holds copies of the demo camera's stored segments: the same
 * bytes, times and key frames under its own objects, registered through the API like a recorder would.
 */
export async function mirrorCamera(server) {
  const camera = await json(await server.api('/api/v1/cameras', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Gate mirror', source: 'mirror', storage_mode: 'LOCAL', enabled: true }),
  }));
  const bucket = join(server.data, 'storage', 'cctv-recordings');
  for (const segment of await storedSegments(server, demoCameraId)) {
    const path = `${camera.id}/${segment.storage_path.split('/').slice(1).join('/')}`;
    mkdirSync(dirname(join(bucket, path)), { recursive: true });
    copyFileSync(join(bucket, segment.storage_path), join(bucket, path));
    await json(await server.api('/api/v1/storage/segments', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        camera_id: camera.id, start_time: segment.start_time, end_time: segment.end_time, size_bytes: segment.size_bytes,
        checksum: segment.checksum, storage_backend: 'filesystem', storage_path: path, keyframes: segment.keyframes,
      }),
    }));
  }
  return camera;
}
