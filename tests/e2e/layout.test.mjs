// The code's shape, as issue 13 promised it: functions that fit on a screen in every shipped
// Rust crate, and bindings whose files each hold one job (none over 300 lines). Shipped code
// is each file up to its first `#[cfg(test)]` (test modules sit at the end of a file).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/server.mjs';

const SHIPPED = ['src', 'protocol/src', 'redirect-page/src', 'simulator/src'];
const MAX_FUNCTION_LINES = 60;
const MAX_BINDINGS_FILE_LINES = 300;

const rustFiles = (dir) => readdirSync(path.join(REPO_ROOT, dir), { recursive: true })
  .filter((f) => f.endsWith('.rs'))
  .map((f) => path.join(dir, f));

/** The file's lines up to its first test module. */
function shippedLines(file) {
  const lines = readFileSync(path.join(REPO_ROOT, file), 'utf8').split('\n');
  const cut = lines.findIndex((l) => /^\s*#\[cfg\((all\()?test/.test(l));
  return cut < 0 ? lines : lines.slice(0, cut);
}

const FN = /^\s*(pub(\([^)]*\))?\s+)?(const\s+|async\s+|unsafe\s+|extern\s+"C"\s+)*fn\s+(\w+)/;

/** `[name, line, length]` of every function with a body, braces counted outside strings and
 * comments. */
function functions(lines) {
  const found = [];
  lines.forEach((line, start) => {
    const m = FN.exec(line);
    if (!m) return;
    let depth = 0;
    let opened = false;
    for (let j = start; j < lines.length; j++) {
      const code = lines[j].replace(/"(\\.|[^"\\])*"/g, '""').replace(/'(\\.|[^'\\])'/g, "''").split('//')[0];
      if (!opened && code.includes(';') && !code.includes('{')) return; // a declaration
      for (const c of code) {
        if (c === '{') { depth++; opened = true; } else if (c === '}') depth--;
      }
      if (opened && depth <= 0) {
        found.push([m[4], start + 1, j - start + 1]);
        return;
      }
    }
  });
  return found;
}

it(`no shipped Rust function is longer than ${MAX_FUNCTION_LINES} lines`, () => {
  const long = SHIPPED.flatMap(rustFiles).flatMap((file) => functions(shippedLines(file))
    .filter(([, , length]) => length > MAX_FUNCTION_LINES)
    .map(([name, line, length]) => `${file}:${line} fn ${name}: ${length} lines`));
  assert.deepEqual(long, []);
});

it('the counter finds functions, and their lengths', () => {
  // So that the test above cannot pass by finding nothing.
  const all = SHIPPED.flatMap(rustFiles).flatMap((file) => functions(shippedLines(file)));
  assert.ok(all.length > 100, `${all.length} functions found`);
  const sample = ['fn f() {', '    let s = "}";', '    if x {', '        y();', '    }', '}', 'fn g();'];
  assert.deepEqual(functions(sample), [['f', 1, 6]]);
});

it(`no file of src/bindings/ is longer than ${MAX_BINDINGS_FILE_LINES} lines`, () => {
  const long = rustFiles('src/bindings')
    .map((file) => [file, readFileSync(path.join(REPO_ROOT, file), 'utf8').split('\n').length - 1])
    .filter(([, lines]) => lines > MAX_BINDINGS_FILE_LINES);
  assert.deepEqual(long, []);
  assert.ok(rustFiles('src/bindings').length >= 8, 'the bindings are split by job');
});
