// The package as users get it: `npm pack` of the repository into a temp dir, installed into a
// fresh app directory with `npm install <tarball>`, so "files", "exports" and "types" are what
// the tests exercise (not the working tree).
//
//   const pkg = await packAndInstall();   // { name, tarball, files, app, dir, run, cleanup }
//   pkg.app                               // the app directory, with node_modules/<name>
//   await pkg.run('node', ['x.mjs'], { cwd: pkg.app, timeout: 20000 })  // { code, stdout, stderr }
//   await pkg.cleanup();
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './server.mjs';

/** The npm CLI of the running Node (no PATH lookup surprises). */
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * Runs `cmd args` (bounded: `timeout` ms, then SIGKILL) and resolves to { code, stdout, stderr }.
 * Never rejects on a non-zero exit; rejects when the command cannot start or times out.
 */
export function run(cmd, args, { cwd = REPO_ROOT, env = process.env, timeout = 60000, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} did not finish within ${timeout} ms\n${stdout}\n${stderr}`));
    }, timeout);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }); });
    if (input !== undefined) child.stdin.end(input);
  });
}

/** Like run, but throws (with the output) unless the command exits 0. */
export async function runOk(cmd, args, options) {
  const r = await run(cmd, args, options);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** `npm pack --dry-run --json` of the repository: the list of files the package would hold. */
export async function packList() {
  const { stdout } = await runOk(NPM, ['pack', '--dry-run', '--json', '--ignore-scripts'], { timeout: 30000 });
  const [info] = JSON.parse(stdout);
  return info;
}

/** Packs the repository and installs the tarball into a fresh app directory (see top). */
export async function packAndInstall() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'smartcar-pkg-'));
  try {
    const { name } = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    const { stdout } = await runOk(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { timeout: 30000 });
    const [info] = JSON.parse(stdout);
    const tarball = path.join(dir, info.filename);
    const app = path.join(dir, 'app');
    await mkdir(app);
    await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'tiny-app', version: '1.0.0', private: true, type: 'module' }, null, 2));
    // The package has no dependencies: nothing is fetched from the registry.
    await runOk(NPM, ['install', tarball, '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'], { cwd: app, timeout: 60000 });
    return {
      name, tarball, files: info.files.map((f) => f.path), app, dir, run,
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
