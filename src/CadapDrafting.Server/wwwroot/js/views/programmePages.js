// Pages across countries: the cross-country comparison (GET /api/programme/comparison: the drafts the reader may see,
// side by side by pillar and 2030 Agenda target) and the good-practice library (GET /api/good-practice), from which an
// action is adapted into one's own draft as a proposal that cites it (adaptedFrom).
import { h, replace, labelled } from "../dom.js";
import { t, pick } from "../i18n.js";
import { get, command } from "../api.js";
import { session } from "../session.js";
import { problemBox } from "./problems.js";
import { flatten } from "./documentView.js";

const PILLARS = ["Prevention", "Treatment", "HarmReduction", "Rehabilitation", "SupplyReduction", "CrossCutting"];
const COUNTRIES = ["KZ", "KG", "TJ", "TM", "UZ"];

const link = (href, text, navigate, attrs = {}) =>
  h("a", { href, ...attrs, onclick: (e) => { e.preventDefault(); navigate(href); } }, text);

/** The header's links to the pages across countries. */
export function programmeLinks(navigate) {
  return h("span", { class: "programme-links" },
    link("/programme/comparison", t("pg.comparison"), navigate), " ",
    link("/programme/library", t("pg.library"), navigate));
}

export async function renderProgrammePage(main, navigate, path) {
  if (path.startsWith("/programme/library")) return renderLibrary(main, navigate);
  return renderComparison(main, navigate);
}

async function renderComparison(main, navigate) {
  const body = h("div", { "aria-live": "polite" });
  replace(main, h("section", { class: "card wide", "aria-labelledby": "comparison-title" },
    h("p", { class: "crumbs" }, link("/", t("pg.back"), navigate)),
    h("h1", { id: "comparison-title" }, t("pg.comparison")),
    h("p", { class: "note" }, t("pg.comparisonIntro")),
    body));
  let c;
  try {
    c = await get("/api/programme/comparison");
  } catch (error) {
    replace(body, problemBox(error));
    return;
  }
  if (!c.drafts.length) { replace(body, h("p", { class: "empty" }, t("pg.nothing"))); return; }
  const heads = () => c.drafts.map((d) => h("th", { scope: "col" }, `${t(`country.${d.country}`)} ${d.periodStart}–${d.periodEnd}`));
  const count = (list, name) => list.find((x) => x.name === name)?.count ?? 0;
  replace(body,
    h("div", { class: "table-scroll", tabindex: "0" }, h("table", { class: "comparison", "data-testid": "comparison-drafts" },
      h("caption", {}, t("pg.comparison")),
      h("thead", {}, h("tr", {}, [t("pg.draft"), t("list.country"), t("list.status"), t("pg.actions"), t("pg.goodPractices")]
        .map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, c.drafts.map((d) => h("tr", {},
        h("th", { scope: "row" }, link(`/drafts/${d.draftId}`, `${pick(d.title)} ${d.periodStart}–${d.periodEnd}`, navigate)),
        h("td", {}, t(`country.${d.country}`)),
        h("td", {}, h("span", { class: `badge status-${d.status}` }, t(`status.${d.status}`))),
        h("td", { class: "num" }, d.actions),
        h("td", { class: "num" }, d.goodPractices)))))),
    h("div", { class: "table-scroll", tabindex: "0" }, h("table", { class: "comparison", "data-testid": "comparison-pillars" },
      h("caption", {}, t("pg.pillarsTitle")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("pg.pillar")), heads())),
      h("tbody", {}, PILLARS.map((p) => h("tr", {},
        h("th", { scope: "row" }, t(`pillar.${p}`)),
        c.drafts.map((d) => h("td", { class: "num" }, count(d.pillars, p)))))))),
    c.sdgTargets.length ? h("div", { class: "table-scroll", tabindex: "0" }, h("table", { class: "comparison", "data-testid": "comparison-sdg" },
      h("caption", {}, t("pg.sdgTitle")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("pg.sdg")), heads())),
      h("tbody", {}, c.sdgTargets.map((target) => h("tr", {},
        h("th", { scope: "row" }, `SDG ${target}`),
        c.drafts.map((d) => h("td", { class: "num" }, d.sdgTargets[target] ?? 0))))))) : null);
}

