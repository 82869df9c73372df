// Suggestion mode: proposing inline, open proposals as word diffs, and deciding or rebasing them.
import { h, labelled, formatTime } from "../dom.js";
import { t, language } from "../i18n.js";
import { command } from "../api.js";
import { can } from "./can.js";
import { diffText, nodeName } from "./documentView.js";
import { proposalThreads, characterCounter } from "./comments.js";
import { nameOf, personLabel } from "../people.js";
import { fieldChangesList } from "./record.js";
import { withMentionAutocomplete } from "./mentions.js";

const NODE_KINDS = ["Part", "Chapter", "Section", "Article", "Action", "Point"];

export function proposalCards(view, node) {
  return view.proposals.filter((p) => p.nodeId === node.id && p.kind !== "Insert").map((p) => proposalCard(view, p, node));
}

/** Proposed new nodes shown where they would go: after a sibling, first in a parent, or at the top (node null). */
export function insertProposalsAfter(view, node) {
  return view.proposals
    .filter((p) => p.kind === "Insert" &&
      (node ? p.afterNodeId === node.id || (!p.afterNodeId && p.parentId === node.id) : !p.afterNodeId && !p.parentId))
    .map((p) => proposalCard(view, p, null));
}

function proposalCard(view, p, node) {
  const d = view.doc;
  const languages = view.sideBySide ? d.languages : [view.lang];
  const changedLanguages = languages.filter((l) => (p.diff?.[l] ?? []).some((s) => s.op !== "Equal"));
  const form = view.proposalForms?.get(p.id);
  const decide = can.decide(d);
  const mayRebase = p.stale && (decide || can.isAuthor(p)) && can.propose(d);
  const title = t(`proposal.kind.${p.kind}`,
      { number: p.nodeKind && p.nodeNumber ? `${t(`node.${p.nodeKind}`)} ${p.nodeNumber}` : p.nodeNumber ?? "" });

  const setForm = (kind) => {
    view.proposalForms ??= new Map();
    if (view.proposalForms.get(p.id) === kind) view.proposalForms.delete(p.id);
    else view.proposalForms.set(p.id, kind);
    view.renderDocument();
  };
  const done = async (promise, success) => {
    const result = await view.act(promise, { key: `proposal-${p.id}`, success });
    if (result) { view.proposalForms?.delete(p.id); view.selected.delete(p.id); await view.refresh(); }
  };
  const select = decide ? h("input", {
    type: "checkbox", class: "select-proposal", checked: view.selected.has(p.id), "aria-label": t("proposal.select", { title }),
    onchange: (e) => { if (e.target.checked) view.selected.add(p.id); else view.selected.delete(p.id); view.renderToolbar?.(); },
  }) : null;

  return h("section", { class: `proposal${p.stale ? " stale" : ""}`, dataset: { proposalId: p.id }, "aria-label": `${title} — ${nameOf(p.author)}` },
    h("header", {},
      select,
      h("strong", {}, title), " ",
      h("span", { class: "by", title: personLabel(p.author) },
          t("proposal.by", { author: nameOf(p.author), at: formatTime(p.submittedAt, language()) })),
      p.revision > 1 ? h("span", { class: "badge" }, t("proposal.rebasedTimes", { revision: p.revision })) : null,
      p.stale ? h("span", { class: "badge stale-badge" }, t("proposal.stale")) : null),
    p.kind === "Delete"
      ? h("p", { class: "diff" }, h("del", {}, node?.text?.[view.lang] ?? ""))
      : changedLanguages.map((l) => h("p", { class: "diff", lang: l },
          languages.length > 1 ? h("span", { class: "lang-tag" }, l.toUpperCase()) : null, diffText(p.diff[l]))),
    p.kind === "Move" ? h("p", {}, t("proposal.moves")) : null,
    p.kind === "Amend" && (p.fieldChanges || p.attributes) ? fieldChangesList(p, node) : null,
    h("p", { class: "rationale" }, h("span", { class: "label" }, t("proposal.rationale")), " ", p.rationale),
    p.stale
      ? h("div", { class: "stale-explained", role: "note" },
          h("p", {}, t("proposal.staleExplained", { base: p.baseNodeRevision, current: p.currentNodeRevision ?? "—" })),
          // The server's explanation is in English: shown as it is only in the English interface.
          p.staleReason && language() === "en" ? h("p", {}, p.staleReason) : null,
          h("p", {}, mayRebase ? t("proposal.staleNextRebase") : t("proposal.staleNextAuthor")))
      : null,
    h("div", { class: "actions", role: "group", "aria-label": t("proposal.actions") },
      decide && !p.stale ? h("button", { type: "button", class: "primary", "aria-label": t("proposal.acceptOf", { title }),
        onclick: () => done(command(`${view.base}/proposals/${p.id}/accept`, { reason: t("proposal.acceptReason") }), t("proposal.accepted")) },
            t("proposal.accept")) : null,
      decide ? h("button", { type: "button", "aria-expanded": String(form === "reject"), "aria-label": t("proposal.rejectOf", { title }),
        onclick: () => setForm("reject") }, t("proposal.reject")) : null,
      mayRebase ? h("button", { type: "button", "aria-expanded": String(form === "rebase"), "aria-label": t("proposal.rebaseOf", { title }),
        onclick: () => setForm("rebase") }, t("proposal.rebase")) : null,
      can.isAuthor(p) && can.propose(d) ? h("button", { type: "button", "aria-label": t("proposal.withdrawOf", { title }),
        onclick: () => done(command(`${view.base}/proposals/${p.id}/withdraw`, {})) }, t("proposal.withdraw")) : null),
    can.comment(d) ? h("button", { type: "button", "aria-expanded": String(form === "comment"), "aria-label": t("proposal.commentOn", { title }),
      onclick: () => setForm("comment") }, t("comments.start")) : null,
    view.problemAt(`proposal-${p.id}`),
    form === "reject" ? rejectForm(view, p, done) : null,
    form === "rebase" ? rebaseForm(view, p, node, done) : null,
    form === "comment" ? proposalCommentForm(view, p, done) : null,
    proposalThreads(view, p));
}

