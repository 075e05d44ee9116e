import assert from "node:assert/strict";
import { ClaudeTranscript } from "../../agents/vendors/claude/transcript.ts";
import { ClaudeUsage } from "../../agents/vendors/claude/usage.ts";
import { CodexTranscript } from "../../agents/vendors/codex/transcript.ts";
import { addUsage, emptyTokens, nextBlockStart, type UsageMinute } from "../../agents/session.ts";
import { cacheWarmth } from "../../agents/cache.ts";
import { type Burn, sessionBurn, totalBurn } from "../../agents/burn.ts";
import { bundledTable, lookupModel, type ModelPrice } from "../../agents/pricing/table.ts";
import { aggregate } from "../../agents/aggregates.ts";
import { makeAgent } from "../support/agents.ts";

const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;
const CODEX_LIMITS = "codex/rollout-2026-11-24T05-00-00-019a8b3c-7777-7aaa-8bbb-ccccdddd0001.jsonl";
const H = 3_600_000;
const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);
const priceOf = (model: string) => lookupModel(bundledTable(), model)?.price ?? null;
const SONNET = priceOf("claude-sonnet-4-5")!; // $3 in, $15 out, $0.30 read, $3.75 write per million
const OPUS = priceOf("claude-opus-4-8")!; // $5 in, $25 out, $0.50 read, $6.25 write per million

function lines(name: string): string[] {
  return Deno.readTextFileSync(FIXTURES + name).split("\n").filter(Boolean);
}

function claude(input: string[], ledger?: ClaudeUsage): ClaudeTranscript {
  const t = new ClaudeTranscript({ ledger });
  for (const l of input) t.feed(l);
  return t;
}

/** The block start of the last of `times` (ascending), the rule applied from the first request. */
function usageBlockStart(times: number[]): number | null {
  let start: number | null = null;
  let last = -Infinity;
  for (const t of times) {
    start = nextBlockStart(start, last, t);
    last = t;
  }
  return start;
}

const near = (actual: number | null | undefined, expected: number, what: string) =>
  assert.ok(actual != null && Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);

Deno.test("cache: the Claude parser tracks the newest request and the TTL of its cache writes", () => {
  const f = claude(lines("claude/limited.jsonl")).facts();
  // msg_L2's line at 10:01:00; the synthetic limit error afterwards is not a request.
  assert.equal(f.lastRequestAt, at("2026-11-24T10:01:00Z"));
  assert.equal(f.cacheTtlMs, H, "ephemeral_1h_input_tokens only");
  assert.equal(f.contextTokens, 2 + 30000 + 1200);

  const usage = (m5: number, h1: number, read: number) => ({
    input_tokens: 1,
    output_tokens: 1,
    cache_read_input_tokens: read,
    cache_creation_input_tokens: m5 + h1,
    cache_creation: { ephemeral_5m_input_tokens: m5, ephemeral_1h_input_tokens: h1 },
  });
  const response = (id: string, ts: string, u: unknown) =>
    JSON.stringify({
      type: "assistant",
      timestamp: ts,
      requestId: `req_${id}`,
      message: {
        id,
        model: "claude-opus-4-8",
        content: [{ type: "text", text: "ok" }],
        stop_reason: null,
        usage: u,
      },
    });
  const t = claude([response("m1", "2026-11-24T10:00:00Z", usage(0, 500, 0))]);
  assert.equal(t.facts().cacheTtlMs, H);
  t.feed(response("m2", "2026-11-24T10:02:00Z", usage(0, 0, 900)));
  assert.equal(t.facts().cacheTtlMs, H, "a pure cache hit keeps the TTL of what it read");
  t.feed(response("m3", "2026-11-24T10:03:00Z", usage(40, 500, 900)));
  assert.equal(t.facts().cacheTtlMs, 5 * MIN, "a mix expires with its 5-minute end");
  t.feed(response("m3", "2026-11-24T10:03:04Z", usage(40, 500, 900)));
  assert.equal(
    t.facts().lastRequestAt,
    at("2026-11-24T10:03:00Z"),
    "a response's first line is its request time",
  );
});

