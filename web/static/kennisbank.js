// The staff kennisbank: every curated answer by subject, ranked search with the chat's
// own NLU model, copy buttons, and the token-protected report.
import { el, renderParts, requestJson } from "./common.js";

const TOKEN_KEY = "stamcel.staffToken";
const WEAK_MATCH = 0.2;
const catalogue = document.getElementById("catalogue");
const toc = document.getElementById("toc");
const results = document.getElementById("results");
const searchStatus = document.getElementById("search-status");
const copyStatus = document.getElementById("copy-status");
const staffForm = document.getElementById("staff");
const staffStatus = document.getElementById("staff-status");
const report = document.getElementById("staff-report");

function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = el("textarea", { class: "visually-hidden", readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    let done = false;
    try {
      done = document.execCommand("copy");
    } catch {
      done = false;
    }
    area.remove();
    return done;
  }
}

function answerCard(answer, headingLevel, label) {
  const card = el("article", { class: "answer", "data-topic": answer.topic });
  const heading = el(`h${headingLevel}`, { class: "answer-title" });
  if (label) heading.append(el("span", { class: "subject-tag" }, label));
  heading.append(el("code", {}, answer.topic));
  card.append(heading);
  card.append(renderParts(el("p", { class: "text" }), [{ text: answer.body }]));
  if (answer.source) card.append(el("p", { class: "source" }, answer.source));
  if (answer.followups && answer.followups.length) {
    card.append(el("p", { class: "followups" }, `Vaak gevolgd door: ${answer.followups.join(" · ")}`));
  }
  if (answer.checked_label) {
    card.append(el("p", { class: "checked" }, `Laatst gecontroleerd: ${answer.checked_label}`));
  }
  const button = el("button", { type: "button", class: "button quiet copy" }, "Kopieer antwoord");
  button.setAttribute("aria-label", `Kopieer antwoord ${answer.topic}`);
  button.addEventListener("click", async () => {
    const ok = await copy(answer.text);
    const message = ok ? "Gekopieerd" : "Kopiëren lukte niet; selecteer de tekst zelf.";
    button.textContent = ok ? "Gekopieerd ✓" : "Kopiëren lukte niet";
    copyStatus.textContent = message;
    setTimeout(() => {
      button.textContent = "Kopieer antwoord";
    }, 2500);
  });
  card.append(button);
  return card;
}

async function loadCatalogue() {
  const status = document.getElementById("catalogue-status");
  try {
    const data = await requestJson("/answers");
    const list = el("ul");
    for (const group of data.groups) {
      const id = `onderwerp-${slug(group.subject)}`;
      const section = el("section", { class: "subject", id, "aria-labelledby": `${id}-h` });
      section.append(el("h2", { id: `${id}-h` }, `${group.subject} (${group.answers.length})`));
      for (const answer of group.answers) section.append(answerCard(answer, 3));
      catalogue.append(section);
      const item = el("li");
      item.append(el("a", { href: `#${id}` }, group.subject));
      list.append(item);
    }
    toc.append(el("h2", { class: "toc-title" }, "Onderwerpen"), list);
  } catch {
    status.textContent = "De antwoorden konden niet worden geladen. Laad de pagina opnieuw.";
  }
}

document.getElementById("search").addEventListener("submit", async (event) => {
  event.preventDefault();
  const question = document.getElementById("q").value.trim();
  if (!question) return;
  searchStatus.textContent = "Zoeken…";
  results.replaceChildren();
  try {
    const data = await requestJson("/search", { method: "POST", body: { question } });
    for (const [index, match] of data.results.entries()) {
      const item = el("li", { class: "result", "data-intent": match.intent });
      const rank = el("p", { class: "rank" }, `${index + 1}e keus`);
      if (match.score < WEAK_MATCH) rank.append(el("span", { class: "weak" }, " (past waarschijnlijk niet)"));
      item.append(rank);
      for (const answer of match.answers) item.append(answerCard(answer, 3, answer.subject));
      results.append(item);
    }
    searchStatus.textContent = data.results.length
      ? `${data.results.length} beste antwoorden, de beste eerst.`
      : "Geen passend antwoord gevonden. Zoek met andere woorden of kijk in de lijst.";
  } catch (error) {
    searchStatus.textContent = error.status
      ? `Zoeken lukte niet: ${error.message}`
      : "De server is nu niet bereikbaar. Probeer het opnieuw.";
  }
});

const RESPONSE_LABELS = { fallback: "Niet begrepen", out_of_scope: "Buiten onderwerp" };

/** A table; cells of the columns in `long` may break anywhere (ids, questions). */
function table(caption, headings, rows, long = []) {
  const node = el("table");
  node.append(el("caption", {}, caption));
  const head = el("tr");
  for (const heading of headings) head.append(el("th", { scope: "col" }, heading));
  const thead = el("thead");
  thead.append(head);
  node.append(thead);
  const body = el("tbody");
  for (const row of rows) {
    const line = el("tr");
    row.forEach((cell, index) => {
      line.append(el("td", { class: long.includes(index) ? "long" : undefined }, String(cell)));
    });
    body.append(line);
  }
  node.append(body);
  return node;
}

function localTime(utc) {
  const date = new Date(utc);
  if (Number.isNaN(date.getTime())) return utc;
  return date.toLocaleString("nl-NL", { timeZone: "Europe/Amsterdam", dateStyle: "short", timeStyle: "short" });
}

async function loadReport(token) {
  staffStatus.textContent = "Laden…";
  report.replaceChildren();
  try {
    const data = await requestJson("/staff", { headers: { Authorization: `Bearer ${token}` } });
    sessionStorage.setItem(TOKEN_KEY, token);
    report.append(
      table(
        `Onbeantwoorde vragen (${data.unanswered.length}), zonder persoonsgegevens`,
        ["Tijd", "Antwoord", "Vraag"],
        data.unanswered.map((row) => [
          localTime(row.time),
          RESPONSE_LABELS[row.response] || row.response,
          row.question,
        ]),
        [2],
      ),
      table(
        "Reacties per onderwerp",
        ["Onderwerp", "👍 Nuttig", "👎 Niet nuttig"],
        data.feedback.map((row) => [row.topic, row.useful, row.not_useful]),
        [0],
      ),
    );
    staffStatus.textContent = "Overzicht geladen.";
  } catch (error) {
    sessionStorage.removeItem(TOKEN_KEY);
    staffStatus.textContent =
      error.status === 401 ? "Geen toegang: de toegangscode klopt niet." : "Het overzicht kon niet worden geladen.";
  }
}

staffForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const token = document.getElementById("token").value.trim();
  if (token) loadReport(token);
});

loadCatalogue();
const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) loadReport(saved);
