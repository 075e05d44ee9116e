/**
 * The PromQL that agtop ships: the Grafana dashboard (`contrib/grafana/agtop.json`) and the Prometheus
 * rules (`contrib/prometheus/agtop-rules.yml`).
 *
 * @module
 */

const DASHBOARD = new URL("../../contrib/grafana/agtop.json", import.meta.url);

/** The shipped Prometheus rules file. */
export const RULES_FILE: string =
  new URL("../../contrib/prometheus/agtop-rules.yml", import.meta.url).pathname;

/** Every `expr:` of the rules file, with its rule's name. */
export function ruleQueries(): { title: string; expr: string }[] {
  const out: { title: string; expr: string }[] = [];
  let name = "";
  for (const line of Deno.readTextFileSync(RULES_FILE).split("\n")) {
    const rule = /^\s*- (?:alert|record): (\S+)/.exec(line);
    if (rule) name = rule[1];
    const expr = /^\s*expr: (.+)$/.exec(line);
    if (expr) out.push({ title: name, expr: expr[1] });
  }
  return out;
}

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
  return [...expr.matchAll(/(?<![\w:])agtop_[a-z0-9_]+/g)].map((m) => m[0]);
}
