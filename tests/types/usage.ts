// Compiled by tests/e2e/package.test.mjs with `tsc --strict --noEmit` against the installed
// package's declarations. Every line after `// @ts-expect-error` must be a compile error: an
// unused directive is itself an error, so the compile passes only when each of them fails.
import Smartcar, { Smartcar as Named } from '@smartcar-rs/auth';
import type {
  AccessDenied, AuthUrlOptions, ClickHandlerOptions, ConnectOptions, ConnectResult, DialogOptions,
  JsonValue, Mode, OnComplete, ResponseType, SmartcarOptions, VehicleIncompatible, VehicleInfo, WindowOptions,
} from '@smartcar-rs/auth';
import { AccessDenied as AccessDeniedValue } from '@smartcar-rs/auth';

/** Exact type equality (not mere assignability). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
const is = <T extends true>(_: T): void => {};

// ---- the module ----------------------------------------------------------------------------
is<Equal<typeof Named, typeof Smartcar>>(true);
is<Equal<Mode, 'test' | 'live' | 'simulated'>>(true);
is<Equal<ResponseType, 'code' | 'none'>>(true);
// @ts-expect-error the error classes are types only: the module exports no such value
void AccessDeniedValue;

// ---- constructor options -------------------------------------------------------------------
const onComplete: OnComplete = (err, code, state, virtualKeyUrl, userId, externalId) => {
  is<Equal<typeof err, Error | null>>(true);
  is<Equal<typeof code, string | null>>(true);
  is<Equal<typeof state, JsonValue | undefined>>(true);
  is<Equal<typeof virtualKeyUrl, string | null>>(true);
  is<Equal<typeof userId, string | null>>(true);
  is<Equal<typeof externalId, string | undefined>>(true);
  if (err instanceof Smartcar.VehicleIncompatible) {
    const info: VehicleInfo | null = err.vehicleInfo;
    if (info) {
      const vin: string = info.vin;
      const year: number = info.year;
      const model: string | undefined = info.model;
      void [vin, year, model];
    }
    is<Equal<typeof err.name, 'VehicleIncompatible'>>(true);
  } else if (err instanceof Smartcar.AccessDenied) {
    is<Equal<typeof err, AccessDenied>>(true);
  }
};
is<Equal<Parameters<OnComplete>, [Error | null, string | null, JsonValue | undefined, string | null, string | null, string | undefined]>>(true);
is<Equal<ReturnType<OnComplete>, void>>(true);

const full: SmartcarOptions = {
  applicationId: 'app',
  redirectUri: 'https://app.example.com/cb',
  scope: ['read_vehicle_info', 'read_odometer'],
  onComplete,
  mode: 'simulated',
  responseType: 'none',
  externalId: null,
  connectUrl: 'http://localhost:8002',
};
const sc = new Smartcar(full);
new Smartcar({ applicationId: 'app' });
new Smartcar({ clientId: 'legacy', testMode: true }); // the deprecated spellings
const SCOPES: readonly string[] = ['read_vin'];
new Smartcar({ applicationId: 'app', scope: SCOPES, externalId: 'ext' }); // a read-only array is fine
new Smartcar({ applicationId: 'app', onComplete: (err) => { void err; } }); // fewer parameters
new Smartcar({ applicationId: 'app', onComplete(err, code) { void [err, code]; } });

// @ts-expect-error applicationId (or clientId) is required
new Smartcar({ redirectUri: 'https://app.example.com/cb' });
// @ts-expect-error options are required
new Smartcar();
// @ts-expect-error applicationId is a string
new Smartcar({ applicationId: 5 });
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
// @ts-expect-error onComplete's error is an Error, not a string
new Smartcar({ applicationId: 'app', onComplete: (err: string) => { void err; } });
// @ts-expect-error onComplete's code may be null
new Smartcar({ applicationId: 'app', onComplete: (err: Error | null, code: string) => { void [err, code]; } });
// @ts-expect-error unknown options are refused (typos)
new Smartcar({ applicationId: 'app', redirectURI: 'https://app.example.com/cb' });

// ---- properties ----------------------------------------------------------------------------
const props: [string, string, string | undefined, readonly string[] | undefined, Mode, ResponseType, string | null | undefined, string, string] = [
  sc.applicationId, sc.clientId, sc.redirectUri, sc.scope, sc.mode, sc.responseType, sc.externalId, sc.instanceId, sc.connectUrl,
];
void props;
sc.onComplete = onComplete; // writable
sc.onComplete = undefined;
// @ts-expect-error applicationId is read-only
sc.applicationId = 'other';
// @ts-expect-error mode is read-only
sc.mode = 'test';

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
sc.getAuthUrl({ flags: SCOPES });
void url;
// @ts-expect-error state must be JSON (a function is not)
sc.getAuthUrl({ state: () => 1 });
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

// ---- connect -------------------------------------------------------------------------------
async function flow(): Promise<void> {
  const options: ConnectOptions = { ...dialog, timeout: 60_000, signal: new AbortController().signal };
  const result: ConnectResult = await sc.connect(options);
  is<Equal<typeof result.code, string | null>>(true);
  is<Equal<typeof result.state, JsonValue | undefined>>(true);
  is<Equal<typeof result.virtualKeyUrl, string | null>>(true);
  is<Equal<typeof result.userId, string | null>>(true);
  is<Equal<typeof result.externalId, string | undefined>>(true);
  is<Equal<ReturnType<typeof sc.connect>, Promise<ConnectResult>>>(true);
  await sc.connect();
  try {
    await sc.connect({ state: 'xyz' });
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
  // @ts-expect-error the result has no token: the code is exchanged on your server
  void (await sc.connect()).accessToken;
}
void flow;

// ---- addClickHandler, unmount, free --------------------------------------------------------
const click: ClickHandlerOptions = { id: 'connect', state: 's', windowOptions: { width: 400 } };
sc.addClickHandler(click);
sc.addClickHandler({ selector: '.connect', forcePrompt: true });
// @ts-expect-error id or selector is required
sc.addClickHandler({ state: 's' });
// @ts-expect-error id is a string
sc.addClickHandler({ id: 5 });
const unmounted: void = sc.unmount();
void unmounted;
sc.free();

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
new Smartcar.InteractionInProgress();
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
