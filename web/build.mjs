// Bundles src/main.ts with hls.js into dist/ and copies the page and its style sheet next to it.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });
await mkdir('dist', { recursive: true });
await build({
  entryPoints: ['src/main.ts'],
  bundle: true,
  minify: true,
  sourcemap: true,
  target: 'es2022',
  format: 'esm',
  outfile: 'dist/app.js',
  logLevel: 'warning',
});
await copyFile('index.html', 'dist/index.html');
await copyFile('styles.css', 'dist/styles.css');
