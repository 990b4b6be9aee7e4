// Process helpers for the WebKit runs: WebKitGTK's MiniBrowser has no headless mode, so it
// draws on a private Xvfb server that the tests start and stop themselves.
//
//   const x = await startXvfb()        // bounded (10 s); x.display is ':N', a free display
//   const child = spawnGroup(cmd, args, options)   // a child in its own process group
//   await killGroup(child)             // SIGTERM, then SIGKILL, to the child's whole group
//   await x.stop()
//
// Every child started here runs in its own process group (WebKitWebDriver's group also holds
// the MiniBrowser it starts and MiniBrowser's web and network processes), and every group
// still alive is killed with SIGKILL when this process exits, also on SIGINT, SIGTERM and
// SIGHUP: nothing is left behind even when a test run fails or is interrupted. The ambient
// DISPLAY is never used, so no window appears on a developer's screen.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const XVFB = process.env.XVFB ?? '/usr/bin/Xvfb';

const groups = new Set(); // pids of live group leaders started here
let hooked = false;

function hookExit() {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => { for (const pid of groups) signalGroup(pid, 'SIGKILL'); });
  for (const [sig, n] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
    process.once(sig, () => process.exit(128 + n)); // runs the 'exit' hook above
  }
}

function signalGroup(pid, sig) {
  try {
    process.kill(-pid, sig);
    return true;
  } catch {
    return false; // the group is gone
  }
}

/** Spawns `cmd` in a new process group, remembered until killGroup (or this process's exit). */
export function spawnGroup(cmd, args, options = {}) {
  hookExit();
  const child = spawn(cmd, args, { ...options, detached: true });
  if (child.pid) {
    groups.add(child.pid);
    child.exited = new Promise((resolve) => child.once('close', resolve).once('error', resolve));
  } else {
    child.exited = Promise.resolve();
  }
  return child;
}

/**
 * Ends `child`'s process group: SIGTERM, and SIGKILL for whatever is left of the group after
 * `grace` ms (the leader may have exited while its descendants live on). Resolves when the
 * leader has exited; bounded.
 */
export async function killGroup(child, { grace = 2000 } = {}) {
  const pid = child?.pid;
  if (!pid || !groups.has(pid)) return;
  signalGroup(pid, 'SIGTERM');
  await within(child.exited, grace);
  signalGroup(pid, 'SIGKILL');
  await within(child.exited, 1000);
  groups.delete(pid);
}

/** Resolves with `promise`, or with undefined after `ms` (the timer is cleared once it settles). */
export function within(promise, ms) {
  let timer;
  return Promise.race([promise, new Promise((r) => { timer = setTimeout(r, ms); })]).finally(() => clearTimeout(timer));
}

/** Starts Xvfb on a free display (Xvfb picks it: -displayfd). Bounded: `timeout` ms. */
export async function startXvfb({ timeout = 10000 } = {}) {
  if (!existsSync(XVFB)) throw new Error(`Xvfb not found at ${XVFB}`);
  const child = spawnGroup(XVFB, ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x1024x24'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => { log = (log + d).slice(-2000); });
  let timer;
  try {
    const display = await new Promise((resolve, reject) => {
      let out = '';
      child.stdio[3].on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(`:${out.trim()}`);
      });
      child.exited.then((code) => reject(new Error(`Xvfb exited (${code}) before it was ready: ${log.trim()}`)));
      timer = setTimeout(() => reject(new Error(`Xvfb was not ready within ${timeout} ms: ${log.trim()}`)), timeout);
    });
    return { display, stop: () => killGroup(child) };
  } catch (e) {
    await killGroup(child);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
