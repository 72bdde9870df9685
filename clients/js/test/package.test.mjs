// The package itself: no runtime dependency, the declarations type-check, and the size budget holds.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { build } from "esbuild";
import { measure } from "../scripts/size.mjs";

const packageDir = new URL("../", import.meta.url);

describe("the @agentbridge/client package", () => {
  it("has no runtime dependency and imports nothing", async () => {
    const manifest = JSON.parse(await readFile(new URL("package.json", packageDir), "utf8"));
    assert.equal(manifest.dependencies, undefined);
    assert.equal(manifest.peerDependencies, undefined);
    // Bundling it pulls in no other file.
    const { metafile } = await build({ entryPoints: [new URL("agentbridge-client.js", packageDir).pathname], bundle: true, write: false, metafile: true, format: "esm", logLevel: "silent" });
    assert.deepEqual(Object.keys(metafile.inputs), ["agentbridge-client.js"]);
  });

  it("type-checks: the module against its declarations, and a page's usage against both and @ag-ui/core's types", async () => {
    const tsc = new URL("node_modules/typescript/bin/tsc", packageDir);
    await promisify(execFile)(process.execPath, [tsc.pathname, "-p", "tsconfig.json"], { cwd: packageDir });
  });

  it("stays within 5 KiB minified and gzipped", async () => {
    const { minified, gzipped } = await measure();
    console.log(`# agentbridge-client.js: ${minified} B minified, ${gzipped} B minified+gzipped`);
    assert.ok(gzipped <= 5 * 1024, `${gzipped} B`);
  });
});
