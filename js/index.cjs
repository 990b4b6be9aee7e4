// The npm package's CommonJS entry: `require('@smartcar-rs/auth')` is the class itself, as
// `require('@smartcar/auth')` is the reference's (its UMD build sets `module.exports`), so
// `const Smartcar = require(...)` carries over unchanged. Code compiled from
// `import Smartcar from` or `import { Smartcar } from` into `require()` calls reads `.default`
// or `.Smartcar`: both are the class too, not enumerable, so that the class's own keys stay
// the reference's.
const { Smartcar } = require('./smartcar.js');

for (const key of ['Smartcar', 'default']) Object.defineProperty(Smartcar, key, { value: Smartcar });
module.exports = Smartcar;
