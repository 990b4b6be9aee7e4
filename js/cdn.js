// The script tag's entry (dist/cdn/sdk.js): `window.Smartcar`, as the reference's script sets it.
import { Smartcar } from './smartcar.js';

globalThis.Smartcar = Smartcar;
