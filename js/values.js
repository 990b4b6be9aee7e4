// What the wasm's readers (src/bindings/read.rs and value.rs) ask of JS values, each in one
// call instead of one per test. Which values are acceptable, and what they mean, is decided
// in Rust.

// Nothing here throws but `readProperties`, whose import is `catch` (what a getter throws is
// the caller's error): an exception from JS that unwinds through the wasm's frames leaves its
// stack pointer where they had moved it, and enough of them would exhaust its stack for good.

/**
 * The kind of `value`: 0 undefined, 1 null, 2 false (and `0n`, the one falsy value among the
 * rest: options are tested for truthiness as the reference tests them), 3 true, 4 number,
 * 5 string (of at most `maxText` UTF-16 units), 6 array, 7 function, 8 any other object,
 * 9 anything else (a symbol, any other BigInt, a longer string, a revoked Proxy), 10 a string
 * holding a lone surrogate (which no UTF-8 copy in wasm memory can keep).
 */
export function kindOf(value, maxText) {
  switch (typeof value) {
    case 'undefined': return 0;
    case 'boolean': return value ? 3 : 2;
    case 'bigint': return value ? 9 : 2;
    case 'number': return 4;
    case 'string': return value.length > maxText ? 9 : wellFormed(value) ? 5 : 10;
    case 'function': return 7;
    case 'object':
      if (value === null) return 1;
      try {
        return Array.isArray(value) ? 6 : 8;
      } catch {
        return 9;
      }
    default: return 9;
  }
}

// Read once, when the module loads (a page that replaces it later changes nothing); engines
// before 2023 have none, and a pattern finds what it would.
const isWellFormed = String.prototype.isWellFormed;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `text` holds no lone surrogate. */
const wellFormed = (text) => (isWellFormed ? isWellFormed.call(text) : !LONE_SURROGATE.test(text));

/** `key in object`; `undefined` when that throws (a Proxy's trap). */
export function has(object, key) {
  try {
    return key in object;
  } catch {
    return undefined;
  }
}

/** Whether `object` has `key` as an own property (the reference's `hasOwnProperty`);
 * `undefined` when that throws. */
export function hasOwn(object, key) {
  try {
    return Object.prototype.hasOwnProperty.call(object, key);
  } catch {
    return undefined;
  }
}

// Read once, when the module loads: a page that pollutes prototypes later cannot change them.
const prototypeOf = Object.getPrototypeOf;
const hasOwnKey = Function.prototype.call.bind(Object.prototype.hasOwnProperty);

/** The prototypes whose keys only a polluted page defines: `Object.prototype`, and the face's
 * class prototype (js/smartcar.js adds it). */
export const sharedPrototypes = new Set([Object.prototype]);

/**
 * Whether `key` of `object` is defined on it, or on an object it inherits from below the shared
 * prototypes (`sharedPrototypes`, and the root of any realm's chain: another realm's
 * `Object.prototype`), where only a polluted page defines it; `false` when that throws (a
 * Proxy's trap). A Proxy without a `getOwnPropertyDescriptor` trap has only its target's own
 * keys.
 */
export function definedBelowPrototypes(object, key) {
  try {
    for (let o = object; o !== null; o = prototypeOf(o)) {
      if (o !== object && (sharedPrototypes.has(o) || prototypeOf(o) === null)) return false;
      if (hasOwnKey(o, key)) return true;
    }
  } catch {
    // As if polluted.
  }
  return false;
}

/** The keys of `text` (each followed by a space), as an array for `readProperties`. */
export const keyList = (text) => text.split(' ').slice(0, -1);

/**
 * The values of the `names` (a `keyList`) of `object`, in order: each getter runs once, as
 * when the reference reads the property, and what it throws propagates.
 */
export function readProperties(object, names) {
  const values = new Array(names.length);
  for (let i = 0; i < names.length; i++) values[i] = object[names[i]];
  return values;
}

/** `[...list]` for an array of at most `max` items, `undefined` for a longer one, and when
 * reading it throws. */
export function items(list, max) {
  try {
    return list.length > max ? undefined : Array.from(list);
  } catch {
    return undefined;
  }
}

/** `String(n)` for a number. */
export const numberText = (n) => String(n);

/** `fn.length` as a count; 0 when it is not a number, and when its getter throws. */
export function arity(fn) {
  try {
    return fn.length >>> 0;
  } catch {
    return 0;
  }
}

/** `a + b + c`, for three strings (a URL from its parts). */
export const concat = (a, b, c) => a + b + c;

/** `parseFloat(value)`; NaN for `undefined`, and when `String(value)` throws. */
export function number(value) {
  try {
    return value === undefined ? NaN : parseFloat(value);
  } catch {
    return NaN;
  }
}
