// Bringing a Word file in: choose the file (picker or drag and drop) and where it goes, review the outline as the
// importer recognised it (kind, level, how sure it is; re-level, merge, split, map unknown columns), then import.
import { h, replace, labelled } from "../dom.js";
import { t, pick } from "../i18n.js";
import { get, ProblemError } from "../api.js";
import { session } from "../session.js";
import { problemBox } from "./problems.js";

const KINDS = ["Strategy", "ActionPlan", "Law"];
const LINE_KINDS = ["Title", "Part", "Chapter", "Section", "Article", "Action", "Point", "Ignore"];
const FIELDS = ["Number", "Text", "Objective", "Timeline", "Responsible", "Indicators", "Baseline", "Target", "Funding",
  "CompletionForm", "Pillar", "SdgTargets", "Ignore"];
const LANGUAGES = { KZ: ["ru", "en", "kk"], KG: ["ru", "en", "ky"], TJ: ["ru", "en", "tg"], TM: ["ru", "en", "tk"], UZ: ["ru", "en", "uz"] };

function newId() {
  return crypto.randomUUID
      ? crypto.randomUUID() : `${Date.now().toString(16).padStart(8, "0")}-0000-4000-8000-${Math.random().toString(16).slice(2, 14).padEnd(12, "0")}`;
}

/** Sends the file and fields as multipart/form-data; RFC 7807 problems become ProblemError, as for every other call. */
async function upload(url, file, fields, commandId) {
  const form = new FormData();
  form.append("file", file, file.name);
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null && value !== "") form.append(name, typeof value === "string" ? value : JSON.stringify(value));
  }
  const headers = { Accept: "application/json, application/problem+json", Authorization: `Bearer ${session.token}` };
  if (commandId) headers["Idempotency-Key"] = commandId;
  const response = await fetch(url, { method: "POST", headers, body: form });
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    if (response.status === 401) session.expired();
    throw new ProblemError(response.status, problem);
  }
  return response.json();
}

