// The error classes apps test with `instanceof`, and the one factory the wasm makes every error
// with (src/bindings/errors.rs); the face (js/smartcar.js) exposes the classes as static members
// of `Smartcar`, as the reference does.

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


// The errors of what happened on the page (a popup blocked or closed, a flow that timed out)
// carry their own default messages; the errors of what the rules decided are made by the wasm,
// with the rules' messages.

/** `window.open` returned nothing: a popup blocker stopped the Connect popup. */
export class PopupBlocked extends Error {
  constructor(message = 'The browser blocked the Connect popup. Call connect() directly inside a click handler, or pass fallback: "redirect".') {
    super(message);
    this.name = 'PopupBlocked';
  }
}

/** The user closed the Connect popup before Connect finished. */
export class PopupClosed extends Error {
  constructor(message = 'The Connect popup was closed before Connect finished.') {
    super(message);
    this.name = 'PopupClosed';
  }
}

/** Connect did not finish within the flow's `timeout` (in ms). */
export class Timeout extends Error {
  constructor(message = 'Connect did not finish in time.') {
    super(typeof message === 'number' ? `Connect did not finish within ${message} ms.` : message);
    this.name = 'Timeout';
  }
}

/** `connect()` was called while this instance already had Connect open. */
export class InteractionInProgress extends Error {
  constructor(message = 'Connect is already open in a popup for this instance; it was brought to the front.') {
    super(message);
    this.name = 'InteractionInProgress';
  }
}

/** `handleRedirect()` got a result of no Connect flow this tab started, or one already used. */
export class InvalidState extends Error {
  constructor(message) {
    super(message);
    this.name = 'InvalidState';
  }
}

/** An `AbortError` DOMException, what aborted web APIs reject with. */
export const abortError = (message) => new DOMException(message, 'AbortError');

/** An error of the wasm side, boxed: its methods answer with their value or one of these. */
class Thrown {
  constructor(error) {
    this.error = error;
  }
}

/** `error`, boxed (src/bindings/class.rs's `answer`). */
export const thrown = (error) => new Thrown(error);

/** A wasm method's `answer`: its value, or its error thrown. */
export function unbox(answer) {
  if (answer instanceof Thrown) throw answer.error;
  return answer;
}

// What the wasm's error kinds are (src/bindings/errors.rs): indexes into this list.
const KINDS = [Error, TypeError, AccessDenied, InvalidSubscription, VehicleIncompatible, InvalidState, URIError];

/** A new error of `kind`, with `message` (and `vehicleInfo`) as the class takes them;
 * `undefined` when `String(message)` throws (a message's description can be an object with a
 * `toString` that is not a function), which must not unwind through the wasm. */
export function makeError(kind, message, vehicleInfo) {
  try {
    return new KINDS[kind](message, vehicleInfo);
  } catch {
    return undefined;
  }
}
