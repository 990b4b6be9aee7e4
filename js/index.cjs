// The npm package's CommonJS entry: `require('@smartcar-rs/auth')` is the class itself, as
// `require('@smartcar/auth')` is the reference's (its UMD build sets `module.exports`), so
// `const Smartcar = require(...)` carries over unchanged. Code compiled from `import`
// statements into `require()` calls (Babel, TypeScript, webpack) reads `.default` and
// `.Smartcar`, which are the class too, through an interop that takes `__esModule` as "these
// are the module's exports": all three are there, not enumerable, so that the class's
// enumerable keys (Object.keys) stay the reference's.
const { Smartcar } = require('./smartcar.js');

for (const [key, value] of [['__esModule', true], ['Smartcar', Smartcar], ['default', Smartcar]]) {
  Object.defineProperty(Smartcar, key, { value });
}
module.exports = Smartcar;