export async function renderImport(main, navigate) {
  const user = session.user;
  const country = user?.country ?? "";
  const state = { file: null, preview: null, corrections: { lines: [], columns: [] } };

  const fileInput = h("input", { type: "file", accept: ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document" });
  const fileName = h("span", { class: "file-name", "data-testid": "import-file-name" }, t("import.noFile"));
  const dropZone = h("div",
      { class: "drop-zone", "data-testid": "import-drop-zone", tabindex: "0", role: "group", "aria-label": t("import.dropZone") },
    h("p", {}, t("import.dropHere")), labelled(t("import.file"), fileInput), fileName);

  const mode = h("select", { name: "mode" },
    h("option", { value: "new" }, t("import.asNewDraft")), h("option", { value: "language" }, t("import.asLanguage")));
  const kind = h("select", { name: "kind" }, KINDS.map((k) => h("option", { value: k }, t(`kind.${k}`))));
  const start = h("input", { type: "number", name: "periodStart", min: "1991", max: "2100", value: String(new Date().getFullYear()) });
  const end = h("input", { type: "number", name: "periodEnd", min: "1991", max: "2100", value: String(new Date().getFullYear() + 4) });
  const language = h("select", { name: "language" }, (LANGUAGES[country] ?? ["ru", "en"]).map((l) => h("option", { value: l }, t(`lang.${l}`))));
  const draftChoice = h("select", { name: "draft" });
  const newDraftFields = h("div", { class: "import-fields" }, labelled(t("list.kind"), kind), labelled(t("import.periodStart"), start),
    labelled(t("import.periodEnd"), end));
  const languageFields = h("div", { class: "import-fields", hidden: true }, labelled(t("import.draft"), draftChoice));

  const previewButton = h("button", { type: "button", disabled: true }, t("import.review"));
  const importButton = h("button", { type: "button", class: "primary", disabled: true }, t("import.import"));
  const formProblem = h("div", { "aria-live": "polite", "data-testid": "import-problem" });
  const progress = h("p", { class: "import-progress", "aria-live": "polite", "data-testid": "import-progress" });
  const review = h("section", { class: "import-review", "aria-labelledby": "import-review-title", hidden: true });

  function chooseFile(file) {
    if (!file) return;
    state.file = file;
    state.preview = null;
    state.corrections = { lines: [], columns: [] };
    replace(fileName, file.name);
    previewButton.disabled = false;
    importButton.disabled = true;
    review.hidden = true;
    replace(formProblem);
  }
  fileInput.addEventListener("change", () => chooseFile(fileInput.files?.[0]));
  dropZone.addEventListener("dragover", (e) => { e.preventDefault(); dropZone.classList.add("dragging"); });
  dropZone.addEventListener("dragleave", () => dropZone.classList.remove("dragging"));
  dropZone.addEventListener("drop", (e) => {
    e.preventDefault();
    dropZone.classList.remove("dragging");
    chooseFile(e.dataTransfer?.files?.[0]);
  });
  mode.addEventListener("change", () => {
    newDraftFields.hidden = mode.value !== "new";
    languageFields.hidden = mode.value === "new";
  });

  function fields() {
    const common = { language: language.value, corrections: state.corrections };
    if (mode.value === "new") return { ...common, country, kind: kind.value, periodStart: start.value, periodEnd: end.value };
    return common;
  }

  async function runPreview() {
    replace(formProblem);
    previewButton.disabled = true;
    try {
      const query = mode.value === "new" ? `?country=${encodeURIComponent(country)}` : "";
      const target = mode.value === "new" ? {} : draftsById.get(draftChoice.value) ?? {};
      state.preview = await upload(`/api/imports/preview${query}`, state.file, {
        ...fields(), kind: mode.value === "new" ? kind.value : target.kind,
        periodStart: mode.value === "new" ? start.value : target.periodStart, periodEnd: mode.value === "new" ? end.value : target.periodEnd,
      });
      renderReview();
      importButton.disabled = state.preview.problems.length > 0;
    } catch (error) {
      replace(formProblem, problemBox(error));
      review.hidden = true;
      importButton.disabled = true;
    } finally {
      previewButton.disabled = false;
    }
  }

  function correct(correction) {
    state.corrections.lines.push(correction);
    runPreview();
  }

  function renderReview() {
    const p = state.preview;
    review.hidden = false;
    replace(review,
      h("h2", { id: "import-review-title" }, t("import.reviewTitle")),
      h("p", { "data-testid": "import-summary" }, t("import.summary", {
        file: p.fileName, nodes: p.nodes, actions: p.actions, paragraphs: p.paragraphs, tables: p.tables, language: t(`lang.${p.language}`),
      })),
      p.problems.length ? h("div", { class: "problem", role: "alert" }, h("strong", {}, t("import.problems")),
        h("ul", {}, p.problems.map((x) => h("li", {}, x)))) : null,
      p.unknownColumns.length ? h("div", { class: "import-columns" },
        h("h3", {}, t("import.unknownColumns")),
        p.unknownColumns.map((c) => {
          const select = h("select", {}, h("option", { value: "" }, t("import.chooseField")),
            FIELDS.map((f) => h("option", { value: f }, t(`import.field.${f}`))));
          select.addEventListener("change", () => {
            if (!select.value) return;
            state.corrections.columns.push({ table: c.table, column: c.column, field: select.value });
            runPreview();
          });
          return labelled(t("import.columnOf", { header: c.header, table: c.table, samples: c.samples.join(" · ") }), select);
        })) : null,
      h("table", { class: "import-lines" },
        h("caption", { class: "sr-only" }, t("import.reviewTitle")),
        h("thead", {}, h("tr", {}, [t("import.source"), t("import.kind"), t("import.level"), t("import.number"), t("draft.text"),
          t("import.confidence"), t("import.tools")].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, p.lines.map((line, index) => lineRow(line, index)))));
  }

  function lineRow(line, index) {
    const kindSelect = h("select", { "aria-label": t("import.kindOf", { line: line.source }) },
      LINE_KINDS.map((k) => h("option", { value: k, selected: k === line.kind }, t(`import.kind.${k}`))));
    kindSelect.addEventListener("change", () => correct({ line: line.id, op: "kind", kind: kindSelect.value }));
    const level = h("input",
        { type: "number", min: "1", max: "9", value: String(line.level || 1), "aria-label": t("import.levelOf", { line: line.source }) });
    level.addEventListener("change", () => correct({ line: line.id, op: "level", level: Number(level.value) }));
    const confidence = Math.round(line.confidence * 100);
    return h("tr", { class: `import-line level-${line.level} ${confidence < 60 ? "unsure" : ""}`, "data-line-id": line.id },
      h("td", {}, line.source),
      h("td", {}, kindSelect),
      h("td", {}, level),
      h("td", {}, line.number ?? ""),
      h("td", { class: "import-text" }, line.text, line.notes?.length ? h("small", { class: "notes" }, " ", line.notes.join(" ")) : null),
      h("td", { class: "num", title: line.why }, `${confidence}%`, h("small", { class: "why" }, " ", line.why)),
      h("td", {},
        index > 0 ? h("button",
            { type: "button", onclick: () => correct({ line: line.id, op: "merge" }), "aria-label": t("import.mergeOf", { line: line.source }) },
          t("import.merge")) : null,
        line.text.includes(" ") ? h("button", {
          type: "button", "aria-label": t("import.splitOf", { line: line.source }),
          onclick: () => correct({ line: line.id, op: "split", at: splitPoint(line.text) }),
        }, t("import.split")) : null));
  }

  /** Where a line is split: after its first sentence, else at the middle word. */
  function splitPoint(text) {
    const sentence = text.search(/[.;:]\s/);
    if (sentence > 0 && sentence < text.length - 2) return sentence + 1;
    const middle = text.indexOf(" ", Math.floor(text.length / 2));
    return middle > 0 ? middle : text.lastIndexOf(" ");
  }

  async function runImport() {
    replace(formProblem);
    importButton.disabled = true;
    const commandId = newId();
    let done = false;
    const follow = (async () => {
      while (!done) {
        await new Promise((r) => setTimeout(r, 400));
        try {
          const status = await get(`/api/imports/${commandId}/progress`);
          if (!done) replace(progress, t(`import.stage.${status.stage}`, { done: status.done, total: status.total }));
        } catch { /* not started yet */ }
      }
    })();
    try {
      replace(progress, t("import.stage.uploading"));
      const url = mode.value === "new" ? `/api/imports?country=${encodeURIComponent(country)}` : `/api/drafts/${draftChoice.value}/imports`;
      const accepted = await upload(url, state.file, fields(), commandId);
      done = true;
      replace(progress, t("import.stage.done", { done: accepted.result?.nodes ?? "", total: accepted.result?.nodes ?? "" }));
      navigate(`/drafts/${accepted.result?.draftId ?? draftChoice.value}`);
    } catch (error) {
      done = true;
      replace(progress);
      replace(formProblem, problemBox(error));
      importButton.disabled = false;
    }
    await follow;
  }

  previewButton.addEventListener("click", runPreview);
  importButton.addEventListener("click", runImport);

  const draftsById = new Map();
  try {
    const drafts = await get(`/api/drafts?country=${encodeURIComponent(country)}`);
    for (const d of drafts) draftsById.set(d.id, d);
    replace(draftChoice, drafts.map((d) => h("option", { value: d.id }, `${pick(d.title)} ${d.periodStart}–${d.periodEnd}`)));
  } catch { /* no drafts to add a language to */ }

  replace(main,
    h("section", { class: "card import-page", "aria-labelledby": "import-title" },
      h("a", { href: "/", onclick: (e) => { e.preventDefault(); navigate("/"); } }, t("draft.backToList")),
      h("h1", { id: "import-title" }, t("import.title")),
      h("p", {}, t("import.intro")),
      dropZone,
      h("div", { class: "import-fields" }, labelled(t("import.mode"), mode), labelled(t("import.language"), language)),
      newDraftFields, languageFields,
      h("div", { class: "import-buttons" }, previewButton, importButton),
      formProblem, progress),
    review);
}
