/**
 * The shell wrappers agents put around the commands their tools run (Claude Code's
 * `bash -c source <snapshot> … eval '<cmd>'`, Gemini CLI's `bash -c shopt -u promptvars …; { <cmd> }; …`,
 * Codex's `codex-linux-sandbox … -- bash -lc <cmd>`), and the user's command inside them. Each vendor
 * declares its wrappers (`Vendor.shellWrappers`); the unwrapping is the same for all.
 *
 * @module
 */

/** One wrapper an agent puts around a tool's command. */
export interface ShellWrapper {
  /** Basename of the wrapping program: a shell (`bash`) or a launcher (`codex-linux-sandbox`). */
  readonly program: string;
  /** For a launcher: the wrapped command's argv follows this argument (e.g. `--`). */
  readonly after?: string;
  /**
   * For a shell: the user's command in its `-c` script is what this pattern's first group captures,
   * unquoted when the group is one quoted shell word (`eval '<cmd>'`).
   */
  readonly script?: RegExp;
}

/** Shells whose `-c` script is the command they run. */
const SHELLS = new Set(["bash", "sh", "zsh", "dash", "ksh", "fish"]);
/** Most wrappers unwrapped in a row (a launcher around a shell around a script). */
const DEPTH = 4;

/**
 * The user's command a process runs, with the agent's `wrappers` and any shell's `-c` taken off
 * (`/bin/bash -lc npm test` → `npm test`); null when `argv` is no wrapper (the command is argv itself).
 *
 * @example
 * ```ts
 * const claude = [{ program: "bash", script: /\beval ('(?:[^']|'\\'')*')/ }];
 * userCommand(["/bin/bash", "-c", "source /s.sh && eval 'npm test' < /dev/null && pwd -P >| /tmp/c"], claude);
 * // "npm test"
 * userCommand(["sleep", "40"], claude); // null
 * ```
 */
export function userCommand(argv: readonly string[], wrappers: readonly ShellWrapper[] = []): string | null {
  let args = argv;
  let unwrapped = false;
  for (let depth = 0; depth < DEPTH && args.length > 0; depth++) {
    const program = args[0].slice(args[0].lastIndexOf("/") + 1);
    const launcher = wrappers.find((w) => w.program === program && w.after !== undefined);
    const at = launcher ? args.indexOf(launcher.after!) : -1;
    if (at !== -1) {
      args = args.slice(at + 1);
      unwrapped = true;
      continue;
    }
    const script = SHELLS.has(program) ? shellScript(args) : null;
    if (script === null) break;
    for (const w of wrappers) {
      if (w.program !== program || !w.script) continue;
      const m = w.script.exec(script);
      if (m?.[1] !== undefined) return inner(m[1]);
    }
    return script.trim();
  }
  return unwrapped && args.length > 0 ? args.join(" ") : null;
}

/** The `-c` script of a shell's argv (`bash -c S`, `bash -lc S`, `bash --norc -c S`), or null. */
function shellScript(args: readonly string[]): string | null {
  for (let i = 1; i < args.length - 1; i++) {
    const a = args[i];
    if (/^-[a-z]*c[a-z]*$/.test(a)) return args[i + 1];
    if (!a.startsWith("-")) return null;
  }
  return null;
}

/** A captured command: one quoted shell word unquoted, anything else trimmed. */
function inner(text: string): string {
  const t = text.trim();
  return t.startsWith("'") || t.startsWith('"') ? shellWord(t) : t;
}

/**
 * The first word of `text` as a POSIX shell reads it: `'…'` literal, `"…"` with `\` escapes, `\x`,
 * concatenated until unquoted white space (`'it'\''s'` → `it's`).
 */
function shellWord(text: string): string {
  let out = "";
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      const stop = end === -1 ? text.length : end;
      out += text.slice(i + 1, stop);
      i = stop + 1;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === "\\" && j + 1 < text.length && '"\\$`'.includes(text[j + 1])) j++;
        out += text[j];
      }
      i = j + 1;
    } else if (c === "\\" && i + 1 < text.length) {
      out += text[i + 1];
      i += 2;
    } else if (/\s/.test(c)) {
      break;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
