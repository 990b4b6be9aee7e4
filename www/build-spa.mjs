// Builds the React demo (www/spa) with Vite, unless its build is newer than every input.
//   node www/build-spa.mjs [--force]
import { readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const WWW = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(WWW, '..');
const OUT = path.join(WWW, 'spa', 'dist', 'index.html');

function newest(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(p).map((f) => newest(path.join(p, f))));
}

export async function buildSpa({ force = false, log = console.log } = {}) {
  const inputs = [path.join(WWW, 'spa', 'src'), path.join(WWW, 'spa', 'index.html'), path.join(WWW, 'spa', 'vite.config.mjs'),
    path.join(WWW, 'shared'), path.join(ROOT, 'dist', 'npm', 'index.js')];
  if (!existsSync(path.join(ROOT, 'dist', 'npm', 'index.js'))) throw new Error('dist/npm/index.js is missing: run npm run build first');
  if (!force && existsSync(OUT) && newest(OUT) > Math.max(...inputs.map(newest))) return false;
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: path.join(WWW, 'spa', 'vite.config.mjs'), logLevel: 'error' });
  log(`built the React demo with Vite in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildSpa({ force: process.argv.includes('--force') });
}
