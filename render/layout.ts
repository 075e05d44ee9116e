/**
 * Fits table columns into a terminal width: columns drop by priority, flexible columns shrink, and
 * nothing ever wraps.
 *
 * @module
 */

import type { Column } from "./columns.ts";
import { displayWidth, fit } from "./text.ts";

/** Columns chosen for a width, each with its width. */
export interface Layout {
  columns: Column[];
  widths: number[];
}

const GAP = 2;

/**
 * Chooses columns and widths so `header + cells` fit in `width` columns.
 *
 * @example
 * ```ts
 * import { COLUMNS } from "./columns.ts";
 * declare const rows: string[][]; // per agent, one cell per column of COLUMNS
 * const layout = fitColumns(COLUMNS, rows, 80);
 * ```
 */
export function fitColumns(columns: readonly Column[], cells: string[][], width: number): Layout {
  const natural = columns.map((c, i) => {
    let w = displayWidth(c.header);
    for (const row of cells) w = Math.max(w, displayWidth(row[i]));
    return Math.min(Math.max(w, c.min), c.max);
  });
  let keep = columns.map((_, i) => i);
  const total = (ix: number[], ws: number[]) => ix.reduce((s, i) => s + ws[i], 0) + GAP * (ix.length - 1);
  const widths = [...natural];
  // Flexible columns shrink to their soft width; then columns of lower priority than a flexible one
  // drop; then flexible columns shrink to their minimum; then the rest drop by priority.
  const worstOf = (ix: number[]) => ix.reduce((a, b) => (columns[b].priority >= columns[a].priority ? b : a));
  const shrink = (floor: (c: Column) => number) => {
    const flex = keep.find((i) => columns[i].flex && widths[i] > floor(columns[i]));
    if (flex === undefined) return false;
    widths[flex] = Math.max(floor(columns[flex]), widths[flex] - (total(keep, widths) - width));
    return true;
  };
  while (keep.length > 1 && total(keep, widths) > width) {
    if (shrink((c) => Math.max(c.min, Math.min(c.soft ?? c.min, natural[columns.indexOf(c)])))) continue;
    const flexPriority = Math.min(...keep.filter((i) => columns[i].flex).map((i) => columns[i].priority));
    const below = keep.filter((i) => columns[i].priority > flexPriority);
    if (below.length) {
      keep = keep.filter((i) => i !== worstOf(below));
      continue;
    }
    if (shrink((c) => c.min)) continue;
    const worst = worstOf(keep);
    if (columns[worst].priority <= 1) break;
    keep = keep.filter((i) => i !== worst);
  }
  const over = total(keep, widths) - width;
  if (over > 0) {
    // Only must-keep columns remain: squeeze the last one.
    const last = keep[keep.length - 1];
    widths[last] = Math.max(1, widths[last] - over);
  }
  return { columns: keep.map((i) => columns[i]), widths: keep.map((i) => widths[i]) };
}

/** Renders one row of cells (indexed like the full column list) into a padded line. */
export function layoutRow(layout: Layout, all: readonly Column[], cells: string[]): string[] {
  return layout.columns.map((c, k) => fit(cells[all.indexOf(c)], layout.widths[k], c.align === "right"));
}

/** Joins cells with the column gap, trimming trailing spaces. */
export function joinCells(parts: string[]): string {
  return parts.join(" ".repeat(GAP)).trimEnd();
}