Deno.test("cache: warm until the TTL passes; cold costs the write rate (Anthropic) or the input rate", () => {
  const last = at("2026-11-24T10:00:00Z");
  const session = { lastRequestAt: last, cacheTtlMs: null, contextTokens: 100_000 };
  const warm = cacheWarmth(session, last + 4 * MIN, SONNET)!;
  assert.equal(warm.warm, true);
  assert.equal(warm.ttlMs, 5 * MIN);
  assert.equal(warm.expiresAt, last + 5 * MIN);
  near(warm.coldCostUsd, 100_000 * 3.75 / 1e6, "5-minute re-write");
  near(warm.warmCostUsd, 100_000 * 0.3 / 1e6, "cache read");
  assert.equal(cacheWarmth(session, last + 5 * MIN, SONNET)!.warm, false);

  const hour = cacheWarmth({ ...session, cacheTtlMs: H }, last + 30 * MIN, OPUS)!;
  assert.equal(hour.warm, true);
  near(hour.coldCostUsd, 100_000 * 5 * 2 / 1e6, "1-hour writes cost twice the input rate");

  const gpt = cacheWarmth(session, last + 6 * MIN, priceOf("gpt-5.2"))!;
  assert.equal(gpt.warm, false);
  near(gpt.coldCostUsd, 100_000 * 1.75 / 1e6, "no cache-write charge: plain input");
  near(gpt.warmCostUsd, 100_000 * 0.175 / 1e6, "cached input");

  assert.equal(cacheWarmth({ ...session, lastRequestAt: null }, last, SONNET), null);
  const unpriced = cacheWarmth(session, last, null)!;
  assert.equal(unpriced.coldCostUsd, null);
  assert.equal(unpriced.warm, true);
});

Deno.test("usage timeline: per-minute buckets per model, merged, trimmed to 5 hours", () => {
  const t0 = at("2026-11-24T10:00:00Z");
  const tok = (input: number) => ({ ...emptyTokens(), input });
  const line: UsageMinute[] = [];
  addUsage(line, t0 + 10_000, "a", tok(1));
  addUsage(line, t0 + 50_000, "a", tok(2));
  addUsage(line, t0 + 55_000, "b", tok(4));
  addUsage(line, t0 + 3 * MIN, "a", tok(8));
  addUsage(line, t0 + 2 * MIN + 1, "a", tok(16)); // late: goes to its own minute
  assert.deepEqual(line.map((m) => [m.at - t0, m.model, m.tokens.input, m.requests]), [
    [0, "a", 3, 2],
    [0, "b", 4, 1],
    [2 * MIN, "a", 16, 1],
    [3 * MIN, "a", 8, 1],
  ]);
  addUsage(line, t0 + 5 * H + 2 * MIN + 30_000, "a", tok(32));
  assert.deepEqual(line.map((m) => m.at - t0), [2 * MIN, 3 * MIN, 5 * H + 2 * MIN], "older than 5 h dropped");
});

Deno.test("usage blocks: ccusage's rule — hour of the first request, 5 hours, or a 5-hour gap", () => {
  const h = (n: number) => n * H;
  assert.equal(usageBlockStart([]), null);
  assert.equal(usageBlockStart([h(3.2), h(4.5), h(7.9)]), h(3), "all within 5 h of 03:00");
  assert.equal(usageBlockStart([h(3.2), h(7.9), h(8.1)]), h(8), "08:06 is past 03:00 + 5 h");
  assert.equal(usageBlockStart([h(3.2), h(8.3)]), h(8), "a gap over 5 h");
  assert.equal(
    usageBlockStart([h(3), h(8)]),
    h(3),
    "exactly 5 h later is still the block (ccusage: more than)",
  );
});

