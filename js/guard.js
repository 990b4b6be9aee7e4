// Calls into the SDK's module, and its stack pointer put back after an exception unwound
// through the module's frames. js/smartcar.js makes every call through `guarded` but
// `watchClosed`'s (numbers only, from a timer, where the stack is at its bottom); the glue's
// finalizer frees instances from the garbage collector, at the top of the event loop.

// The module's stack pointer (a `WebAssembly.Global`), where it stands when no call is under
// way, and how many calls into the module are under way.
let stack;
let top;
let depth = 0;
// Whether an exception came out of a call since a timer was last set to put the count back:
// only then can a `finally` have been skipped.
let unwound = false;

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
 * A call that starts while another is under way (a getter calling the SDK as it is read)
 * leaves the stack pointer alone. Firefox was seen to skip, now and then, the `finally` of a
 * call the stack ran out in, leaving the count up as if a call were still under way: so once an
 * exception has come out of a call (the module's own calls never throw: that is an unwinding),
 * a call that starts with the count up also sets a timer that puts the count back to none,
 * which is true once it runs (a timer runs from the event loop, never inside a call). Nothing
 * is scheduled otherwise, nested calls included: frameworks watch timers and microtasks
 * (Angular's zone runs change detection after each), and test runners count them.
 */
export function guarded(call) {
  if (depth === 0) {
    stack.value = top;
  } else if (unwound) {
    setTimeout(noneUnderWay);
    unwound = false;
  }
  depth++;
  try {
    return call();
  } catch (error) {
    unwound = true;
    throw error;
  } finally {
    if (depth > 0) depth--;
  }
}

function noneUnderWay() {
  depth = 0;
}
