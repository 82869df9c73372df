// Refusals shown to people: what happened and what to do next in the interface language, placed next to the control
// that caused them. The server's own wording (English, for developers) stays behind "Details".
import { h } from "../dom.js";
import { t, language } from "../i18n.js";

/** The plain-words message and next step for an RFC 7807 problem (or a network failure). */
export function explain(error) {
  const status = error?.status ?? 0;
  const p = error?.problem ?? {};
  if (error?.local) return { message: error.local, next: "" };
  if (!status) return { message: t("err.network"), next: t("err.network.next") };
  if (status >= 500) return { message: t("err.5xx"), next: t("err.5xx.next") };
  if (status === 409 && (p.baseRevision !== undefined || p.currentRevision !== undefined || p.currentText !== undefined) && !p.allowedTransitions)
    return { message: t("err.409.stale"), next: t("err.409.stale.next") };
  if (status === 409 && p.allowedTransitions && p.status)
    return { message: t("err.409.state", { status: t(`status.${p.status}`) }), next: t(`err.409.state.next.${p.status}`) };
  const key = `err.${status}`;
  return { message: t(key, {}, t("problem.generic")), next: t(`${key}.next`, {}, "") };
}

/** Field errors of a 422 by field path, in the interface language where the field is known. */
export function fieldErrors(error) {
  return Object.entries(error?.problem?.errors ?? {});
}

export function problemBox(error) {
  const p = error?.problem ?? {};
  const { message, next } = explain(error);
  const detail = p.detail ?? (error?.status ? "" : error?.message);
  const fields = fieldErrors(error);
  return h("div", { class: "problem", role: "alert" },
    h("strong", {}, message),
    next ? h("p", { class: "next-step" }, next) : null,
    // Field errors are shown at their fields where a form knows them; listed here as well for the others.
    fields.length ? h("ul", {}, fields.map(([field, messages]) =>
        h("li", {}, fieldLabel(field), ": ", language() === "en" ? messages.join(" ") : t("field.invalid")))) : null,
    detail && language() === "en" ? h("details", {}, h("summary", {}, t("err.details")), h("p", {}, detail)) : null);
}

function fieldLabel(path) {
  const last = path.replace(/\[\d+\]/g, "").split(".").pop();
  return t(`change.${last}`, {}, t(`record.${last}`, {}, last));
}
