// Types of @smartcar-rs/auth: a drop-in replacement for @smartcar/auth 2.14.1.
//
// The module's values are `Smartcar` (default and named export) and nothing else: the error
// classes are reached as `Smartcar.AccessDenied`, ..., so they are exported here as types only
// (`import type { AccessDenied }`, or `Smartcar.AccessDenied` in a type position).
//
// Two unions below are shaped for tsc's error messages:
// - An object that fits no member of a union, and none better than another, is reported
//   against the member that sorts last (TypeScript 7 sorts them by name; older versions by
//   the order they were created, here the order written). So `{ redirectUri }` is reported as
//   "Property 'applicationId' is missing ... required in type 'RequiredApplicationId'" (not
//   as a missing deprecated `clientId`), and `addClickHandler({ state })` as a missing
//   `selector` in 'SelectorRequiredWithoutId'. Keep those names sorting last.
// - An empty object (`new Smartcar({})`, `addClickHandler({})`) is reported against the
//   parameter's type as written, without detail. So the constructor and `addClickHandler`
//   spell their unions out instead of naming `SmartcarOptions` and `ClickHandlerOptions`
//   (the same types): the message then names `RequiredApplicationId`, or both
//   `IdRequiredWithoutSelector` and `SelectorRequiredWithoutId`.

/**
 * A value your `state` may be: anything JSON can carry. It travels through Connect as its
 * JSON and comes back as `JSON.parse` rebuilds it. A property whose value is `undefined` is
 * dropped on the way, as `JSON.stringify` drops it.
 */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue | undefined };

/** Which vehicles Connect offers: real ones (`'live'`), Smartcar's test vehicles (`'test'`), or simulated ones (`'simulated'`). */
export type Mode = 'test' | 'live' | 'simulated';

/**
 * What Connect hands back: `'code'` (the default), an authorization code your server exchanges
 * for tokens; `'none'`, no code at all (`onComplete` and `connect()` then get `code: null`).
 */
export type ResponseType = 'code' | 'none';

/** The vehicle a `VehicleIncompatible` error is about, when Connect shared it. */
export interface VehicleInfo {
  /** The vehicle's VIN. */
  vin: string;
  /** The vehicle's make, such as `'TESLA'`. */
  make: string;
  /** The model year. */
  year: number;
  /** The model, when Connect sent one. */
  model?: string;
}

/**
 * The error `onComplete` receives (and `connect()` rejects with) when Connect reports one:
 * `Smartcar.AccessDenied`, `Smartcar.InvalidSubscription`, `Smartcar.VehicleIncompatible`, or a
 * plain `Error('Unexpected error: <code> - <description>')` for any other Connect error. Tell
 * them apart with `instanceof`.
 */
export type ConnectError = AccessDenied | InvalidSubscription | VehicleIncompatible | Error;

/**
 * Your callback for a finished Connect flow (popup, click handler, link from `getAuthUrl`, or
 * `handleRedirect`). It is called as a method of the instance (`this` is the `Smartcar`), with
 * six arguments; declare only the ones you use.
 *
 * - `error`: `null` on success, else why Connect did not finish (see `ConnectError`).
 * - `code`: the authorization code to send to your server. It is typed `string` so that the usual
 *   `if (err) return ...; useCode(code)` needs no cast, but it is `null` or `undefined`
 *   whenever `error` is set: read it only after checking `error`. (A result from Connect that
 *   carried neither a code nor an error would pass `null` too, as the reference passes it.)
 * - `state`: the `state` you gave `getAuthUrl`/`openDialog`/`connect`, as it came back
 *   (`undefined` when you gave none).
 * - `virtualKeyUrl`, `userId`: Connect's values, `null` or `undefined` when it sent none.
 * - `externalId`: the instance's `externalId`, as Connect returned it.
 *
 * With `responseType: 'none'` there is never a code: use `OnComplete<'none'>`, where `code` is
 * `null | undefined` even when `error` is `null`. (Options with `responseType: 'none'` type an
 * inline `onComplete` that way by themselves.) `OnComplete<ResponseType>` fits either.
 */
export type OnComplete<R extends ResponseType = 'code'> = (
  this: Smartcar,
  error: ConnectError | null,
  code: { code: string; none: null | undefined }[R],
  state: JsonValue | undefined,
  virtualKeyUrl: string | null | undefined,
  userId: string | null | undefined,
  externalId: string | undefined,
) => void;

