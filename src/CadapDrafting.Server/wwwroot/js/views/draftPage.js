// One draft: the numbered document with proposals and comments in the margin, followed live; history,
// programme views and exports beside it.
import { h, replace, labelled, keepingInputAndFocus, formatTime } from "../dom.js";
import { t, pick, language } from "../i18n.js";
import { get, command, download } from "../api.js";
import { session } from "../session.js";
import { followDraft } from "../live.js";
import { problemBox } from "./problems.js";
import { can } from "./can.js";
import { renderNode, flatten, viewerBadges, nodeName } from "./documentView.js";
import { proposalCards, insertProposalsAfter, proposalForm } from "./proposals.js";
import { threadCards, newThreadForm } from "./comments.js";
import { historyPanel } from "./history.js";
import { programmePanel } from "./programme.js";
import { lifecyclePanel } from "./lifecycle.js";
import { matrixPanel } from "./consultation.js";
import { myProposalsPanel, batchBar } from "./myProposals.js";
import { recordForm } from "./record.js";
import { loadPeople, nameOf } from "../people.js";
import { translationsPanel } from "./translations.js";
import { keepUnsentWork } from "./unsent.js";
import { applyUpdate } from "./applyUpdate.js";
import { panelsToggle } from "./layout.js";
import { outlinePanel, goToPlace, placeInAddress, keepPlace } from "./outline.js";
import { draftSearchPanel } from "./search.js";

const EVERYTHING = new Set(["document", "proposals", "threads", "rounds", "history"]);
const DISCUSSION = new Set(["comment_thread_started", "comment_replied", "thread_resolved", "thread_reopened", "comment_disposed"]);
const PROPOSING = new Set(["proposal_submitted", "proposal_rebased", "proposal_withdrawn", "proposal_rejected", "proposal_superseded"]);

/** What an event can have changed on the page, by its type; anything unknown refreshes everything. */
function affectedBy(type) {
  if (DISCUSSION.has(type)) return new Set(["threads"]);
  if (PROPOSING.has(type)) return new Set(["document", "proposals"]);
  return EVERYTHING;
}

