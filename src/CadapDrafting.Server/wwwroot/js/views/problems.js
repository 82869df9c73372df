// RFC 7807 problems shown to people: title, detail, field errors and what to do next.
import { h } from "../dom.js";
import { t } from "../i18n.js";

export function problemBox(error) {
  const p = error?.problem ?? {};
  const fieldErrors = Object.entries(p.errors ?? {});
  return h("div", { class: "problem", role: "alert" },
    h("strong", {}, p.title ?? t("problem.generic"), error?.status ? ` (${error.status})` : ""),
    h("p", {}, p.detail ?? error?.message ?? ""),
    fieldErrors.length ? h("ul", {}, fieldErrors.map(([field, messages]) => h("li", {}, `${field}: ${messages.join(" ")}`))) : null,
    p.nextStep ? h("p", { class: "next-step" }, t("problem.nextStep"), " ", p.nextStep) : null);
}