async function renderLibrary(main, navigate) {
  const query = h("input", { type: "search", name: "q" });
  const pillar = h("select", { name: "pillar" }, h("option", { value: "" }, t("pg.anyPillar")),
    PILLARS.map((p) => h("option", { value: p }, t(`pillar.${p}`))));
  const country = h("select", { name: "country" }, h("option", { value: "" }, t("pg.anyCountry")),
    COUNTRIES.map((c) => h("option", { value: c }, t(`country.${c}`))));
  const results = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "filters", role: "search", "aria-label": t("pg.search") },
    labelled(t("pg.search"), query), labelled(t("pg.pillar"), pillar), labelled(t("pg.country"), country),
    h("button", { type: "submit" }, t("pg.find")));
  form.addEventListener("submit", (e) => { e.preventDefault(); load(); });
  replace(main, h("section", { class: "card wide", "aria-labelledby": "library-title" },
    h("p", { class: "crumbs" }, link("/", t("pg.back"), navigate)),
    h("h1", { id: "library-title" }, t("pg.library")),
    h("p", { class: "note" }, t("pg.libraryIntro")),
    form, results));

  let myDrafts = null;
  async function load() {
    const q = new URLSearchParams();
    if (query.value.trim()) q.set("q", query.value.trim());
    if (pillar.value) q.set("pillar", pillar.value);
    if (country.value) q.set("country", country.value);
    let entries;
    try {
      entries = await get(`/api/good-practice?${q}`);
    } catch (error) {
      replace(results, problemBox(error));
      return;
    }
    replace(results, entries.length === 0
      ? h("p", { class: "empty" }, t("pg.noEntries"))
      : h("ul", { class: "plain library" }, entries.map((e) => entryCard(e))));
  }

  function entryCard(e) {
    const name = `${t(`node.Action`)} ${e.number}`;
    const slot = h("div");
    const adapt = h("button", {
      type: "button", "aria-expanded": "false", "aria-label": t("pg.adaptOf", { country: t(`country.${e.country}`), node: name }),
      onclick: async () => {
        const open = adapt.getAttribute("aria-expanded") === "true";
        adapt.setAttribute("aria-expanded", String(!open));
        if (open) { replace(slot); return; }
        replace(slot, await adaptForm(e, name, () => { adapt.setAttribute("aria-expanded", "false"); }));
        slot.querySelector("select, textarea")?.focus();
      },
    }, t("pg.adapt"));
    return h("li", { class: "panel library-entry", "aria-label": `${t(`country.${e.country}`)} ${name}` },
      h("h2", {}, t("pg.offeredBy",
        { country: t(`country.${e.country}`), draft: `${pick(e.draftTitle)} ${e.periodStart}–${e.periodEnd}`, node: name })),
      h("p", { class: "node-text" }, pick(e.text)),
      e.attributes?.pillar ? h("p", { class: "note" }, t(`pillar.${e.attributes.pillar}`)) : null,
      h("p", {}, h("span", { class: "label" }, t("pg.why")), " ", e.reason),
      e.citedBy?.length
        ? h("p", { class: "note" }, t("pg.citedBy", { countries: e.citedBy.map((c) => t(`country.${c.country}`)).join(", ") }))
        : null,
      adapt, slot);
  }

  /** Adapting: which of my drafts, where in it, the text in that draft's source language, and why. */
  async function adaptForm(entry, name, closed) {
    try {
      myDrafts ??= (await get("/api/drafts")).filter((d) => d.country === session.user.country && ["Drafting", "Consultation"].includes(d.status));
    } catch (error) {
      return problemBox(error);
    }
    if (!myDrafts.length) return h("p", { class: "empty" }, t("pg.noDraft"));
    const draft = h("select", {}, myDrafts.map((d) => h("option", { value: d.id }, `${pick(d.title)} ${d.periodStart}–${d.periodEnd}`)));
    const under = h("select", {});
    const text = h("textarea", { rows: 4, required: true, maxlength: 20000 });
    const textField = labelled(t("pg.adaptText", { lang: "" }), text);
    const rationale = h("input", { type: "text", required: true, maxlength: 4000,
      value: t("pg.adaptDefaultRationale", { country: t(`country.${entry.country}`), node: name }) });
    const result = h("div", { "aria-live": "polite" });
    let doc = null;

    async function loadDraft() {
      doc = await get(`/api/drafts/${draft.value}`);
      const parents = flatten(doc.nodes).filter(({ node }) => node.kind !== "Action" && node.kind !== "Point");
      replace(under, h("option", { value: "" }, t("pg.atEnd")),
        parents.map(({ node }) => h("option", { value: node.id },
          `${t(`node.${node.kind}`)} ${node.number} — ${(node.text[doc.sourceLanguage] ?? pick(node.text)).slice(0, 60)}`)));
      const lang = doc.sourceLanguage;
      textField.querySelector("label").textContent = t("pg.adaptText", { lang: t(`lang.${lang}`, {}, lang) });
      if (!text.value || text.dataset.auto === "true") { text.value = entry.text[lang] ?? pick(entry.text); text.dataset.auto = "true"; }
    }
    draft.addEventListener("change", () => loadDraft().catch((error) => replace(result, problemBox(error))));
    text.addEventListener("input", () => { text.dataset.auto = "false"; });
    try { await loadDraft(); } catch (error) { return problemBox(error); }

    const form = h("form", { class: "editor", "aria-label": t("pg.adaptTitle", { country: t(`country.${entry.country}`), node: name }) },
      labelled(t("pg.into"), draft), labelled(t("pg.after"), under), textField, labelled(t("pg.adaptRationale"), rationale),
      h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("pg.send"))),
      result);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const parent = under.value ? flatten(doc.nodes).find((x) => x.node.id === under.value).node : null;
      const siblings = parent ? parent.children : doc.nodes;
      const body = {
        kind: "Insert", nodeKind: "Action", rationale: rationale.value, text: { [doc.sourceLanguage]: text.value },
        parentId: parent?.id ?? null, afterNodeId: siblings.length ? siblings[siblings.length - 1].id : null,
        adaptedFrom: { draftId: entry.draftId, nodeId: entry.nodeId },
      };
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      try {
        await command(`/api/drafts/${doc.id}/proposals`, body);
        replace(result, h("p", { class: "ok", role: "status" }, t("pg.sent"), " ", link(`/drafts/${doc.id}`, t("pg.openDraft"), navigate)));
        closed();
      } catch (error) {
        replace(result, problemBox(error));
      } finally {
        button.disabled = false;
      }
    });
    return form;
  }

  await load();
}
