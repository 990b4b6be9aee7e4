// Calls into the SDK's module, and its stack pointer put back after an exception unwound
// through the module's frames (js/smartcar.js makes every call through `guarded`).

// The module's stack pointer (a `WebAssembly.Global`), where it stands when no call is under
// way, and how many calls into the module are under way.
let stack;
let top;
let depth = 0;
let recount = false;

/** Watches `global`, the module's stack pointer, where it stands now (no call under way). */
export function watchStack(global) {
  if (stack) return;
  stack = global;
  top = global.value;
}

/**
 * `call()`, a call into the module. An exception that unwinds through the module's frames
 * leaves its stack pointer where those frames had moved it: the module's own code never
 * throws, but the page's own JS stack running out (a `RangeError`) can be thrown inside any JS
 * function the module calls, or as one of its functions is entered. Each such unwinding cost
 * the module stack for good, until every call trapped with "memory access out of bounds". So
 * each outermost call starts with the stack pointer back at the top.
 *
 * Nothing here can throw between counting a call and its `try`, but Firefox was seen to skip
 * the `finally` of a call the stack ran out in, now and then, leaving the count up: once the
 * task is over no call can be under way, so the count is set back to none then.
 */
export function guarded(call) {
  if (depth === 0) {
    stack.value = top;
    if (!recount) {
      recount = true;
      queueMicrotask(noneUnderWay);
    }
  }
  depth++;
  try {
    return call();
  } finally {
    depth--;
  }
}

function noneUnderWay() {
  recount = false;
  depth = 0;
}
