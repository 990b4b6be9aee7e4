// The npm package's entry: `import Smartcar from '@smartcar-rs/auth'` or `import { Smartcar }`.
export { Smartcar, Smartcar as default } from './smartcar.js';