/** The options of `new Smartcar(options)` besides the application id, `responseType` and `onComplete`. */
export interface SmartcarOptionsBase {
  /**
   * Your redirect URI, exactly as registered with Smartcar: an absolute http(s) URL. Results are
   * accepted only from its origin.
   */
  redirectUri?: string | undefined;
  /** The permissions to ask the vehicle owner for, such as `['read_vehicle_info', 'read_odometer']`. */
  scope?: readonly string[] | undefined;
  /**
   * Which vehicles Connect offers (default `'live'`). Leave it out rather than passing
   * `undefined`: a `mode` that is present must be one of the three.
   */
  mode?: Mode;
  /**
   * `true` for `mode: 'test'`, `false` for `'live'`; when present it wins over `mode`.
   * @deprecated Use `mode: 'test'` instead (the SDK warns on the console).
   */
  testMode?: boolean;
  /**
   * Your own id for this user, sent to Connect and handed back to `onComplete`. `null` sends
   * it as `external_id=null`, as the reference does.
   */
  externalId?: string | null | undefined;
  /**
   * Where Connect is (default `https://connect.smartcar.com`), for instance a local Connect
   * simulator during development. Not in `@smartcar/auth`.
   */
  connectUrl?: string | undefined;
}

/** How you name your application: by `applicationId`. */
export interface RequiredApplicationId {
  /** Your application's id, from the Smartcar dashboard. Required. */
  applicationId: string;
  /**
   * An alias of `applicationId`, ignored when `applicationId` is given.
   * @deprecated Use `applicationId` instead.
   */
  clientId?: string | undefined;
}

/** The old way to name your application: by `clientId` alone. */
export interface DeprecatedClientId {
  /**
   * Your application's id, under its old name.
   * @deprecated Use `applicationId` instead (the SDK warns on the console).
   */
  clientId: string;
  /** Not given here: options with an `applicationId` are a `RequiredApplicationId`, and their `clientId` is ignored. */
  applicationId?: undefined;
}

/** The options of the usual flow, where Connect returns an authorization code. */
export interface ResponseWithCode extends SmartcarOptionsBase {
  /** `'code'` (the default): Connect returns an authorization code. */
  responseType?: 'code' | undefined;
  /** Called with the result of every Connect flow of this instance, `this` being the instance (see `OnComplete`). */
  onComplete?: OnComplete<'code'> | undefined;
}

/** The options of `responseType: 'none'`, where Connect returns no code. */
export interface NoCodeResponse extends SmartcarOptionsBase {
  /** `'none'`: Connect returns no authorization code. */
  responseType: 'none';
  /** Called with the result of every Connect flow of this instance, `this` being the instance; `code` is never a string. */
  onComplete?: OnComplete<'none'> | undefined;
}

/**
 * The options of `new Smartcar(options)`. `applicationId` is required (or, deprecated,
 * `clientId`); with `responseType: 'none'`, `onComplete` gets no code.
 */
export type SmartcarOptions = (DeprecatedClientId | RequiredApplicationId) & (NoCodeResponse | ResponseWithCode);

/** The options of `getAuthUrl` and `redirectToConnect` (and, with more, of the other calls). */
export interface AuthUrlOptions {
  /**
   * Your own state, handed back to `onComplete` (and `connect()`) unchanged: any text, or any
   * JSON value. A falsy state (`''`, `0`, `false`, `null`) is not sent.
   */
  state?: JsonValue | undefined;
  /** `true` shows the permission screen even to a user who already approved your application. */
  forcePrompt?: boolean | undefined;
  /** What you already know about the vehicle. */
  vehicleInfo?: {
    /** The vehicle's make: Connect skips the brand selection screen. */
    make?: string | undefined;
  } | undefined;
  /** `true` lets the user pick only one vehicle; `{vin}` only the vehicle with that VIN. */
  singleSelect?: boolean | {
    /** The VIN of the one vehicle the user may connect. */
    vin?: string | undefined;
  } | undefined;
  /** Feature flags your application has early access to, such as `'country:DE'`. */
  flags?: readonly string[] | undefined;
  /** Your id for the vehicle owner, tying their Connect sessions together in Smartcar's analytics. */
  user?: string | undefined;
}

