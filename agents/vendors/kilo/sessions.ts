/**
 * Kilo Code sessions on disk: OpenCode's store (`agents/formats/opencode_store.ts`) under Kilo's name,
 * `$XDG_DATA_HOME/kilo/kilo.db` (default `~/.local/share/kilo`; `kilo-<channel>.db` for other release
 * channels), moved by `KILO_DB`. Kilo adds tables of its own beside OpenCode's and keeps the session
 * totals (`tokens_*`, `cost`) in `session`.
 *
 * @module
 */

import type { ReaderOptions } from "../../vendor.ts";
import { OpenCodeStore } from "../../formats/opencode_store.ts";
import { KILO_CLI } from "./cli.ts";

/**
 * Kilo Code's {@linkcode OpenCodeStore}.
 *
 * @example
 * ```ts
 * new KiloSessionSource().envKeys; // ["KILO_DB", "XDG_DATA_HOME"]
 * ```
 */
export class KiloSessionSource extends OpenCodeStore {
  /** A reader of Kilo Code's store. */
  constructor(options: ReaderOptions = {}) {
    super({ name: "kilo", dbEnv: "KILO_DB", valued: KILO_CLI.valued ?? [] }, options);
  }
}
