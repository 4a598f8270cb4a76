// Shrinks a release build's wasm-bindgen output in place (Trunk.toml's post_build hook):
//   node scripts/minify-glue.mjs <dir holding one *_bg.wasm and its .js>
//
// wasm-bindgen names each of the ~150 imports after its binding plus a hash
// (`__wbg_addEventListener_847fd86b8c33ec43`), and the same names are keys in the JavaScript
// glue: hashes do not compress, so they cost about 4 KB of the SPA as served. binaryen renames
// the imports, their module and the exports to a letter or two and prints the mapping, which
// is applied to the glue here; esbuild then minifies the glue. Every name the wasm imports and
// every export the glue uses is checked against the other file before anything is written.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
// Where binaryen writes the renamed wasm; removed again if a check fails.
let minifiedPath;
const wasmFiles = readdirSync(dir).filter((name) => name.endsWith("_bg.wasm"));
if (wasmFiles.length !== 1) {
  fail(`expected one *_bg.wasm in ${dir}, found ${wasmFiles.length}`);
}
const wasmPath = join(dir, wasmFiles[0]);
const jsPath = wasmPath.replace(/_bg\.wasm$/, ".js");
const oldImports = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmPath)));

minifiedPath = `${wasmPath}.minified`;
const mapping = JSON.parse(
  run("wasm-opt", [
    wasmPath,
    "--minify-imports-and-exports-and-modules",
    "--strip-producers",
    "--strip-target-features",
    "-o",
    minifiedPath,
  ]),
);
const minified = new WebAssembly.Module(readFileSync(minifiedPath));

let js = readFileSync(jsPath, "utf8");

// The import object's keys: each binding's name once, and its module's name once.
const oldModules = new Set(oldImports.map((i) => i.module));
const newModules = new Set(WebAssembly.Module.imports(minified).map((i) => i.module));
if (oldModules.size !== 1 || newModules.size !== 1) {
  fail(`expected the imports from one module, found ${[...oldModules]} -> ${[...newModules]}`);
}
const [oldModule] = oldModules;
const [newModule] = newModules;
js = replaceOnce(js, `${JSON.stringify(oldModule)}:`, `${JSON.stringify(newModule)}:`);
for (const [, from, to] of mapping.imports) {
  js = replaceOnce(js, `${from}:`, `${JSON.stringify(to)}:`, true);
}

// The glue calls the wasm's exports as `wasm.<name>`.
for (const [from, to] of mapping.exports) {
  js = js.replace(new RegExp(`\\bwasm\\.${escape(from)}\\b`, "g"), `wasm.${to}`);
}

const imported = new Set(WebAssembly.Module.imports(minified).map((i) => `${i.module}/${i.name}`));
const exported = new Set(WebAssembly.Module.exports(minified).map((e) => e.name));
const importsObject = new Set(mapping.imports.map(([, , to]) => `${newModule}/${to}`));
const missing = [...imported].filter((name) => !importsObject.has(name));
const unknownExports = [...js.matchAll(/\bwasm\.([\w$]+)/g)]
  .map((m) => m[1])
  .filter((name) => !exported.has(name));
if (missing.length > 0 || unknownExports.length > 0) {
  fail(`glue and wasm disagree: imports ${missing}, exports ${unknownExports}`);
}

const glue = run("esbuild", ["--minify", "--format=esm", "--log-level=warning"], js);
writeFileSync(jsPath, glue);
renameSync(minifiedPath, wasmPath);

/** What `tool` printed; scripts/setup installs both tools, and scripts/lib.sh puts them on PATH. */
function run(tool, args, input) {
  try {
    return execFileSync(tool, args, { input, encoding: "utf8" });
  } catch (error) {
    if (error.code === "ENOENT") {
      fail(`${tool} is not on PATH: run scripts/setup, then source scripts/lib.sh`);
    }
    throw error;
  }
}

/** `text` with `from` replaced by `to`, which must occur exactly once (as a whole word). */
function replaceOnce(text, from, to, wholeWord = false) {
  const pattern = new RegExp(`${wholeWord ? "\\b" : ""}${escape(from)}`, "g");
  const count = (text.match(pattern) ?? []).length;
  if (count !== 1) {
    fail(`expected ${from} once in the glue, found it ${count} times`);
  }
  return text.replace(pattern, () => to);
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Stops the build, leaving the files as they were. */
function fail(message) {
  if (minifiedPath) rmSync(minifiedPath, { force: true });
  console.error(`minify-glue: ${message}`);
  process.exit(1);
}
