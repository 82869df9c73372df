// One draft: the numbered document with proposals and comments in the margin, followed live; history,
// programme views and exports beside it.
import { h, replace, labelled, keepingInputAndFocus, formatTime } from "../dom.js";
import { t, pick, language } from "../i18n.js";
import { get, command, download } from "../api.js";
import { session } from "../session.js";
import { followDraft } from "../live.js";
import { problemBox } from "./problems.js";
import { can } from "./can.js";
import { renderNode, flatten, viewerBadges } from "./documentView.js";
import { proposalCards, insertProposalsAfter, proposalForm } from "./proposals.js";
import { threadCards, newThreadForm } from "./comments.js";
import { historyPanel } from "./history.js";
import { programmePanel } from "./programme.js";

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
  };

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
  view.lang = doc.languages.includes(language()) ? language() : doc.sourceLanguage;

  const heading = h("div", { class: "draft-heading" });
  const liveStatus = h("span", { class: "live-status", role: "status", "data-testid": "live-status" }, t("live.connecting"));
  const presence = h("ul", { class: "presence", "aria-label": t("live.presence") });
  const toolbar = h("div", { class: "toolbar", role: "toolbar", "aria-label": t("draft.toolbar") });
  const documentColumn = h("div", { class: "document", "aria-live": "off" });
  const side = h("aside", { class: "side", "aria-label": t("draft.side") });
  const activity = h("ol", { class: "activity", "aria-label": t("live.recent") });
  const actionResult = h("div", { "aria-live": "assertive" });

  replace(main,
    h("div", { class: "draft-page" },
      h("div", { class: "draft-top" }, heading, h("div", { class: "live" }, liveStatus, presence)),
      toolbar,
      actionResult,
      h("div", { class: "draft-body" }, documentColumn, side)));

  const history = historyPanel(view, {
    showPast: (past) => { view.past = past; renderAll(); programme.refresh(); },
  });
  const programme = programmePanel(view);
  replace(side, programme.element, history.element,
    h("section", { class: "panel", "aria-labelledby": "recent-title" }, h("h2", { id: "recent-title" }, t("live.recent")), activity));

  async function act(promise) {
    try {
      const result = await promise;
      replace(actionResult);
      return result;
    } catch (error) {
      replace(actionResult, problemBox(error));
      // A refusal often means the draft moved on meanwhile: show it as it is now.
      try { await refresh(); } catch { /* the problem shown is the one that matters */ }
      return null;
    }
  }
  view.act = act;

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
    view.doc = d;
    view.proposals = proposals;
    view.threads = threads.threads;
    view.rounds = rounds;
    renderAll();
    if (needs.has("document")) programme.refresh();
    if (needs.has("history")) history.refresh();
  }

  function publicRound() {
    return view.rounds.some((r) => r.state === "Open" && r.isPublic);
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
      lifecycleControls(d),
      exportButtons()));
  }

  function lifecycleControls(d) {
    const controls = [];
    if (can.manage(d) && (d.status === "Drafting")) {
      const isPublic = h("input", { type: "checkbox", id: "round-public" });
      controls.push(h("span", { class: "group" },
        h("button", {
          type: "button",
          onclick: () => actAndRefresh(command(`${base}/rounds`, {
            endsAt: new Date(Date.now() + 14 * 86_400_000).toISOString(), isPublic: isPublic.checked, reason: t("lifecycle.openReason"),
          })),
        }, t("lifecycle.openRound")),
        isPublic, h("label", { for: "round-public" }, t("lifecycle.public"))));
    }
    if (can.manage(d) && d.status === "Consultation") {
      controls.push(h("button", { type: "button", onclick: () => actAndRefresh(command(`${base}/rounds/current/close`, {})) },
        t("lifecycle.closeRound")));
    }
    if (can.manage(d) && (d.status === "Drafting" || d.status === "Consultation")) {
      controls.push(h("button", { type: "button", onclick: () => actAndRefresh(command(`${base}/lifecycle/review`, {})) },
        t("lifecycle.startReview")));
    }
    if (can.signOff(d)) {
      controls.push(h("button", { type: "button", onclick: () => actAndRefresh(command(`${base}/sign-offs`, { revision: d.revision })) },
        t("lifecycle.sign", { revision: d.revision })));
    }
    return controls.length ? h("div", { class: "group", role: "group", "aria-label": t("lifecycle.title") }, controls) : null;
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
          h("button", { type: "button", onclick: () => history.backToNow() }, t("history.backToNow")))
      : null;
    const orphanInserts = readOnly ? [] : insertProposalsAfter(view, null);
    keepingInputAndFocus(documentColumn, () => replace(documentColumn,
      banner,
      h("div", { class: "document-header", "aria-hidden": "true" }, h("span", {}, t("draft.text")), h("span", {}, t("draft.margin"))),
      nodes.length === 0 ? h("p", { class: "empty" }, t("draft.empty")) : null,
      nodes.map(({ node, depth }) => renderNode(node, depth, {
        languages,
        readOnly,
        viewers: othersAt(node.id),
        toolbar: readOnly ? null : nodeToolbar(node),
        editor: readOnly ? null : editorFor(node),
        margin: readOnly ? null : [
          proposalCards(view, node),
          insertProposalsAfter(view, node),
          threadCards(view, node, can.comment(view.doc, publicRound())),
        ],
        onFocus: () => live?.setPresence(node.id),
      })),
      orphanInserts.length ? h("section", { class: "margin-orphans", "aria-label": t("suggest.newAtTop") }, orphanInserts) : null,
      !readOnly && view.suggesting && can.propose(view.doc) ? endOfDocument(nodes) : null));
  }

  /** A new node at the end of the document: the only way into an empty draft. */
  function endOfDocument(nodes) {
    const lastRoot = view.doc.nodes[view.doc.nodes.length - 1];
    const end = { id: "end", number: "", kind: lastRoot?.kind ?? (view.doc.kind === "ActionPlan" ? "Chapter" : "Article"), text: {}, revision: 0, atEnd: true };
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
    return open.kind === "comment" ? newThreadForm(view, node) : proposalForm(view, node, open.kind);
  }

  function nodeToolbar(node) {
    const d = view.doc;
    const number = node.number;
    const buttons = [];
    const openEditor = (kind) => {
      if (view.openEditors.get(node.id)?.kind === kind) view.openEditors.delete(node.id);
      else view.openEditors.set(node.id, { kind });
      renderDocument();
      documentColumn.querySelector(`[data-node-id="${node.id}"] .editor textarea, [data-node-id="${node.id}"] .editor input`)?.focus();
    };
    if (view.suggesting && can.propose(d)) {
      buttons.push(
        h("button", { type: "button", "aria-label": t("suggest.amendOf", { number }), onclick: () => openEditor("amend") }, t("suggest.amend")),
        h("button", { type: "button", "aria-label": t("suggest.insertAfterOf", { number }), onclick: () => openEditor("insert") }, t("suggest.insertAfter")),
        h("button", { type: "button", "aria-label": t("suggest.deleteOf", { number }), onclick: () => openEditor("delete") }, t("suggest.delete")));
    }
    if (can.comment(d, publicRound())) {
      buttons.push(h("button", { type: "button", "aria-label": t("comments.startOn", { number }), onclick: () => openEditor("comment") }, t("comments.start")));
    }
    buttons.push(h("button", { type: "button", "aria-label": t("history.lineageOf", { number }), onclick: () => history.showLineage(node) }, t("history.lineage")));
    return buttons;
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

  function othersAt(nodeId) {
    return view.viewers.filter((v) => v.nodeId === nodeId && v.userId !== session.user.id);
  }

  /** Presence changes often: only the list and the badges on nodes are redrawn, never the document. */
  function renderPresence() {
    documentColumn.querySelectorAll("article.node").forEach((article) => {
      replace(article.querySelector(".viewers"), viewerBadges(othersAt(article.dataset.nodeId)));
    });
    replace(presence, view.viewers.map((v) => h("li", { class: v.userId === session.user.id ? "me" : "" },
      v.name, v.nodeId ? ` (${t("live.workingOn", { number: labelOf(v.nodeId) })})` : "")));
  }

  function labelOf(nodeId) {
    const node = flatten(view.doc.nodes).find((n) => n.node.id === nodeId)?.node;
    return node ? `${t(`node.${node.kind}`)} ${node.number}` : "?";
  }

  function renderActivity() {
    replace(activity, view.recent.length === 0
      ? h("li", { class: "empty" }, t("live.nothingYet"))
      : view.recent.map((u) => h("li", {},
          h("span", { class: "pos" }, `#${u.position}`), " ", t(`event.${u.type}`, {}, u.type), " — ", u.actorName ?? u.actor)));
  }

  function renderAll() {
    renderHeading();
    renderToolbar();
    renderDocument();
    renderPresence();
    renderActivity();
  }

  const [proposals, threads, rounds] = await Promise.all([
    get(`${base}/proposals`),
    get(`${base}/threads`).catch(() => ({ threads: [] })),
    get(`${base}/rounds`).catch(() => []),
  ]);
  view.proposals = proposals;
  view.threads = threads.threads;
  view.rounds = rounds;
  renderAll();
  programme.refresh();
  history.refresh();

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

  function notice(text) {
    const notices = document.getElementById("notices");
    const item = h("p", { class: "notice" }, text);
    notices.append(item);
    setTimeout(() => item.remove(), 8000);
  }

  const live = window.signalR ? followDraft(draftId, doc.position, {
    applied: (update) => {
      view.recent = [update, ...view.recent].slice(0, 20);
      refreshSoon(affectedBy(update.type));
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

  return async () => { if (pending) clearTimeout(pending); await live?.stop(); };
}
