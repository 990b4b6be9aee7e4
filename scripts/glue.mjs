// wasm-bindgen's generated glue, as the build bundles it: an esbuild plugin that resolves the
// SDK's own module names, maps wasm-bindgen's copies of js/ files back to their sources, and
// renames the glue's imports and exports to the short names wasm-opt gave them, on the syntax
// tree (acorn), never on the text. Anything in the glue that does not have the shape this pass
// knows stops the build with the reason; tests/e2e/build.test.mjs also compares the glue's
// runtime (everything but the per-binding entries) with a committed snapshot, so a new
// wasm-bindgen fails loudly there first.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as acorn from 'acorn';

/** Which crate directory a wasm-bindgen snippet folder (`<crate>-<hash>`) comes from. */
const CRATE_DIRS = { 'smartcar-auth': '.', 'smartcar-protocol': 'protocol', 'smartcar-redirect': 'redirect-page' };

const parse = (source) => acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module' });

function fail(glue, why) {
  throw new Error(`scripts/glue.mjs: ${path.basename(glue)}: ${why}. wasm-bindgen's output has changed shape: see tests/e2e/build.test.mjs`);
}

/** The `const import0 = {...}` object literal and the returned `{"<module>": import0}` of the
 * glue's `__wbg_get_imports`. */
function importsOf(ast, glue) {
  const fn = ast.body.find((n) => n.type === 'FunctionDeclaration' && n.id.name === '__wbg_get_imports');
  if (!fn) fail(glue, 'no function __wbg_get_imports');
  const [declaration, ret] = fn.body.body;
  const table = declaration?.type === 'VariableDeclaration' && declaration.declarations[0];
  if (table?.init?.type !== 'ObjectExpression' || ret?.type !== 'ReturnStatement' || ret.argument?.type !== 'ObjectExpression') {
    fail(glue, '__wbg_get_imports is not `const importN = {...}; return {...}`');
  }
  const moduleEntry = ret.argument.properties.find((p) => p.value?.type === 'Identifier' && p.value.name === table.id.name);
  if (!moduleEntry || moduleEntry.key.type !== 'Literal') fail(glue, 'the import module entry is missing');
  return { entries: table.init.properties, end: table.init.end - 1, moduleEntry };
}

/** Every `wasm.<name>` member expression of the glue. */
function wasmMembers(ast) {
  const found = [];
  const visit = (node) => {
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'MemberExpression' && !node.computed && node.object.type === 'Identifier' && node.object.name === 'wasm') found.push(node.property);
    for (const key of Object.keys(node)) {
      const child = node[key];
      if (Array.isArray(child)) child.forEach(visit);
      else if (child && typeof child === 'object' && key !== 'loc') visit(child);
    }
  };
  visit(ast);
  return found;
}

/**
 * The glue with its import-object keys, its import module's name and its `wasm.<export>`
 * references renamed by wasm-opt's `mapping`; the entries of imports wasm-opt dropped (the
 * module no longer calls them) are removed. `module` is the import module's new name, read
 * from the minified module itself.
 */
export function renameGlue(source, mapping, module, glue = 'glue') {
  const ast = parse(source);
  const imports = new Map(mapping.imports.map(([, name, short]) => [name, short]));
  const exports = new Map(mapping.exports.map(([name, short]) => [name, short]));
  const edits = [];
  const { entries, end, moduleEntry } = importsOf(ast, glue);
  const seen = new Set();
  entries.forEach((entry, i) => {
    if (entry.type !== 'Property' || entry.key.type !== 'Identifier') fail(glue, 'an import entry is not `name: function`');
    if (entry.key.name === '__proto__') return;
    const short = imports.get(entry.key.name);
    if (short === undefined) {
      // Up to the next entry (or the closing brace), taking the comma with it.
      edits.push({ start: entry.start, end: entries[i + 1]?.start ?? end, text: '' });
      return;
    }
    seen.add(entry.key.name);
    edits.push({ start: entry.key.start, end: entry.key.end, text: short });
  });
  for (const name of imports.keys()) if (!seen.has(name)) fail(glue, `the module imports ${name}, which the glue does not provide`);
  edits.push({ start: moduleEntry.key.start, end: moduleEntry.key.end, text: JSON.stringify(module) });
  for (const property of wasmMembers(ast)) {
    const short = exports.get(property.name);
    if (short === undefined) fail(glue, `wasm.${property.name} is not an export of the module`);
    edits.push({ start: property.start, end: property.end, text: short });
  }
  edits.sort((a, b) => b.start - a.start);
  let out = source;
  for (const { start, end, text } of edits) out = out.slice(0, start) + text + out.slice(end);
  return out;
}

