/**
 * What `contrib/` ships for running agtop under a service manager: the systemd units are valid to
 * `systemd-analyze verify`, and the textfile script never leaves half a file.
 */
import assert from "node:assert/strict";
import { which } from "../support/fakes.ts";

const CONTRIB = new URL("../../contrib/", import.meta.url).pathname;
const UNITS = [
  "systemd/agtop-serve.service",
  "textfile/agtop-textfile.service",
  "textfile/agtop-textfile.timer",
];

Deno.test({
  name: "contrib: the systemd units pass systemd-analyze verify without a warning",
  ignore: Deno.build.os !== "linux" || !which("systemd-analyze"),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "agtop-units-" });
    try {
      // The programs the units start, as stubs where the units can find them.
      for (const name of ["agtop", "agtop-textfile"]) {
        await Deno.writeTextFile(`${dir}/${name}`, "#!/bin/sh\n", { mode: 0o755 });
      }
      for (const unit of UNITS) {
        const text = (await Deno.readTextFile(CONTRIB + unit)).replaceAll("/usr/local/bin/", `${dir}/`);
        await Deno.writeTextFile(`${dir}/${unit.split("/")[1]}`, text);
      }
      const out = await new Deno.Command("systemd-analyze", {
        args: ["verify", "--man=no", ...UNITS.map((u) => `${dir}/${u.split("/")[1]}`)],
      }).output();
      const said = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, said);
      assert.equal(said.trim(), "");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "contrib: when agtop fails, the textfile script keeps the last agtop.prom and leaves nothing else",
  ignore: Deno.build.os === "windows",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "agtop-textfile-" });
    try {
      await Deno.writeTextFile(`${dir}/agtop.prom`, "# previous\n");
      const out = await new Deno.Command("sh", {
        args: [`${CONTRIB}textfile/agtop-textfile`],
        env: { TEXTFILE_DIR: dir, AGTOP: "false" },
      }).output();
      assert.notEqual(out.code, 0);
      assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["agtop.prom"]);
      assert.equal(await Deno.readTextFile(`${dir}/agtop.prom`), "# previous\n");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
