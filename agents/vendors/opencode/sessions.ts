/**
 * OpenCode sessions on disk: the OpenCode-family store (`agents/formats/opencode_store.ts`) in
 * `$XDG_DATA_HOME/opencode`, database `opencode.db`, moved by `OPENCODE_DB`.
 *
 * @module
 */

import type { ReaderOptions } from "../../vendor.ts";
import { OpenCodeStore } from "../../formats/opencode_store.ts";
import { OPENCODE_CLI } from "./cli.ts";

/**
 * OpenCode's {@linkcode OpenCodeStore}.
 *
 * @example
 * ```ts
 * new OpenCodeSessionSource().envKeys; // ["OPENCODE_DB", "XDG_DATA_HOME"]
 * ```
 */
export class OpenCodeSessionSource extends OpenCodeStore {
  /** A reader of OpenCode's store. */
  constructor(options: ReaderOptions = {}) {
    super({ name: "opencode", dbEnv: "OPENCODE_DB", valued: OPENCODE_CLI.valued ?? [] }, options);
  }
}
