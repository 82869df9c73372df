// A modal dialog for commands that deserve a second look (open a round, start review, sign, withdraw): it says what
// the command does, takes its inputs, shows a refusal inside itself and closes only when the command succeeded.
import { h, replace } from "../dom.js";
import { t } from "../i18n.js";

export function openDialog({ title, intro, fields = [], confirm, danger = false, run }) {
  const problem = h("div", { class: "dialog-problem", "aria-live": "assertive" });
  const confirmButton = h("button", { type: "submit", class: danger ? "danger" : "primary" }, confirm ?? t("ui.confirm"));
  const form = h("form", { method: "dialog", class: "dialog-form" },
    h("h2", { id: "dialog-title" }, title),
    intro ? h("p", { class: "dialog-intro" }, intro) : null,
    fields,
    problem,
    h("div", { class: "actions" }, confirmButton,
      h("button", { type: "button", onclick: () => dialog.close() }, t("ui.cancel"))));
  const dialog = h("dialog", { "aria-labelledby": "dialog-title", class: "dialog" }, form);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!form.reportValidity()) return;
    confirmButton.disabled = true;
    confirmButton.setAttribute("aria-busy", "true");
    try {
      const ok = await run(problem);
      if (ok) dialog.close();
    } finally {
      confirmButton.disabled = false;
      confirmButton.removeAttribute("aria-busy");
    }
  });
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  (form.querySelector("input, textarea, select") ?? confirmButton).focus();
  replace(problem);
  return dialog;
}
