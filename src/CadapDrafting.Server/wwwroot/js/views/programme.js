// The programme's views beside the draft (GET /programme): balance of pillars, SDG and commitment coverage,
// human-rights and gender markers, and the actions still missing an indicator, an owner, a timeline or a budget.
import { h, replace } from "../dom.js";
import { t } from "../i18n.js";
import { get } from "../api.js";
import { problemBox } from "./problems.js";

export function programmePanel(view) {
  const body = h("div");
  const element = h("section", { class: "panel programme", "aria-labelledby": "programme-title" },
    h("h2", { id: "programme-title" }, t("programme.title")), body);

  async function refresh() {
    let p;
    try {
      p = await get(`${view.base}/programme`);
    } catch (error) {
      replace(body, problemBox(error));
      return;
    }
    show(p);
  }

  /** Draws the views as read, or as a live update carried them; views the same as those drawn are left as they are. */
  let drawn = null;
  function show(p) {
    // The translation status rides along (its own panel draws it) and changes with most edits: it is not part of what is drawn here.
    const { translations, ...shown } = p;
    const key = JSON.stringify([shown, view.past !== null, Boolean(view.openRecord)]);
    if (key === drawn) return;
    drawn = key;
    if (p.balance.actions === 0) {
      replace(body, h("p", { class: "empty" }, t("programme.noActions")));
      return;
    }
    const group = (name) => p.balance.groups.find((g) => g.name === name)?.count ?? 0;
    const max = Math.max(1, ...p.balance.pillars.map((x) => x.count));
    replace(body,
      view.past ? h("p", { class: "note" }, t("programme.current")) : null,
      h("h3", {}, t("programme.balance")),
      h("p", { "data-testid": "balance" }, t("programme.demandSupply", { demand: group("DemandReduction"), supply: group("SupplyReduction") })),
      h("table", { class: "bars" }, h("caption", { class: "sr-only" }, t("programme.balance")),
        h("tbody", {}, p.balance.pillars.map((x) => h("tr", {},
          h("th", { scope: "row" }, t(`pillar.${x.name}`, {}, x.name)),
          h("td", { class: "num" }, x.count),
          h("td", { "aria-hidden": "true" }, h("span", { class: "bar", style: { "--share": String(x.count / max) } })))))),
      h("h3", {}, t("programme.sdg")),
      coverage(p.coverage.sdgTargets, (k) => t("sdg.target", { code: k })),
      p.coverage.actionsWithoutSdgTarget.length
        ? h("p", { class: "note" }, t("programme.withoutSdg", { numbers: p.coverage.actionsWithoutSdgTarget.join(", ") })) : null,
      h("h3", {}, t("programme.commitments")),
      coverage(p.coverage.commitments, (k) => k),
      h("h3", {}, t("programme.markers")),
      h("p", {}, t("programme.markerCounts", { rights: p.markers.humanRights.count, gender: p.markers.gender.count, actions: p.markers.actions })),
      h("h3", {}, t("programme.quality")),
      p.quality.length === 0
        ? h("p", { class: "ok" }, t("programme.complete"))
        : h("ul", { class: "plain quality" }, p.quality.map((q) => h("li", {},
            // The item leads to the action and opens its record form, where the missing fields are filled in.
            view.openRecord && !view.past
              ? h("a", {
                  href: `#node-${q.nodeId}`, "aria-label": t("pg.open", { node: `${t("node.Action")} ${q.number}` }),
                  onclick: (e) => { e.preventDefault(); view.openRecord(q.nodeId); },
                }, h("strong", {}, q.number))
              : h("strong", {}, q.number),
            " — ", q.missing.map((m) => t(`programme.gap.${m.field}`, {}, m.field)).join(", ")))));
  }

  function coverage(items, label) {
    return items.length === 0
      ? h("p", { class: "empty" }, t("programme.none"))
      : h("ul", { class: "plain" }, items.map((c) => h("li", {}, label(c.key), ": ", c.actionNumbers.join(", "))));
  }

  return { element, refresh, show };
}
