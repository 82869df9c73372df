// The record of an action as a structured form: objective, responsible bodies, timeline, indicators, budget, pillar,
// responds-to, commitments, 2030 Agenda targets, markers and evidence. Errors appear at the field, found by the
// client before sending and by the server after (422 field paths); an editor saves directly or proposes the change.
import { h, replace, labelled, uid } from "../dom.js";
import { t, language } from "../i18n.js";
import { command } from "../api.js";
import { can } from "./can.js";
import { flatten, nodeName } from "./documentView.js";
import { problemBox } from "./problems.js";
import { characterCounter } from "./comments.js";

const PILLARS = ["Prevention", "Treatment", "HarmReduction", "Rehabilitation", "SupplyReduction", "CrossCutting"];
const USES = ["Recreational", "Problematic", "Both"];

/** The 2030 Agenda targets a drug programme answers most often, with their titles. */
export const SDG_TARGETS = [
  ["3.5", "Strengthen the prevention and treatment of substance abuse, including narcotic drug abuse",
      "Укреплять профилактику и лечение злоупотребления психоактивными веществами, включая наркотики"],
  ["3.3", "End the epidemics of AIDS, tuberculosis and hepatitis", "Покончить с эпидемиями СПИДа, туберкулёза и гепатита"],
  ["3.8", "Achieve universal health coverage", "Обеспечить всеобщий охват услугами здравоохранения"],
  ["5.2", "Eliminate all forms of violence against women and girls", "Ликвидировать все формы насилия в отношении женщин и девочек"],
  ["10.2", "Empower and promote the social inclusion of all", "Расширять права и содействовать социальной интеграции всех"],
  ["16.1", "Significantly reduce all forms of violence", "Значительно сократить все формы насилия"],
  ["16.3", "Promote the rule of law and ensure equal access to justice", "Содействовать верховенству права и равному доступу к правосудию"],
  ["16.4", "Significantly reduce illicit financial and arms flows; combat organized crime",
      "Значительно сократить незаконные финансовые потоки и потоки оружия; бороться с организованной преступностью"],
  ["16.a", "Strengthen national institutions to prevent violence and combat crime",
      "Укреплять национальные учреждения для предотвращения насилия и борьбы с преступностью"],
  ["17.17", "Encourage effective public, public-private and civil society partnerships",
      "Поощрять эффективные партнёрства государства, бизнеса и гражданского общества"],
];

export function sdgTitle(code) {
  const entry = SDG_TARGETS.find(([c]) => c === code);
  return entry ? (language() === "ru" ? entry[2] : entry[1]) : "";
}

const withYear = (value, year) => (value && year ? `${value} (${year})` : value || (year ? `(${year})` : null));
function splitYear(text) {
  const m = /^(.*?)\s*\((\d{4})\)$/.exec(text ?? "");
  return m ? [m[1], m[2]] : [text ?? "", ""];
}
const lines = (text) => text.split("\n").map((s) => s.trim()).filter(Boolean);

/** Responsible bodies already named anywhere in the draft, to pick from. */
function bodiesUsed(view) {
  const all = new Set();
  flatten(view.doc.nodes).forEach(({ node }) => (node.attributes?.responsibleBodies ?? []).forEach((b) => all.add(b)));
  return [...all].sort();
}

