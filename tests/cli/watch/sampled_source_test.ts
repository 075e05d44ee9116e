import assert from "node:assert/strict";
import type { ListeningPort, ProcessDetails, ProcessSource } from "../../../platform/types.ts";
import { SampledSource } from "../../../cli/watch/sampled_source.ts";

/** A source that counts its calls and answers with the call count, so a reused answer shows. */
function counting(): { source: ProcessSource; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);
  const source: ProcessSource = {
    list: () => (count("list"), []),
    system: () => (count("system"), {} as ReturnType<ProcessSource["system"]>),
    details: (pid): ProcessDetails => ({
      cwd: `/w/${pid}/${count("details")}`,
      env: {},
      readBytes: 0,
      writeBytes: 0,
    }),
    writingFiles: (pid) => [`/f/${pid}/${count("writingFiles")}`],
    terminate: (pid) => (count("terminate"), { outcome: "sent", detail: `${pid}` }),
    terminal: (pid) => `/dev/pts/${pid}/${count("terminal")}`,
    listeningPorts: (pids) => {
      const n = count("listeningPorts");
      return new Map(
        pids.filter((p) => p === 1).map((p): [number, ListeningPort[]] => [p, [
          { protocol: "tcp", address: "127.0.0.1", port: 3000 + n },
        ]]),
      );
    },
  };
  return { source, calls };
}

Deno.test("early ticks reuse per-process facts of the last full tick; the process list is always fresh", () => {
  const { source, calls } = counting();
  const s = new SampledSource(source);
  s.begin(false);
  s.list();
  assert.equal(s.details(1, ["HOME"]).cwd, "/w/1/1");
  assert.deepEqual(s.writingFiles(1, 32), ["/f/1/1"]);
  assert.equal(s.terminal!(1), "/dev/pts/1/1");
  assert.deepEqual(s.listeningPorts!([1, 2]).get(1)?.[0].port, 3001);

  s.begin(true);
  s.list();
  assert.equal(s.details(1, ["HOME"]).cwd, "/w/1/1", "reused");
  assert.equal(s.details(1, []).cwd, "/w/1/2", "other keys are another question");
  assert.equal(s.details(9, ["HOME"]).cwd, "/w/9/3", "a process the full tick did not see is read");
  assert.deepEqual(s.writingFiles(1, 32), ["/f/1/1"]);
  assert.equal(s.terminal!(1), "/dev/pts/1/1");
  assert.deepEqual([...s.listeningPorts!([1, 2])], [[1, [{
    protocol: "tcp",
    address: "127.0.0.1",
    port: 3001,
  }]]]);
  assert.equal(calls.listeningPorts, 1, "the same pids: no new read");
  assert.equal(s.listeningPorts!([1, 2, 3]).get(1)?.[0].port, 3002, "a new pid: read again");
  assert.equal(calls.list, 2);

  s.begin(false);
  assert.equal(s.details(1, ["HOME"]).cwd, "/w/1/4", "a full tick reads everything again");
  assert.deepEqual(s.writingFiles(1, 32), ["/f/1/2"]);
  assert.deepEqual(s.terminate(7), { outcome: "sent", detail: "7" }, "ending a process goes through");
  assert.equal(calls.terminate, 1);
});

Deno.test("optional methods stay absent when the source has none", () => {
  const { source } = counting();
  const bare: ProcessSource = {
    list: source.list,
    system: source.system,
    details: source.details,
    writingFiles: source.writingFiles,
    terminate: source.terminate,
  };
  const s = new SampledSource(bare);
  assert.equal(s.terminal, undefined);
  assert.equal(s.listeningPorts, undefined);
});
