// Writes a brotli (FILE.br) and a gzip (FILE.gz) copy beside each text file of the built client
// (`node client/compress.mjs OUTDIR`), which the host sends to a browser that takes them
// (host/static.c). Fonts and images are compressed already and are left as they are. It
// prints nothing unless something is wrong.
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dir = process.argv[2];
if (!dir || process.argv.length > 3) {
  console.error("usage: node client/compress.mjs OUTDIR");
  process.exit(2);
}
const TEXT = new Set([".html", ".js", ".mjs", ".css", ".json", ".map", ".svg", ".txt"]);

for (const name of await readdir(dir, { recursive: true })) {
  if (!TEXT.has(path.extname(name))) continue;
  // The icons (client/build.mjs) are thousands of small files, fetched a few at a time.
  if (name.startsWith(`icons${path.sep}`)) continue;
  const file = path.join(dir, name);
  const data = await readFile(file);
  // Small files gain nothing worth a second request path.
  if (data.length < 512) continue;
  await writeFile(
    `${file}.br`,
    brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
  );
  await writeFile(`${file}.gz`, gzipSync(data, { level: 9 }));
}
