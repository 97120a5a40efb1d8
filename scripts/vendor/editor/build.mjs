// Bundles editor-entry.js into one minified IIFE and writes the licences of every package
// that went into it. Run through scripts/vendor-editor (after `npm ci` here).
//   node build.mjs OUT_DIR
import { build } from "esbuild";
import { readFileSync, writeFileSync, readdirSync, existsSync, mkdirSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || join(here, "../../../crates/proost-server/src/assets/vendor"));
mkdirSync(out, { recursive: true });

const pkgOf = (dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

// First pass, unwritten: which packages end up in the bundle.
const probe = await build({
  entryPoints: [join(here, "editor-entry.js")],
  bundle: true, minify: true, format: "iife", target: "es2020", write: false, metafile: true,
});
const dirs = new Set();
for (const [path, info] of Object.entries(probe.metafile.outputs)) {
  for (const input of Object.keys(info.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) dirs.add(m[1]);
  }
}
const packages = [...dirs].map((d) => {
  const dir = join(here, d);
  const p = pkgOf(dir);
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  if (!file) throw new Error(`${p.name}: no licence file`);
  return { name: p.name, version: p.version, license: p.license, text: readFileSync(join(dir, file), "utf8").trim() };
}).sort((a, b) => a.name.localeCompare(b.name));

const list = packages.map((p) => `${p.name}@${p.version} (${p.license})`).join(", ");
await build({
  entryPoints: [join(here, "editor-entry.js")],
  bundle: true, minify: true, format: "iife", target: "es2020",
  legalComments: "eof", charset: "utf8",
  banner: { js: `/*! Proost SQL editor (scripts/vendor-editor): ${list}. Licence texts: LICENSES.txt beside this file. */` },
  outfile: join(out, "editor.js"),
});

const rule = "=".repeat(78);
writeFileSync(join(out, "LICENSES.txt"),
  `Third-party code bundled into editor.js (built by scripts/vendor-editor from\n` +
  `scripts/vendor/editor/package-lock.json). Each package's licence follows.\n\n` +
  packages.map((p) => `${rule}\n${p.name} ${p.version} — ${p.license}\n${rule}\n\n${p.text}\n`).join("\n"));

const js = readFileSync(join(out, "editor.js"));
console.log(`editor.js: ${js.length} bytes, ${gzipSync(js, { level: 9 }).length} gzipped; ${packages.length} packages:`);
for (const p of packages) console.log(`  ${p.name}@${p.version} ${p.license}`);
