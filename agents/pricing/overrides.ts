/**
 * User price overrides: a TOML file whose models are merged over the bundled table.
 *
 * ```toml
 * # USD per million tokens; max_input_tokens in tokens.
 * [models."my-model"]
 * input = 3.0
 * output = 15.0
 * cache_read = 0.3          # optional (default: 0.1 × input)
 * cache_write = 3.75        # optional (default: 1.25 × input)
 * max_input_tokens = 200000 # optional
 *
 * [models.claude-sonnet-4-5] # unquoted names work too; `[models.gpt-5.1]` means the model "gpt-5.1"
 * input = 2.5                # a model the table has: only the fields given are replaced
 * ```
 *
 * Every model must end up with `input` and `output`; any other key, a negative or non-number rate, or a
 * TOML syntax error is a {@linkcode TomlFileError} whose one-line message names the file and the line.
 *
 * @module
 */

import { bundledTable, mergeOverrides, type ModelPrice, type PriceTable } from "./table.ts";
import { parseToml, TomlFileError, TomlLines, unreadable } from "../../platform/toml_file.ts";
import { readUserFile } from "../formats/regular.ts";

type Table = Record<string, unknown>;

/** TOML keys of a model and the {@linkcode ModelPrice} field each sets. */
const FIELDS: Readonly<Record<string, keyof ModelPrice>> = {
  input: "input",
  output: "output",
  cache_read: "cacheRead",
  cache_write: "cacheWrite",
  max_input_tokens: "maxInputTokens",
};

/** A TOML table (smol-toml gives arrays and dates as objects too). */
function isTable(v: unknown): v is Table {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Reads and checks an overrides document; `base` supplies the fields an override of a known model omits. */
class OverridesReader {
  readonly out: Record<string, ModelPrice> = Object.create(null);
  readonly #lines: TomlLines;

  constructor(readonly path: string, source: string, readonly base: PriceTable | null) {
    this.#lines = new TomlLines(source);
  }

  /** An error at the line of the longest known prefix of `keys`. */
  error(keys: string[], detail: string): TomlFileError {
    return new TomlFileError(this.path, this.#lines.line(keys), detail);
  }

  document(doc: Table): void {
    for (const [key, value] of Object.entries(doc)) {
      if (key !== "models") {
        throw this.error([key], `unknown key ${JSON.stringify(key)} (expected [models."<id>"] tables)`);
      }
      if (!isTable(value)) throw this.error([key], `"models" must be a table of models`);
      this.models(["models"], value);
    }
  }

  /** A table of models; a model's sub-tables are models with dotted ids (`[models.gpt-5.1]`). */
  models(path: string[], table: Table): void {
    for (const [key, value] of Object.entries(table)) {
      if (!isTable(value)) {
        throw this.error([...path, key], `${label([...path, key])} must be a table of prices`);
      }
      const sub = Object.values(value).some(isTable);
      const own = Object.values(value).some((v) => !isTable(v));
      if (own || !sub) this.model([...path, key], value);
      if (sub) {
        this.models(
          [...path, key],
          Object.fromEntries(Object.entries(value).filter(([, v]) => isTable(v))),
        );
      }
    }
  }

  model(path: string[], table: Table): void {
    const id = path.slice(1).join(".");
    const given: Partial<ModelPrice> = {};
    for (const [key, value] of Object.entries(table)) {
      if (isTable(value)) continue;
      if (!Object.hasOwn(FIELDS, key)) {
        throw this.error(
          [...path, key],
          `${label(path)}: unknown key ${JSON.stringify(key)} (expected ${Object.keys(FIELDS).join(", ")})`,
        );
      }
      given[FIELDS[key]] = this.number(path, key, value);
    }
    const known = this.base?.models.get(id.toLowerCase())?.price;
    const price = { cacheRead: null, cacheWrite: null, maxInputTokens: null, ...known, ...given };
    for (const key of ["input", "output"] as const) {
      if (price[key] === undefined) {
        throw this.error(path, `${label(path)}: missing ${key} (USD per million tokens)`);
      }
    }
    this.out[id] = price as ModelPrice;
  }

  number(path: string[], key: string, value: unknown): number {
    const ok = key === "max_input_tokens"
      ? typeof value === "number" && Number.isSafeInteger(value) && value > 0
      : typeof value === "number" && Number.isFinite(value) && value >= 0;
    if (ok) return value as number;
    const want = key === "max_input_tokens"
      ? "a positive whole number of tokens"
      : "a non-negative number (USD per million tokens)";
    throw this.error([...path, key], `${label(path)}.${key} must be ${want}, not ${show(value)}`);
  }
}

/** `models."gpt-5.1"` for the path ["models", "gpt-5", "1"]: how the user would write the model's key. */
function label(path: string[]): string {
  return `models.${JSON.stringify(path.slice(1).join("."))}`;
}

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/**
 * Reads the overrides file at `path` (format in the module doc) and returns complete prices by model id.
 * A model that `base` already has may give only some fields; the rest come from `base`.
 *
 * @throws {TomlFileError} when the file cannot be read, is not TOML, or has a bad key or value.
 * @example
 * ```ts
 * import { bundledTable } from "./table.ts";
 *
 * const overrides = await loadOverrides("prices.toml", bundledTable());
 * ```
 */
export async function loadOverrides(path: string, base?: PriceTable): Promise<Record<string, ModelPrice>> {
  let source: string;
  try {
    source = readUserFile(path);
  } catch (e) {
    throw unreadable(path, e);
  }
  const doc = await parseToml(path, source);
  const reader = new OverridesReader(path, source, base ?? null);
  reader.document(doc);
  return reader.out;
}

/**
 * The price table to use: the bundled one, with the overrides file at `overridesPath` merged over it when
 * one is given (TOML is only loaded then).
 *
 * @throws {TomlFileError} when the overrides file is unusable.
 */
export async function loadPriceTable(overridesPath?: string | null): Promise<PriceTable> {
  const table = bundledTable();
  return overridesPath ? mergeOverrides(table, await loadOverrides(overridesPath, table)) : table;
}
