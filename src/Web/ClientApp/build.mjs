// Builds ../wwwroot/dist: one stylesheet (NHS.UK frontend's core and only the components CareTwin uses, plus ours,
// from Sass), one script per kind of page with the code pages share split into chunks, every file named by its
// content's hash so browsers may keep it for good, the NHS.UK frontend images the styles refer to,
// manifest.json telling the server which files each page needs, and a Brotli and a gzip copy of each text file. Run by src/Web's .NET build via `npm run build`.
import { createHash } from "node:crypto";
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import path from "node:path";
import * as esbuild from "esbuild";
import * as sass from "sass";

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, "../wwwroot/dist");

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

// Frutiger is licensed and only served from the NHS's own CDN, which CareTwin never loads from:
// the styles fall back to Arial, as NHS.UK frontend does when the font is unavailable.
const css = sass.compile(path.join(here, "src/styles/app.scss"), {
  loadPaths: [path.join(here, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
}).css;
const stylesheet = `app-${createHash("sha256").update(css).digest("hex").slice(0, 10)}.css`;
await writeFile(path.join(dist, stylesheet), css);

await cp(path.join(here, "node_modules/nhsuk-frontend/dist/nhsuk/assets/images"), path.join(dist, "assets/images"), { recursive: true });

const pages = ["board", "child", "service", "family", "meeting", "plain"];
const result = await esbuild.build({
  entryPoints: Object.fromEntries(pages.map((page) => [page, path.join(here, `src/entries/${page}.ts`)])),
  outdir: dist,
  entryNames: "[name]-[hash]",
  chunkNames: "shared-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: true,
  legalComments: "linked",
  metafile: true,
  logLevel: "warning",
});

// Each page's script and every chunk it imports, so the server can ask for them all at once (modulepreload)
// instead of the browser finding them one round trip at a time.
const outputs = result.metafile.outputs;
const name = (file) => path.relative(dist, path.resolve(here, file)).split(path.sep).join("/");
function imports(file, seen = new Set()) {
  for (const use of outputs[file].imports.filter((i) => i.kind === "import-statement")) {
    if (!seen.has(use.path)) {
      seen.add(use.path);
      imports(use.path, seen);
    }
  }
  return seen;
}
const manifest = { stylesheet, pages: {} };
for (const [file, output] of Object.entries(outputs)) {
  const page = pages.find((p) => output.entryPoint === `src/entries/${p}.ts`);
  if (page) manifest.pages[page] = { script: name(file), imports: [...imports(file)].map(name) };
}
await writeFile(path.join(dist, "manifest.json"), JSON.stringify(manifest, null, 2));

// Compressed once here at the smallest size, not per request: the server sends the .br or .gz beside each file.
for (const file of await readdir(dist, { recursive: true })) {
  if (!/\.(css|js|svg)$/.test(file)) continue;
  const content = await readFile(path.join(dist, file));
  await writeFile(path.join(dist, `${file}.br`), brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  await writeFile(path.join(dist, `${file}.gz`), gzipSync(content, { level: 9 }));
}
