// @mention autocomplete: typing "@" and part of a name offers the people who can read the thread, by name and
// organisation; choosing one writes their @user-id into the text, which the server resolves.
import { h, replace, uid } from "../dom.js";
import { t } from "../i18n.js";
import { people } from "../people.js";

export function withMentionAutocomplete(field, { internal = false } = {}) {
  const listId = uid("mentions");
  const list = h("ul", { id: listId, role: "listbox", class: "mention-list", "aria-label": t("comments.suggest"), hidden: true });
  field.setAttribute("aria-autocomplete", "list");
  field.setAttribute("aria-controls", listId);
  let options = [];
  let active = 0;

  const query = () => {
    const before = field.value.slice(0, field.selectionStart ?? field.value.length);
    const match = /(^|\s)@([^\s@]*)$/.exec(before);
    return match ? { text: match[2].toLowerCase(), start: before.length - match[2].length - 1 } : null;
  };
  const close = () => { list.hidden = true; options = []; field.removeAttribute("aria-activedescendant"); };
  const choose = (person) => {
    const q = query();
    if (!q) return close();
    const end = field.selectionStart ?? field.value.length;
    field.value = `${field.value.slice(0, q.start)}@${person.id} ${field.value.slice(end)}`;
    const caret = q.start + person.id.length + 2;
    field.setSelectionRange(caret, caret);
    close();
    field.focus();
  };
  const show = () => {
    const q = query();
    if (!q) return close();
    options = people()
      .filter((p) => !internal || p.seesInternalThreads)
      .filter((p) => !q.text || p.names.some((n) => n.toLowerCase().includes(q.text)) || p.id.toLowerCase().includes(q.text)
        || (p.organisation ?? "").toLowerCase().includes(q.text))
      .slice(0, 8);
    if (!options.length) return close();
    active = Math.min(active, options.length - 1);
    replace(list, options.map((p, i) => h("li", {
      id: `${listId}-${i}`, role: "option", "aria-selected": String(i === active), class: i === active ? "active" : "",
      onmousedown: (e) => { e.preventDefault(); choose(p); },
    }, h("strong", {}, p.name), p.organisation ? h("span", { class: "org" }, ` · ${p.organisation}`) : null)));
    list.hidden = false;
    field.setAttribute("aria-activedescendant", `${listId}-${active}`);
  };
  field.addEventListener("input", () => { active = 0; show(); });
  field.addEventListener("keydown", (e) => {
    if (list.hidden) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      active = (active + (e.key === "ArrowDown" ? 1 : options.length - 1)) % options.length;
      show();
    } else if (e.key === "Enter" || e.key === "Tab") {
      e.preventDefault();
      choose(options[active]);
    } else if (e.key === "Escape") close();
  });
  field.addEventListener("blur", () => setTimeout(close, 150));
  return h("div", { class: "mention-field" }, field, list);
}
