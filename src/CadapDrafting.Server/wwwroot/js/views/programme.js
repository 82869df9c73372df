// The programme's views beside the draft: balance of pillars, SDG and commitment coverage, and the actions
// still missing an indicator, an owner, a timeline or a budget.
import { h, replace } from "../dom.js";
import { t } from "../i18n.js";
import { flatten } from "./documentView.js";

const DEMAND = ["Prevention", "Treatment", "HarmReduction", "Rehabilitation"];
const PILLARS = [...DEMAND, "SupplyReduction", "CrossCutting"];

export function programmePanel(view) {
  const body = h("div");
  const element = h("section", { class: "panel programme", "aria-labelledby": "programme-title" },
    h("h2", { id: "programme-title" }, t("programme.title")), body);

  function refresh() {
    const doc = view.past?.document ?? view.doc;
    const actions = flatten(doc.nodes).map((x) => x.node).filter((n) => n.kind === "Action");
    if (actions.length === 0) {
      replace(body, h("p", { class: "empty" }, t("programme.noActions")));
      return;
    }
    const byPillar = Object.fromEntries(PILLARS.map((p) => [p, 0]));
    let unassigned = 0;
    const sdg = new Map();
    const commitments = new Map();
    const missing = [];
    for (const action of actions) {
      const a = action.attributes ?? {};
      if (a.pillar) byPillar[a.pillar] += 1; else unassigned += 1;
      for (const target of a.sdgTargets ?? []) sdg.set(target, [...(sdg.get(target) ?? []), action.number]);
      for (const c of a.commitments ?? []) commitments.set(c, [...(commitments.get(c) ?? []), action.number]);
      const gaps = [];
      if (!(a.indicators?.length)) gaps.push(t("programme.gap.indicator"));
      if (!(a.responsibleBodies?.length)) gaps.push(t("programme.gap.owner"));
      if (!a.timeline) gaps.push(t("programme.gap.timeline"));
      if (!a.budget) gaps.push(t("programme.gap.budget"));
      if (gaps.length) missing.push({ number: action.number, gaps });
    }
    const demand = DEMAND.reduce((sum, p) => sum + byPillar[p], 0);
    const supply = byPillar.SupplyReduction;
    const max = Math.max(1, ...Object.values(byPillar));

    replace(body,
      h("h3", {}, t("programme.balance")),
      h("p", { "data-testid": "balance" }, t("programme.demandSupply", { demand, supply })),
      h("table", { class: "bars" }, h("caption", { class: "sr-only" }, t("programme.balance")),
        h("tbody", {}, PILLARS.map((p) => h("tr", {},
          h("th", { scope: "row" }, t(`pillar.${p}`)),
          h("td", { class: "num" }, byPillar[p]),
          h("td", { "aria-hidden": "true" }, h("span", { class: "bar", style: { "--share": String(byPillar[p] / max) } })))),
          unassigned ? h("tr", {}, h("th", { scope: "row" }, t("programme.noPillar")), h("td", { class: "num" }, unassigned), h("td")) : null)),
      h("h3", {}, t("programme.sdg")),
      coverage(sdg, (k) => `SDG ${k}`),
      h("h3", {}, t("programme.commitments")),
      coverage(commitments, (k) => k),
      h("h3", {}, t("programme.quality")),
      missing.length === 0
        ? h("p", { class: "ok" }, t("programme.complete"))
        : h("ul", { class: "plain" }, missing.map((m) => h("li", {}, h("strong", {}, m.number), " — ", m.gaps.join(", ")))));
  }

  function coverage(map, label) {
    return map.size === 0
      ? h("p", { class: "empty" }, t("programme.none"))
      : h("ul", { class: "plain" }, [...map.entries()].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
          .map(([key, numbers]) => h("li", {}, label(key), ": ", numbers.join(", "))));
  }

  return { element, refresh };
}