/** Where the Connect popup opens and how big it is, in CSS pixels (numbers, or numeric strings). */
export interface WindowOptions {
  /** Distance from the top of the screen. */
  top?: number | string | undefined;
  /** Distance from the left of the screen. */
  left?: number | string | undefined;
  /** The popup's width. */
  width?: number | string | undefined;
  /** The popup's height. */
  height?: number | string | undefined;
}

/** The options of `openDialog`: those of `getAuthUrl`, and the popup's position and size. */
export interface DialogOptions extends AuthUrlOptions {
  /** Where the popup opens and how big it is (default: centred on your window). */
  windowOptions?: WindowOptions | undefined;
}

/** The options of `connect()`: those of `openDialog`, and how long and how to give up. */
export interface ConnectOptions extends DialogOptions {
  /** How long the flow may take, in ms (default 15 minutes); then it rejects with `Smartcar.Timeout`. */
  timeout?: number | undefined;
  /** Aborting it closes the popup and rejects the Promise with the signal's reason. */
  signal?: AbortSignal | undefined;
  /**
   * `'redirect'`: when the browser blocks the popup, go to Connect in this tab instead (see
   * `redirectToConnect`, whose redirect URI, on this page's origin, it needs: `connect()`
   * rejects at once without one). The Promise then settles only if the page comes back from the
   * back/forward cache (rejected with `Smartcar.PopupClosed`). Without it, a blocked popup
   * rejects with `Smartcar.PopupBlocked`.
   */
  fallback?: 'redirect' | undefined;
}

/** `addClickHandler` by element id: `id` is required when there is no `selector`. */
export interface IdRequiredWithoutSelector {
  /** The id of the element to listen on. */
  id: string;
  /** A CSS selector: every element matching it is listened on too. */
  selector?: string | undefined;
}

/** `addClickHandler` by CSS selector: `selector` is required when there is no `id`. */
export interface SelectorRequiredWithoutId {
  /** A CSS selector: every element matching it is listened on. */
  selector: string;
  /** The id of an element to listen on too. */
  id?: string | undefined;
}

/**
 * The options of `addClickHandler`: which elements to listen on (`id`, `selector`, or both;
 * one of them is required), and the options of `openDialog` for the popup it opens.
 */
export type ClickHandlerOptions = DialogOptions & (IdRequiredWithoutSelector | SelectorRequiredWithoutId);

/**
 * What `connect()` and `handleRedirect()` resolve with: Connect's values, as its message
 * carried them (`undefined` for a value the redirect page did not send).
 */
export interface ConnectResult {
  /** The authorization code to exchange on your server; `null` with `responseType: 'none'`. */
  code: string | null | undefined;
  /** The `state` you gave, as it came back; `undefined` when you gave none. */
  state: JsonValue | undefined;
  /** Connect's virtual key URL, when it sent one. */
  virtualKeyUrl: string | null | undefined;
  /** Smartcar's id for the user, when Connect sent one. */
  userId: string | null | undefined;
  /** Your `externalId`, as Connect returned it. */
  externalId: string | undefined;
}

/** The user denied your application access to their vehicle. */
declare class AccessDenied extends Error {
  /** An `AccessDenied` with Connect's description as its message. */
  constructor(message?: string | null);
  /** Always `'AccessDenied'`. */
  name: 'AccessDenied';
}

/** The vehicle owner's connected-services subscription is inactive. */
declare class InvalidSubscription extends Error {
  /** An `InvalidSubscription` with Connect's description as its message. */
  constructor(message?: string | null);
  /** Always `'InvalidSubscription'`. */
  name: 'InvalidSubscription';
}

/** The vehicle cannot be connected to your application. */
declare class VehicleIncompatible extends Error {
  /** A `VehicleIncompatible` with Connect's description, about `vehicleInfo` (`null` when unknown). */
  constructor(message: string | null | undefined, vehicleInfo: VehicleInfo | null);
  /** Always `'VehicleIncompatible'`. */
  name: 'VehicleIncompatible';
  /** The vehicle, when the user let Connect share it; else `null`. */
  vehicleInfo: VehicleInfo | null;
}

/** `connect()` could not open its popup: the browser blocked it. */
declare class PopupBlocked extends Error {
  /** A `PopupBlocked`, with a message that says what to do unless you give one. */
  constructor(message?: string);
  /** Always `'PopupBlocked'`. */
  name: 'PopupBlocked';
}

