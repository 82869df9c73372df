// Applying a pushed update to the page as it is: the update carries the changed parts of the read models (a node, the
// outline, a proposal, a thread, the lifecycle, the programme views), so the page changes them in place and reads
// again only what an update cannot carry (who may do what after a stage change, the history, consultation rounds).
import { flatten } from "./documentView.js";

/** Event types whose parts say all that changed on the page; any other type is read again as before. */
const CARRIED = new Set([
  "comment_thread_started", "comment_replied", "thread_resolved", "thread_reopened", "comment_disposed",
  "proposal_submitted", "proposal_rebased", "proposal_withdrawn", "proposal_rejected", "proposal_superseded", "proposal_accepted",
  "translation_confirmed", "good_practice_marked", "good_practice_unmarked", "good_practice_citation_recorded", "restricted",
]);

const KNOWN_PARTS = new Set(["node", "outline", "proposal", "thread", "lifecycle", "programme", "goodPractice"]);

/**
 * Changes `view` (doc, proposals, threads, programme) by the update's parts. Returns what still has to be read from the
 * server (a set of "document", "proposals", "threads", "rounds", "history", "revisions"), the programme views when they came
 * along, the nodes whose drawing changed (`touched`; null when the document has to be drawn whole) and the proposals carried
 * (id and view, null when gone), decided ones included.
 */
export function applyUpdate(view, update) {
  const needs = new Set();
  const parts = update.parts ?? [];
  if (!CARRIED.has(update.type) || parts.some((p) => !KNOWN_PARTS.has(p.kind))) return { applied: false, needs, touched: null };
  let touched = new Set();
  const touch = (nodeId) => { if (touched && nodeId) touched.add(nodeId); };
  const nodeOfProposal = (id) => {
    const p = view.proposals.find((x) => x.id === id);
    return p && p.kind !== "Insert" ? p.nodeId : null;
  };

  // A round opened, closed or reminded of carries no part for the rounds: read them again (end date, time left, closed).
  if (/round/.test(update.type)) needs.add("rounds");
  const doc = view.doc;
  const fresh = new Map();
  let outline = null;
  let programme = null;
  const proposals = [];
  for (const part of parts) {
    switch (part.kind) {
      case "node":
        if (part.data) fresh.set(part.id, part.data);
        else fresh.set(part.id, null);
        break;
      case "outline":
        outline = part.data;
        break;
      case "proposal": {
        // A proposed new node is drawn beside its neighbour or parent, or at the top: the whole document is drawn.
        const before = view.proposals.find((x) => x.id === part.id);
        if ((part.data ?? before)?.kind === "Insert" || (!part.data && !before)) touched = null;
        touch((part.data ?? before)?.nodeId);
        view.proposals = upsert(view.proposals, part.id, part.data && part.data.status === "Open" ? part.data : null);
        proposals.push([part.id, part.data]);
        break;
      }
      case "thread": {
        const th = part.data ?? view.threads.find((x) => x.id === part.id);
        if (th?.nodeId) touch(th.nodeId);
        else if (th?.proposalId && nodeOfProposal(th.proposalId)) touch(nodeOfProposal(th.proposalId));
        else touched = null;
        view.threads = upsert(view.threads, part.id, part.data);
        break;
      }
      case "lifecycle": {
        const l = part.data;
        // A new stage changes what this person may do (the server's allowedActions): read the document again.
        if (l.status !== doc.status) needs.add("document").add("rounds");
        Object.assign(doc, { revision: l.revision, title: l.title, openProposals: l.openProposals });
        break;
      }
      case "programme":
        programme = part.data;
        break;
      default:
        break;
    }
  }

  if (outline) {
    touched = null;
    if (!rebuildTree(doc, outline, fresh)) needs.add("document");
  } else {
    for (const [id, data] of fresh) {
      const existing = flatten(doc.nodes).find((x) => x.node.id === id)?.node;
      if (existing && data) { Object.assign(existing, nodeFields(data)); touch(id); }
      else if (data || existing) { needs.add("document"); touched = null; } // came or went without its outline: read the tree
    }
  }
  // A confirmed translation changes the flags of a node the update does not name.
  if (update.type === "translation_confirmed") touched = null;
  // A new revision: the history offers it (named versions and sign-offs come with updates of their own, read in full).
  if (update.type === "proposal_accepted") needs.add("revisions");
  if (!needs.has("document")) doc.position = update.position;
  return { applied: true, needs, programme, touched, proposals };
}

function upsert(items, id, data) {
  const at = items.findIndex((x) => x.id === id);
  if (!data) return at < 0 ? items : items.filter((x) => x.id !== id);
  if (at < 0) return [...items, data];
  const copy = items.slice();
  copy[at] = data;
  return copy;
}

function nodeFields(data) {
  return { kind: data.kind, number: data.number, text: data.text, revision: data.revision, attributes: data.attributes,
    openProposals: data.openProposals };
}

/** The tree from the outline (document order with parents) and the nodes known or just sent; false when one is unknown. */
function rebuildTree(doc, outline, fresh) {
  const known = new Map(flatten(doc.nodes).map(({ node }) => [node.id, node]));
  const byId = new Map();
  for (const entry of outline) {
    const sent = fresh.get(entry.id);
    const base = sent ? nodeFields(sent) : known.get(entry.id);
    if (!base) return false;
    byId.set(entry.id, { ...base, id: entry.id, kind: entry.kind, number: entry.number, children: [] });
  }
  const roots = [];
  for (const entry of outline) {
    const node = byId.get(entry.id);
    if (!entry.parentId) roots.push(node);
    else if (byId.has(entry.parentId)) byId.get(entry.parentId).children.push(node);
    else return false;
  }
  doc.nodes = roots;
  return true;
}