Deno.test("burn: the Claude fixture over 6 hours — rates, the block since 08:00, its projection", () => {
  const f = claude(lines("claude/six-hours.jsonl")).facts();
  // Requests at 03:10, 04:30, 07:55 (block 03:00–08:00), then 08:05, 09:20, 09:21:30, 09:25 (block from 08:00).
  assert.equal(f.blockStart, at("2026-11-24T08:00:00Z"));
  assert.deepEqual(
    f.recentUsage?.map((m) => new Date(m.at).toISOString().slice(11, 16)),
    ["04:30", "07:55", "08:05", "09:20", "09:21", "09:25"],
    "the 5 hours before the newest request",
  );
  assert.equal(f.recentUsage?.[0].model, "claude-sonnet-4-5-20250929");

  const perRequest = 10 + 1000 + 20000;
  const usdPerRequest = (10 * 3 + 1000 * 15 + 20000 * 0.3) / 1e6;
  const now = at("2026-11-24T09:28:00Z");
  const burn = sessionBurn(f, now, priceOf)!;
  assert.equal(burn.at, now);
  // 09:20, 09:21:30 and 09:25 fall in the 10 minutes since 09:18.
  near(burn.tokensPerMin, (3 * perRequest) / 10, "tokens per minute");
  near(burn.usdPerHour, 3 * usdPerRequest * 6, "USD per hour");
  const block = burn.block!;
  assert.equal(block.start, at("2026-11-24T08:00:00Z"));
  assert.equal(block.end, at("2026-11-24T13:00:00Z"));
  assert.equal(block.tokens, 4 * perRequest);
  near(block.usd, 4 * usdPerRequest, "spent in the block");
  const left = block.end - now;
  near(block.projectedUsd, 4 * usdPerRequest + burn.usdPerHour! * (left / H), "projected USD");
  near(block.projectedTokens, 4 * perRequest + burn.tokensPerMin * (left / MIN), "projected tokens");

  const later = sessionBurn(f, at("2026-11-24T13:00:00Z"), priceOf)!;
  assert.equal(later.block, null, "the block ended");
  assert.equal(later.tokensPerMin, 0);
  assert.equal(later.usdPerHour, 0);
  assert.equal(sessionBurn({ recentUsage: undefined, blockStart: null }, now, priceOf), null);
  assert.equal(sessionBurn(f, now, () => null)!.usdPerHour, null, "unpriced");
});

Deno.test("usage blocks: the ledger's kept chain equals a full recompute, lines in order or not", () => {
  const ledger = new ClaudeUsage();
  const t0 = at("2026-11-24T00:00:00Z");
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  // 400 requests over ~40 hours with gaps, some arriving late (a subagent file read after its parent).
  const times: number[] = [];
  let t = t0;
  for (let i = 0; i < 400; i++) {
    t += random() < 0.03 ? 6 * H * random() + 5 * H : 10 * MIN * random();
    times.push(Math.round(t));
  }
  const seen: number[] = [];
  times.forEach((time, i) => {
    const late = i > 10 && random() < 0.1 ? times[Math.floor(random() * i)] - 1 : time;
    const usage = { ...emptyTokens(), output: 1 };
    ledger.record("s", `m${i}`, `r${i}`, false, "claude-opus-4-8", usage, late);
    seen.push(late);
    if (i % 7 === 0 || i === times.length - 1) {
      const sorted = [...seen].sort((a, b) => a - b);
      assert.equal(ledger.timeline().blockStart, usageBlockStart(sorted), `after ${i + 1} requests`);
    }
  });
  ledger.removeSource("s");
  assert.deepEqual(ledger.timeline(), { blockStart: null, minutes: [] });

  // Hourly from 00:30 to 23:30: blocks at 00, 05, 10, 15, 20 h. A request found late at 23:30 the day
  // before moves every later block an hour earlier: the kept chain over the old entries is redone.
  const hourly = new ClaudeUsage();
  for (let i = 0; i < 24; i++) {
    hourly.record(
      "s",
      `h${i}`,
      "r",
      false,
      "claude-opus-4-8",
      { ...emptyTokens(), output: 1 },
      t0 + i * H + H / 2,
    );
  }
  assert.equal(hourly.timeline().blockStart, t0 + 20 * H);
  hourly.record("sub", "late", "r", false, "claude-opus-4-8", { ...emptyTokens(), output: 1 }, t0 - H / 2);
  assert.equal(hourly.timeline().blockStart, t0 + 19 * H);
});

