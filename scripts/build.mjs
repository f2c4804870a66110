// `npm run build` (and postinstall): Relais compiled to dist/app/ for `npm start`, as one bundle
// per entry point (src/main.ts and the chunks it imports lazily: each platform's surface, each
// database provider), dependencies included. A start then reads a handful of files instead of
// resolving and compiling thousands of node_modules files (issue 16: start to listening); the
// platform SDKs and the provider not configured stay in chunks that are never loaded.
// Type-checking is `tsc --noEmit` in `npm test`; esbuild only strips the types.
import { rmSync } from "node:fs";
import { build } from "esbuild";

const root = new URL("../", import.meta.url).pathname;
rmSync(`${root}dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ["src/main.ts"],
  outdir: "dist/app",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Native addons and optional native speed-ups stay outside the bundle: node loads them itself.
  external: ["better-sqlite3", "pg-native", "zlib-sync", "bufferutil", "utf-8-validate"],
  // Bundled CommonJS packages call require(): give the ES module one.
  banner: {
    js: "import { createRequire as __relaisRequire } from 'node:module'; const require = __relaisRequire(import.meta.url);",
  },
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
});
