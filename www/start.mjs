#!/usr/bin/env node
// `npm start` (after setup.sh and the SDK build): builds the simulator and the React demo, then
// serves everything on localhost until Ctrl-C.
//
//   PORT           the demos                      (default 8000)
//   REDIRECT_PORT  the SPA's redirect page origin (default PORT + 1)
//   CONNECT_PORT   the Connect simulator          (default PORT + 2)
//   CONNECT_CONFIG a simulator config file        (default: the built-in simulator/connect.json)
import { buildSpa } from './build-spa.mjs';
import { startDemos } from './server.mjs';
import { buildSimulator, startSimulator } from './simulator.mjs';

const port = (name, fallback) => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    console.error(`${name}=${v} is not a port number`);
    process.exit(2);
  }
  return n;
};
const PORT = port('PORT', 8000);
const REDIRECT_PORT = port('REDIRECT_PORT', PORT + 1);
const CONNECT_PORT = port('CONNECT_PORT', PORT + 2);
const verbose = !!process.env.VERBOSE;

console.log('[start] building the Connect simulator (cargo) and the React demo (Vite)…');
await buildSimulator({ quiet: true });
await buildSpa({ log: (l) => console.log(`[start] ${l}`) });

const stopping = [];
let stopped = false;
async function stopAll(code = 0) {
  if (stopped) return;
  stopped = true;
  console.log('\n[start] stopping…');
  for (const s of stopping.reverse()) await s().catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

const demoOrigin = `http://localhost:${PORT}`;
const redirectOrigin = `http://localhost:${REDIRECT_PORT}`;
let sim;
try {
  sim = await startSimulator({
    port: CONNECT_PORT,
    config: process.env.CONNECT_CONFIG,
    env: { DEMO_ORIGIN: demoOrigin, REDIRECT_ORIGIN: redirectOrigin },
    log: verbose ? (l) => console.log(l) : undefined,
  });
} catch (e) {
  console.error(`[start] ${e.message}`);
  process.exit(1);
}
stopping.push(sim.stop);
sim.child.on('exit', (code, signal) => {
  if (!stopped) {
    console.error(`[start] the Connect simulator stopped unexpectedly (${signal ?? code})`);
    stopAll(1);
  }
});

let demos;
try {
  demos = await startDemos({
    port: PORT,
    redirectPort: REDIRECT_PORT,
    connectUrl: sim.url,
    connectApi: sim.api,
    log: (l) => console.log(`[demo] ${l}`),
  });
} catch (e) {
  console.error(`[start] could not serve the demos: ${e.message} (set PORT to use other ports)`);
  await stopAll(1);
}
stopping.push(demos.close);

console.log(`
  Smartcar Connect demos are running.

  Open  ${demos.origin}/   and pick a demo:
    1. React single-page app   ${demos.origin}/spa/
    2. Server-rendered app     ${demos.origin}/server/
    3. Application tokens      ${demos.origin}/fleet/

  Click "Connect your car". In the popup: choose any brand, sign in with any email and
  password, then click Allow (or Deny). The page then shows your (simulated) vehicle.
  To see Connect's errors, sign in as smartcar@vehicle-incompatible.com or
  smartcar@invalid-subscription.com.

  Connect simulator: ${sim.url}/   redirect page: ${demos.redirectOrigin}/redirect.html
  Press Ctrl-C to stop.
`);
