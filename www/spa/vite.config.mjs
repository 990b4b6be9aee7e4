// Builds the React demo into www/spa/dist, served by the demo backend under /spa/.
// `@smartcar-rs/auth` resolves to this repository's package (its package.json `exports`,
// i.e. dist/npm/index.js), exactly as an app that installed it from npm would.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export default {
  root: here,
  base: '/spa/',
  logLevel: 'warn',
  build: { outDir: path.join(here, 'dist'), emptyOutDir: true },
};
