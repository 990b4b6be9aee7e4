#!/usr/bin/env node
// Runs the cargo-fuzz targets in fuzz/ for a bounded time each, and reports them the way cargo
// test does (`test result: ok. N passed; M failed; 0 ignored`), one test per target, so that
// scripts/test.mjs counts them. Exits non-zero when a target crashed or could not run.
//
//   node scripts/fuzz.mjs [seconds per target, default 60] [target …]
//   npm run fuzz -- 600            (the documented longer run: 10 minutes per target)
//   node scripts/fuzz.mjs ci       (what `npm test` runs: a fixed seed and a fixed number of
//                                   runs from the committed seeds only, so the same commit
//                                   always explores the same inputs and CI cannot turn red
//                                   by chance; finding new bugs is the longer runs' job)
//
// Needs the nightly toolchain (cargo-fuzz builds with -Zsanitizer=address) and cargo-fuzz
// (scripts/setup.sh installs it). New corpus entries go to fuzz/corpus/<target> (local);
// fuzz/seeds/<target> is read too. A crash leaves its input in fuzz/artifacts/<target>/.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FUZZ = path.join(ROOT, 'fuzz');
const CARGO_BIN = path.join(process.env.HOME ?? '/root', '.cargo', 'bin');
const env = { ...process.env, PATH: `${CARGO_BIN}:${process.env.PATH}` };
const ALL = readdirSync(path.join(FUZZ, 'fuzz_targets')).filter((f) => f.endsWith('.rs')).map((f) => f.slice(0, -3)).sort();

const CI_RUNS = 20000;
const [secondsArg, ...targetArgs] = process.argv.slice(2);
const ci = secondsArg === 'ci';
const seconds = ci ? 0 : secondsArg === undefined ? 60 : Number(secondsArg);
const targets = targetArgs.length ? targetArgs : ALL;
if ((!ci && (!Number.isInteger(seconds) || seconds < 1)) || targets.some((t) => !ALL.includes(t))) {
  console.error(`usage: node scripts/fuzz.mjs [seconds per target | ci] [${ALL.join('|')} …]`);
  process.exit(2);
}

function report(results) {
  const failed = results.filter((r) => !r.ok).length;
  for (const r of results) console.log(`test fuzz::${r.target} ... ${r.ok ? 'ok' : 'FAILED'}${r.note ? ` (${r.note})` : ''}`);
  console.log(`\ntest result: ${failed ? 'FAILED' : 'ok'}. ${results.length - failed} passed; ${failed} failed; 0 ignored; 0 measured; 0 filtered out`);
  process.exit(failed ? 1 : 0);
}

/** Every target fails with the same reason, said clearly (no toolchain, no cargo-fuzz, no build). */
function allFail(reason) {
  console.error(`✖ fuzz: ${reason}`);
  report(targets.map((target) => ({ target, ok: false, note: reason })));
}

const nightly = spawnSync('cargo', ['+nightly', '--version'], { env, encoding: 'utf8' });
if (nightly.status !== 0) {
  allFail('the nightly Rust toolchain is missing (cargo-fuzz needs it for -Zsanitizer): install it with `rustup toolchain install nightly`');
}
const cargoFuzz = spawnSync('cargo', ['+nightly', 'fuzz', '--version'], { env, encoding: 'utf8' });
if (cargoFuzz.status !== 0) {
  allFail('cargo-fuzz is not installed (scripts/setup.sh installs it; by hand: cargo install cargo-fuzz)');
}

/** Runs cargo in fuzz/, keeping its output; streams it when `stream`. */
function cargo(args, { stream = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn('cargo', ['+nightly', ...args], { cwd: FUZZ, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const take = (d) => { out += d; if (stream) process.stderr.write(d); };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (e) => resolve({ code: 127, out: out + String(e) }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), out }));
  });
}

console.log(`fuzz: ${targets.join(', ')}, ${ci ? `${CI_RUNS} runs with seed 1` : `${seconds} s`} each (${nightly.stdout.trim()}, ${cargoFuzz.stdout.trim()})`);
const build = await cargo(['fuzz', 'build'], { stream: true });
if (build.code !== 0) allFail('cargo fuzz build failed (output above)');

const results = [];
for (const target of targets) {
  // In ci mode, new inputs go to a fresh directory, so that what earlier local runs found does
  // not change what this run explores.
  const corpus = ci ? mkdtempSync(path.join(tmpdir(), `fuzz-${target}-`)) : path.join(FUZZ, 'corpus', target);
  mkdirSync(corpus, { recursive: true });
  const started = Date.now();
  const budget = ci ? ['-seed=1', `-runs=${CI_RUNS}`] : [`-max_total_time=${seconds}`];
  const run = await cargo([
    'fuzz', 'run', target, corpus, path.join(FUZZ, 'seeds', target), '--',
    ...budget, '-timeout=10', '-rss_limit_mb=2048', '-print_final_stats=1',
  ]);
  if (ci) rmSync(corpus, { recursive: true, force: true });
  const runs = run.out.match(/Done (\d+) runs/)?.[1];
  const elapsed = ((Date.now() - started) / 1000).toFixed(1);
  if (run.code === 0) {
    results.push({ target, ok: true, note: `${runs ?? '?'} runs in ${elapsed} s` });
  } else {
    // The crash report: libFuzzer's last lines name the artifact and how to reproduce it.
    console.error(run.out.split('\n').slice(-60).join('\n'));
    const artifact = run.out.match(/Test unit written to (\S+)/)?.[1];
    results.push({ target, ok: false, note: artifact ? `crash input: ${artifact}` : `exit ${run.code} after ${elapsed} s` });
  }
}
report(results);
