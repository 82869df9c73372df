// Parallel languages (GET /translations): per language how many nodes follow the source text, which are stale since
// which source text revision, and which have no text. A stale node is flagged in the document itself, where an editor
// confirms that the translation still says the same or opens the text in that language to update it.
import { h, replace } from "../dom.js";
import { t } from "../i18n.js";
import { get, command } from "../api.js";
import { can } from "./can.js";
import { problemBox } from "./problems.js";

export function translationsPanel(view, { goTo, update }) {
  const body = h("div");
  const element = h("section", { class: "panel translations", "aria-labelledby": "translations-title", "data-testid": "translations" },
    h("h2", { id: "translations-title" }, t("tr.title")), body);
  let status = null;

  const nodeName = (ref) => `${t(`node.${ref.kind}`)} ${ref.number}`;
  const langName = (lang) => t(`lang.${lang}`, {}, lang.toUpperCase());

  async function refresh() {
    if (view.doc.languages.length < 2) { status = null; element.hidden = true; return; }
    try {
      show(await get(`${view.base}/translations`));
    } catch (error) {
      replace(body, problemBox(error));
    }
  }

  let drawn = null;
  function show(s) {
    status = s;
    element.hidden = !s || view.doc.languages.length < 2;
    if (element.hidden) return;
    // The same status as drawn (most live changes leave it as it was) is not drawn again.
    const key = JSON.stringify(s);
    if (key === drawn) return;
    drawn = key;
    const others = s.languages.filter((l) => !l.isSource);
    const stale = others.flatMap((l) => l.staleNodes.map((ref) => ({ lang: l.language, ref })));
    replace(body,
      h("p", { class: "note" }, t("tr.source", { lang: langName(s.sourceLanguage) })),
      h("ul", { class: "plain" }, others.map((l) => h("li", { "data-testid": `translation-summary-${l.language}` },
        t("tr.summary", { lang: langName(l.language), upToDate: l.upToDate, stale: l.stale, missing: l.missing })))),
      stale.length === 0
        ? h("p", { class: "ok" }, t("tr.allUpToDate"))
        : h("ul", { class: "plain stale-list" }, stale.map(({ lang, ref }) => h("li", {},
            h("button", { type: "button", class: "link", "aria-label": t("tr.go", { node: nodeName(ref) }), onclick: () => goTo(ref.nodeId) },
              nodeName(ref)), " — ",
            t("tr.staleShort", { lang: lang.toUpperCase(), since: ref.sourceTextRevision })))));
  }

  /** The stale translations of one node, flagged in the document with the way to confirm or update each. */
  function flagsFor(node) {
    if (!status || view.past) return null;
    const flags = status.languages.filter((l) => !l.isSource)
      .map((l) => ({ lang: l.language, ref: l.staleNodes.find((r) => r.nodeId === node.id) }))
      .filter((x) => x.ref);
    if (!flags.length) return null;
    const name = `${t(`node.${node.kind}`)} ${node.number}`;
    return h("div", { class: "translation-flags" }, flags.map(({ lang, ref }) => {
      return h("p", { class: "translation-flag", role: "note", "data-testid": `stale-${lang}` },
        h("strong", {}, t("tr.stale", { lang: langName(lang), since: ref.sourceTextRevision })), " ",
        h("span", { class: "note" }, t("tr.staleDetail", {
          source: langName(status.sourceLanguage), lang: langName(lang), current: ref.sourceTextRevision, against: ref.translatedAgainst })), " ",
        can.decide(view.doc) ? h("button", {
          type: "button", "aria-label": t("tr.confirmOf", { lang: langName(lang), node: name }),
          onclick: (e) => confirm(node, lang, e.currentTarget),
        }, t("tr.confirm")) : null,
        can.propose(view.doc) ? h("button", {
          type: "button", "aria-label": t("tr.updateOf", { lang: langName(lang), node: name }), onclick: () => update(node, lang),
        }, t("tr.update")) : null,
        view.problemAt(`tr-${node.id}-${lang}`));
    }));
  }

  async function confirm(node, lang, control) {
    const done = await view.act(command(`${view.base}/nodes/${node.id}/translations/${lang}/confirm`, { reason: t("tr.confirmReason") }),
      { key: `tr-${node.id}-${lang}`, control, success: t("tr.confirmed") });
    if (done) await refresh().then(() => view.renderDocument());
  }

  return { element, refresh, show, flagsFor, get status() { return status; } };
}
