/**
 * Pressing keys in the live view's state machine, for tests of `render/watch/state.ts`.
 *
 * @module
 */

import type { Snapshot } from "../../agents/types.ts";
import type { Key } from "../../render/watch/keys.ts";
import { applyKey, type Effect, type ScreenSize, type ViewState } from "../../render/watch/state.ts";

/** Applies keys given as single characters (`"q"`), key names (`"down"`) or {@linkcode Key}s, in order. */
export function pressKeys(
  s: ViewState,
  snap: Snapshot | null,
  keys: (string | Key)[],
  size: ScreenSize,
): { state: ViewState; effects: Effect[] } {
  const effects: Effect[] = [];
  for (const k of keys) {
    const key: Key = typeof k !== "string"
      ? k
      : k.length === 1
      ? { name: "char", char: k }
      : ({ name: k } as Key);
    const step = applyKey(s, key, snap, size);
    s = step.state;
    effects.push(step.effect);
  }
  return { state: s, effects };
}
