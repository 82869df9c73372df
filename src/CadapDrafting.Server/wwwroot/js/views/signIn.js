// Development sign-in: pick one of the demo users.
import { h, replace, labelled } from "../dom.js";
import { t } from "../i18n.js";
import { localPerson } from "../people.js";
import { session } from "../session.js";
import { signIn } from "../api.js";
import { problemBox } from "./problems.js";

export async function renderSignIn(main, done) {
  const users = await fetch("/api/dev/users").then((r) => (r.ok ? r.json() : []));
  const select = h("select", { name: "user", required: true },
    users.map(localPerson).map((u) => h("option", { value: u.id },
      `${u.name} — ${[...u.roles.map((r) => t(`role.${r}`)), u.country ? t(`country.${u.country}`) : null].filter(Boolean).join(", ")}`
      + `${u.organisation ? `, ${u.organisation}` : ""} (${u.id})`)));
  const errors = h("div");
  const form = h("form", { class: "card sign-in", "aria-labelledby": "sign-in-title" },
    h("h1", { id: "sign-in-title" }, t("signIn.title")),
    h("p", {}, t("signIn.intro")),
    labelled(t("signIn.user"), select),
    h("button", { type: "submit", class: "primary" }, t("signIn.submit")),
    errors);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const { token, user } = await signIn(select.value);
      session.start(token, user);
      done();
    } catch (error) {
      replace(errors, problemBox(error));
    }
  });
  replace(main, users.length ? form : h("p", { class: "card" }, t("signIn.unavailable")));
  select.focus();
}
