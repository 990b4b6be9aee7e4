// Byte budgets of the shipped scripts, gzipped (deterministic, so a test, not a benchmark).
//
// The distribution issue sets targets of 12 KB (sdk.js) and 4 KB (redirect.js), with hard
// ceilings of 20 KB and 6 KB (KB = 1024 bytes). Both scripts are under their ceilings; neither
// meets its target yet (README, "Size"; `npm run bench` prints the distance). "Gzipped" is
// Node's zlib at level 9, the same every run; GNU gzip -9 writes sdk.js about 2% smaller.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { DIST } from '../support/harness.mjs';

const CEILINGS = {
  'cdn/sdk.js': 20_480, // the hard ceiling: 20 KB
  'cdn/redirect.js': 6_144, // the hard ceiling: 6 KB
};

for (const [file, ceiling] of Object.entries(CEILINGS)) {
  const path = `${DIST}/${file}`;
  it(`${file} stays under ${ceiling} bytes gzipped`, { skip: !existsSync(path) && `${path} is not built` }, () => {
    const gzipped = gzipSync(readFileSync(path), { level: 9 }).length;
    assert.ok(gzipped <= ceiling, `${file} is ${gzipped} bytes gzipped, over its ceiling of ${ceiling}`);
  });
}
