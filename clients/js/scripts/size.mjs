// Prints the client's size: as committed, minified (esbuild), and minified + gzipped (level 9), in bytes.
// Run with `npm run size`; the size test in test/ holds the budget.
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { transform } from "esbuild";

export async function measure() {
  const source = await readFile(new URL("../agentbridge-client.js", import.meta.url), "utf8");
  const { code } = await transform(source, { minify: true, format: "esm", target: "es2022" });
  return { source: Buffer.byteLength(source), minified: Buffer.byteLength(code), gzipped: gzipSync(code, { level: 9 }).length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { source, minified, gzipped } = await measure();
  console.log(`agentbridge-client.js: ${source} B source, ${minified} B minified, ${gzipped} B minified+gzipped`);
}
