/**
 * Colours for terminal output. Loaded only when colour is on, so piped output and `NO_COLOR` never
 * pay for the colour library.
 *
 * @module
 */

import type { AgentStatus } from "../agents/types.ts";

/** The few styles agtop uses. Each returns its input unchanged when colour is off. */
export interface Style {
  readonly enabled: boolean;
  bold(s: string): string;
  dim(s: string): string;
  inverse(s: string): string;
  danger(s: string): string;
  status(status: AgentStatus, s: string): string;
}

const plain: Style = {
  enabled: false,
  bold: (s) => s,
  dim: (s) => s,
  inverse: (s) => s,
  danger: (s) => s,
  status: (_st, s) => s,
};

/**
 * Whether to colour a stream: only a terminal, never with `NO_COLOR` set or `--no-color`.
 */
export function wantColor(isTerminal: boolean, noColorFlag: boolean): boolean {
  if (noColorFlag || !isTerminal) return false;
  return !(Deno.env.get("NO_COLOR") ?? "");
}

/** The style to use: plain, or colours from `ansis`. */
export async function loadStyle(enabled: boolean): Promise<Style> {
  if (!enabled) return plain;
  const { Ansis } = await import("ansis");
  const c = new Ansis(3);
  const byStatus: Record<AgentStatus, (s: string) => string> = {
    busy: (s) => c.green(s),
    waiting: (s) => c.bold.yellow(s),
    subagents: (s) => c.cyan(s),
    limited: (s) => c.magenta(s),
    idle: (s) => c.dim(s),
    done: (s) => c.gray(s),
  };
  return {
    enabled: true,
    bold: (s) => c.bold(s),
    dim: (s) => c.dim(s),
    inverse: (s) => c.inverse(s),
    danger: (s) => c.red(s),
    status: (st, s) => byStatus[st](s),
  };
}
