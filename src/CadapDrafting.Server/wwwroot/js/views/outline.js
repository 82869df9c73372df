// Finding one's way in a long draft: the outline (table of contents) beside the text, "go to Action 42", and the next
// or previous open proposal or comment. A place (node, thread, proposal) is scrolled to, highlighted and focused.
import { h, replace, labelled } from "../dom.js";
import { t, pick } from "../i18n.js";
import { flatten } from "./documentView.js";

const OUTLINE_WORDS = 8;

/** Scrolls to the place named by { node, thread, proposal } (ids), highlights and focuses it; false when not on the page. */
export function goToPlace(container, place = {}) {
  const target = targetOf(container, place);
  if (!target) return false;
  places.set(container, place);
  markPlace(container, target);
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.scrollIntoView({ block: "center" });
  target.focus({ preventScroll: true });
  return true;
}

const places = new WeakMap();

function targetOf(container, { node, thread, proposal } = {}) {
  return (thread && container.querySelector(`[data-thread-id="${CSS.escape(thread)}"]`))
    || (proposal && container.querySelector(`[data-proposal-id="${CSS.escape(proposal)}"]`))
    || (node && container.querySelector(`[data-node-id="${CSS.escape(node)}"]`));
}

function markPlace(container, target) {
  container.querySelectorAll(".place-highlight").forEach((el) => el.classList.remove("place-highlight"));
  target.classList.add("place-highlight");
}

/** After the document was drawn again (a live change), the place gone to stays highlighted, without scrolling. */
export function keepPlace(container) {
  const target = places.has(container) ? targetOf(container, places.get(container)) : null;
  if (target) markPlace(container, target);
}

/** The place a page address names (?node=…&thread=…&proposal=…), or null. */
export function placeInAddress() {
  const query = new URLSearchParams(location.search);
  const place = { node: query.get("node"), thread: query.get("thread"), proposal: query.get("proposal") };
  return place.node || place.thread || place.proposal ? place : null;
}

/** "42", "Action 42", "Мероприятие 42", "3.2": the node it names, by number and, when given, by kind. */
export function findByNumber(nodes, typed) {
  const text = typed.trim();
  const match = /^(.*?)\s*(\d+(?:\.\d+)*)\.?$/u.exec(text);
  if (!match) return null;
  const [, word, number] = match;
  const wanted = word.trim().toLowerCase();
  const candidates = nodes.filter(({ node }) => node.number === number);
  if (!wanted) return candidates.find(({ node }) => node.kind === "Action")?.node ?? candidates[0]?.node ?? null;
  return candidates.find(({ node }) => t(`node.${node.kind}`).toLowerCase() === wanted || node.kind.toLowerCase() === wanted)?.node ?? null;
}

export function outlinePanel(view, container) {
  const list = h("ol", { class: "outline-list" });
  const status = h("p", { class: "outline-status", role: "status" });
  const counts = h("p", { class: "outline-counts" });
  const positions = { proposal: -1, thread: -1 };

  const input = h("input", { type: "text", name: "goto", placeholder: t("outline.goToHint"), "data-testid": "go-to" });
  const form = h("form", { class: "go-to" }, labelled(t("outline.goTo"), input), h("button", { type: "submit" }, t("outline.go")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const node = findByNumber(flatten(view.doc.nodes), input.value);
    if (node && goToPlace(container, { node: node.id })) replace(status);
    else replace(status, t("outline.notFound", { what: input.value.trim() }));
  });

  /** Open proposals and threads in document order (by their node's place; those without a node last). */
  function openOnes(kind) {
    const order = new Map(flatten(view.doc.nodes).map(({ node }, i) => [node.id, i]));
    const items = kind === "proposal"
      ? view.proposals.filter((p) => p.status === "Open")
      : view.threads.filter((th) => th.status === "Open");
    return items
      .map((item) => ({ id: item.id, at: order.get(item.nodeId) ?? order.get(item.parentId) ?? Number.MAX_SAFE_INTEGER }))
      .sort((a, b) => a.at - b.at);
  }

  function step(kind, by) {
    const items = openOnes(kind);
    if (items.length === 0) { replace(status, t("outline.noneOpen")); return; }
    positions[kind] = ((positions[kind] + by) % items.length + items.length) % items.length;
    const id = items[positions[kind]].id;
    replace(status);
    goToPlace(container, kind === "proposal" ? { proposal: id } : { thread: id });
  }

  const stepper = h("div", { class: "outline-steps", role: "group", "aria-label": t("outline.title") },
    h("button", { type: "button", onclick: () => step("proposal", -1) }, "↑ ", t("outline.previousProposal")),
    h("button", { type: "button", onclick: () => step("proposal", 1) }, "↓ ", t("outline.nextProposal")),
    h("button", { type: "button", onclick: () => step("thread", -1) }, "↑ ", t("outline.previousThread")),
    h("button", { type: "button", onclick: () => step("thread", 1) }, "↓ ", t("outline.nextThread")));

  function render() {
    const nodes = flatten(view.doc.nodes);
    replace(list, nodes.filter(({ node }) => node.kind !== "Point").map(({ node, depth }) => {
      const label = `${t(`node.${node.kind}`)} ${node.number}`;
      const words = (pick(node.text) ?? "").split(/\s+/).slice(0, OUTLINE_WORDS).join(" ");
      return h("li", { class: `outline-item depth-${Math.min(depth, 4)}` },
        h("a", {
          href: `?node=${node.id}`, dataset: { outlineNode: node.id },
          onclick: (e) => { e.preventDefault(); goToPlace(container, { node: node.id }); },
        }, h("span", { class: "outline-number" }, label), " ", words));
    }));
    keepPlace(container);
    replace(counts, t("outline.count", { proposals: openOnes("proposal").length, threads: openOnes("thread").length }));
  }

  const element = h("nav", { class: "panel outline", "aria-labelledby": "outline-title" },
    h("h2", { id: "outline-title" }, t("outline.title")), form, status, counts, stepper, list);
  return { element, render };
}
