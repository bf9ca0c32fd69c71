// Helpers shared by the chat page and the kennisbank. Every text from the user or the
// server goes into the page with textContent, never as HTML.

export const API = "/webhooks/web";
const SAFE_SCHEMES = new Set(["http:", "https:", "mailto:", "tel:"]);
const TIMEOUT_MS = 30000;

/** Return true when a link target uses http, https, mailto or tel. */
export function isSafeHref(href) {
  if (typeof href !== "string" || href.trim() !== href || /[\s\u0000-\u001f]/.test(href)) {
    return false;
  }
  try {
    const url = new URL(href);
    return SAFE_SCHEMES.has(url.protocol) && url.href !== url.protocol;
  } catch {
    return false;
  }
}

/** Create an element with attributes and, optionally, text content. */
export function el(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Append text parts ({text} or {text, href}) as text and safe links. */
export function renderParts(container, parts) {
  for (const part of parts || []) {
    if (part.href && isSafeHref(part.href)) {
      const link = el("a", { href: part.href }, part.text);
      if (/^https?:/i.test(part.href)) {
        link.setAttribute("rel", "noopener noreferrer");
        link.setAttribute("target", "_blank");
      }
      container.append(link);
    } else {
      container.append(document.createTextNode(part.text || ""));
    }
  }
  return container;
}

/** An error with the HTTP status (0 when the server could not be reached). */
export class RequestError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

/** Fetch JSON; throw RequestError on a network error, a timeout or an error status. */
export async function requestJson(path, { method = "GET", body, headers = {} } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  let response;
  try {
    response = await fetch(API + path, {
      method,
      headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
      cache: "no-store",
    });
  } catch {
    throw new RequestError("unreachable", 0);
  } finally {
    clearTimeout(timer);
  }
  let data = {};
  try {
    data = await response.json();
  } catch {
    data = {};
  }
  if (!response.ok) throw new RequestError(data.error || response.statusText, response.status);
  return data;
}
