// Types of @smartcar-rs/auth: a drop-in replacement for @smartcar/auth 2.14.1.
//
// The module's values are `Smartcar` (default and named export) and nothing else: the error
// classes are reached as `Smartcar.AccessDenied`, ..., so they are exported here as types only
// (`import type { AccessDenied }`, or `Smartcar.AccessDenied` in a type position).

/** What a non-string `state` may be: it travels through Connect as its JSON. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Where Connect runs: real vehicles (`live`), test vehicles (`test`), or simulated ones. */
export type Mode = 'test' | 'live' | 'simulated';

/** `code` (the default) returns an authorization code; `none` is the redirect-less M2M flow. */
export type ResponseType = 'code' | 'none';

/** The vehicle an incompatible-vehicle error is about, when the user allowed sharing it. */
export interface VehicleInfo {
  vin: string;
  make: string;
  year: number;
  model?: string;
}

/**
 * Called once per completed Connect flow, with an error or the authorization code. Every
 * argument is always passed: `null` for a field Connect did not return, `undefined` for an
 * absent `state` or external id. A function taking fewer parameters is fine.
 */
export type OnComplete = (
  error: Error | null,
  code: string | null,
  state: JsonValue | undefined,
  virtualKeyUrl: string | null,
  userId: string | null,
  externalId: string | undefined,
) => void;

/** The options of `new Smartcar(options)`. One of `applicationId` and `clientId` is required. */
export type SmartcarOptions = {
  /** Deprecated alias of `applicationId`. */
  clientId?: string;
  /** The registered redirect URI: the SDK accepts results only from its exact origin. */
  redirectUri?: string;
  /** The permissions to request, such as `read_vehicle_info`. */
  scope?: readonly string[];
  onComplete?: OnComplete;
  /** Default `'live'`. */
  mode?: Mode;
  /** Deprecated: `true` means `mode: 'test'`. */
  testMode?: boolean;
  /** Default `'code'`. */
  responseType?: ResponseType;
  /** Passed to Connect and handed back to `onComplete`; `null` clears it explicitly. */
  externalId?: string | null;
  /** Connect's base URL (default `https://connect.smartcar.com`), e.g. a local simulator. */
  connectUrl?: string;
} & ({ applicationId: string } | { applicationId?: string; clientId: string });

/** The options of `getAuthUrl`. */
export interface AuthUrlOptions {
  /**
   * Your own state, handed back to `onComplete` unchanged: any Unicode text, or a JSON value
   * (sent as its JSON). A falsy state (`''`, `0`, `false`, `null`) is not sent.
   */
  state?: JsonValue;
  /** Show the permission screen even if the user already consented. */
  forcePrompt?: boolean;
  /** `make` skips the brand selection screen. */
  vehicleInfo?: { make?: string };
  /** `true` limits the user to one vehicle; `{vin}` to that vehicle. */
  singleSelect?: boolean | { vin?: string };
  /** Feature flags your application has early access to. */
  flags?: readonly string[];
  /** Your id for the vehicle owner, for analytics across Connect sessions. */
  user?: string;
}

/** Position and size of the popup; numbers or numeric strings. */
export interface WindowOptions {
  top?: number | string;
  left?: number | string;
  width?: number | string;
  height?: number | string;
}

/** The options of `openDialog`. */
export interface DialogOptions extends AuthUrlOptions {
  windowOptions?: WindowOptions;
}

