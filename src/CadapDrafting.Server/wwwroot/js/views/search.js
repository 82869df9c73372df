// Search, done by the server (PostgreSQL full-text search, scoped to what the reader may read): across drafts on its
// own page, and within one draft beside its text. Each hit links to its place; the highlighted words are marked.
import { h, replace, labelled } from "../dom.js";
import { t, pick } from "../i18n.js";
import { get } from "../api.js";
import { problemBox } from "./problems.js";

/** The server's snippet marks found words with <b>…</b>: those become <mark> elements, everything else text nodes. */
export function snippetOf(snippet) {
  const parts = [];
  const pattern = /<b>(.*?)<\/b>/gs;
  let at = 0;
  for (const match of snippet.matchAll(pattern)) {
    parts.push(snippet.slice(at, match.index), h("mark", {}, match[1]));
    at = match.index + match[0].length;
  }
  parts.push(snippet.slice(at));
  return parts;
}

export function placeOfHit(hit) {
  const query = new URLSearchParams();
  if (hit.nodeId) query.set("node", hit.nodeId);
  if (hit.threadId) query.set("thread", hit.threadId);
  const tail = query.toString();
  return `/drafts/${hit.draftId}${tail ? `?${tail}` : ""}`;
}

function whatOf(hit) {
  if (hit.threadId) return `${t("search.commentHit")}${hit.nodeNumber ? ` · ${t(`node.${hit.nodeKind}`)} ${hit.nodeNumber}` : ""}`;
  if (!hit.nodeId) return t("search.titleHit");
  return `${t(`node.${hit.nodeKind}`)} ${hit.nodeNumber ?? ""}`;
}

function hitList(hits, q, open, { withDraft }) {
  if (hits.length === 0) return h("p", { class: "empty" }, t("search.none", { q }));
  return [
    h("p", { class: "search-count" }, t("search.results", { q, count: hits.length })),
    h("ol", { class: "search-hits" }, hits.map((hit) => h("li", { class: "search-hit", dataset: { draftId: hit.draftId, nodeId: hit.nodeId ?? "" } },
      h("a", { href: placeOfHit(hit), onclick: (e) => { e.preventDefault(); open(hit); } },
        whatOf(hit), hit.language !== "comment" && hit.nodeId ? ` (${hit.language.toUpperCase()})` : ""),
      withDraft ? h("span", { class: "search-draft" }, " ", t("search.in", { draft: pick(hit.draftTitle) })) : null,
      h("p", { class: "search-snippet" }, snippetOf(hit.snippet))))),
  ];
}

function searchForm(label, initial, onSearch, testId) {
  const input = h("input", { type: "search", name: "q", value: initial ?? "", maxlength: 200, required: true, placeholder: t("search.placeholder"),
    "data-testid": testId });
  const form = h("form", { class: "search-form", role: "search" },
    labelled(label, input), h("button", { type: "submit" }, t("search.submit")));
  form.addEventListener("submit", (e) => { e.preventDefault(); if (input.value.trim()) onSearch(input.value.trim()); });
  return form;
}

/** The header's search box: goes to the search page. */
export function headerSearch(navigate) {
  const form = searchForm(t("search.label"), "", (q) => navigate(`/search?q=${encodeURIComponent(q)}`), "search-all");
  form.classList.add("header-search");
  form.querySelector("label").classList.add("sr-only");
  return form;
}

/** The search page, across every draft the reader may read. */
export async function renderSearch(main, navigate) {
  const q = new URLSearchParams(location.search).get("q") ?? "";
  const results = h("div", { "aria-live": "polite", class: "search-results" });
  replace(main, h("section", { class: "card", "aria-labelledby": "search-title" },
    h("h1", { id: "search-title" }, t("search.title")),
    searchForm(t("search.label"), q, (next) => navigate(`/search?q=${encodeURIComponent(next)}`), "search-page"),
    results));
  if (!q) return;
  try {
    const hits = await get(`/api/search?q=${encodeURIComponent(q)}`);
    replace(results, hitList(hits, q, (hit) => navigate(placeOfHit(hit)), { withDraft: true }));
  } catch (error) {
    replace(results, problemBox(error));
  }
}

/** Search within one draft, beside its text: a hit scrolls to its place. */
export function draftSearchPanel(view, goTo) {
  const results = h("div", { "aria-live": "polite", class: "search-results" });
  const form = searchForm(t("search.inDraft"), "", async (q) => {
    try {
      const hits = await get(`/api/search?q=${encodeURIComponent(q)}&draftId=${view.draftId}`);
      replace(results, hitList(hits, q, (hit) => goTo({ node: hit.nodeId, thread: hit.threadId }), { withDraft: false }));
    } catch (error) {
      replace(results, problemBox(error));
    }
  }, "search-draft");
  const element = h("section", { class: "panel draft-search", "aria-labelledby": "draft-search-title" },
    h("h2", { id: "draft-search-title" }, t("search.title")), form, results);
  return { element };
}