export function recordForm(view, node, { onDone }) {
  const a = node.attributes ?? {};
  const key = `record-${node.id}`;
  const controls = new Map(); // field path → control, for errors at the field
  const errors = new Map(); // field path → message element
  const field = (path, control, label, cls) => {
    control.id ||= uid("rf");
    control.dataset.field = path;
    control.dataset.keep = `${key}-${path}`;
    controls.set(path, control);
    const message = h("span", { class: "field-error", id: `${control.id}-error`, "aria-live": "polite" });
    errors.set(path, message);
    control.setAttribute("aria-describedby", message.id);
    const wrapper = labelled(label, control, cls);
    wrapper.append(message);
    return wrapper;
  };
  const input = (value, attrs = {}) => { const el = h("input", { type: "text", ...attrs }); el.value = value ?? ""; return el; };

  const objective = h("textarea", { rows: 2, maxlength: 2000 });
  objective.value = a.objective ?? "";

  // Responsible bodies: chosen ones as removable chips; a field with the ones used in the draft as suggestions.
  const bodies = [...(a.responsibleBodies ?? [])];
  const chips = h("ul", { class: "chips", "aria-label": t("record.responsible") });
  const datalistId = uid("bodies");
  const datalist = h("datalist", { id: datalistId }, bodiesUsed(view).map((b) => h("option", { value: b })));
  const bodyInput = input("", { list: datalistId, autocomplete: "off" });
  const renderChips = () => replace(chips, bodies.map((b, i) => h("li", {}, b,
    h("button", { type: "button", class: "chip-remove", "aria-label": `${t("ui.remove")}: ${b}`, onclick: () =>
        { bodies.splice(i, 1); renderChips(); } }, "×"))));
  const addBody = () => {
    const value = bodyInput.value.trim();
    if (value && !bodies.includes(value)) bodies.push(value);
    bodyInput.value = "";
    renderChips();
    bodyInput.focus();
  };
  bodyInput.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); addBody(); } });
  renderChips();

  const start = input(a.timeline?.start, { type: "date" });
  const end = input(a.timeline?.end, { type: "date" });

  // Indicators: one fieldset each.
  const indicatorRows = [];
  const indicatorList = h("div", { class: "indicators" });
  const addIndicator = (i = {}) => {
    const [baseline, baselineYear] = splitYear(i.baseline);
    const [target, targetYear] = splitYear(i.target);
    const row = {
      name: input(i.name), baseline: input(baseline), baselineYear: input(baselineYear, { inputmode: "numeric", size: 5 }),
      target: input(target), targetYear: input(targetYear, { inputmode: "numeric", size: 5 }), dataSource: input(i.dataSource),
      annual: h("input", { type: "checkbox", checked: Boolean(i.recordedAnnually) }),
    };
    indicatorRows.push(row);
    renderIndicators();
  };
  const renderIndicators = () => {
    controls.forEach((_, path) => { if (path.startsWith("indicators[")) { controls.delete(path); errors.delete(path); } });
    replace(indicatorList, indicatorRows.map((row, n) => {
      const p = (f) => `indicators[${n}].${f}`;
      return h("fieldset", { class: "indicator" },
        h("legend", {}, t("record.indicator", { n: n + 1 })),
        field(p("name"), row.name, t("record.indicatorName")),
        h("div", { class: "row" },
          field(p("baseline"), row.baseline, t("record.baseline")), field(p("baselineYear"), row.baselineYear, t("record.baselineYear")),
          field(p("target"), row.target, t("record.target")), field(p("targetYear"), row.targetYear, t("record.targetYear"))),
        field(p("dataSource"), row.dataSource, t("record.dataSource")),
        h("div", { class: "field inline" }, row.annual, h("label", { for: row.annual.id || (row.annual.id = uid("an")) }, t("record.annual"))),
        h("button", { type: "button", onclick: () => { indicatorRows.splice(n, 1); renderIndicators(); } },
            t("record.removeIndicator", { n: n + 1 })));
    }));
  };
  (a.indicators ?? []).forEach(addIndicator);

  const amount = input(a.budget?.amount ?? "", { inputmode: "decimal" });
  const currency = input(a.budget?.currency ?? "", { maxlength: 3, size: 4, autocapitalize: "characters" });
  const source = input(a.budget?.source ?? "");
  const pillar = h("select", {}, h("option", { value: "" }, t("record.none")),
    PILLARS.map((p) => h("option", { value: p, selected: a.pillar === p }, t(`pillar.${p}`))));
  const use = h("select", {}, h("option", { value: "" }, t("record.none")),
    USES.map((u) => h("option", { value: u, selected: a.useResponse === u }, t(`use.${u}`))));
  const commitments = h("textarea", { rows: 2 });
  commitments.value = (a.commitments ?? []).join("\n");
  const sdgBoxes = SDG_TARGETS.map(([code]) => {
    const box = h("input", { type: "checkbox", value: code, checked: (a.sdgTargets ?? []).includes(code), id: uid("sdg") });
    return { code, box };
  });
  const otherSdg = (a.sdgTargets ?? []).filter((c) => !SDG_TARGETS.some(([k]) => k === c));
  const humanRights = h("input", { type: "checkbox", checked: Boolean(a.humanRightsMarker), id: uid("hr") });
  const gender = h("input", { type: "checkbox", checked: Boolean(a.genderMarker), id: uid("gm") });
  const evidence = h("textarea", { rows: 2 });
  evidence.value = (a.evidenceReferences ?? []).join("\n");
  const rationale = input("", { required: true, maxlength: 4000 });
  const direct = can.decide(view.doc) && !view.suggesting;

  const problem = h("div", { class: "form-problem", "aria-live": "assertive" });
  const title = t("record.title", { number: nodeName(node) });
  const form = h("form", { class: "editor record-form", "aria-label": title, novalidate: true },
    h("h3", {}, title),
    field("objective", objective, t("record.objective")), characterCounter(objective, 2000),
    h("fieldset", {}, h("legend", {}, t("record.responsible")), chips,
      h("div", { class: "row" }, field("responsibleBodies", bodyInput, t("record.responsible"), "field grow"),
        h("button", { type: "button", onclick: addBody }, t("ui.add"))),
      h("p", { class: "hint" }, t("record.responsibleHint")), datalist),
    h("div", { class: "row" }, field("timeline.start", start, t("record.start")), field("timeline.end", end, t("record.end"))),
    h("fieldset", {}, h("legend", {}, t("record.indicators")), indicatorList,
      h("button", { type: "button", onclick: () => addIndicator() }, t("record.addIndicator"))),
    h("fieldset", {}, h("legend", {}, t("record.budget")),
      h("div", { class: "row" }, field("budget.amount", amount, t("record.amount")), field("budget.currency", currency, t("record.currency")),
        field("budget.source", source, t("record.source"), "field grow"))),
    h("div", { class: "row" }, field("pillar", pillar, t("record.pillar")), field("useResponse", use, t("record.useResponse"))),
    field("commitments", commitments, t("record.commitments")),
    h("fieldset", { class: "sdg-list" }, h("legend", {}, t("record.sdg")),
      sdgBoxes.map(({ code, box }) => h("div", { class: "field inline" }, box,
        h("label", { for: box.id }, h("strong", {}, code), " ", sdgTitle(code)))),
      (() => { const span = h("span", { class: "field-error" }); errors.set("sdgTargets", span); return span; })()),
    h("div", { class: "row" },
      h("div", { class: "field inline" }, humanRights, h("label", { for: humanRights.id }, t("record.humanRights"))),
      h("div", { class: "field inline" }, gender, h("label", { for: gender.id }, t("record.gender")))),
    field("evidenceReferences", evidence, t("record.evidence")),
    field("rationale", rationale, t("record.rationale")), characterCounter(rationale, 4000),
    problem,
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "primary" }, direct ? t("record.save") : t("record.propose")),
      h("button", { type: "button", onclick: () => onDone(false) }, t("ui.cancel"))));

  const collect = () => {
    const attributes = {
      objective: objective.value.trim() || null,
      responsibleBodies: [...bodies],
      timeline: start.value && end.value ? { start: start.value, end: end.value } : null,
      indicators: indicatorRows.map((r) => ({
        name: r.name.value.trim(),
        baseline: withYear(r.baseline.value.trim(), r.baselineYear.value.trim()),
        target: withYear(r.target.value.trim(), r.targetYear.value.trim()),
        dataSource: r.dataSource.value.trim() || null,
        recordedAnnually: r.annual.checked,
      })),
      budget: amount.value.trim() ? { amount: Number(amount.value.replace(/\s/g, "").replace(",", ".")),
          currency: currency.value.trim().toUpperCase(), source: source.value.trim() || null } : null,
      pillar: pillar.value || null,
      useResponse: use.value || null,
      commitments: lines(commitments.value),
      sdgTargets: [...sdgBoxes.filter((s) => s.box.checked).map((s) => s.code), ...otherSdg],
      humanRightsMarker: humanRights.checked,
      genderMarker: gender.checked,
      evidenceReferences: lines(evidence.value),
    };
    return attributes;
  };

  const showErrors = (found) => {
    errors.forEach((el) => replace(el));
    controls.forEach((c) => c.removeAttribute("aria-invalid"));
    let first = null;
    for (const [path, message] of found) {
      const known = [...errors.keys()].find((p) => path === p || path.endsWith(`.${p}`) || path.endsWith(p));
      if (!known) continue;
      replace(errors.get(known), message);
      controls.get(known)?.setAttribute("aria-invalid", "true");
      first ??= controls.get(known);
    }
    first?.focus();
    return found.length;
  };

  const validate = (attrs) => {
    const found = [];
    if (start.value && end.value && end.value < start.value) found.push(["timeline.end", t("field.endBeforeStart")]);
    if ((start.value && !end.value)) found.push(["timeline.end", t("field.required")]);
    if ((!start.value && end.value)) found.push(["timeline.start", t("field.required")]);
    indicatorRows.forEach((r, n) => {
      if (!r.name.value.trim()) found.push([`indicators[${n}].name`, t("field.required")]);
      for (const f of ["baselineYear", "targetYear"])
          if (r[f].value.trim() && !/^\d{4}$/.test(r[f].value.trim())) found.push([`indicators[${n}].${f}`, t("field.year")]);
    });
    if (attrs.budget) {
      if (!Number.isFinite(attrs.budget.amount) || attrs.budget.amount < 0) found.push(["budget.amount", t("field.amount")]);
      if (!/^[A-Z]{3}$/.test(attrs.budget.currency)) found.push(["budget.currency", t("field.currency")]);
    }
    if (!rationale.value.trim()) found.push(["rationale", t("field.required")]);
    return found;
  };

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const attributes = collect();
    if (showErrors(validate(attributes))) return;
    // A merge patch of the fields that changed: the others stay as they are, whoever changes them meanwhile.
    const original = collectOriginal(a);
    const changed = Object.fromEntries(Object.entries(attributes).filter(([field, value]) =>
        JSON.stringify(value) !== JSON.stringify(original[field])));
    if (Object.keys(changed).length === 0) { replace(problem, h("p", { class: "note" }, t("record.unchanged"))); return; }
    replace(problem);
    const result = await view.act(command(`${view.base}/proposals`, {
      kind: "Amend", nodeId: node.id, baseRevision: node.revision, attributes: changed, rationale: rationale.value.trim(), acceptNow: direct,
    }), {
      slot: problem, control: form.querySelector("button[type=submit]"), success: direct ? t("proposal.applied") : t("proposal.sent"),
      onProblem: (error) => {
        // A 422 names fields: shown at them, in the interface language where the rule is known.
        const fields = Object.entries(error?.problem?.errors ?? {}).map(([path, messages]) => [path, localFieldError(path, messages)]);
        if (fields.length) showErrors(fields);
        replace(problem, problemBox(error));
      },
    });
    if (result) onDone(true);
  });
  return form;
}

