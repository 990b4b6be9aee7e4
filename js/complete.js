// How a result reaches the app: onComplete's arguments (made for the wasm, which fills them
// in: src/bindings/complete.rs), connect()'s and handleRedirect()'s result, and reporting an
// exception of onComplete without unwinding. What a result is, and whether it counts, is
// decided in Rust (src/receive.rs); these only carry values.

/** onComplete's six arguments, in the reference's order. */
export function completion(error, code, state, virtualKeyUrl, userId, externalId) {
  return [error, code, state, virtualKeyUrl, userId, externalId];
}

/** Reports `error` as an uncaught exception, without unwinding the caller. */
export function report(error) {
  if (typeof reportError === 'function') reportError(error);
  else setTimeout(() => { throw error; });
}

/** What `connect()` and `handleRedirect()` resolve with, from onComplete's arguments. */
export function connectResult(args) {
  return { code: args[1], state: args[2], virtualKeyUrl: args[3], userId: args[4], externalId: args[5] };
}
