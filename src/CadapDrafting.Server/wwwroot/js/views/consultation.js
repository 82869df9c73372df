// The comment–response matrix of a consultation round as a table that filters by disposition and words, and its
// CSV downloaded with the signed-in person's token (a plain link would carry none).
import { h, replace, labelled, formatTime } from "../dom.js";
import { t, language } from "../i18n.js";
import { get, download } from "../api.js";
import { nameOf } from "../people.js";
import { problemBox } from "./problems.js";
import { withMentions } from "./comments.js";

const DISPOSITIONS = ["Pending", "Accepted", "PartlyAccepted", "Rejected"];

export function matrixPanel(view) {
  const roundSelect = h("select", { name: "matrix-round" });
  const filter = h("select", { name: "matrix-filter" }, h("option", { value: "" }, t("matrix.all")),
    DISPOSITIONS.map((d) => h("option", { value: d }, d === "Pending" ? t("matrix.Pending") : t(`disposition.${d}`))));
  const search = h("input", { type: "search", name: "matrix-search" });
  const table = h("div", { class: "matrix-table", "aria-live": "polite" });
  const slot = h("div", { "aria-live": "assertive" });
  const csv = h("button", { type: "button" }, t("matrix.csv"));
  let rows = [];

  const element = h("section", { class: "panel matrix", "aria-labelledby": "matrix-title", hidden: true },
    h("h2", { id: "matrix-title" }, t("matrix.title")),
    h("div", { class: "row" }, labelled(t("matrix.round"), roundSelect, "field inline"), labelled(t("matrix.filter"), filter, "field inline")),
    labelled(t("matrix.search"), search),
    table,
    h("p", {}, csv), slot);

  roundSelect.addEventListener("change", () => load());
  filter.addEventListener("change", render);
  search.addEventListener("input", render);
  csv.addEventListener("click", async () => {
    const file = await view.act(download(`${view.base}/rounds/${roundSelect.value}/matrix.csv`, `matrix-round-${roundSelect.value}.csv`),
        { slot, control: csv });
    if (file) view.notice(t("evidence.downloaded", { name: file }));
  });

  async function refresh() {
    const rounds = view.rounds ?? [];
    element.hidden = rounds.length === 0;
    if (!rounds.length) return;
    const chosen = roundSelect.value || String(rounds[rounds.length - 1].number);
    replace(roundSelect, rounds.map((r) => h("option", { value: r.number, selected: String(r.number) === chosen }, String(r.number))));
    await load();
  }

  async function load() {
    try {
      const matrix = await get(`${view.base}/rounds/${roundSelect.value}/matrix`);
      rows = matrix.rows;
      replace(slot);
    } catch (error) {
      rows = [];
      replace(slot, problemBox(error));
    }
    render();
  }

  function render() {
    const words = search.value.trim().toLowerCase();
    const shown = rows.filter((r) => (!filter.value || r.disposition === filter.value) &&
      (!words || `${r.comment} ${r.response ?? ""} ${r.quotedText ?? ""} ${nameOf(r.reviewer)}`.toLowerCase().includes(words)));
    replace(table, shown.length === 0 ? h("p", { class: "empty" }, t("matrix.empty")) : h("table", { class: "matrix-rows" },
      h("caption", { class: "sr-only" }, t("matrix.title")),
      h("thead", {}, h("tr", {}, ["matrix.line", "matrix.anchor", "matrix.reviewer", "matrix.comment", "matrix.disposition", "matrix.response"]
        .map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", {}, shown.map((r) => h("tr", { dataset: { commentId: r.commentId } },
        h("td", { class: "num" }, r.line),
        h("td", {}, anchorLabel(r.anchor), r.quotedText ? h("blockquote", {}, r.quotedText) : null),
        h("td", {}, nameOf(r.reviewer), h("br"), h("span", { class: "note" }, formatTime(r.at, language()))),
        h("td", {}, withMentions(r.comment)),
        h("td", {}, r.disposition === "Pending" ? t("matrix.Pending") : t(`disposition.${r.disposition}`, {}, r.disposition)),
        h("td", {}, r.response ?? "", r.disposedBy ? h("span", { class: "note" }, ` (${nameOf(r.disposedBy)})`) : null))))));
  }

  return { element, refresh };
}

/** Where a comment was made, as the server names it ("Action 2", "Proposal on Action 2", "Deleted node"), in the interface language. */
function anchorLabel(anchor) {
  const node = (text) => {
    const m = /^(Part|Chapter|Section|Article|Action|Point) (.+)$/.exec(text);
    return m ? `${t(`node.${m[1]}`)} ${m[2]}` : text;
  };
  if (anchor === "Deleted node") return t("matrix.deletedNode");
  if (anchor === "Proposal") return t("matrix.proposal");
  const onProposal = /^Proposal on (.+)$/.exec(anchor);
  return onProposal ? t("matrix.proposalOn", { node: node(onProposal[1]) }) : node(anchor);
}
