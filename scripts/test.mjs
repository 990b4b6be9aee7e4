#!/usr/bin/env node
// The test orchestrator behind `npm test`. Runs, in order, streaming their output:
//   native  cargo test --workspace
//   wasm    scripts/cargo-wasm.sh test --workspace --lib --tests, once per browser
//           (wasm-bindgen-test-runner: CHROMEDRIVER for Chromium, GECKODRIVER for Firefox)
//   e2e     node --test tests/e2e/ (browsers from E2E_BROWSERS, default chromium,firefox)
// and ends with one line: `N passed, M failed` (`, K skipped` when K > 0). Exits non-zero when
// any layer failed or exited non-zero.
//
//   node scripts/test.mjs [--only native|wasm|e2e[,…]]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CARGO_BIN = path.join(process.env.HOME ?? '/root', '.cargo', 'bin');
const CHROMEDRIVER = process.env.CHROMEDRIVER ?? '/usr/bin/chromedriver';
const GECKODRIVER = process.env.GECKODRIVER ?? path.join(CARGO_BIN, 'geckodriver');
const BROWSERS = (process.env.E2E_BROWSERS ?? 'chromium,firefox').split(',').map((s) => s.trim()).filter(Boolean);

const onlyArg = process.argv.indexOf('--only');
const only = onlyArg >= 0 ? (process.argv[onlyArg + 1] ?? '').split(',') : null;
const LAYERS = ['native', 'wasm', 'e2e'];
if (only && (!only.length || only.some((l) => !LAYERS.includes(l)))) {
  console.error(`usage: node scripts/test.mjs [--only ${LAYERS.join('|')}[,…]]`);
  process.exit(2);
}

/** `test result: ok. 3 passed; 0 failed; 1 ignored; …` lines (cargo and wasm-bindgen-test-runner). */
function parseCargo(out) {
  const t = { passed: 0, failed: 0, skipped: 0 };
  for (const m of out.matchAll(/^test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored/gm)) {
    t.passed += +m[1];
    t.failed += +m[2];
    t.skipped += +m[3];
  }
  return t;
}

/** The spec reporter's summary: `ℹ pass N`, `ℹ fail N`, `ℹ cancelled N`, `ℹ skipped N`, `ℹ todo N`. */
function parseNodeTest(out) {
  const n = (k) => +(out.match(new RegExp(`^ℹ ${k} (\\d+)$`, 'm'))?.[1] ?? 0);
  return { passed: n('pass'), failed: n('fail') + n('cancelled'), skipped: n('skipped') + n('todo') };
}

/** Runs a command with inherited stdin, tees its output, resolves to { code, out }. */
function run(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['inherit', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    child.on('error', (e) => { out += String(e); resolve({ code: 127, out }); });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), out }));
  });
}

const baseEnv = { ...process.env, PATH: `${CARGO_BIN}:${process.env.PATH}` };
const withoutDrivers = () => {
  const env = { ...baseEnv, WASM_BINDGEN_TEST_TIMEOUT: '60' };
  for (const k of ['CHROMEDRIVER', 'GECKODRIVER', 'SAFARIDRIVER']) delete env[k];
  return env;
};

/** Every step: its layer, a label, what it runs, how its output is counted, and a precondition. */
const steps = [
  { layer: 'native', label: 'cargo test --workspace', cmd: 'cargo', args: ['test', '--workspace'], env: baseEnv, parse: parseCargo },
  ...BROWSERS.map((browser) => ({
    layer: 'wasm',
    label: `wasm-bindgen tests in ${browser}`,
    cmd: 'bash',
    // The crates that run in the browser (not host-only members such as the simulator).
    args: ['scripts/cargo-wasm.sh', 'test', '-p', 'smartcar-auth', '-p', 'smartcar-redirect', '-p', 'smartcar-protocol', '--lib', '--tests'],
    env: { ...withoutDrivers(), ...(browser === 'firefox' ? { GECKODRIVER } : { CHROMEDRIVER }) },
    parse: parseCargo,
    missing: !existsSync(path.join(ROOT, 'scripts/cargo-wasm.sh')) ? 'scripts/cargo-wasm.sh does not exist'
      : browser === 'firefox' && !existsSync(GECKODRIVER) ? `geckodriver not found at ${GECKODRIVER}`
      : browser === 'chromium' && !existsSync(CHROMEDRIVER) ? `chromedriver not found at ${CHROMEDRIVER}`
      : !['chromium', 'firefox'].includes(browser) ? `unknown browser '${browser}' in E2E_BROWSERS` : null,
  })),
  {
    layer: 'e2e',
    label: `browser tests (${BROWSERS.join(', ')})`,
    cmd: process.execPath,
    // One file at a time: each file drives its own browsers, and the machine has 2 cores.
    args: ['--test', '--test-reporter=spec', '--test-concurrency=1', '--test-timeout=60000', 'tests/e2e/'],
    env: { ...baseEnv, E2E_BROWSERS: BROWSERS.join(',') },
    parse: parseNodeTest,
  },
];

const total = { passed: 0, failed: 0, skipped: 0 };
const summary = [];
for (const step of steps) {
  if (only && !only.includes(step.layer)) continue;
  console.log(`\n=== ${step.layer}: ${step.label} ===\n`);
  let counts;
  let note = '';
  if (step.missing) {
    counts = { passed: 0, failed: 1, skipped: 0 };
    note = `NOT RUN: ${step.missing}`;
    console.error(`✖ ${step.layer} layer failed: ${step.missing}`);
  } else {
    const started = Date.now();
    const { code, out } = await run(step.cmd, step.args, step.env);
    counts = step.parse(out);
    note = `exit ${code}, ${((Date.now() - started) / 1000).toFixed(1)} s`;
    if (code !== 0 && counts.failed === 0) {
      // It failed without a failing test to show for it (a build error, a crash, a timeout):
      // count the step itself as one failure so the final line cannot read as green.
      counts.failed = 1;
      note += ', failed before reporting a failing test';
      console.error(`✖ ${step.layer} layer failed: ${step.cmd} ${step.args.join(' ')} exited with ${code}`);
    }
  }
  for (const k of Object.keys(total)) total[k] += counts[k];
  summary.push(`${counts.failed ? '✖' : '✔'} ${step.layer.padEnd(6)} ${step.label}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${note})`);
}

console.log(`\n=== summary ===\n${summary.join('\n')}\n`);
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed ? 1 : 0);
