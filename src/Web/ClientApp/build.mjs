// Builds ../wwwroot/dist: app.css (NHS.UK frontend + ours, from Sass), app.js (one bundle for every page)
// and the NHS.UK frontend images the styles refer to. Run by src/Web's .NET build through `npm run build`.
import { cp, mkdir, rm, writeFile } from "node:fs/promises";
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
});
await writeFile(path.join(dist, "app.css"), css.css);

await cp(path.join(here, "node_modules/nhsuk-frontend/dist/nhsuk/assets/images"), path.join(dist, "assets/images"), { recursive: true });

await esbuild.build({
  entryPoints: [path.join(here, "src/main.ts")],
  outfile: path.join(dist, "app.js"),
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: true,
  legalComments: "linked",
  logLevel: "warning",
});
