// The drafts the signed-in person may see, by country and status.
import { h, replace, labelled } from "../dom.js";
import { t, pick, language } from "../i18n.js";
import { get } from "../api.js";
import { problemBox } from "./problems.js";
import { mayCreateDrafts, openNewDraftDialog } from "./newDraft.js";

const COUNTRIES = ["KZ", "KG", "TJ", "TM", "UZ"];
const STATUSES = ["Drafting", "Consultation", "Review", "Approved", "Withdrawn"];
const SORTS = ["changed", "title", "country", "openProposals"];
const filters = { country: "", status: "", sort: "changed", text: "" };

function sorted(drafts) {
  const by = {
    changed: (a, b) => new Date(b.lastChangedAt) - new Date(a.lastChangedAt),
    title: (a, b) => pick(a.title).localeCompare(pick(b.title), language()),
    country: (a, b) => t(`country.${a.country}`).localeCompare(t(`country.${b.country}`), language()),
    openProposals: (a, b) => b.openProposals - a.openProposals,
  }[filters.sort] ?? (() => 0);
  const text = filters.text.trim().toLocaleLowerCase();
  return drafts.filter((d) => !text || Object.values(d.title ?? {}).some((x) => x.toLocaleLowerCase().includes(text))).sort(by);
}

export async function renderDraftList(main, navigate) {
  const country = h("select", { name: "country" },
    h("option", { value: "" }, t("list.allCountries")),
    COUNTRIES.map((c) => h("option", { value: c, selected: filters.country === c }, t(`country.${c}`))));
  const status = h("select", { name: "status" },
    h("option", { value: "" }, t("list.allStatuses")),
    STATUSES.map((s) => h("option", { value: s, selected: filters.status === s }, t(`status.${s}`))));
  const sort = h("select", { name: "sort" },
    SORTS.map((s) => h("option", { value: s, selected: filters.sort === s }, t(`list.sort.${s}`))));
  const text = h("input", { type: "search", name: "title", value: filters.text });
  const results = h("div", { "aria-live": "polite" });
  let loaded = [];

  async function load() {
    filters.country = country.value;
    filters.status = status.value;
    const query = new URLSearchParams();
    if (filters.country) query.set("country", filters.country);
    if (filters.status) query.set("status", filters.status);
    try {
      loaded = await get(`/api/drafts?${query}`);
      show();
    } catch (error) {
      replace(results, problemBox(error));
    }
  }

  function show() {
    filters.sort = sort.value;
    filters.text = text.value;
    const drafts = sorted(loaded);
    {
      replace(results, drafts.length === 0
        ? h("p", { class: "empty" }, t("list.none"))
        : h("table", { class: "drafts" },
            h("caption", { class: "sr-only" }, t("list.title")),
            h("thead", {}, h("tr", {},
              [t("list.draft"), t("list.country"), t("list.kind"), t("list.status"), t("list.revision"), t("list.openProposals"), t("list.changed")]
                .map((c) => h("th", { scope: "col" }, c)))),
            h("tbody", {}, drafts.map((d) => h("tr", {},
              h("td", {}, h("a", {
                href: `/drafts/${d.id}`,
                onclick: (e) => { e.preventDefault(); navigate(`/drafts/${d.id}`); },
              }, pick(d.title), ` ${d.periodStart}–${d.periodEnd}`)),
              h("td", {}, t(`country.${d.country}`)),
              h("td", {}, t(`kind.${d.kind}`)),
              h("td", {}, h("span", { class: `badge status-${d.status}` }, t(`status.${d.status}`))),
              h("td", { class: "num" }, d.revision),
              h("td", { class: "num" }, d.openProposals),
              h("td", {}, new Date(d.lastChangedAt).toLocaleDateString(language() === "ru" ? "ru-RU" : "en-GB")))))));
    }
  }

  country.addEventListener("change", load);
  status.addEventListener("change", load);
  sort.addEventListener("change", show);
  text.addEventListener("input", show);
  replace(main,
    h("section", { class: "card", "aria-labelledby": "list-title" },
      h("div", { class: "list-head" },
        h("h1", { id: "list-title" }, t("list.title")),
        mayCreateDrafts()
          ? h("div", { class: "list-actions" },
              h("button", { type: "button", class: "primary", onclick: () => openNewDraftDialog(navigate) }, t("new.open")),
              h("a", { href: "/import", class: "import-link", onclick: (e) => { e.preventDefault(); navigate("/import"); } }, t("import.link")))
          : null),
      h("div", { class: "filters", role: "search", "aria-label": t("list.filters") },
        labelled(t("list.country"), country), labelled(t("list.status"), status),
        labelled(t("list.filterText"), text), labelled(t("list.sort"), sort)),
      results));
  await load();
}