/**
 * The glue's runtime, for the snapshot test: the per-binding import entries, the imports of the
 * project's JS snippets, the exported functions and the exported classes' bodies elided (with
 * their doc comments), wasm-bindgen's hashes replaced. What is left is what this project relies on wasm-bindgen for (the heap,
 * strings, closures, initSync).
 */
export function glueSkeleton(source, glue = 'glue') {
  const comments = [];
  const ast = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module', onComment: comments });
  const { entries } = importsOf(ast, glue);
  const edits = [];
  // `node`, with the doc comment right before it.
  const withDoc = (node) => {
    const doc = comments.find((c) => c.end <= node.start && !source.slice(c.end, node.start).trim());
    return doc ? doc.start : node.start;
  };
  const named = entries.filter((e) => e.key?.name !== '__proto__');
  if (named.length) edits.push({ start: named[0].start, end: named.at(-1).end, text: '/* the module\'s imports */' });
  for (const node of ast.body) {
    // Which of the project's JS functions the module imports is the bindings' business.
    if (node.type === 'ImportDeclaration' && /\/snippets\//.test(node.source.value)) edits.push({ start: node.start, end: node.end, text: '/* a snippet\'s imports */' });
    const declaration = node.type === 'ExportNamedDeclaration' ? node.declaration : node;
    if (declaration?.type === 'ClassDeclaration') edits.push({ start: declaration.body.start, end: declaration.body.end, text: '{ /* the exported class */ }' });
    // The module's own exports; initSync is the runtime's.
    if (node.type === 'ExportNamedDeclaration' && declaration?.type === 'FunctionDeclaration' && declaration.id.name !== 'initSync') {
      edits.push({ start: withDoc(node), end: node.end, text: '/* an exported function */' });
    }
    // The closure shims are named after their Rust types.
    if (node.type === 'FunctionDeclaration' && /^wasm_bindgen_/.test(node.id.name)) edits.push({ start: node.start, end: node.end, text: '/* a closure shim */' });
  }
  edits.sort((a, b) => b.start - a.start);
  let out = source;
  for (const { start, end, text } of edits) out = out.slice(0, start) + text + out.slice(end);
  return out.replace(/\b(\w+)-[0-9a-f]{16}\b/g, '$1-HASH').replace(/_[0-9a-f]{16}\b/g, '_HASH').replace(/\n{3,}/g, '\n\n');
}

/**
 * The esbuild plugin of the build: `smartcar:<crate>/glue` and `smartcar:<crate>/module` (the
 * bindgen output and the embedded module of `sdk` or `redirect`), wasm-bindgen's snippet copies
 * resolved to the project's own files (so js/errors.js, imported by the glue and the face, is
 * one module with one set of error classes), and the glue renamed (see `renameGlue`).
 */
export function smartcarModules({ root, bindgen, crates }) {
  return {
    name: 'smartcar-modules',
    setup(build) {
      build.onResolve({ filter: /^smartcar:/ }, (args) => {
        const [, crate, file] = /^smartcar:(\w+)\/(glue|module)$/.exec(args.path) ?? [];
        if (!crates[crate]) return { errors: [{ text: `no module ${args.path}` }] };
        return { path: path.join(bindgen, crate, file === 'glue' ? `${crates[crate].name}.js` : 'module.js') };
      });
      build.onResolve({ filter: /\/snippets\// }, (args) => {
        const resolved = path.resolve(args.resolveDir, args.path);
        const [, crate, file] = /\/snippets\/([a-z-]+)-[0-9a-f]{16}\/(.+)$/.exec(resolved) ?? [];
        if (!CRATE_DIRS[crate]) return { errors: [{ text: `a snippet of an unknown crate: ${resolved}` }] };
        const source = path.join(root, CRATE_DIRS[crate], file);
        if (!readFileSync(resolved).equals(readFileSync(source))) return { errors: [{ text: `${resolved} is not a copy of ${source}` }] };
        return { path: source };
      });
      for (const [crate, { name, mapping, module }] of Object.entries(crates)) {
        const glue = path.join(bindgen, crate, `${name}.js`);
        build.onLoad({ filter: new RegExp(`${name}\\.js$`) }, (args) => {
          if (args.path !== glue) return undefined;
          return { contents: renameGlue(readFileSync(glue, 'utf8'), mapping, module, glue), loader: 'js', resolveDir: path.dirname(glue) };
        });
      }
    },
  };
}