export async function openDraft(main, draftId) {
  const base = `/api/drafts/${draftId}`;
  const view = {
    draftId,
    base,
    doc: null,
    proposals: [],
    threads: [],
    rounds: [],
    past: null, // the as-of view while scrubbing history
    lang: null,
    sideBySide: false,
    suggesting: false,
    viewers: [],
    recent: [],
    openEditors: new Map(),
    problems: new Map(), // refusals by the control that caused them, shown next to it
    selected: new Set(), // proposals chosen for accepting or rejecting together
  };
  let unsent = null; // unsent text kept across reloads, once what an earlier page kept is back

  // Everything the first screen needs is asked for at once, not one answer after another.
  const margins = Promise.all([
    get(`${base}/proposals`).catch(() => []),
    get(`${base}/threads`).catch(() => ({ threads: [] })),
    get(`${base}/rounds`).catch(() => []),
  ]);
  const people = loadPeople(draftId).catch(() => null);
  let doc;
  try {
    doc = await get(base);
  } catch (error) {
    replace(main, h("section", { class: "card", "aria-labelledby": "missing-title" },
      h("h1", { id: "missing-title" }, t("draft.unavailable")), problemBox(error),
      h("p", {}, h("a", { href: "/" }, t("draft.backToList")))));
    return null;
  }
  view.doc = doc;
  await people;
  view.lang = doc.languages.includes(language()) ? language() : doc.sourceLanguage;

  const heading = h("div", { class: "draft-heading" });
  const liveStatus = h("span", { class: "live-status", role: "status", "data-testid": "live-status" }, t("live.connecting"));
  const presence = h("ul", { class: "presence", "aria-label": t("live.presence") });
  const toolbar = h("div", { class: "toolbar", role: "toolbar", "aria-label": t("draft.toolbar") });
  const documentColumn = h("div", { class: "document", "aria-live": "off" });
  const side = h("aside", { class: "side", id: "draft-side", "aria-label": t("draft.side") });
  const activity = h("ol", { class: "activity", "aria-label": t("live.recent") });
  const actionResult = h("div", { "aria-live": "assertive" });
  const matrixHost = h("div", { class: "below-document" });
  const busy = h("p", { class: "busy-indicator", role: "status", hidden: true }, t("ui.working"));

  const panels = panelsToggle(side);
  replace(main,
    h("div", { class: "draft-page" },
      h("div", { class: "draft-top" }, heading, h("div", { class: "live" }, liveStatus, presence, panels.button)),
      toolbar,
      busy,
      actionResult,
      h("div", { class: "draft-body" }, documentColumn, side),
      matrixHost));

  const history = historyPanel(view, {
    showPast: (past) => { view.past = past; renderAll(); programme.refresh(); },
  });
  const programme = programmePanel(view);
  const lifecycle = lifecyclePanel(view);
  const matrix = matrixPanel(view);
  const mine = myProposalsPanel(view);
  const outline = outlinePanel(view, documentColumn);
  const finder = draftSearchPanel(view, (place) => goToPlace(documentColumn, place));
  replace(matrixHost, matrix.element);
  const translations = translationsPanel(view, {
    goTo: (nodeId) => goTo(nodeId),
    update: (node, lang) => {
      view.lang = lang;
      view.openEditors.set(node.id, { kind: "amend" });
      renderAll();
      goTo(node.id, "textarea");
    },
  });
  replace(side, panels.back, outline.element, finder.element, lifecycle.element, mine.element, translations.element,
    programme.element, history.element,
    h("section", { class: "panel", "aria-labelledby": "recent-title" }, h("h2", { id: "recent-title" }, t("live.recent")), activity));

  /**
   * Runs a command with a busy state; success is confirmed, a refusal is shown next to the control that caused it:
   * in `slot` (an element beside the control), or under `key` where the page is rebuilt (see problemAt).
   */
  async function act(promise, { key, slot, control, success, refreshAll, onProblem } = {}) {
    busy.hidden = false;
    if (control) { control.disabled = true; control.setAttribute("aria-busy", "true"); }
    try {
      const result = await promise;
      if (key) view.problems.delete(key);
      if (slot) replace(slot);
      if (!key && !slot) replace(actionResult);
      if (success) notice(success);
      if (refreshAll) await refresh();
      return result ?? true;
    } catch (error) {
      if (onProblem) onProblem(error);
      else if (slot) replace(slot, problemBox(error));
      else if (key) view.problems.set(key, error);
      else replace(actionResult, problemBox(error));
      // A refusal often means the draft moved on meanwhile: show it as it is now.
      try { await refresh(); } catch { /* the problem shown is the one that matters */ }
      (slot ?? documentColumn.querySelector(`[data-problem-for="${key}"]`))?.scrollIntoView({ block: "nearest" });
      return null;
    } finally {
      busy.hidden = true;
      if (control) { control.disabled = false; control.removeAttribute("aria-busy"); }
    }
  }
  view.act = act;
  view.notice = (text) => notice(text);
  /** The refusal caused by the control under `key`, to place beside it when the page is drawn. */
  view.problemAt = (key) => view.problems.has(key)
    ? h("div", { class: "problem-slot", dataset: { problemFor: key } }, problemBox(view.problems.get(key))) : null;
  view.showProblemAt = (key, message) => {
    view.problems.set(key, { status: 0, problem: {}, local: message });
    renderAll();
    lifecycle.render();
  };

  /** A command whose success changes the whole page (lifecycle, rounds, sign-off); a refusal has refreshed already. */
  async function actAndRefresh(promise) {
    if (await act(promise)) await refresh();
  }
  view.refresh = () => refresh();

  /** Reads again what may have changed; `needs` names the parts (everything when not said). */
  async function refresh(needs = EVERYTHING) {
    const [d, proposals, threads, rounds] = await Promise.all([
      needs.has("document") ? get(base) : view.doc,
      needs.has("proposals") ? get(`${base}/proposals`) : view.proposals,
      needs.has("threads") ? get(`${base}/threads`).catch(() => ({ threads: [] })) : { threads: view.threads },
      needs.has("rounds") ? get(`${base}/rounds`).catch(() => []) : view.rounds,
    ]);
    // Who may read the draft changes with its stage (reviewers join when it is shared): names follow.
    if (d.status !== view.doc.status || rounds.length !== view.rounds.length) await loadPeople(draftId);
    view.doc = d;
    view.proposals = proposals;
    view.threads = threads.threads;
    view.rounds = rounds;
    if (needs.has("proposals")) mine.reload();
    // Only the history (say) was read again: the document as drawn is still right.
    if (["document", "proposals", "threads", "rounds"].some((n) => needs.has(n))) renderAll();
    if (needs.has("document")) { programme.refresh(); refreshTranslations(); }
    if (needs.has("history")) history.refresh();
    else if (needs.has("revisions")) history.revised();
    if (needs.has("document") || needs.has("rounds")) lifecycle.refresh();
    if (needs.has("threads") || needs.has("rounds")) matrix.refresh();
  }

  function renderHeading() {
    const d = view.doc;
    replace(heading,
      h("p", { class: "crumbs" }, h("a", { href: "/" }, t("draft.backToList"))),
      h("h1", { id: "draft-title" }, pick(d.title), ` ${d.periodStart}–${d.periodEnd}`),
      h("p", { class: "meta" },
        h("span", { class: `badge status-${d.status}`, "data-testid": "draft-status" }, t(`status.${d.status}`)), " ",
        t(`country.${d.country}`), " · ", t(`kind.${d.kind}`), " · ",
        h("span", { "data-testid": "draft-revision" }, t("draft.revisionPosition", { revision: d.revision, position: d.position })), " · ",
        t("draft.openProposals", { count: d.openProposals })));
  }

  function renderToolbar() {
    const d = view.doc;
    const langSelect = h("select", { name: "text-language" },
      d.languages.map((l) => h("option", { value: l, selected: l === view.lang }, t(`lang.${l}`))));
    langSelect.addEventListener("change", () => { view.lang = langSelect.value; renderAll(); });
    const sideBySide = h("input", { type: "checkbox", id: "side-by-side", checked: view.sideBySide });
    sideBySide.addEventListener("change", () => { view.sideBySide = sideBySide.checked; renderAll(); });
    const suggesting = h("button", {
      type: "button", class: "toggle", "aria-pressed": String(view.suggesting), disabled: !can.propose(d) || view.past !== null,
      onclick: () => { view.suggesting = !view.suggesting; renderAll(); },
    }, t("suggest.mode"));

    keepingInputAndFocus(toolbar, () => replace(toolbar,
      labelled(t("draft.textLanguage"), langSelect, "field inline"),
      h("div", { class: "field inline" }, sideBySide, h("label", { for: "side-by-side" }, t("draft.sideBySide"))),
      suggesting,
      batchBar(view),
      exportButtons()));
  }

  function exportButtons() {
    const formats = [["docx", "DOCX"], ["pdf", "PDF"], ["html", "HTML"], ["md", "Markdown"], ["akn", "Akoma Ntoso"]];
    return h("div", { class: "group exports", role: "group", "aria-label": t("export.title") },
      formats.map(([format, name]) => h("button", {
        type: "button",
        "aria-label": t("export.as", { format: name }),
        onclick: () => {
          const query = new URLSearchParams({ lang: view.lang });
          if (view.past) query.set("revision", view.past.revision);
          act(download(`${base}/history/export/${format}?${query}`, `draft.${format}`));
        },
      }, name)));
  }

  function renderDocument() {
    const d = view.past?.document ?? view.doc;
    const readOnly = view.past !== null;
    const languages = view.sideBySide ? d.languages : [view.lang];
    const nodes = flatten(d.nodes);
    const signed = view.past?.signed;
    const banner = readOnly
      ? h("div", { class: "past-banner", role: "status" },
          t("history.viewing", { revision: view.past.revision, position: view.past.position }), " ",
          signed ? h("p", {}, t("history.signedView", { approver: signed.approver, at: formatTime(signed.at, language()) }), " ",
            h("strong", { class: signed.matches ? "ok" : "broken" }, t(signed.matches ? "history.hashMatches" : "history.hashDiffers")), " ",
            h("code", { title: signed.hash }, signed.hash.slice(0, 16), "…")) : null,
          signed?.head ? h("p", {},
            h("span", { class: signed.head.holds ? "ok" : "broken" },
              t(signed.head.holds ? "history.signedAtHead" : "history.signedAtHeadBroken", { size: signed.head.size, current: signed.head.current })),
            " ", h("code", { title: signed.head.root }, signed.head.root.slice(0, 16), "…")) : null,
          h("button", { type: "button", onclick: () => history.backToNow() }, t("history.backToNow")))
      : null;
    const orphanInserts = readOnly ? [] : insertProposalsAfter(view, null);
    keepingInputAndFocus(documentColumn, () => replace(documentColumn,
      banner,
      h("div", { class: "document-header", "aria-hidden": "true" }, h("span", {}, t("draft.text")), h("span", {}, t("draft.margin"))),
      nodes.length === 0 ? h("p", { class: "empty" }, t("draft.empty")) : null,
      nodes.map(({ node, depth }) => articleFor(node, depth, { languages, readOnly })),
      orphanInserts.length ? h("section", { class: "margin-orphans", "aria-label": t("suggest.newAtTop") }, orphanInserts) : null,
      !readOnly && view.suggesting && can.propose(view.doc) ? endOfDocument(nodes) : null));
    unsent?.save();
    // Drawn again (a live change, a translation status): the place gone to stays highlighted.
    keepPlace(documentColumn);
  }

  /** One node of the document with its tools, open form and margin. */
  function articleFor(node, depth, { languages, readOnly }) {
    return renderNode(node, depth, {
        languages,
        readOnly,
        viewers: othersAt(node.id),
        toolbar: readOnly ? null : nodeToolbar(node),
        editor: readOnly ? null : editorFor(node),
        margin: readOnly ? null : [
          proposalCards(view, node),
          insertProposalsAfter(view, node),
          threadCards(view, node, can.comment(view.doc)),
        ],
        draggable: !readOnly && mayEditStructure(),
        highlights: readOnly ? [] : view.threads.filter((th) => th.nodeId === node.id && th.quote && !th.quote.outdated && th.status === "Open")
          .map((th) => ({ language: th.quote.language, start: th.quote.currentStart ?? th.quote.start, end: th.quote.currentEnd ?? th.quote.end })),
        notes: readOnly ? null : translations.flagsFor(node),
        onDropOn: (movedId) => moveAfter(movedId, node),
        onFocus: () => live?.setPresence(node.id),
      });
  }

  /**
   * Draws again only the nodes a live update changed (their text, proposals or threads), in place; false when one of
   * them is not on the page as it is drawn, so the whole document has to be drawn instead.
   */
  function renderNodes(ids) {
    if (view.past) return false;
    const all = flatten(view.doc.nodes);
    const targets = [];
    for (const id of ids) {
      const entry = all.find((x) => x.node.id === id);
      const old = documentColumn.querySelector(`article.node[data-node-id="${id}"]`);
      if (!entry || !old) return false;
      targets.push({ entry, old });
    }
    const languages = view.sideBySide ? view.doc.languages : [view.lang];
    keepingInputAndFocus(documentColumn, () => {
      for (const { entry, old } of targets) old.replaceWith(articleFor(entry.node, entry.depth, { languages, readOnly: false }));
    });
    return true;
  }

  /** Brings a node into view and puts the keyboard there (or on a control inside it). */
  function goTo(nodeId, inside) {
    panels.close?.();
    const article = documentColumn.querySelector(`article[data-node-id="${nodeId}"]`);
    if (!article) return;
    article.scrollIntoView({ block: "start" });
    const target = inside ? article.querySelector(inside) : article;
    (target ?? article).focus({ preventScroll: true });
  }
  view.goTo = goTo;
  /** Opens the record form of an action (from the programme's quality list). */
  view.openRecord = (nodeId) => {
    if (!flatten(view.doc.nodes).some((x) => x.node.id === nodeId)) return;
    view.openEditors.set(nodeId, { kind: "record" });
    renderDocument();
    goTo(nodeId, ".editor input, .editor textarea");
  };

  /** Translation status is read with the document: a source edit flags the other languages at once. */
  async function refreshTranslations() {
    await translations.refresh();
    if (translations.status) renderDocument();
  }

  /** A new node at the end of the document: the only way into an empty draft. */
  function endOfDocument(nodes) {
    const lastRoot = view.doc.nodes[view.doc.nodes.length - 1];
    const end = { id: "end", number: "", kind: lastRoot?.kind ?? (view.doc.kind === "ActionPlan" ? "Chapter" : "Article"), text: {}, revision: 0,
        atEnd: true };
    const open = view.openEditors.get(end.id);
    return h("div", { class: "end-of-document", dataset: { nodeId: end.id } },
      h("button", {
        type: "button", "aria-expanded": String(Boolean(open)),
        onclick: () => {
          if (open) view.openEditors.delete(end.id); else view.openEditors.set(end.id, { kind: "insert" });
          renderDocument();
        },
      }, nodes.length ? t("suggest.addAtEnd") : t("suggest.addFirst")),
      open ? proposalForm(view, end, "insert") : null);
  }

  function editorFor(node) {
    const open = view.openEditors.get(node.id);
    if (!open) return null;
    if (open.kind === "comment") return newThreadForm(view, node, open.quote);
    if (open.kind === "record")
        return recordForm(view, node, { onDone: async (saved) => { view.closeEditor(node.id); if (saved) await refresh(); } });
    return proposalForm(view, node, open.kind);
  }

  function nodeToolbar(node) {
    const d = view.doc;
    // Named with the node's kind: "Comment on Action 3", never "Comment on 3" for both a chapter and an action.
    const number = nodeName(node);
    const buttons = [];
    const openEditor = (kind) => {
      if (view.openEditors.get(node.id)?.kind === kind) view.openEditors.delete(node.id);
      else view.openEditors.set(node.id, { kind });
      renderDocument();
      documentColumn.querySelector(`[data-node-id="${node.id}"] .editor textarea, [data-node-id="${node.id}"] .editor input`)?.focus();
    };
    if (mayEditStructure()) {
      buttons.push(
        h("button", { type: "button", "aria-label": t("suggest.amendOf", { number }), onclick: () => openEditor("amend") }, t("suggest.amend")),
        h("button", { type: "button", "aria-label": t("suggest.insertAfterOf", { number }), onclick: () => openEditor("insert") },
            t("suggest.insertAfter")),
        h("button", { type: "button", "aria-label": t("suggest.deleteOf", { number }), onclick: () => openEditor("delete") }, t("suggest.delete")),
        h("button", { type: "button", "aria-label": t("edit.moveUpOf", { number }), onclick: () => moveBy(node, -1) }, t("edit.moveUp")),
        h("button", { type: "button", "aria-label": t("edit.moveDownOf", { number }), onclick: () => moveBy(node, 1) }, t("edit.moveDown")));
      if (node.kind === "Action")
        buttons.push(h("button", { type: "button", "aria-label": t("edit.recordOf", { number }), onclick: () => openEditor("record") },
            t("edit.record")));
    }
    if (can.comment(d)) {
      buttons.push(h("button", {
        type: "button", "aria-label": t("comments.startOn", { number }),
        // Words selected in the node's text become the quoted span of the new thread.
        onmousedown: () => { view.pendingQuote = selectionIn(node); },
        onclick: () => {
          const quote = view.pendingQuote ?? selectionIn(node);
          view.pendingQuote = null;
          if (view.openEditors.get(node.id)?.kind === "comment" && !quote) view.openEditors.delete(node.id);
          else view.openEditors.set(node.id, { kind: "comment", quote });
          renderDocument();
          documentColumn.querySelector(`[data-node-id="${node.id}"] .editor textarea`)?.focus();
        },
      }, t("comments.start")));
    }
    const problem = view.problemAt(`node-${node.id}`);
    if (problem) buttons.push(problem);
    buttons.push(h("button", { type: "button", "aria-label": t("history.lineageOf", { number }), onclick: () => history.showLineage(node) },
        t("history.lineage")));
    return buttons;
  }

  /** Structure is edited directly by an editor outside suggestion mode, and as proposals in it. */
  function mayEditStructure() {
    return can.propose(view.doc) && (view.suggesting || can.decide(view.doc));
  }

  /** The words selected inside a node's text, as a quoted span of it (or null). */
  function selectionIn(node) {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    const range = selection.getRangeAt(0);
    const textEl = documentColumn.querySelector(`[data-node-id="${node.id}"] .node-text[data-lang="${view.lang}"]`);
    if (!textEl || !textEl.contains(range.startContainer) || !textEl.contains(range.endContainer)) return null;
    const full = node.text[view.lang] ?? "";
    const text = selection.toString();
    const before = document.createRange();
    before.selectNodeContents(textEl);
    before.setEnd(range.startContainer, range.startOffset);
    let start = before.toString().length;
    if (full.slice(start, start + text.length) !== text) start = full.indexOf(text);
    if (!text.trim() || start < 0) return null;
    return { language: view.lang, start, end: start + text.length, text, nodeRevision: node.revision };
  }

  function siblingsOf(node) {
    const parent = flatten(view.doc.nodes).find((x) => (x.node.children ?? []).some((c) => c.id === node.id))?.node ?? null;
    return { parent, siblings: parent ? parent.children : view.doc.nodes };
  }

  /** Moves a node one place up or down among its siblings (the keyboard way of dragging). */
  function moveBy(node, step) {
    const { parent, siblings } = siblingsOf(node);
    const i = siblings.findIndex((x) => x.id === node.id);
    const j = i + step;
    if (j < 0 || j >= siblings.length) return;
    const afterNodeId = step < 0 ? (j > 0 ? siblings[j - 1].id : null) : siblings[j].id;
    return sendMove(node, parent?.id ?? null, afterNodeId);
  }

  /** Dropping one node on another puts it after that one, under the same parent. */
  function moveAfter(movedId, target) {
    const moved = flatten(view.doc.nodes).find((x) => x.node.id === movedId)?.node;
    if (!moved || moved.id === target.id) return;
    const { parent } = siblingsOf(target);
    return sendMove(moved, parent?.id ?? null, target.id);
  }

  async function sendMove(node, parentId, afterNodeId) {
    const direct = can.decide(view.doc) && !view.suggesting;
    const result = await act(command(`${base}/proposals`, {
      kind: "Move", nodeId: node.id, parentId, afterNodeId, rationale: t("edit.moveReason"), acceptNow: direct,
    }), { key: `node-${node.id}`, success: direct ? t("proposal.applied") : t("proposal.sent") });
    if (result) await refresh();
  }

  /** Where a new node goes: after this one when it is of the same kind, otherwise last inside it. */
  view.placementAfter = (node, kind) => {
    if (node.atEnd) return { parentId: null, afterNodeId: view.doc.nodes.length ? view.doc.nodes[view.doc.nodes.length - 1].id : null };
    const all = flatten(view.doc.nodes);
    if (kind === node.kind) {
      const parent = all.find((x) => (x.node.children ?? []).some((c) => c.id === node.id));
      return { parentId: parent?.node.id ?? null, afterNodeId: node.id };
    }
    const children = node.children ?? [];
    return { parentId: node.id, afterNodeId: children.length ? children[children.length - 1].id : null };
  };

  view.closeEditor = (nodeId) => { view.openEditors.delete(nodeId); renderDocument(); };
  view.renderDocument = () => renderDocument();
  view.renderToolbar = () => renderToolbar();

  function othersAt(nodeId) {
    return view.viewers.filter((v) => v.nodeId === nodeId && v.userId !== session.user.id)
      .map((v) => ({ ...v, name: nameOf(v.userId) === v.userId ? v.name : nameOf(v.userId) }));
  }

  /** Presence changes often: only the list and the badges on nodes are redrawn, never the document. */
  function renderPresence() {
    documentColumn.querySelectorAll("article.node").forEach((article) => {
      replace(article.querySelector(".viewers"), viewerBadges(othersAt(article.dataset.nodeId)));
    });
    replace(presence, view.viewers.map((v) => h("li", { class: v.userId === session.user.id ? "me" : "" },
      nameOf(v.userId) === v.userId ? v.name : nameOf(v.userId), v.nodeId ? ` (${t("live.workingOn", { number: labelOf(v.nodeId) })})` : "")));
  }

  function labelOf(nodeId) {
    const node = flatten(view.doc.nodes).find((n) => n.node.id === nodeId)?.node;
    return node ? `${t(`node.${node.kind}`)} ${node.number}` : "?";
  }

  function renderActivity() {
    replace(activity, view.recent.length === 0
      ? h("li", { class: "empty" }, t("live.nothingYet"))
      : view.recent.map((u) => h("li", {},
          h("span", { class: "pos" }, `#${u.position}`), " ", t(`event.${u.type}`, {}, u.type), " — ",
          nameOf(u.actor) !== u.actor ? nameOf(u.actor) : (u.actorName ?? u.actor))));
  }

  function renderAll() {
    renderHeading();
    renderToolbar();
    renderDocument();
    outline.render();
    mine.render();
    renderPresence();
    renderActivity();
  }

  const [proposals, threads, rounds] = await margins;
  view.proposals = proposals;
  view.threads = threads.threads;
  view.rounds = rounds;
  renderAll();
  unsent = keepUnsentWork(view, documentColumn);
  unsent.restore((nodeId) => flatten(view.doc.nodes).some((x) => x.node.id === nodeId));
  refreshTranslations();
  programme.refresh();
  history.refresh();
  lifecycle.refresh();
  matrix.refresh();

  let pending = null;
  // Changes arriving together are read once; a comment costs one request, not one per panel.
  let needed = new Set();
  function refreshSoon(needs = EVERYTHING) {
    needs.forEach((n) => needed.add(n));
    if (pending) return;
    pending = setTimeout(async () => {
      pending = null;
      const now = needed;
      needed = new Set();
      try { await refresh(now); } catch (error) { replace(actionResult, problemBox(error)); }
    }, 30);
  }

  // Updates arriving together (a direct edit is a proposal and its acceptance) are drawn once, and only the nodes they
  // changed when that is all they changed; everything an update changes on the page (nodes, programme views, the history's
  // revisions) is drawn in that one task, so the browser lays out and paints once per change.
  let drawing = null;
  let touchedNodes = new Set();
  let drawEverything = false;
  let programmeToShow = null;
  let revised = false;
  function drawSoon(touched, { programmeView = null, newRevision = false } = {}) {
    if (touched === null) drawEverything = true;
    else touched.forEach((id) => touchedNodes.add(id));
    if (programmeView) programmeToShow = programmeView;
    revised ||= newRevision;
    if (drawing) return;
    drawing = setTimeout(() => {
      drawing = null;
      const ids = touchedNodes;
      const everything = drawEverything;
      touchedNodes = new Set();
      drawEverything = false;
      // The programme part carries the translation status too, which the nodes' flags are drawn from.
      if (programmeToShow) { programme.show(programmeToShow); translations.show(programmeToShow.translations); }
      programmeToShow = null;
      if (revised) history.revised();
      revised = false;
      if (everything || !renderNodes(ids)) { renderAll(); return; }
      // A node drawn again loses the highlight of the place gone to (from the inbox, a search hit or the outline).
      keepPlace(documentColumn);
      renderHeading();
      renderToolbar();
      mine.render();
      renderPresence();
      renderActivity();
    }, 0);
  }

  function notice(text) {
    const notices = document.getElementById("notices");
    const item = h("p", { class: "notice" }, text);
    notices.append(item);
    setTimeout(() => item.remove(), 8000);
  }

  const live = window.signalR ? followDraft(draftId, doc.position, {
    applied: (update) => {
      view.recent = [update, ...view.recent].slice(0, 20);
      if (view.past) { refreshSoon(affectedBy(update.type)); return; }
      // The update's parts are applied where they belong; only what they cannot carry is read again.
      const { applied, needs, programme: programmeView, touched, proposals: carried } = applyUpdate(view, update);
      if (!applied) { refreshSoon(affectedBy(update.type)); return; }
      carried.forEach(([id, data]) => mine.updated(id, data));
      // A new revision is offered in the history as it is drawn; nothing is read for it.
      drawSoon(touched, { programmeView, newRevision: needs.delete("revisions") });
      // A reworded chapter comes without the programme part (it moves none of its views): its translation status is read.
      if (!programmeView && update.type === "proposal_accepted") refreshTranslations();
      if (needs.size) refreshSoon(needs);
      if (update.parts?.some((p) => p.kind === "thread")) matrix.refresh();
    },
    reload: () => refreshSoon(),
    presence: (viewers) => { view.viewers = viewers; renderPresence(); },
    connection: (state, missed) => {
      replace(liveStatus, t(`live.${state}`));
      liveStatus.dataset.state = state;
      if (state === "reconnected") {
        notice(t("live.caughtUp", { count: missed ?? 0 }));
        refreshSoon();
      }
      if (state === "reconnecting") notice(t("live.lost"));
    },
    failed: (error) => replace(actionResult, problemBox(error)),
  }) : null;

  // Opened from the inbox or a search hit: go to the node, thread or proposal the address names (once following live, since
  // focusing a node tells the others where this person works).
  const place = placeInAddress();
  if (place) goToPlace(documentColumn, place);

  return async () => { if (pending) clearTimeout(pending); if (drawing) clearTimeout(drawing); await live?.stop(); };
}
