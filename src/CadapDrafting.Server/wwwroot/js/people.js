// People by name and organisation: the draft's readers as the server lists them, never bare user ids; in the
// Russian interface by their Russian name and organisation when the directory has them.
import { get } from "./api.js";
import { t, language } from "./i18n.js";

let known = new Map();

export async function loadPeople(draftId) {
  try {
    const people = await get(`/api/drafts/${draftId}/people`);
    known = new Map(people.map((p) => [p.id, p]));
  } catch { /* names fall back to ids */ }
  return people();
}

/** A person as the interface language shows them: name and organisation in it, and every name they go by. */
export function localPerson(p) {
  const ru = language() === "ru";
  return {
    ...p,
    name: (ru && p.nameRu) || p.name,
    organisation: (ru && p.organisationRu) || p.organisation,
    names: [p.name, p.nameRu].filter(Boolean),
  };
}

/** The draft's readers as the interface language shows them, in its alphabetical order. */
export function people() {
  return [...known.values()].map(localPerson).sort((a, b) => a.name.localeCompare(b.name, language()));
}

/** A person's name, or their id when they are not among the draft's readers. */
export function nameOf(id) {
  if (!id) return t("people.unknown");
  const p = known.get(id);
  return p ? localPerson(p).name : id;
}

/** Name and organisation, for cards and lists. */
export function personLabel(id) {
  const p = known.get(id);
  if (!p) return id ?? t("people.unknown");
  const { name, organisation } = localPerson(p);
  return organisation ? `${name}, ${organisation}` : name;
}
