import assert from "node:assert/strict";
import { BearerToken, HostCheck, hostOf } from "../../../cli/serve/access.ts";

Deno.test("access: Host names a server answers to, and what DNS rebinding sends", () => {
  const check = new HostCheck("0.0.0.0", ["Metrics.Example.org"], "devbox-1.corp.example");
  for (
    const ok of [
      "localhost",
      "localhost:9464",
      "LOCALHOST.:9464",
      "127.0.0.1:9464",
      "10.0.0.7",
      "[::1]:9464",
      "[fe80::1]",
      "grafana.localhost:3000",
      "metrics.example.org",
      "devbox-1",
      "devbox-1.corp.example:9464",
      null,
    ]
  ) assert.ok(check.allows(ok), String(ok));
  for (
    const refused of [
      "attacker.example",
      "127.0.0.1.nip.io",
      "localhost.attacker.example",
      "999.1.1.1",
      "2130706433x",
      "user@localhost",
      "a b",
      "",
    ]
  ) assert.ok(!check.allows(refused), refused);
  assert.ok(new HostCheck("devbox-2", [], null).allows("devbox-2:9464"), "the --listen host");
  assert.equal(hostOf("[::1]:80"), "::1");
});

Deno.test("access: a bearer token is compared whole, and read from a regular file only", async () => {
  const token = new BearerToken("s3cret");
  assert.ok(token.accepts("Bearer s3cret"));
  assert.ok(token.accepts("bearer s3cret "));
  for (const bad of [null, "", "Bearer", "Bearer s3cre", "Bearer s3cret2", "Basic s3cret", "s3cret"]) {
    assert.ok(!token.accepts(bad), String(bad));
  }
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/t`, "tok\nrest\n");
    assert.ok(BearerToken.read(`${dir}/t`).accepts("Bearer tok"));
    await Deno.writeTextFile(`${dir}/empty`, "\n");
    assert.throws(() => BearerToken.read(`${dir}/empty`), /no token on its first line/);
    assert.throws(() => BearerToken.read(dir), /not a regular file/);
    assert.throws(() => BearerToken.read(`${dir}/missing`), /token file .*missing/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
