// What the build relies on from its generators, checked so that an upgrade fails here, loudly,
// rather than somewhere in a browser:
//   - the runtime of wasm-bindgen's glue (everything but the per-binding entries, see
//     scripts/glue.mjs's glueSkeleton) is the committed snapshot, for both crates
//     (UPDATE_SNAPSHOTS=1 rewrites the snapshots after a deliberate upgrade: review the diff);
//   - the glue's renaming pass stops the build, with its reason, on glue of another shape;
//   - both toolchain routes (scripts/toolchain.sh) build modules with the same imports and
//     exports, where this machine has both (skipped, with the reason, where it has one).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/server.mjs';
import { glueSkeleton, renameGlue } from '../../scripts/glue.mjs';

const BINDGEN = path.join(REPO_ROOT, 'target/bindgen');
const SNAPSHOTS = path.join(REPO_ROOT, 'tests/snapshots');
const GLUES = { sdk: 'smartcar_auth', redirect: 'smartcar_redirect' };
const notBuilt = existsSync(path.join(BINDGEN, 'sdk/smartcar_auth.js')) ? false : 'target/bindgen does not exist yet (run npm run build)';

for (const [crate, name] of Object.entries(GLUES)) {
  it(`${crate}: wasm-bindgen's glue runtime is the committed snapshot`, { skip: notBuilt }, () => {
    const skeleton = glueSkeleton(readFileSync(path.join(BINDGEN, crate, `${name}.js`), 'utf8'), name);
    const file = path.join(SNAPSHOTS, `${crate}-glue.js`);
    if (process.env.UPDATE_SNAPSHOTS === '1' || !existsSync(file)) {
      mkdirSync(SNAPSHOTS, { recursive: true });
      writeFileSync(file, skeleton);
    }
    assert.equal(skeleton, readFileSync(file, 'utf8'), `${crate}'s glue changed shape: review it, then UPDATE_SNAPSHOTS=1`);
  });
}

it('the renaming pass refuses glue it does not know, naming what is wrong', () => {
  const mapping = { imports: [['m', 'known', 'a']], exports: [] };
  const glue = (entries) => `function __wbg_get_imports() { const import0 = { __proto__: null, ${entries} }; return { __proto__: null, "./x_bg.js": import0 }; }`;
  // An import the module needs and the glue lacks.
  assert.throws(() => renameGlue(glue('other: function() {}'), mapping, 'a', 'x.js'), /imports known, which the glue does not provide/);
  // No import table at all.
  assert.throws(() => renameGlue('export function f() {}', mapping, 'a', 'x.js'), /no function __wbg_get_imports/);
  // A known shape is renamed: the entry key and the module name.
  assert.match(renameGlue(glue('known: function() {}'), mapping, 'a', 'x.js'), /a: function\(\) \{\}.*"a": import0/s);
});

/** Which routes this machine can build with, or why it cannot compare them. */
function routes() {
  const rustup = (() => {
    try {
      return execFileSync('rustup', ['target', 'list', '--installed'], { encoding: 'utf8' }).split('\n').includes('wasm32-unknown-unknown');
    } catch {
      return false;
    }
  })();
  const debian = existsSync('/usr/bin/rustc') && existsSync('/usr/lib/llvm-22/bin/wasm-ld');
  if (!rustup) return 'this machine has no rustup toolchain with the wasm32 target';
  if (!debian) return "this machine has no Debian rustc-web route";
  return false;
}

it('both toolchain routes build modules with the same imports and exports', { skip: routes(), timeout: 1_200_000 }, () => {
  const shapes = {};
  for (const route of ['rustup', 'debian']) {
    const target = path.join(REPO_ROOT, 'target', `route-${route}`);
    execFileSync('bash', ['scripts/cargo-wasm.sh', 'build', '--release', '-p', 'smartcar-auth', '-p', 'smartcar-redirect'], {
      cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, WASM_ROUTE: route, CARGO_WASM_TARGET_DIR: target },
    });
    shapes[route] = Object.fromEntries(Object.values(GLUES).map((name) => {
      const module = new WebAssembly.Module(readFileSync(path.join(target, 'wasm32-unknown-unknown/release', `${name}.wasm`)));
      return [name, { imports: WebAssembly.Module.imports(module), exports: WebAssembly.Module.exports(module) }];
    }));
  }
  assert.deepEqual(shapes.rustup, shapes.debian);
});
