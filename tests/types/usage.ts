// Compiled by tests/e2e/package.test.mjs with `tsc --strict --noEmit` against the installed
// package's declarations (moduleResolution bundler, and module nodenext). Every line after
// `// @ts-expect-error` must be a compile error: an unused directive is itself an error, so the
// compile passes only when each of them fails. The file also compiles with
// --noUnusedParameters, --noUnusedLocals, --exactOptionalPropertyTypes and
// --noUncheckedIndexedAccess.
import Smartcar, { Smartcar as Named } from '@smartcar-rs/auth';
import type {
  AccessDenied, AuthUrlOptions, ClickHandlerOptions, ConnectError, ConnectOptions, ConnectResult, DialogOptions,
  InvalidState, JsonValue, Mode, OnComplete, ResponseType, SmartcarOptions, VehicleIncompatible, VehicleInfo,
  WindowOptions,
} from '@smartcar-rs/auth';
import { AccessDenied as AccessDeniedValue } from '@smartcar-rs/auth';

/** Exact type equality (not mere assignability). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
const is = <T extends true>(_: T): void => {};

// ---- the README's quick start (it must compile with --strict --noUnusedParameters) ----------
// Word for word, past its import (tests/e2e/package.test.mjs checks).
declare function showError(message: string): void;
declare function sendToBackend(code: string): void;

const smartcar = new Smartcar({
  applicationId: '<your-application-id>',
  redirectUri: 'https://redirect.example.com/redirect.html?app_origin=https://app.example.com',
  scope: ['read_vehicle_info', 'read_odometer'],
  onComplete(err, code) {
    if (err) {
      // err instanceof Smartcar.AccessDenied, Smartcar.VehicleIncompatible, ...
      return showError(err.message);
    }
    sendToBackend(code); // exchange the code for tokens on your server
  },
});

smartcar.addClickHandler({ id: 'connect-button' });

// The README's Promise form, word for word too.
declare const button: HTMLButtonElement;
declare function showHint(message: string): void;
button.addEventListener('click', async () => {
  try {
    const { code } = await smartcar.connect({ state: 'xyz' });
    if (code) await sendToBackend(code); // no code for responseType: 'none'
  } catch (err) {
    if (err instanceof Smartcar.PopupBlocked) showHint('Allow popups for this site');
    else showError(err instanceof Error ? err.message : String(err));
  }
});

// The README's handleRedirect example, word for word.
export function handleRedirectExample(applicationId: string, scope: string[]): void {
const smartcar = new Smartcar({ applicationId, redirectUri: location.origin + '/callback', scope });
smartcar.handleRedirect().then((result) => {
  if (result?.code) sendToBackend(result.code); // null: this load is not coming back from Connect
}, (err) => showError(err.message));      // AccessDenied, VehicleIncompatible, InvalidState, ...
}

// ---- the module ----------------------------------------------------------------------------
is<Equal<typeof Named, typeof Smartcar>>(true);
is<Equal<Mode, 'test' | 'live' | 'simulated'>>(true);
is<Equal<ResponseType, 'code' | 'none'>>(true);
is<Equal<ConnectError, AccessDenied | Smartcar.InvalidSubscription | VehicleIncompatible | Error>>(true);
// @ts-expect-error the error classes are types only: the module exports no such value
void AccessDeniedValue;

// ---- onComplete ----------------------------------------------------------------------------
// Called as a method of the instance, with six arguments; `code` is a string for the usual
// response type (it is null or undefined when `error` is set: read it after checking `error`).
const onComplete: OnComplete = function (err, code, state, virtualKeyUrl, userId, externalId) {
  is<Equal<typeof this, Smartcar>>(true);
  is<Equal<typeof err, ConnectError | null>>(true);
  is<Equal<typeof code, string>>(true);
  is<Equal<typeof state, JsonValue | undefined>>(true);
  is<Equal<typeof virtualKeyUrl, string | null | undefined>>(true);
  is<Equal<typeof userId, string | null | undefined>>(true);
  is<Equal<typeof externalId, string | undefined>>(true);
  if (err instanceof Smartcar.VehicleIncompatible) {
    const info: VehicleInfo | null = err.vehicleInfo;
    if (info) {
      const vin: string = info.vin;
      const make: string = info.make;
      const year: number = info.year;
      const model: string | undefined = info.model;
      void [vin, make, year, model];
    }
    is<Equal<typeof err.name, 'VehicleIncompatible'>>(true);
  } else if (err instanceof Smartcar.AccessDenied) {
    is<Equal<typeof err, AccessDenied>>(true);
  } else if (err) {
    const message: string = err.message;
    void message;
  } else {
    is<Equal<typeof err, null>>(true);
    this.unmount(); // `this` is the instance
  }
};
is<Equal<Parameters<OnComplete>, [
  error: ConnectError | null, code: string, state: JsonValue | undefined,
  virtualKeyUrl: string | null | undefined, userId: string | null | undefined, externalId: string | undefined,
]>>(true);
is<Equal<ThisParameterType<OnComplete>, Smartcar>>(true);
is<Equal<ReturnType<OnComplete>, void>>(true);
// With responseType 'none' there is no code, even on success.
is<Equal<Parameters<OnComplete<'none'>>[1], null | undefined>>(true);
is<Equal<Parameters<OnComplete<ResponseType>>[1], string | null | undefined>>(true);
const noCode: OnComplete<'none'> = (err, code, state, virtualKeyUrl, userId) => {
  is<Equal<typeof code, null | undefined>>(true);
  void [err, state, virtualKeyUrl, userId];
};
const eitherFlow: OnComplete<ResponseType> = (err, code) => {
  if (!err && typeof code === 'string') sendToBackend(code);
};

// ---- constructor options -------------------------------------------------------------------
const full: SmartcarOptions = {
  applicationId: 'app',
  redirectUri: 'https://app.example.com/cb',
  scope: ['read_vehicle_info', 'read_odometer'],
  onComplete,
  mode: 'simulated',
  responseType: 'code',
  externalId: null,
  connectUrl: 'http://localhost:8002',
};
const sc = new Smartcar(full);
new Smartcar({ applicationId: 'app' });
new Smartcar({ applicationId: 'app', mode: 'test', responseType: 'code', externalId: 'ext' });
new Smartcar({ clientId: 'legacy', testMode: true }); // the deprecated spellings
new Smartcar({ clientId: 'legacy', testMode: false, responseType: 'none', onComplete: noCode });
new Smartcar({ applicationId: 'app', clientId: 'legacy' }); // both: applicationId wins
declare const configuredResponseType: ResponseType;
new Smartcar({ applicationId: 'app', responseType: configuredResponseType }); // a response type known only at run time
new Smartcar({ applicationId: 'app', responseType: configuredResponseType, onComplete: eitherFlow });
new Smartcar({ applicationId: 'app', responseType: undefined, onComplete(err, code) { if (!err) sendToBackend(code); } });
const SCOPES: readonly string[] = ['read_vin'];
new Smartcar({ applicationId: 'app', scope: SCOPES }); // a read-only array is fine
new Smartcar({ applicationId: 'app', onComplete: (err) => { void err; } }); // fewer parameters
new Smartcar({ applicationId: 'app', onComplete() {} });
new Smartcar({ applicationId: 'app', onComplete: (err: Error | null, code: string) => { void [err, code]; } });
new Smartcar({ applicationId: 'app', onComplete: eitherFlow });
new Smartcar({ applicationId: 'app', responseType: 'none', onComplete: eitherFlow });
new Smartcar({
  applicationId: 'app',
  onComplete(err, code, state, virtualKeyUrl, userId, externalId) {
    is<Equal<typeof this, Smartcar>>(true);
    this.unmount();
    is<Equal<typeof err, ConnectError | null>>(true);
    is<Equal<typeof code, string>>(true);
    void [state, virtualKeyUrl, userId, externalId];
  },
});
new Smartcar({
  applicationId: 'app',
  responseType: 'none', // an inline onComplete gets no code
  onComplete(err, code) {
    if (err) return showError(err.message);
    is<Equal<typeof code, null | undefined>>(true);
  },
});

// @ts-expect-error applicationId is required: "Property 'applicationId' is missing ... required in type 'RequiredApplicationId'"
new Smartcar({ redirectUri: 'https://app.example.com/cb' });
// @ts-expect-error applicationId is required, whatever the response type
new Smartcar({ responseType: 'none' });
// @ts-expect-error applicationId is required: the message names 'RequiredApplicationId'
new Smartcar({});
// @ts-expect-error options are required
new Smartcar();
// @ts-expect-error applicationId is a string
new Smartcar({ applicationId: 5 });
// @ts-expect-error clientId is a string
new Smartcar({ clientId: 5 });
// @ts-expect-error an undefined clientId is no application id: applicationId is required
new Smartcar({ clientId: undefined });
// @ts-expect-error scope is an array of strings
new Smartcar({ applicationId: 'app', scope: 5 });
// @ts-expect-error scope is an array of strings, not a string
new Smartcar({ applicationId: 'app', scope: 'read_vin' });
// @ts-expect-error mode is 'live' | 'test' | 'simulated'
new Smartcar({ applicationId: 'app', mode: 'prod' });
// @ts-expect-error responseType is 'code' | 'none'
new Smartcar({ applicationId: 'app', responseType: 'token' });
// @ts-expect-error testMode is a boolean
new Smartcar({ applicationId: 'app', testMode: 'yes' });
// @ts-expect-error externalId is a string or null
new Smartcar({ applicationId: 'app', externalId: 7 });
// @ts-expect-error redirectUri is a string
new Smartcar({ applicationId: 'app', redirectUri: new URL('https://app.example.com/cb') });
// @ts-expect-error connectUrl is a string
new Smartcar({ applicationId: 'app', connectUrl: new URL('http://localhost:8002') });
// @ts-expect-error onComplete is a function
new Smartcar({ applicationId: 'app', onComplete: 'done' });
// @ts-expect-error onComplete's error is an Error, not a string
new Smartcar({ applicationId: 'app', onComplete: (err: string) => { void err; } });
// @ts-expect-error with responseType 'none' the code is never a string
new Smartcar({ applicationId: 'app', responseType: 'none', onComplete: (err: Error | null, code: string) => { void [err, code]; } });
// @ts-expect-error a callback that needs a code does not fit responseType 'none'
new Smartcar({ applicationId: 'app', responseType: 'none', onComplete });
// @ts-expect-error onComplete's `this` is the instance, not the window
new Smartcar({ applicationId: 'app', onComplete(this: Window) { void this; } });
// @ts-expect-error unknown options are refused (typos)
new Smartcar({ applicationId: 'app', redirectURI: 'https://app.example.com/cb' });

// ---- properties: plain fields, all writable; later calls use what was assigned -------------
is<Equal<typeof sc.applicationId, string>>(true);
is<Equal<typeof sc.clientId, string>>(true);
is<Equal<typeof sc.redirectUri, string | undefined>>(true);
is<Equal<typeof sc.scope, readonly string[] | undefined>>(true);
is<Equal<typeof sc.onComplete, OnComplete | undefined>>(true);
is<Equal<typeof sc.mode, Mode>>(true);
is<Equal<typeof sc.responseType, ResponseType>>(true);
is<Equal<typeof sc.externalId, string | null | undefined>>(true);
is<Equal<typeof sc.instanceId, string>>(true);
is<Equal<typeof sc.messageHandler, (event: MessageEvent) => void>>(true);
is<Equal<typeof sc.connectUrl, string | undefined>>(true);
sc.applicationId = 'other';
sc.clientId = 'other';
sc.redirectUri = 'https://other.example.com/cb';
sc.redirectUri = undefined;
sc.scope = ['read_odometer'];
sc.scope = SCOPES;
sc.scope = undefined;
sc.onComplete = onComplete;
sc.onComplete = eitherFlow;
sc.onComplete = (err, code) => { if (!err) sendToBackend(code); };
sc.onComplete = undefined;
sc.mode = 'test';
sc.responseType = 'none';
sc.externalId = null;
sc.externalId = 'ext';
sc.externalId = undefined;
sc.instanceId = '0123456789abcdef0123456789abcdef';
sc.messageHandler = (event) => { void event.data; };
sc.connectUrl = 'http://localhost:8002';
// @ts-expect-error scope is an array of strings
sc.scope = 5;
// @ts-expect-error mode is 'live' | 'test' | 'simulated'
sc.mode = 'prod';
// @ts-expect-error responseType is 'code' | 'none'
sc.responseType = 'token';
// @ts-expect-error applicationId is a string
sc.applicationId = undefined;
// @ts-expect-error onComplete is a function
sc.onComplete = 'done';
// @ts-expect-error the instance has no free(): its wasm memory goes with the object
sc.free();

// ---- getAuthUrl ----------------------------------------------------------------------------
const authOptions: AuthUrlOptions = {
  state: 'any text, even ünïcødé',
  forcePrompt: true,
  vehicleInfo: { make: 'TESLA' },
  singleSelect: { vin: '5YJ3E1EA7KF000001' },
  flags: ['country:DE'],
  user: 'user-1',
};
const url: string = sc.getAuthUrl(authOptions);
is<Equal<ReturnType<typeof sc.getAuthUrl>, string>>(true);
sc.getAuthUrl();
sc.getAuthUrl({ singleSelect: true, state: { step: 2, tags: ['a'], nested: { ok: null } } });
sc.getAuthUrl({ state: 42 });
sc.getAuthUrl({ state: ['a', 1, true, null] });
const returnTo: string | undefined = undefined;
sc.getAuthUrl({ state: { returnTo } }); // an undefined property is dropped, as JSON.stringify does
sc.getAuthUrl({ flags: SCOPES });
void url;
// @ts-expect-error state must be JSON (a function is not)
sc.getAuthUrl({ state: () => 1 });
// @ts-expect-error state must be JSON (a Date would come back as a string)
sc.getAuthUrl({ state: new Date() });
// @ts-expect-error forcePrompt is a boolean
sc.getAuthUrl({ forcePrompt: 'yes' });
// @ts-expect-error vehicleInfo is {make}
sc.getAuthUrl({ vehicleInfo: 'TESLA' });
// @ts-expect-error singleSelect's vin is a string
sc.getAuthUrl({ singleSelect: { vin: 5 } });
// @ts-expect-error singleSelect is a boolean or {vin}
sc.getAuthUrl({ singleSelect: 'yes' });
// @ts-expect-error flags is an array of strings
sc.getAuthUrl({ flags: 'country:DE' });
// @ts-expect-error user is a string
sc.getAuthUrl({ user: 42 });
// @ts-expect-error windowOptions belong to openDialog, not getAuthUrl
sc.getAuthUrl({ windowOptions: { width: 100 } });

// ---- openDialog ----------------------------------------------------------------------------
const windowOptions: WindowOptions = { top: 10, left: '20', width: 500, height: '600' };
const dialog: DialogOptions = { ...authOptions, windowOptions };
const opened: void = sc.openDialog(dialog);
void opened;
sc.openDialog();
// @ts-expect-error windowOptions is an object
sc.openDialog({ windowOptions: 'x' });
// @ts-expect-error window sizes are numbers or numeric strings
sc.openDialog({ windowOptions: { width: true } });

// ---- connect, redirectToConnect, handleRedirect --------------------------------------------
async function flow(): Promise<void> {
  const options: ConnectOptions = { ...dialog, timeout: 60_000, signal: new AbortController().signal, fallback: 'redirect' };
  const result: ConnectResult = await sc.connect(options);
  is<Equal<typeof result.code, string | null | undefined>>(true);
  is<Equal<typeof result.state, JsonValue | undefined>>(true);
  is<Equal<typeof result.virtualKeyUrl, string | null | undefined>>(true);
  is<Equal<typeof result.userId, string | null | undefined>>(true);
  is<Equal<typeof result.externalId, string | undefined>>(true);
  is<Equal<ReturnType<typeof sc.connect>, Promise<ConnectResult>>>(true);
  await sc.connect();
  try {
    const { code } = await sc.connect({ state: 'xyz' });
    if (code) sendToBackend(code);
  } catch (err) {
    if (err instanceof Smartcar.PopupBlocked) is<Equal<typeof err.name, 'PopupBlocked'>>(true);
    if (err instanceof Smartcar.PopupClosed) is<Equal<typeof err.name, 'PopupClosed'>>(true);
    if (err instanceof Smartcar.Timeout) is<Equal<typeof err.name, 'Timeout'>>(true);
    if (err instanceof Smartcar.InteractionInProgress) is<Equal<typeof err.name, 'InteractionInProgress'>>(true);
    if (err instanceof Smartcar.InvalidSubscription) is<Equal<typeof err.name, 'InvalidSubscription'>>(true);
  }
  // @ts-expect-error timeout is a number of ms
  await sc.connect({ timeout: '5 minutes' });
  // @ts-expect-error signal is an AbortSignal
  await sc.connect({ signal: new AbortController() });
  // @ts-expect-error fallback is 'redirect' (or left out): there is no 'popup' fallback
  await sc.connect({ fallback: 'popup' });
  // @ts-expect-error the result has no token: the code is exchanged on your server
  void (await sc.connect()).accessToken;

  const redirected: void = sc.redirectToConnect({ state: { returnTo: '/garage' }, forcePrompt: true });
  void redirected;
  sc.redirectToConnect();
  // @ts-expect-error redirectToConnect takes the getAuthUrl options (there is no popup)
  sc.redirectToConnect({ windowOptions: { width: 100 } });

  const back: ConnectResult | null = await sc.handleRedirect();
  is<Equal<ReturnType<typeof sc.handleRedirect>, Promise<ConnectResult | null>>>(true);
  await sc.handleRedirect('https://app.example.com/cb?code=c&state=s');
  await sc.handleRedirect(new URL('https://app.example.com/cb?code=c&state=s'));
  void back;
  try {
    await sc.handleRedirect();
  } catch (err) {
    if (err instanceof Smartcar.InvalidState) is<Equal<typeof err, InvalidState>>(true);
  }
  // @ts-expect-error handleRedirect takes a URL (string or URL), not a number
  await sc.handleRedirect(5);
}
void flow;

// ---- addClickHandler, unmount --------------------------------------------------------------
const click: ClickHandlerOptions = { id: 'connect', state: 's', windowOptions: { width: 400 } };
sc.addClickHandler(click);
sc.addClickHandler({ selector: '.connect', forcePrompt: true });
sc.addClickHandler({ id: 'connect', selector: '.connect' });
// @ts-expect-error id or selector is required: "Property 'selector' is missing in type '{}' but required in type 'SelectorRequiredWithoutId'"
sc.addClickHandler({});
// @ts-expect-error id or selector is required, besides the dialog's options
sc.addClickHandler({ state: 's' });
// @ts-expect-error the options are required
sc.addClickHandler();
// @ts-expect-error id is a string
sc.addClickHandler({ id: 5 });
// @ts-expect-error selector is a string
sc.addClickHandler({ selector: ['.a', '.b'] });
const unmounted: void = sc.unmount();
void unmounted;

// ---- the error classes ---------------------------------------------------------------------
const denied = new Smartcar.AccessDenied('User denied access');
is<Equal<typeof denied.name, 'AccessDenied'>>(true);
const message: string = denied.message;
void message;
const incompatible: VehicleIncompatible = new Smartcar.VehicleIncompatible('Not compatible', { vin: 'V', make: 'TESLA', year: 2019, model: 'Model 3' });
const alsoIncompatible: Smartcar.VehicleIncompatible = new Smartcar.VehicleIncompatible(null, null);
const stillError: Error = incompatible;
void [alsoIncompatible, stillError];
new Smartcar.InvalidSubscription();
new Smartcar.PopupBlocked();
new Smartcar.PopupClosed('closed');
new Smartcar.Timeout();
new Smartcar.Timeout(60_000);
new Smartcar.InteractionInProgress();
const invalid: Smartcar.InvalidState = new Smartcar.InvalidState('unknown flow');
is<Equal<typeof invalid.name, 'InvalidState'>>(true);
// @ts-expect-error vehicleInfo needs vin, make and year
new Smartcar.VehicleIncompatible('Not compatible', { vin: 'V' });
// @ts-expect-error year is a number
new Smartcar.VehicleIncompatible('Not compatible', { vin: 'V', make: 'TESLA', year: '2019' });
// @ts-expect-error the vehicleInfo argument is required (null when unknown)
new Smartcar.VehicleIncompatible('Not compatible');
// @ts-expect-error AccessDenied has no vehicleInfo
void denied.vehicleInfo;
// @ts-expect-error the error classes are read-only statics
Smartcar.AccessDenied = class extends Error {};
