// Types of the npm package's CommonJS entry (dist/npm/index.cjs): `require('@smartcar-rs/auth')`
// is the class itself, as the reference's `module.exports` is, so `import Smartcar =
// require(...)` is the class and its instances' type; the types of the ES module's declarations
// (index.d.ts, the one description of the API) are reached as `Smartcar.SmartcarOptions` and so on.
import type * as Module from './index.js';

/** The `Smartcar` class (see index.d.ts), also as its own `default` and `Smartcar`, for code compiled from `import` statements. */
declare const Smartcar: typeof Module.Smartcar & { readonly default: typeof Module.Smartcar; readonly Smartcar: typeof Module.Smartcar };
type Smartcar = Module.Smartcar;

declare namespace Smartcar {
  type JsonValue = Module.JsonValue;
  type Mode = Module.Mode;
  type ResponseType = Module.ResponseType;
  type VehicleInfo = Module.VehicleInfo;
  type ConnectError = Module.ConnectError;
  type SmartcarOptionsBase = Module.SmartcarOptionsBase;
  type RequiredApplicationId = Module.RequiredApplicationId;
  type DeprecatedClientId = Module.DeprecatedClientId;
  type ResponseWithCode = Module.ResponseWithCode;
  type NoCodeResponse = Module.NoCodeResponse;
  type SmartcarOptions = Module.SmartcarOptions;
  type AuthUrlOptions = Module.AuthUrlOptions;
  type WindowOptions = Module.WindowOptions;
  type DialogOptions = Module.DialogOptions;
  type ConnectOptions = Module.ConnectOptions;
  type IdRequiredWithoutSelector = Module.IdRequiredWithoutSelector;
  type SelectorRequiredWithoutId = Module.SelectorRequiredWithoutId;
  type ClickHandlerOptions = Module.ClickHandlerOptions;
  type ConnectResult = Module.ConnectResult;
  type OnComplete<R extends ResponseType = 'code'> = Module.OnComplete<R>;
  // The error classes' instances, as index.d.ts's namespace has them (`let e: Smartcar.AccessDenied`).
  type AccessDenied = Module.Smartcar.AccessDenied;
  type InvalidSubscription = Module.Smartcar.InvalidSubscription;
  type VehicleIncompatible = Module.Smartcar.VehicleIncompatible;
  type PopupBlocked = Module.Smartcar.PopupBlocked;
  type PopupClosed = Module.Smartcar.PopupClosed;
  type Timeout = Module.Smartcar.Timeout;
  type InteractionInProgress = Module.Smartcar.InteractionInProgress;
  type InvalidState = Module.Smartcar.InvalidState;
}

export = Smartcar;
