// Real RTSP cameras for the browser tests: the repository's GStreamer camera simulator (tests/tools/camera-simulator.py,
// run by the system's python3 with its GStreamer bindings), serving rtsp://127.0.0.1:{port}/cam1 ... /camN.
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './server.mjs';

const script = resolve(dirname(fileURLToPath(import.meta.url)), '../../tests/tools/camera-simulator.py');

/**
 * Starts `count` small test cameras; `{ urls, stop }` once the simulator says it is ready. With `kinds` (objects as the
 * simulator's --camera takes them: codec, audio, fps, gop, resize_every...), one camera of each kind instead.
 */
export async function startCameraSimulator(count, { width = 320, height = 180, bitrate = 300, kinds = [] } = {}) {
  const port = await freePort();
  count = kinds.length || count;
  const child = spawn('/usr/bin/python3', [script, '--port', String(port), '--cameras', String(count),
    '--width', String(width), '--height', String(height), '--bitrate', String(bitrate),
    ...kinds.flatMap(kind => ['--camera', JSON.stringify(kind)])], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  child.stderr.on('data', d => output.push(String(d)));
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await Promise.race([new Promise(ok => child.once('exit', ok)), new Promise(ok => setTimeout(ok, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the camera simulator did not start within 30 s:\n${output.join('').slice(-2000)}`)), 30_000);
    child.stdout.on('data', d => { if (String(d).includes('ready')) { clearTimeout(timer); ok(); } });
    child.once('exit', code => { clearTimeout(timer); fail(new Error(`the camera simulator exited with ${code}:\n${output.join('').slice(-2000)}`)); });
  }).catch(async error => { await stop(); throw error; });
  return { urls: Array.from({ length: count }, (_, i) => `rtsp://127.0.0.1:${port}/cam${i + 1}`), stop };
}