/** The options of `connect`. */
export interface ConnectOptions extends DialogOptions {
  /** How long the flow may last, in ms (default 15 minutes); then it rejects with `Timeout`. */
  timeout?: number;
  /** Aborting it closes the popup and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** What `connect` resolves with. */
export interface ConnectResult {
  code: string | null;
  state: JsonValue | undefined;
  virtualKeyUrl: string | null;
  userId: string | null;
  externalId: string | undefined;
}

/** The options of `addClickHandler`: `id` or `selector` (or both) is required. */
export type ClickHandlerOptions = DialogOptions &
  ({ id: string; selector?: string } | { id?: string; selector: string });

/** The user denied your application access. */
declare class AccessDenied extends Error {
  constructor(message?: string | null);
  name: 'AccessDenied';
}

/** The vehicle owner's connected-services subscription is inactive. */
declare class InvalidSubscription extends Error {
  constructor(message?: string | null);
  name: 'InvalidSubscription';
}

/** The vehicle cannot be connected. */
declare class VehicleIncompatible extends Error {
  constructor(message: string | null | undefined, vehicleInfo: VehicleInfo | null);
  name: 'VehicleIncompatible';
  vehicleInfo: VehicleInfo | null;
}

/** `connect()` could not open its popup: the browser blocked it. */
declare class PopupBlocked extends Error {
  constructor(message?: string);
  name: 'PopupBlocked';
}

/** The user closed the Connect popup before Connect finished. */
declare class PopupClosed extends Error {
  constructor(message?: string);
  name: 'PopupClosed';
}

/** Connect did not finish within `connect()`'s `timeout`. */
declare class Timeout extends Error {
  constructor(message?: string);
  name: 'Timeout';
}

/** `connect()` was called while this instance already had Connect open. */
declare class InteractionInProgress extends Error {
  constructor(message?: string);
  name: 'InteractionInProgress';
}

/** Smartcar Connect for this page. */
export class Smartcar {
  constructor(options: SmartcarOptions);
  static readonly AccessDenied: typeof AccessDenied;
  static readonly InvalidSubscription: typeof InvalidSubscription;
  static readonly VehicleIncompatible: typeof VehicleIncompatible;
  static readonly PopupBlocked: typeof PopupBlocked;
  static readonly PopupClosed: typeof PopupClosed;
  static readonly Timeout: typeof Timeout;
  static readonly InteractionInProgress: typeof InteractionInProgress;

  readonly applicationId: string;
  readonly clientId: string;
  readonly redirectUri: string | undefined;
  readonly scope: readonly string[] | undefined;
  onComplete: OnComplete | undefined;
  readonly mode: Mode;
  readonly responseType: ResponseType;
  readonly externalId: string | null | undefined;
  /** 128 random bits, hex: ties Connect's result to this instance. */
  readonly instanceId: string;
  readonly connectUrl: string;

  /** The Connect URL, every value percent-encoded. */
  getAuthUrl(options?: AuthUrlOptions): string;
  /** Opens Connect in a popup centred on the app's window. */
  openDialog(options?: DialogOptions): void;
  /**
   * Opens Connect in a popup and settles once, however the flow ends: resolves with the
   * result, or rejects with a Connect error, `PopupBlocked`, `PopupClosed`, `Timeout`,
   * `InteractionInProgress` (a flow is already open; its popup is brought to the front), the
   * signal's abort reason, or an `AbortError` when the instance is unmounted. Call it inside a
   * click handler, before any `await`.
   */
  connect(options?: ConnectOptions): Promise<ConnectResult>;
  /** Opens Connect when the element is clicked (inside the click, so blockers allow it). */
  addClickHandler(options: ClickHandlerOptions): void;
  /** Removes the message listener and every click listener this instance added. */
  unmount(): void;
  /** Releases the instance's wasm memory now (after `unmount`), instead of at garbage collection. */
  free(): void;
}

/** The error classes as types, for annotations: `let e: Smartcar.VehicleIncompatible`. */
export declare namespace Smartcar {
  type AccessDenied = AccessDeniedError;
  type InvalidSubscription = InvalidSubscriptionError;
  type VehicleIncompatible = VehicleIncompatibleError;
  type PopupBlocked = PopupBlockedError;
  type PopupClosed = PopupClosedError;
  type Timeout = TimeoutError;
  type InteractionInProgress = InteractionInProgressError;
}
type AccessDeniedError = AccessDenied;
type InvalidSubscriptionError = InvalidSubscription;
type VehicleIncompatibleError = VehicleIncompatible;
type PopupBlockedError = PopupBlocked;
type PopupClosedError = PopupClosed;
type TimeoutError = Timeout;
type InteractionInProgressError = InteractionInProgress;

// Types only: the module does not export these classes as values (use `Smartcar.AccessDenied`).
export type {
  AccessDenied, InvalidSubscription, VehicleIncompatible, PopupBlocked, PopupClosed, Timeout, InteractionInProgress,
};

export default Smartcar;
