// The script tag's entry (dist/cdn/sdk.js): `window.Smartcar`, as the reference's script sets it.
import { Smartcar } from './smartcar.js';

globalThis.Smartcar = Smartcar;

// Loaded by RequireJS (`require(['…/sdk.js'], (Smartcar) => …)`, which marks the script tag it
// inserts), the class is that module's value too, as the reference's UMD makes it. From a plain
// script tag no module is defined: an anonymous `define` there is an error to RequireJS (the
// reference's script makes it, and then sets no global).
if (typeof define === 'function' && define.amd && globalThis.document?.currentScript?.dataset.requiremodule) define(() => Smartcar);
