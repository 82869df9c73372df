// People by name and organisation: the draft's readers as the server lists them, never bare user ids.
import { get } from "./api.js";
import { t } from "./i18n.js";

let known = new Map();

export async function loadPeople(draftId) {
  try {
    const people = await get(`/api/drafts/${draftId}/people`);
    known = new Map(people.map((p) => [p.id, p]));
  } catch { /* names fall back to ids */ }
  return [...known.values()];
}

export function people() {
  return [...known.values()];
}

/** A person's name, or their id when they are not among the draft's readers. */
export function nameOf(id) {
  if (!id) return t("people.unknown");
  return known.get(id)?.name ?? id;
}

/** Name and organisation, for cards and lists. */
export function personLabel(id) {
  const p = known.get(id);
  return p ? (p.organisation ? `${p.name}, ${p.organisation}` : p.name) : (id ?? t("people.unknown"));
}