function localFieldError(path, messages) {
  if (language() === "en") return messages.join(" ");
  if (path.endsWith("currency")) return t("field.currency");
  if (path.endsWith("timeline.end")) return t("field.endBeforeStart");
  if (path.includes("sdgTargets")) return t("field.sdg");
  if (path.endsWith("amount")) return t("field.amount");
  return t("field.invalid");
}

/** The record as the form would send it unchanged, to tell "nothing changed" before sending. */
function collectOriginal(a) {
  return {
    objective: a.objective ?? null, responsibleBodies: a.responsibleBodies ?? [],
    timeline: a.timeline ?? null,
    indicators: (a.indicators ?? []).map((i) => ({ name: i.name, baseline: i.baseline ?? null, target: i.target ?? null, dataSource: i.dataSource ??
        null, recordedAnnually: Boolean(i.recordedAnnually) })),
    budget: a.budget ? { amount: Number(a.budget.amount), currency: a.budget.currency, source: a.budget.source ?? null } : null,
    pillar: a.pillar ?? null, useResponse: a.useResponse ?? null, commitments: a.commitments ?? [], sdgTargets: a.sdgTargets ?? [],
    humanRightsMarker: Boolean(a.humanRightsMarker), genderMarker: Boolean(a.genderMarker), evidenceReferences: a.evidenceReferences ?? [],
  };
}