/** The user closed the Connect popup before Connect finished (`connect()` only). */
declare class PopupClosed extends Error {
  /** A `PopupClosed`, with a default message unless you give one. */
  constructor(message?: string);
  /** Always `'PopupClosed'`. */
  name: 'PopupClosed';
}

/** Connect did not finish within `connect()`'s `timeout`. */
declare class Timeout extends Error {
  /** A `Timeout`: a message, or the timeout in ms to name in the default message. */
  constructor(message?: string | number);
  /** Always `'Timeout'`. */
  name: 'Timeout';
}

/** `connect()` was called while this instance already had a `connect()` popup open (it is brought to the front). */
declare class InteractionInProgress extends Error {
  /** An `InteractionInProgress`, with a default message unless you give one. */
  constructor(message?: string);
  /** Always `'InteractionInProgress'`. */
  name: 'InteractionInProgress';
}

/**
 * `handleRedirect()` found a Connect result that belongs to no flow this tab started (another
 * tab's, or a forged link), one that came back after more than an hour, or one already handled:
 * nothing was delivered. Not in `@smartcar/auth`.
 */
declare class InvalidState extends Error {
  /** An `InvalidState` with `message`. */
  constructor(message?: string);
  /** Always `'InvalidState'`. */
  name: 'InvalidState';
}

/**
 * Smartcar Connect for this page: builds Connect's URL, opens it (in a popup, or in this tab),
 * and hands its result to `onComplete` (and to `connect()`'s Promise). The options become the
 * instance's fields, which you may reassign: every later call uses their current values.
 */
export class Smartcar {
  /**
   * Checks the options and starts listening for Connect's results on this page. Throws a
   * `TypeError` for a missing `applicationId` or an option of the wrong type, and an `Error`
   * outside a browser window.
   */
  constructor(options: (DeprecatedClientId | RequiredApplicationId) & (NoCodeResponse | ResponseWithCode));
  /** The error class for a user who denied access. */
  static readonly AccessDenied: typeof AccessDenied;
  /** The error class for an inactive connected-services subscription. */
  static readonly InvalidSubscription: typeof InvalidSubscription;
  /** The error class for a vehicle that cannot be connected (with `vehicleInfo`). */
  static readonly VehicleIncompatible: typeof VehicleIncompatible;
  /** The error class for a popup the browser blocked (`connect()`). */
  static readonly PopupBlocked: typeof PopupBlocked;
  /** The error class for a popup the user closed (`connect()`). */
  static readonly PopupClosed: typeof PopupClosed;
  /** The error class for a `connect()` that took longer than its `timeout`. */
  static readonly Timeout: typeof Timeout;
  /** The error class for a second `connect()` while one is open. */
  static readonly InteractionInProgress: typeof InteractionInProgress;
  /** The error class for a `handleRedirect()` result of no flow of this tab. */
  static readonly InvalidState: typeof InvalidState;

  /** Your application's id (from `applicationId`, or the deprecated `clientId`), sent to Connect. */
  applicationId: string;
  /**
   * A copy of `applicationId` made by the constructor, as the reference keeps it. Calls read
   * `applicationId`, so assigning this changes nothing.
   * @deprecated Read `applicationId` instead.
   */
  clientId: string;
  /** The redirect URI Connect returns to; results are accepted only from its origin. */
  redirectUri: string | undefined;
  /** The permissions asked for (the options' own array, not a copy). */
  scope: readonly string[] | undefined;
  /**
   * The callback for every finished Connect flow (see `OnComplete`); assign another at any time.
   * Typed for `responseType: 'code'`; for `'none'`, assign an `OnComplete<ResponseType>`.
   */
  onComplete: OnComplete | undefined;
  /** Which vehicles Connect offers. */
  mode: Mode;
  /** What Connect hands back: a code (`'code'`) or none (`'none'`). */
  responseType: ResponseType;
  /** Your id for this user, sent to Connect (`null` is sent as the text `null`, `undefined` not at all). */
  externalId: string | null | undefined;
  /** This instance's random id (128 bits, hex), sent in `state` so that results reach the instance that asked. */
  instanceId: string;
  /**
   * The `message` listener the constructor added to the window, which receives Connect's
   * results. `unmount()` removes it; assigning another function does not change the listener.
   */
  messageHandler: (event: MessageEvent) => void;
  /** Where Connect is; present only when you gave the `connectUrl` option. Not in `@smartcar/auth`. */
  connectUrl?: string | undefined;

