// The error classes apps test with `instanceof`, and what the wasm does more cheaply in JS:
// report an app's exception without unwinding through Rust frames, and make a Promise.
// Imported by the Rust bindings (src/bindings/errors.rs); the entry module exposes the classes
// as static members of `Smartcar`.

/** The user denied the app access to their vehicle. */
export class AccessDenied extends Error {
  constructor(message) {
    super(message);
    this.name = 'AccessDenied';
  }
}

/** The vehicle owner's connected-services subscription is inactive. */
export class InvalidSubscription extends Error {
  constructor(message) {
    super(message);
    this.name = 'InvalidSubscription';
  }
}

/** The vehicle cannot be connected; `vehicleInfo` is `{vin, make, year, model?}` or `null`. */
export class VehicleIncompatible extends Error {
  constructor(message, vehicleInfo) {
    super(message);
    this.name = 'VehicleIncompatible';
    this.vehicleInfo = vehicleInfo;
  }
}

/** `[promise, resolve, reject]`: a Promise with its settling functions, for `connect()`. */
export function deferred() {
  let settle;
  const promise = new Promise((resolve, reject) => { settle = [resolve, reject]; });
  return [promise, ...settle];
}

// An exception thrown by the app's `onComplete` surfaces as an uncaught error, as it does with
// `@smartcar/auth`, instead of vanishing or unwinding through wasm.
export function reportError(error) {
  setTimeout(() => {
    throw error;
  });
}

/** `window.open` returned nothing: a popup blocker stopped the Connect popup. */
export class PopupBlocked extends Error {
  constructor(message) {
    super(message);
    this.name = 'PopupBlocked';
  }
}

/** The user closed the Connect popup before Connect finished. */
export class PopupClosed extends Error {
  constructor(message) {
    super(message);
    this.name = 'PopupClosed';
  }
}

/** Connect did not finish within the flow's `timeout`. */
export class Timeout extends Error {
  constructor(message) {
    super(message);
    this.name = 'Timeout';
  }
}

/** `connect()` was called while this instance already had Connect open. */
export class InteractionInProgress extends Error {
  constructor(message) {
    super(message);
    this.name = 'InteractionInProgress';
  }
}

// What the wasm's error kinds are (src/bindings/errors.rs): indexes into this list.
const KINDS = [Error, TypeError, AccessDenied, InvalidSubscription, VehicleIncompatible, PopupBlocked, PopupClosed, Timeout, InteractionInProgress];

/** A new error of `kind` (an `AbortError` DOMException when negative). */
export function makeError(kind, message, vehicleInfo) {
  return kind < 0 ? new DOMException(message, 'AbortError') : new KINDS[kind](message, vehicleInfo);
}
