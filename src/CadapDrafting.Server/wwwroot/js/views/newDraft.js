// Starting a draft: blank, or from the template of its kind (strategy, action plan, law) with the usual parts,
// written through the same public commands a person would send, with progress while the parts are added.
import { h, replace, labelled, uid } from "../dom.js";
import { t, language } from "../i18n.js";
import { command } from "../api.js";
import { session } from "../session.js";
import { openDialog } from "./dialog.js";
import { characterCounter } from "./comments.js";
import { en as templateEn, ru as templateRu } from "../strings-cycle.js";

const COUNTRIES = ["KZ", "KG", "TJ", "TM", "UZ"];
const KINDS = ["ActionPlan", "Strategy", "Law"];

/** The usual top-level parts of each kind, as chapters, in Russian and English. */
export function templateParts(kind) {
  return [1, 2, 3, 4].map((n) => ({ ru: templateRu[`tpl.${kind}.${n}`], en: templateEn[`tpl.${kind}.${n}`] }));
}

export function mayCreateDrafts() {
  return Boolean(session.user?.country) && (session.has("Drafter") || session.has("Editor"));
}

export function openNewDraftDialog(navigate) {
  const country = session.user.country;
  const kind = h("select", { required: true }, KINDS.map((k) => h("option", { value: k }, t(`kind.${k}`))));
  const lang = language() === "ru" ? "ru" : "en";
  const title = h("input", { type: "text", required: true, maxlength: 300 });
  const year = new Date().getFullYear();
  const from = h("input", { type: "number", required: true, min: 1991, max: 2100, value: year });
  const to = h("input", { type: "number", required: true, min: 1991, max: 2100, value: year + 4 });
  const templateName = uid("tpl");
  const blank = h("input", { type: "radio", name: templateName, value: "blank", id: uid("tb") });
  const standard = h("input", { type: "radio", name: templateName, value: "standard", id: uid("ts"), checked: true });
  const standardLabel = h("label", { for: standard.id });
  const describe = () => replace(standardLabel, t("new.standard", { kind: t(`kind.${kind.value}`) }));
  kind.addEventListener("change", describe);
  describe();
  const progress = h("p", { role: "status", class: "note" });

  openDialog({
    title: t("new.title"),
    fields: [
      h("p", { class: "note" }, t(`country.${country}`)),
      labelled(t("new.kind"), kind),
      labelled(t("new.titleText", { lang: lang.toUpperCase() }), title), characterCounter(title, 300),
      h("div", { class: "row" }, labelled(t("new.from"), from, "field inline"), labelled(t("new.to"), to, "field inline")),
      h("fieldset", {}, h("legend", {}, t("new.template")),
        h("div", { class: "field inline" }, standard, standardLabel),
        h("div", { class: "field inline" }, blank, h("label", { for: blank.id }, t("new.blank")))),
      progress,
    ],
    confirm: t("new.create"),
    run: async (slot) => {
      const { problemBox } = await import("./problems.js");
      try {
        replace(progress, t("new.creating"));
        const created = await command("/api/drafts", {
          country, kind: kind.value, title: { [lang]: title.value.trim() }, periodStart: Number(from.value), periodEnd: Number(to.value),
          sourceLanguage: lang, reason: t("new.title"),
        });
        const draftId = created.result?.draftId ?? created.draftId;
        if (standard.checked) {
          const direct = session.has("Editor");
          let after = null;
          // Proposals (not applied yet) cannot follow one another: each goes first, in reverse order.
          const parts = direct ? templateParts(kind.value) : templateParts(kind.value).reverse();
          for (const [i, text] of parts.entries()) {
            replace(progress, `${t("new.creating")} ${i + 1} / ${parts.length}`);
            const inserted = await command(`/api/drafts/${draftId}/proposals`, {
              kind: "Insert", nodeKind: "Chapter", parentId: null, afterNodeId: after, text, rationale: t("tpl.reason"), acceptNow: direct,
            });
            if (direct) after = inserted.result?.nodeId ?? inserted.nodeId;
          }
        }
        replace(progress, t("new.created"));
        navigate(`/drafts/${draftId}`);
        return true;
      } catch (error) {
        replace(progress);
        replace(slot, problemBox(error));
        return false;
      }
    },
  });
}
