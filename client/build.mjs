// Bundles the browser client: `node client/build.mjs OUTDIR` writes index.html,
// luaflet.js, luaflet.css and the font files the CSS refers to into OUTDIR. It prints
// nothing unless something is wrong.

import { copyFile, mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = process.argv[2];

// Every import of lit's styleMap directive, by @material/web's components or anyone's, gets
// src/csp_style_map.js instead: lit's own writes a style attribute, which the host's
// Content-Security-Policy forbids (that file says why).
const cspStyleMap = {
  name: "csp-style-map",
  setup(b) {
    b.onResolve({ filter: /^lit(-html)?\/directives\/style-map\.js$/ }, () => ({
      path: path.join(here, "src", "csp_style_map.js"),
    }));
  },
};
if (!outdir || process.argv.length > 3) {
  console.error("usage: node client/build.mjs OUTDIR");
  process.exit(2);
}

try {
  await mkdir(outdir, { recursive: true });
  const result = await build({
    // Control families loaded on first use (src/controls/lazy.js) are chunks of their own,
    // each with a stylesheet that is an entry point here.
    entryPoints: {
      luaflet: path.join(here, "src", "luaflet.js"),
      inputs: path.join(here, "src", "inputs.css"),
    },
    splitting: true,
    outdir,
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    // Fonts are emitted beside the CSS under their own names, so rebuilding into the same
    // folder overwrites them instead of piling up hashed copies.
    loader: { ".woff": "file", ".woff2": "file" },
    assetNames: "[name]",
    logLevel: "warning",
    plugins: [cspStyleMap],
    metafile: true,
  });
  // Chunks are named by their content: the ones an earlier build left are removed.
  const made = new Set(Object.keys(result.metafile.outputs).map((f) => path.resolve(f)));
  // (with their compressed copies, client/compress.mjs).
  for (const f of await readdir(outdir)) {
    const chunk = /^(.*-[A-Z0-9]{8}\.js)(\.br|\.gz)?$/.exec(f);
    if (chunk && !made.has(path.resolve(outdir, chunk[1]))) await rm(path.resolve(outdir, f));
  }
  await copyFile(path.join(here, "index.html"), path.join(outdir, "index.html"));
} catch (err) {
  // esbuild has already reported its own errors; anything else is reported here.
  if (!err.errors) console.error(err);
  process.exit(1);
}
