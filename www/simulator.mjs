// Builds and runs the Connect simulator (the Rust crate in simulator/) as a child process.
//
//   await buildSimulator();                         // cargo build -p smartcar-connect-simulator
//   const sim = await startSimulator({ port: 0, env: { DEMO_ORIGIN, REDIRECT_ORIGIN } });
//   sim.url   // 'http://localhost:41234'
//   await sim.stop();
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SIMULATOR_BIN = path.join(ROOT, 'target', 'debug', 'smartcar-connect-simulator');
const CARGO_ENV = { ...process.env, PATH: `${process.env.HOME ?? '/root'}/.cargo/bin:${process.env.PATH}` };

/** `cargo build -p smartcar-connect-simulator` (debug: the fastest to compile on a small machine). */
export function buildSimulator({ quiet = true } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn('cargo', ['build', ...(quiet ? ['-q'] : []), '-p', 'smartcar-connect-simulator'], { cwd: ROOT, env: CARGO_ENV, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`cargo build -p smartcar-connect-simulator exited with ${code}`))));
  });
}

/**
 * Starts the simulator and resolves once it listens (bounded: `timeout` ms).
 * @param {object} [o]
 * @param {number} [o.port] 0 = any free port
 * @param {string} [o.config] a config file (default: the built-in simulator/connect.json)
 * @param {Record<string,string>} [o.env] e.g. DEMO_ORIGIN, REDIRECT_ORIGIN for the config's placeholders
 * @param {(line: string) => void} [o.log] receives the simulator's request log (default: dropped)
 */
export function startSimulator({ port = 8002, config, env = {}, log, timeout = 10000 } = {}) {
  const args = ['--port', String(port), ...(config ? ['--config', config] : []), ...(log ? [] : ['--quiet'])];
  const child = spawn(SIMULATOR_BIN, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    if (log) for (const line of d.split('\n')) if (line.trim()) log(line);
    else stderr += d;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { stop(); reject(new Error(`the simulator did not start within ${timeout} ms\n${stderr}`)); }, timeout);
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/localhost:(\d+))/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], port: Number(m[2]), api: `http://127.0.0.1:${m[2]}`, child, stop });
      }
    });
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the simulator exited with ${code}\n${stderr}`)); });
  });
}