Deno.test("burn: subagent usage counts towards the session's timeline through the shared ledger", () => {
  const ledger = new ClaudeUsage();
  const main = claude(lines("claude/six-hours.jsonl"), ledger);
  const sub = new ClaudeTranscript({ ledger, source: "agent-x", subagent: true });
  sub.feed(JSON.stringify({
    type: "assistant",
    isSidechain: true,
    timestamp: "2026-11-24T09:26:10.000Z",
    requestId: "req_sub",
    message: {
      id: "msg_sub",
      model: "claude-haiku-4-5",
      content: [{ type: "text", text: "found it" }],
      stop_reason: "end_turn",
      usage: { input_tokens: 100, output_tokens: 50 },
    },
  }));
  const f = main.facts();
  assert.deepEqual(f.recentUsage?.at(-1), {
    at: at("2026-11-24T09:26:00Z"),
    model: "claude-haiku-4-5",
    tokens: { input: 100, output: 50, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
    requests: 1,
  });
  assert.equal(sub.facts().recentUsage, undefined, "the timeline is the session's, not the subagent file's");
});

Deno.test("burn: Codex usage per minute from the changes of the cumulative count", () => {
  const t = new CodexTranscript();
  for (const l of lines(CODEX_LIMITS)) t.feed(l);
  const f = t.facts();
  assert.equal(f.blockStart, undefined, "no usage blocks for Codex");
  assert.deepEqual(f.recentUsage, [
    {
      at: at("2026-11-24T05:00:00Z"),
      model: "gpt-5.2-codex",
      tokens: { input: 3000, output: 300, cacheRead: 9000, cacheWrite: 0, reasoning: 100 },
      requests: 1,
    },
    {
      at: at("2026-11-24T05:02:00Z"),
      model: "gpt-5.2-codex",
      tokens: { input: 3000, output: 350, cacheRead: 12000, cacheWrite: 0, reasoning: 150 },
      requests: 1,
    },
  ]);
  const burn = sessionBurn(f, at("2026-11-24T05:05:00Z"), priceOf)!;
  near(burn.tokensPerMin, (3000 + 300 + 9000 + 100 + 3000 + 350 + 12000 + 150) / 10, "tokens per minute");
  assert.equal(burn.block, null);
});

Deno.test("burn: totals sum the rates; the block is the earliest active one, projected at the summed rate", () => {
  const now = at("2026-11-24T10:00:00Z");
  const burn = (tokensPerMin: number, usdPerHour: number | null, start: number | null, usd = 1): Burn => ({
    at: now,
    tokensPerMin,
    usdPerHour,
    block: start === null ? null : {
      start,
      end: start + 5 * H,
      tokens: 1000,
      usd,
      projectedTokens: 0,
      projectedUsd: 0,
    },
  });
  const total = totalBurn([
    burn(100, 6, at("2026-11-24T08:00:00Z")),
    burn(50, 3, at("2026-11-24T09:00:00Z"), 2),
    burn(10, null, null),
    null,
  ])!;
  assert.equal(total.tokensPerMin, 160);
  assert.equal(total.usdPerHour, 9);
  assert.equal(total.block?.start, at("2026-11-24T08:00:00Z"));
  assert.equal(total.block?.end, at("2026-11-24T13:00:00Z"));
  assert.equal(total.block?.tokens, 2000);
  assert.equal(total.block?.usd, 3);
  near(total.block?.projectedUsd, 3 + 9 * 3, "3 h left at $9/h");
  near(total.block?.projectedTokens, 2000 + 150 * 180, "3 h left at 150 tokens/min");
  assert.equal(totalBurn([null, null]), null);

  const agents = [
    makeAgent({ pid: 1, burn: burn(100, 6, null) }),
    makeAgent({ pid: 2, burn: burn(20, 1, null) }),
  ];
  assert.equal(aggregate(agents).burn?.tokensPerMin, 120);
});

Deno.test("burn: a price per model is looked up once per computation", () => {
  let lookups = 0;
  const counting = (model: string): ModelPrice | null => {
    lookups++;
    return priceOf(model);
  };
  sessionBurn(claude(lines("claude/six-hours.jsonl")).facts(), at("2026-11-24T09:28:00Z"), counting);
  assert.equal(lookups, 1);
});
