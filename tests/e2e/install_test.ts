import assert from "node:assert/strict";
import { assetName, binaryPermissions, compileArgs, TARGETS, V8_FLAGS } from "../../scripts/build.ts";
import { LIBC_PATHS } from "../../platform/linux/libc.ts";

const INSTALL = new URL("../../install.sh", import.meta.url).pathname;
const shAvailable = Deno.build.os !== "windows";

/** A fake release directory with one binary per target and a SHA256SUMS file. */
async function fakeRelease(version: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "agtop-release-" });
  const sums: string[] = [];
  for (const t of TARGETS) {
    const name = assetName(t, version);
    const body = `#!/bin/sh\necho "agtop ${version} ${t.triple}"\n`;
    await Deno.writeTextFile(`${dir}/${name}`, body);
    const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
    sums.push(`${[...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, "0")).join("")}  ${name}`);
  }
  await Deno.writeTextFile(`${dir}/SHA256SUMS`, sums.join("\n") + "\n");
  return dir;
}

async function install(release: string, env: Record<string, string>, args: string[] = []) {
  const out = await new Deno.Command("sh", {
    args: [INSTALL, ...args],
    env: { AGTOP_BASE_URL: `file://${release}`, ...env },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("release targets: five platforms, least permissions, FFI only where the OS needs it", () => {
  assert.deepEqual(TARGETS.map((t) => t.triple), [
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
  ]);
  for (const t of TARGETS) {
    const args = compileArgs(t, "dist", "1.2.3");
    assert.ok(args.includes("--allow-read") && args.includes("--allow-env") && args.includes("--allow-sys"));
    assert.ok(!args.some((a) => /^--allow-(write|run|all)|^-A$/.test(a)), args.join(" "));
    // The network only for serve, dropped at start-up (tests/serve_permissions_test.ts), never prompted for.
    assert.ok(args.includes("--allow-net") && args.includes("--no-prompt"));
    assert.ok(V8_FLAGS.every((f) => args.includes(f)));
    const ffi = args.filter((a) => a.startsWith("--allow-ffi"));
    assert.equal(ffi.length, 1);
    if (t.triple.includes("linux")) assert.equal(ffi[0], `--allow-ffi=${LIBC_PATHS.join(",")}`);
    if (t.triple.includes("darwin")) assert.equal(ffi[0], "--allow-ffi=/usr/lib/libSystem.B.dylib");
    assert.equal(args[args.indexOf("--target") + 1], t.triple);
    assert.equal(args[args.indexOf("--output") + 1], `dist/${assetName(t, "1.2.3")}`);
  }
  assert.equal(assetName(TARGETS[4], "1.2.3"), "agtop-1.2.3-x86_64-pc-windows-msvc.exe");
});

Deno.test("the deno tasks and the release workflow use scripts/build.ts", async () => {
  const deno = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  assert.match(deno.tasks.compile, /scripts\/build\.ts$/);
  assert.ok(
    deno.tasks.agtop.includes(`--allow-ffi=${LIBC_PATHS.join(",")} `),
    "agtop task: FFI scoped to libc",
  );
  assert.equal(
    deno.tasks.serve,
    `deno run ${[...V8_FLAGS, ...binaryPermissions(TARGETS[0])].join(" ")} main.ts serve`,
    "serve task: exactly the binary's permissions",
  );
  assert.ok(!deno.tasks.agtop.includes("--allow-net"), "agtop task: no network at all");
  assert.ok(
    deno.tasks.agtop.startsWith(`deno run ${V8_FLAGS.join(" ")} `),
    "agtop task: the binary's V8 flags",
  );
  assert.match(deno.tasks["compile:all"], /scripts\/build\.ts --all$/);
  const wf = await Deno.readTextFile(new URL("../../.github/workflows/release.yml", import.meta.url));
  assert.match(wf, /scripts\/build\.ts --matrix/);
  assert.match(wf, /scripts\/build\.ts --target \$\{\{ matrix\.triple \}\}/);
  assert.match(wf, /SHA256SUMS/);
});

Deno.test({
  name: "install.sh installs the right binary and verifies its checksum",
  ignore: !shAvailable,
  async fn() {
    const release = await fakeRelease("9.8.7");
    const home = await Deno.makeTempDir();
    try {
      const linux = await install(release, {
        HOME: home,
        AGTOP_UNAME_S: "Linux",
        AGTOP_UNAME_M: "x86_64",
        PATH: "/usr/bin:/bin",
      });
      assert.equal(linux.code, 0, linux.stderr);
      const bin = `${home}/.local/bin/agtop`;
      assert.equal((await Deno.stat(bin)).mode! & 0o111, 0o111);
      const run = await new Deno.Command(bin).output();
      assert.equal(new TextDecoder().decode(run.stdout), "agtop 9.8.7 x86_64-unknown-linux-gnu\n");

      const mac = await install(release, {
        HOME: home,
        AGTOP_UNAME_S: "Darwin",
        AGTOP_UNAME_M: "arm64",
        PATH: "/usr/bin:/bin",
      }, [
        "--dir",
        `${home}/bin`,
      ]);
      assert.equal(mac.code, 0, mac.stderr);
      const out = new TextDecoder().decode((await new Deno.Command(`${home}/bin/agtop`).output()).stdout);
      assert.equal(out, "agtop 9.8.7 aarch64-apple-darwin\n");
    } finally {
      await Deno.remove(release, { recursive: true });
      await Deno.remove(home, { recursive: true });
    }
  },
});

Deno.test({
  name: "install.sh refuses a checksum mismatch and an unknown platform, installing nothing",
  ignore: !shAvailable,
  async fn() {
    const release = await fakeRelease("9.8.7");
    const home = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(`${release}/${assetName(TARGETS[0], "9.8.7")}`, "tampered\n");
      const bad = await install(release, {
        HOME: home,
        AGTOP_UNAME_S: "Linux",
        AGTOP_UNAME_M: "x86_64",
        PATH: "/usr/bin:/bin",
      });
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /checksum mismatch for agtop-9\.8\.7-x86_64-unknown-linux-gnu/);
      await assert.rejects(Deno.stat(`${home}/.local/bin/agtop`));

      const os = await install(release, {
        HOME: home,
        AGTOP_UNAME_S: "SunOS",
        AGTOP_UNAME_M: "x86_64",
        PATH: "/usr/bin:/bin",
      });
      assert.notEqual(os.code, 0);
      assert.match(os.stderr, /no agtop binary for OS 'SunOS'/);
      const cpu = await install(release, {
        HOME: home,
        AGTOP_UNAME_S: "Linux",
        AGTOP_UNAME_M: "riscv64",
        PATH: "/usr/bin:/bin",
      });
      assert.notEqual(cpu.code, 0);
      assert.match(cpu.stderr, /no agtop binary for CPU 'riscv64' on Linux/);
      await assert.rejects(Deno.stat(`${home}/.local/bin/agtop`));
    } finally {
      await Deno.remove(release, { recursive: true });
      await Deno.remove(home, { recursive: true });
    }
  },
});
