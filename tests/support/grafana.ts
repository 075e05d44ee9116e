/**
 * The queries of the shipped Grafana dashboard (`contrib/grafana/agtop.json`).
 *
 * @module
 */

const DASHBOARD = new URL("../../contrib/grafana/agtop.json", import.meta.url);

/** Every PromQL expression of the dashboard's panels and variables, with where it comes from. */
export function dashboardQueries(): { title: string; expr: string }[] {
  const doc = JSON.parse(Deno.readTextFileSync(DASHBOARD));
  const out: { title: string; expr: string }[] = [];
  for (const panel of doc.panels) {
    for (const t of panel.targets ?? []) out.push({ title: panel.title, expr: t.expr });
  }
  for (const v of doc.templating?.list ?? []) {
    const def = v.query?.query ?? v.definition;
    const m = typeof def === "string" ? /^label_values\((.+), *\w+\)$/.exec(def) : null;
    if (m) out.push({ title: `variable ${v.name}`, expr: m[1] });
  }
  return out;
}

/** The agtop metric names an expression uses. */
export function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\bagtop_[a-z0-9_]+/g)].map((m) => m[0]);
}