function proposalCommentForm(view, p, done) {
  const text = h("textarea", { rows: 2, required: true, maxlength: 8000, dataset: { keep: `pcomment-${p.id}` } });
  text.id = `pcomment-${p.id}`;
  const form = h("form", { class: "editor" },
    h("div", { class: "field" }, h("label", { for: text.id }, t("comments.text")), withMentionAutocomplete(text)),
    h("button", { type: "submit" }, t("comments.send")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    done(command(`${view.base}/threads`, { text: text.value, proposalId: p.id }), t("comments.sent"));
  });
  return form;
}

function rejectForm(view, p, done) {
  const reason = h("input", { type: "text", required: true, dataset: { keep: `reject-${p.id}` } });
  const form = h("form", { class: "editor" }, labelled(t("proposal.rejectReason"), reason),
    h("button", { type: "submit" }, t("proposal.confirmReject")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    done(command(`${view.base}/proposals/${p.id}/reject`, { reason: reason.value }), t("proposal.rejected"));
  });
  return form;
}

function rebaseForm(view, p, node, done) {
  const lang = view.lang;
  const text = h("textarea", { rows: 4, dataset: { keep: `rebase-${p.id}-${lang}` } });
  text.value = p.text?.[lang] ?? node?.text?.[lang] ?? "";
  const form = h("form", { class: "editor" },
    h("p", {}, t("proposal.rebaseIntro", { current: p.currentNodeRevision })),
    node ? h("p", { class: "current-text" }, h("span", { class: "label" }, t("proposal.currentText")), " ", node.text?.[lang] ?? "") : null,
    labelled(t("proposal.rebasedText", { lang: lang.toUpperCase() }), text),
    h("button", { type: "submit", class: "primary" }, t("proposal.confirmRebase")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    done(command(`${view.base}/proposals/${p.id}/rebase`, {
      baseRevision: p.currentNodeRevision, text: { [lang]: text.value }, reason: t("proposal.rebaseReason"),
    }));
  });
  return form;
}

/** The inline form for a new proposal on a node: amend its text, insert a node after it, or delete it. */
export function proposalForm(view, node, kind) {
  const lang = view.lang;
  const key = `${kind}-${node.id}`;
  const rationale = h("input", { type: "text", required: true, maxlength: 4000, dataset: { keep: `${key}-rationale` } });
  // An editor outside suggestion mode edits directly; in suggestion mode the same form makes a proposal.
  const directly = h("input", { type: "checkbox", checked: !view.suggesting && can.decide(view.doc), dataset: { keep: `${key}-direct` } });
  const fields = [];
  let text = null;
  let nodeKind = null;

  if (kind === "amend" || kind === "insert") {
    text = h("textarea", { rows: 4, required: true, maxlength: 20000, dataset: { keep: `${key}-text-${lang}` } });
    if (kind === "amend") text.value = node.text[lang] ?? "";
    fields.push(labelled(t(kind === "amend" ? "suggest.newText" : "suggest.insertText", { lang: lang.toUpperCase() }), text),
        characterCounter(text, 20000));
  }
  if (kind === "insert") {
    nodeKind = h("select", { dataset: { keep: `${key}-kind` } },
        NODE_KINDS.map((k) => h("option", { value: k, selected: k === node.kind }, t(`node.${k}`))));
    fields.push(labelled(t("suggest.kind"), nodeKind));
  }
  if (kind === "delete") fields.push(h("p", {}, t("suggest.deleteIntro", { number: nodeName(node) })));
  fields.push(labelled(t("suggest.rationale"), rationale), characterCounter(rationale, 4000));
  if (can.decide(view.doc)) {
    directly.id = `${key}-direct`;
    fields.push(h("div", { class: "field inline" }, directly, h("label", { for: directly.id }, t("suggest.applyDirectly"))));
  }

  const title = node.atEnd ? t("suggest.endTitle") : t(`suggest.${kind}Title`, { number: nodeName(node) });
  const form = h("form", { class: "editor", "aria-label": title },
    h("h3", {}, title),
    fields,
    view.problemAt(`form-${key}`),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "primary" }, t("suggest.submit")),
      h("button", { type: "button", onclick: () => view.closeEditor(node.id) }, t("ui.cancel"))));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = { rationale: rationale.value, acceptNow: directly.checked };
    if (kind === "amend") Object.assign(body, { kind: "Amend", nodeId: node.id, baseRevision: node.revision, text: { [lang]: text.value } });
    if (kind === "delete") Object.assign(body, { kind: "Delete", nodeId: node.id, baseRevision: node.revision });
    if (kind === "insert") {
      Object.assign(body, { kind: "Insert", nodeKind: nodeKind.value, text: { [lang]: text.value } });
      const placement = view.placementAfter(node, nodeKind.value);
      Object.assign(body, placement);
    }
    const result = await view.act(command(`${view.base}/proposals`, body), {
      key: `form-${key}`, success: body.acceptNow ? t("proposal.applied") : t("proposal.sent") });
    if (result) {
      view.closeEditor(node.id);
      await view.refresh();
    }
  });
  return form;
}