/** A proposal's changes to a record, field by field, before → after (the server's fieldChanges when it sends them). */
export function fieldChangesList(proposal, node) {
  let changes = proposal.fieldChanges;
  if (!changes && proposal.attributes) {
    const before = node?.attributes ?? {};
    changes = Object.keys(proposal.attributes).map((field) => ({ field, before: before[field] ?? null, after: proposal.attributes[field] ?? null }));
  }
  const differing = (changes ?? []).filter((c) => JSON.stringify(norm(c.before)) !== JSON.stringify(norm(c.after)));
  if (!differing.length) return null;
  return h("table", { class: "field-changes" }, h("caption", {}, t("change.title")),
    h("tbody", {}, differing.map((c) => h("tr", { dataset: { field: c.field } },
      h("th", { scope: "row" }, t(`change.${c.field}`, {}, c.field)),
      h("td", {}, h("del", {}, show(c.field, c.before))), h("td", { class: "arrow", "aria-hidden": "true" }, "→"),
      h("td", {}, h("ins", {}, show(c.field, c.after)))))));
}

const norm = (v) => (v === undefined || v === false || (Array.isArray(v) && v.length === 0) || v === "" ? null : v);

function show(field, value) {
  if (value === null || value === undefined || (Array.isArray(value) && !value.length)) return t("change.empty");
  if (typeof value === "boolean") return t(value ? "change.yes" : "change.no");
  if (field === "pillar") return t(`pillar.${value}`, {}, value);
  if (field === "useResponse") return t(`use.${value}`, {}, value);
  if (field === "timeline") return `${value.start} – ${value.end}`;
  if (field === "budget")
    return `${Number(value.amount).toLocaleString(language() === "ru" ? "ru-RU" : "en-GB")} ${value.currency}` +
      (value.source ? ` (${value.source})` : "");
  if (field === "indicators")
      return value.map((i) => `${i.name}${i.baseline || i.target ? ` (${i.baseline ?? "?"} → ${i.target ?? "?"})` : ""}`).join("; ");
  if (field === "sdgTargets") return value.map((c) => t("sdg.target", { code: c })).join(", ");
  if (Array.isArray(value)) return value.join("; ");
  return String(value);
}
