// Safe DOM building: every piece of user or server text becomes a text node, never markup.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    // Through the CSSOM: a Content-Security-Policy without 'unsafe-inline' refuses style attributes in markup.
    else if (key === "style") for (const [property, v] of Object.entries(value)) el.style.setProperty(property, v);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

let counter = 0;
/** A unique id, for pairing a label with its control. */
export function uid(prefix = "c") {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** A control with its visible label. */
export function labelled(text, control, cls = "field") {
  if (!control.id) control.id = uid("f");
  return h("div", { class: cls }, h("label", { for: control.id }, text), control);
}

// One formatter per language: toLocaleString builds a new one on every call, which a page drawing a list of times feels.
const timeFormats = new Map();
export function formatTime(iso, lang) {
  if (!iso) return "";
  const locale = lang === "ru" ? "ru-RU" : "en-GB";
  if (!timeFormats.has(locale)) timeFormats.set(locale, new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }));
  return timeFormats.get(locale).format(new Date(iso));
}

/**
 * Rebuilds part of the page without losing what someone is typing or where the keyboard focus is:
 * inputs marked data-keep get their values back, and the focused control is found again by its node and label.
 */
export function keepingInputAndFocus(container, rebuild) {
  const values = new Map();
  container.querySelectorAll("[data-keep]").forEach((el) => values.set(el.dataset.keep, el.value));
  const active = container.contains(document.activeElement) ? document.activeElement : null;
  const focusKey = active ? keyOf(active) : null;
  const selection = active && "selectionStart" in active ? [active.selectionStart, active.selectionEnd] : null;
  rebuild();
  container.querySelectorAll("[data-keep]").forEach((el) => {
    if (values.has(el.dataset.keep)) el.value = values.get(el.dataset.keep);
  });
  if (focusKey) {
    const again = [...container.querySelectorAll("button, input, textarea, select, [tabindex]")].find((el) => keyOf(el) === focusKey);
    if (again) {
      again.focus({ preventScroll: true });
      if (selection && "setSelectionRange" in again) try { again.setSelectionRange(...selection); } catch { /* not a text field */ }
    }
  }
}

function keyOf(el) {
  return `${el.closest("[data-node-id]")?.dataset.nodeId ?? ""}|${el.tagName}|${el.dataset.keep ?? el.getAttribute("aria-label") ?? el.textContent}`;
}
