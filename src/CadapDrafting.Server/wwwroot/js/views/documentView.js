// The draft as a document: numbered nodes in document order, text per language, action attributes as a table.
import { h } from "../dom.js";
import { t, language } from "../i18n.js";
import { sdgTitle } from "./record.js";

export function flatten(nodes, depth = 0, into = []) {
  for (const node of nodes) {
    into.push({ node, depth });
    flatten(node.children ?? [], depth + 1, into);
  }
  return into;
}

/** A node as people name it, e.g. "Action 3": unique across kinds, where "3" alone may be a chapter or an action. */
export function nodeName(node) {
  return `${t(`node.${node.kind}`)} ${node.number}`;
}

export function renderNode(node, depth,
  { languages, viewers, toolbar, editor, margin, notes, onFocus, readOnly, draggable, onDropOn, highlights = [] }) {
  const titleId = `node-${node.id}-title`;
  const article = h("article", {
    class: `node kind-${node.kind} depth-${Math.min(depth, 4)}`,
    dataset: { nodeId: node.id, number: node.number },
    tabindex: "0",
    "aria-labelledby": titleId,
  },
    h("div", { class: "node-main" },
      h("div", { class: "node-head" },
        h("span", { class: "node-number", id: titleId }, t(`node.${node.kind}`), " ", node.number),
        readOnly ? null : h("span", { class: "node-revision" }, t("node.revision", { revision: node.revision })),
        h("span", { class: "viewers" }, viewerBadges(viewers))),
      h("div", { class: `node-texts${languages.length > 1 ? " side-by-side" : ""}` },
        languages.map((lang) => h("div", { class: "node-text", lang, dataset: { lang } },
          languages.length > 1 ? h("span", { class: "lang-tag" }, lang.toUpperCase()) : null,
          node.text[lang] !== undefined ? withHighlights(node.text[lang], highlights.filter((x) => x.language === lang))
            : h("em", { class: "missing" }, t("node.noText", { lang: lang.toUpperCase() }))))),
      notes ?? null,
      node.attributes ? attributesTable(node.attributes) : null,
      toolbar?.length ? h("div", { class: "node-tools", role: "group", "aria-label": t("node.tools", { number: nodeName(node) }) }, toolbar) : null,
      editor ?? null),
    margin ? h("div", { class: "margin", role: "complementary", "aria-label": t("node.margin", { number: nodeName(node) }) }, margin) : null);
  if (onFocus) article.addEventListener("focusin", onFocus);
  if (draggable) {
    // Dragging is the mouse's way of moving; "Move up" / "Move down" are the keyboard's.
    const handle = article.querySelector(".node-number");
    handle.setAttribute("draggable", "true");
    handle.classList.add("drag-handle");
    handle.title = t("edit.dragHint");
    handle.addEventListener("dragstart", (e) =>
        { e.dataTransfer.setData("application/x-cadap-node", node.id); e.dataTransfer.effectAllowed = "move"; });
    article.addEventListener("dragover", (e) => {
      if ([...e.dataTransfer.types].includes("application/x-cadap-node")) { e.preventDefault(); article.classList.add("drop-target"); }
    });
    article.addEventListener("dragleave", () => article.classList.remove("drop-target"));
    article.addEventListener("drop", (e) => {
      e.preventDefault();
      article.classList.remove("drop-target");
      const moved = e.dataTransfer.getData("application/x-cadap-node");
      if (moved && moved !== node.id) onDropOn(moved);
    });
  }
  return article;
}

/** The text with the spans that comment threads quote marked. */
function withHighlights(text, spans) {
  const sorted = spans.filter((s) => s.start >= 0 && s.end <= text.length && s.end > s.start).sort((a, b) => a.start - b.start);
  const parts = [];
  let at = 0;
  for (const s of sorted) {
    if (s.start < at) continue;
    parts.push(text.slice(at, s.start),
        h("mark", { class: "quoted", title: t("comments.quoting", { text: text.slice(s.start, s.end) }) }, text.slice(s.start, s.end)));
    at = s.end;
  }
  parts.push(text.slice(at));
  return parts;
}

export function viewerBadges(viewers) {
  return (viewers ?? []).map((v) => h("span", { class: "viewer" }, t("live.here", { name: v.name })));
}

function attributesTable(a) {
  const rows = [];
  const add = (key, value) => {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)) return;
    rows.push(h("tr", {}, h("th", { scope: "row" }, t(`attr.${key}`)), h("td", {}, value)));
  };
  add("objective", a.objective);
  add("responsible", a.responsibleBodies?.join("; "));
  add("timeline", a.timeline ? `${a.timeline.start} – ${a.timeline.end}` : null);
  add("indicators", a.indicators?.length
    ? h("ul", { class: "plain" }, a.indicators.map((i) => h("li", {},
        i.name,
        i.baseline || i.target ? ` (${i.baseline ?? "?"} → ${i.target ?? "?"})` : "",
        i.dataSource ? ` · ${i.dataSource}` : "",
        i.recordedAnnually ? ` · ${t("attr.annual")}` : "")))
    : null);
  add("budget", a.budget
      ? `${Number(a.budget.amount).toLocaleString(language() === "ru" ? "ru-RU" : "en-GB")} ${a.budget.currency}` +
        (a.budget.source ? ` (${a.budget.source})` : "")
      : null);
  add("pillar", a.pillar ? t(`pillar.${a.pillar}`) : null);
  add("useResponse", a.useResponse ? t(`use.${a.useResponse}`) : null);
  add("commitments", a.commitments?.join("; "));
  add("sdg", a.sdgTargets?.length ? h("ul", { class: "plain" },
      a.sdgTargets.map((s) => h("li", {}, h("strong", {}, t("sdg.target", { code: s })), sdgTitle(s) ? ` — ${sdgTitle(s)}` : ""))) : null);
  const markers = [a.humanRightsMarker ? t("attr.humanRights") : null, a.genderMarker ? t("attr.gender") : null].filter(Boolean);
  add("markers", markers.join(", "));
  add("evidence", a.evidenceReferences?.join("; "));
  return rows.length ? h("table", { class: "attributes" }, h("caption", { class: "sr-only" }, t("attr.caption")), h("tbody", {}, rows)) : null;
}

/** A word diff as it reads: kept words plain, inserted words underlined, deleted words struck through. */
export function diffText(segments) {
  return (segments ?? []).map((s) => s.op === "Insert" ? h("ins", {}, s.text) : s.op === "Delete" ? h("del", {}, s.text) : h("span", {}, s.text));
}
