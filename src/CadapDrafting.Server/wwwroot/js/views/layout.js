// The phone layout: the document comes first and the side panels (lifecycle, programme, translations, history,
// recent changes) are one tap away, as a sheet over the document with a way back. On wider screens both buttons are
// hidden by the style sheet and the panels stand beside the text.
import { h } from "../dom.js";
import { t } from "../i18n.js";

export function panelsToggle(side) {
  const page = () => side.closest(".draft-page");
  const set = (open) => {
    page()?.classList.toggle("panels-open", open);
    button.setAttribute("aria-expanded", String(open));
    if (open) back.focus(); else button.focus();
  };
  const button = h("button", {
    type: "button", class: "panels-toggle", "aria-expanded": "false", "aria-controls": side.id, "aria-label": t("phone.panels"),
    onclick: () => set(!page()?.classList.contains("panels-open")),
  }, t("phone.show"));
  const back = h("button", { type: "button", class: "panels-back", onclick: () => set(false) }, t("phone.hide"));
  side.addEventListener("keydown", (e) => { if (e.key === "Escape" && page()?.classList.contains("panels-open")) set(false); });
  return { button, back, close: () => { if (page()?.classList.contains("panels-open")) set(false); } };
}
