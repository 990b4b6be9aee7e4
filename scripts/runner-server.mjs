// Keeps wasm-bindgen-test-runner's HTTP server serving its test page (scripts/test.mjs's wasm
// layer).
//
// The runner's server (tiny_http 0.12) serves each connection on a thread of its own until the
// browser closes it, from a pool of at least four. When two connections arrive while one thread
// is idle, both are queued for that thread (the pool counts it idle until it wakes): one is
// served, the other waits in the queue until some thread's connection ends. With the browser's
// other connections kept alive, none ends, and the page waits for that request until the
// runner gives up (seen as "Loading scripts..." for 60 s, in about one run in two in Chromium
// and some in WebKit: a stack dump of a stalled runner shows four threads reading idle
// connections and a fifth connection, its request unread, served by none).
//
// A connection that ends frees its thread for what is queued. So while the runner runs, one
// short HTTP/1.0 request (a 404, which the runner answers and then closes) reaches its server
// every `ms`: whatever was queued is served within that time.
//
//   const port = await freePort();             // for WASM_BINDGEN_TEST_ADDRESS=127.0.0.1:port
//   const stop = keepServing(port, 1000);
//   ...; stop();
import net from 'node:net';

/** A TCP port free on 127.0.0.1 now (the runner binds it: WASM_BINDGEN_TEST_ADDRESS). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Sends one short request to 127.0.0.1:`port` every `ms` until the returned function is
 * called. Between the runner's test binaries nothing listens there: the attempt just fails. */
export function keepServing(port, ms) {
  const poke = () => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(ms, () => socket.destroy());
    socket.once('connect', () => socket.write('GET /__keep-serving HTTP/1.0\r\n\r\n'));
    socket.on('data', () => {});
    socket.once('end', () => socket.destroy());
    socket.once('error', () => socket.destroy());
  };
  const timer = setInterval(poke, ms);
  return () => clearInterval(timer);
}
