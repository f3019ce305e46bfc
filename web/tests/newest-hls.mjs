// The newest hls.js on npm (not the one the UI pins in package-lock.json), fetched with npm itself, for a test that plays the
// live picture with what a user's own player may run tomorrow.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `{ version, source }` of hls.js@latest's browser build (dist/hls.min.js). */
export function newestHlsJs() {
  const folder = mkdtempSync(join(tmpdir(), 'newest-hls-'));
  try {
    const packed = JSON.parse(execFileSync('npm', ['pack', 'hls.js@latest', '--json', '--pack-destination', folder], { cwd: folder, encoding: 'utf8' }));
    execFileSync('tar', ['-xzf', join(folder, packed[0].filename), '-C', folder, 'package/package.json', 'package/dist/hls.min.js']);
    return {
      version: JSON.parse(readFileSync(join(folder, 'package/package.json'), 'utf8')).version,
      source: readFileSync(join(folder, 'package/dist/hls.min.js'), 'utf8'),
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The version of hls.js the UI is built with. */
export function pinnedHlsJsVersion(webFolder) {
  return JSON.parse(readFileSync(join(webFolder, 'node_modules/hls.js/package.json'), 'utf8')).version;
}
