// Byte budgets of the shipped scripts, as CDNs serve them: brotli (quality 11) to every current
// browser, gzip (level 9) to the rest. Deterministic, so a test, not a benchmark (KB = 1024
// bytes; `npm run bench` prints the sizes next to the reference's).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { DIST } from '../support/harness.mjs';

const KB = 1024;
// What ships today, with a little room: the scripts may only shrink from here, but for a fix
// (round 4's security fixes and methods callable through a Proxy took sdk.js from 21.7 to 22.04
// KB brotli: the ceiling went from 22.0 to 22.1; round 5's security fixes (bounds on nesting,
// list text and the state, codes read as strings, the fallback channel, connectUrl read past
// prototype pollution) and its drop-in fixes took it to 22.93 KB brotli and 26.40 KB gzip: 23.0
// and 26.5; round 6's getAuthUrl, which hands its URL to JS in three parts and keeps the two
// around the state as JS strings, where the URL's TextDecoder call had been about half of a
// call's time (0.09 M → 0.17 M calls/s), took it to 23.34 and 26.78, and putting the module's
// stack pointer back after the page's own stack ran out inside a call (it had trapped on every
// later call), and the script tag's AMD module for RequireJS, to 23.54 and 27.02: 23.6 and 27.1;
// round 7's fixes (the limit in six option messages; handleRedirect taking a result only with
// its state, keeping the page's own parameters as written; a popup closed in the grace period
// rejecting with PopupClosed; fallback: 'redirect' checked when connect() is called, and its
// Promise rejected when the page comes back from the back/forward cache) to 23.80 and 27.31:
// 23.9 and 27.4; round 8's, a lone surrogate in a value bound for the Connect URL refused with a
// URIError naming the option where U+FFFD had been sent in its place, and a flow opened after
// unmount() getting no channel, to 24.21 and 27.67: 24.3 and 27.8; round 9's, a result whose
// checks ran a getter that changed the instance completing nothing, and a connect() popup cut
// off by the app page's own COOP header before it showed a page no longer failing as closed,
// to 24.39 and 27.82: 24.4 and 27.9; round 11's windowOptions written as the app gave them,
// `left: 20.5` as `left=20.5` where it had been rounded, and a windowOptions that is not an
// object refused with a TypeError naming it, to 24.63 and 28.19: 24.7 and 28.3).
// Issue 16's goals (sdk.js 19.0 KB brotli and 21.5 KB gzip, redirect.js 4.7 KB brotli) are NOT
// met yet: `npm run bench` prints the distance to them, and docs/size.md says where the bytes go.
const CEILINGS = {
  'cdn/sdk.js': { brotli: 24.7 * KB, gzip: 28.3 * KB },
  'cdn/redirect.js': { brotli: 5.5 * KB, gzip: 6.5 * KB },
};

const compressed = {
  brotli: (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length,
  gzip: (bytes) => gzipSync(bytes, { level: 9 }).length,
};

for (const [file, ceilings] of Object.entries(CEILINGS)) {
  const path = `${DIST}/${file}`;
  for (const [codec, ceiling] of Object.entries(ceilings)) {
    it(`${file} is at most ${(ceiling / KB).toFixed(1)} KB under ${codec}`, { skip: !existsSync(path) && `${path} is not built` }, () => {
      const size = compressed[codec](readFileSync(path));
      assert.ok(size <= ceiling, `${file} is ${size} bytes under ${codec}, over its ceiling of ${Math.floor(ceiling)}`);
    });
  }
}