  /**
   * The Connect URL for these options, for a link or a window of your own; its result reaches
   * `onComplete` as a popup's does. Every value is percent-encoded.
   */
  getAuthUrl(options?: AuthUrlOptions): string;
  /**
   * Opens Connect in a popup (centred on your window unless `windowOptions` says otherwise),
   * reusing this instance's popup if it is open. The result goes to `onComplete`. Call it inside
   * a click handler, or the browser may block the popup.
   */
  openDialog(options?: DialogOptions): void;
  /**
   * Opens Connect (as `openDialog` with these options) whenever the element with `id`, or any
   * element matching `selector`, is clicked (the options are a `ClickHandlerOptions`: `id` or
   * `selector` is required). Throws when no such element is on the page. `unmount()` removes
   * these listeners.
   */
  addClickHandler(options: DialogOptions & (IdRequiredWithoutSelector | SelectorRequiredWithoutId)): void;
  /**
   * Stops this instance: removes its `message` listener and its click listeners, and ends an open
   * `connect()` flow (its Promise rejects with an `AbortError` and its popup closes).
   */
  unmount(): void;
  /**
   * Opens Connect in a popup and returns a Promise that settles once, however the flow ends:
   * it resolves with the result, or rejects with the Connect error (`ConnectError`),
   * `Smartcar.PopupBlocked`, `Smartcar.PopupClosed`, `Smartcar.Timeout`,
   * `Smartcar.InteractionInProgress` (a `connect()` popup is already open: it is brought to the
   * front), the `signal`'s reason, or an `AbortError` after `unmount()`. `onComplete` is still
   * called for Connect's result. Call it inside a click handler, before any `await`. Not in
   * `@smartcar/auth`.
   */
  connect(options?: ConnectOptions): Promise<ConnectResult>;
  /**
   * Goes to Connect in this tab, without a popup; Connect returns to `redirectUri` (which must be
   * on this page's origin), where `handleRedirect()` takes the result. Records the flow in
   * `sessionStorage`, and throws when it cannot. Not in `@smartcar/auth`.
   */
  redirectToConnect(options?: AuthUrlOptions): void;
  /**
   * On the redirect URI's page, takes Connect's result from `url` (default: this page's address),
   * removes Connect's parameters from the address bar, calls `onComplete`, and resolves with the
   * result. Resolves with `null` when the URL holds no result (or it was handed on to the popup's
   * opener); rejects with the Connect error, or with `Smartcar.InvalidState` for a result of no
   * flow of this tab. Not in `@smartcar/auth`.
   */
  handleRedirect(url?: string | URL): Promise<ConnectResult | null>;
}

/** The error classes as types, for annotations: `let e: Smartcar.VehicleIncompatible`. */
export declare namespace Smartcar {
  /** A `Smartcar.AccessDenied` error. */
  type AccessDenied = AccessDeniedError;
  /** A `Smartcar.InvalidSubscription` error. */
  type InvalidSubscription = InvalidSubscriptionError;
  /** A `Smartcar.VehicleIncompatible` error. */
  type VehicleIncompatible = VehicleIncompatibleError;
  /** A `Smartcar.PopupBlocked` error. */
  type PopupBlocked = PopupBlockedError;
  /** A `Smartcar.PopupClosed` error. */
  type PopupClosed = PopupClosedError;
  /** A `Smartcar.Timeout` error. */
  type Timeout = TimeoutError;
  /** A `Smartcar.InteractionInProgress` error. */
  type InteractionInProgress = InteractionInProgressError;
  /** A `Smartcar.InvalidState` error. */
  type InvalidState = InvalidStateError;
}
// The classes under other names, for the namespace above (whose own names would shadow them).
type AccessDeniedError = AccessDenied;
type InvalidSubscriptionError = InvalidSubscription;
type VehicleIncompatibleError = VehicleIncompatible;
type PopupBlockedError = PopupBlocked;
type PopupClosedError = PopupClosed;
type TimeoutError = Timeout;
type InteractionInProgressError = InteractionInProgress;
type InvalidStateError = InvalidState;

// Types only: the module does not export these classes as values (use `Smartcar.AccessDenied`).
export type {
  AccessDenied,
  InvalidSubscription,
  VehicleIncompatible,
  PopupBlocked,
  PopupClosed,
  Timeout,
  InteractionInProgress,
  InvalidState,
};

export default Smartcar;
