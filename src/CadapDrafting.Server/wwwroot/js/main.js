// The app shell: header (who, interface language), routing between sign-in, the draft list and a draft.
import { h, replace } from "./dom.js";
import { session } from "./session.js";
import { localPerson } from "./people.js";
import { t, language, setLanguage, onLanguageChange } from "./i18n.js";
import { renderSignIn } from "./views/signIn.js";
import { renderDraftList } from "./views/draftList.js";
import { openDraft } from "./views/draftPage.js";
import { renderImport } from "./views/importPage.js";
import { renderProgrammePage, programmeLinks } from "./views/programmePages.js";
import { resumeOutbox } from "./api.js";
import { inboxLink, renderInbox, followInbox } from "./views/inbox.js";
import { headerSearch, renderSearch } from "./views/search.js";

const main = document.getElementById("main");
const header = document.getElementById("app-header");
let leaveCurrent = null;

export function navigate(path, { replaceState = false } = {}) {
  if (replaceState) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  route();
}

function renderHeader() {
  const languageSwitch = h("select", { id: "ui-language", "aria-label": t("ui.language") },
    h("option", { value: "en", selected: language() === "en" }, "English"),
    h("option", { value: "ru", selected: language() === "ru" }, "Русский"));
  languageSwitch.addEventListener("change", () => setLanguage(languageSwitch.value));
  replace(header,
    h("a", { href: "/", class: "brand", onclick: (e) => { e.preventDefault(); navigate("/"); } }, t("app.name")),
    h("nav", { class: "header-tools", "aria-label": t("ui.account") },
      h("label", { for: "ui-language", class: "sr-only" }, t("ui.language")),
      languageSwitch,
      session.user
        ? [
            programmeLinks(navigate),
            headerSearch(navigate),
            inboxLink(navigate),
            h("span", { class: "who", "data-testid": "signed-in-as" }, localPerson(session.user).name, " · ",
              session.user.roles.map((r) => t(`role.${r}`)).join(", ")),
            h("button", { type: "button", onclick: () => { history.pushState(null, "", "/"); session.end(); } }, t("ui.signOut")),
          ]
        : null));
}

async function route() {
  if (leaveCurrent) { await leaveCurrent(); leaveCurrent = null; }
  document.documentElement.lang = language();
  renderHeader();
  if (!session.token) {
    renderSignIn(main, () => navigate(location.pathname === "/sign-in" ? "/" : location.pathname + location.search, { replaceState: true }));
    return;
  }
  followInbox();
  const draftMatch = /^\/drafts\/([0-9a-f-]{36})/i.exec(location.pathname);
  if (draftMatch) {
    leaveCurrent = await openDraft(main, draftMatch[1]);
  } else if (location.pathname.startsWith("/programme/")) {
    await renderProgrammePage(main, navigate, location.pathname);
  } else if (location.pathname === "/inbox") {
    leaveCurrent = await renderInbox(main, navigate);
  } else if (location.pathname === "/search") {
    await renderSearch(main, navigate);
  } else if (location.pathname === "/import") {
    await renderImport(main, navigate);
  } else {
    await renderDraftList(main, navigate);
  }
}

session.load();
// Commands that met no network before this page was loaded are sent now, with their own command ids.
resumeOutbox();
// Signing out, or a token the server no longer accepts, returns to the sign-in page.
session.onChange(() => (session.token ? renderHeader() : route()));
onLanguageChange(() => route());
window.addEventListener("popstate", route);
route();
