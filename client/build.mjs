// Bundles the browser client: `node client/build.mjs OUTDIR` writes index.html,
// luaflet.js, luaflet.css, the font files the CSS refers to and the icons (see icons())
// into OUTDIR. It prints nothing unless something is wrong.

import { copyFile, link, mkdir, readFile, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import aliases from "./icon_aliases.mjs";

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
// The icons: one SVG per Flet icon name (ft.Icons.X in lower case) under
// icons/VERSION/, so the client asks for /icons/VERSION/NAME.svg and needs no table of its
// own. A name's suffix picks the Material Symbols style: none is Outlined filled (Flutter's
// filled icons), _outlined is Outlined unfilled, _rounded and _sharp are those styles
// filled; icon_aliases.mjs maps Flet's names that Material Symbols spells otherwise. The
// files are hard links into node_modules (copies where linking fails), made once per
// version of the package: the URL holds the version, so the host may let browsers keep them
// for good.
const SYMBOLS = path.join(here, "..", "node_modules", "@material-symbols", "svg-400");
const ICONS = path.join(here, "..", "node_modules", "@material-design-icons", "svg");
const OLD_STYLES = [
  ["", "filled"],
  ["_outlined", "outlined"],
  ["_rounded", "round"],
  ["_sharp", "sharp"],
];
const STYLES = [
  ["", "outlined", 1],
  ["_outlined", "outlined", 0],
  ["_rounded", "rounded", 1],
  ["_sharp", "sharp", 1],
];

// The icons' folder is named by both packages' versions: a new version of either is a new
// set of URLs, so what browsers keep for good is never stale.
async function iconVersion() {
  const v = async (dir) =>
    JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")).version;
  return `${await v(SYMBOLS)}-${await v(ICONS)}`;
}

async function icons(outdir, version) {
  const root = path.join(outdir, "icons");
  const dir = path.join(root, version);
  if (await stat(dir).catch(() => null)) return;
  const tmp = `${dir}.tmp`;
  await rm(root, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const names = (await readdir(path.join(SYMBOLS, "outlined")))
    .filter((f) => f.endsWith(".svg") && !f.endsWith("-fill.svg"))
    .map((f) => f.slice(0, -4));
  const jobs = [];
  const add = (flet, target, fill) => {
    for (const [suffix, style, styleFill] of STYLES) {
      const f = fill ?? styleFill;
      const from = path.join(SYMBOLS, style, `${target}${f ? "-fill" : ""}.svg`);
      jobs.push([from, path.join(tmp, `${flet}${suffix}.svg`)]);
    }
  };
  for (const n of names) add(n, n, null);
  for (const [flet, to] of Object.entries(aliases)) {
    if (Array.isArray(to)) add(flet, to[0], to[1]);
    else add(flet, to, null);
  }
  // Flet's names that Material Symbols does not have (brands such as facebook and discord,
  // and older names such as auto_fix_high) come from the Material Icons, Flutter's own set,
  // in the same four styles.
  const made = new Set(jobs.map(([, to]) => path.basename(to)));
  for (const f of await readdir(path.join(ICONS, "filled"))) {
    if (!f.endsWith(".svg")) continue;
    const n = f.slice(0, -4);
    for (const [suffix, style] of OLD_STYLES) {
      if (!made.has(`${n}${suffix}.svg`)) {
        jobs.push([path.join(ICONS, style, f), path.join(tmp, `${n}${suffix}.svg`)]);
      }
    }
  }
  const place = ([from, to]) =>
    link(from, to).catch((e) => (e.code === "ENOENT" ? null : copyFile(from, to)));
  for (let i = 0; i < jobs.length; i += 512) await Promise.all(jobs.slice(i, i + 512).map(place));
  await rename(tmp, dir);
}

if (!outdir || process.argv.length > 3) {
  console.error("usage: node client/build.mjs OUTDIR");
  process.exit(2);
}

try {
  await mkdir(outdir, { recursive: true });
  const version = await iconVersion();
  const result = await build({
    // Control families loaded on first use (src/controls/lazy.js) are chunks of their own,
    // each with a stylesheet that is an entry point here; so is the Markdown parser.
    entryPoints: {
      luaflet: path.join(here, "src", "luaflet.js"),
      inputs: path.join(here, "src", "inputs.css"),
    },
    splitting: true,
    chunkNames: "[name]-[hash]",
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
    define: { ICON_BASE: JSON.stringify(`/icons/${version}/`) },
  });
  // Chunks are named by their content: the ones an earlier build left are removed.
  const made = new Set(Object.keys(result.metafile.outputs).map((f) => path.resolve(f)));
  // (with their compressed copies, client/compress.mjs).
  for (const f of await readdir(outdir)) {
    const chunk = /^(.*-[A-Z0-9]{8}\.js)(\.br|\.gz)?$/.exec(f);
    if (chunk && !made.has(path.resolve(outdir, chunk[1]))) await rm(path.resolve(outdir, f));
  }
  await icons(outdir, version);
  await copyFile(path.join(here, "index.html"), path.join(outdir, "index.html"));
} catch (err) {
  // esbuild has already reported its own errors; anything else is reported here.
  if (!err.errors) console.error(err);
  process.exit(1);
}
