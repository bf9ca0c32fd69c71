// The patients' chat page: sends questions, renders answers as text, keeps the
// conversation across reloads (sender id in localStorage) and asks for feedback.
import { el, renderParts, requestJson } from "./common.js";

const SENDER_KEY = "stamcel.sender";
const RATED_KEY = "stamcel.rated";
const DRAFT_KEY = "stamcel.draft";

const log = document.getElementById("log");
const intro = document.getElementById("intro");
const typing = document.getElementById("typing");
const form = document.getElementById("ask");
const question = document.getElementById("question");
const problem = document.getElementById("problem");
const problemText = document.getElementById("problem-text");
const retry = document.getElementById("retry");
const speechStatus = document.getElementById("speech-status");

let sender = localStorage.getItem(SENDER_KEY) || newConversationId();
let busy = false;
let retryAction = null;

// Read aloud with the browser's own speech synthesis, only with a Dutch voice on this
// device (localService): the text is never sent anywhere. No such voice, no button.
const speech = window.speechSynthesis;
let dutchVoice = null;
let reading = null; // { button, utterance } of the answer being read aloud

function findDutchVoice() {
  const voices = (speech ? speech.getVoices() : []).filter(
    (voice) => voice.localService && voice.lang.toLowerCase().startsWith("nl"),
  );
  return voices.find((voice) => /^nl[-_]nl$/i.test(voice.lang)) || voices[0] || null;
}

function updateVoices() {
  dutchVoice = findDutchVoice();
  if (!dutchVoice) stopReading();
  for (const button of log.querySelectorAll(".read-aloud")) button.hidden = !dutchVoice;
}

function stopReading(message = "Voorlezen gestopt.") {
  if (!reading) return;
  reading.button.setAttribute("aria-pressed", "false");
  reading = null;
  speech.cancel();
  speechStatus.textContent = message;
}

function readAloud(button, text) {
  const wasReading = reading && reading.button === button;
  stopReading();
  if (wasReading || !dutchVoice) return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.voice = dutchVoice;
  utterance.lang = dutchVoice.lang;
  const finished = () => {
    if (reading && reading.utterance === utterance) stopReading("Voorlezen klaar.");
  };
  utterance.addEventListener("end", finished);
  utterance.addEventListener("error", finished);
  reading = { button, utterance };
  button.setAttribute("aria-pressed", "true");
  speechStatus.textContent = "Voorlezen gestart.";
  speech.speak(utterance);
}

function readAloudButton(text) {
  const label = "Lees voor: dit antwoord"; // starts with the visible text (WCAG 2.5.3)
  const attributes = { type: "button", class: "button quiet read-aloud", "aria-pressed": "false" };
  const button = el("button", { ...attributes, "aria-label": label }, "Lees voor");
  button.hidden = !dutchVoice;
  button.addEventListener("click", () => readAloud(button, text));
  return button;
}

function newConversationId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  const id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  localStorage.setItem(SENDER_KEY, id);
  return id;
}

function rated() {
  try {
    return new Set(JSON.parse(localStorage.getItem(RATED_KEY) || "[]"));
  } catch {
    return new Set();
  }
}

function remember(id) {
  const ids = rated();
  ids.add(id);
  localStorage.setItem(RATED_KEY, JSON.stringify([...ids].slice(-200)));
}

function showProblem(message, action) {
  problemText.textContent = message;
  retryAction = action;
  retry.hidden = !action;
  problem.hidden = false;
}

function hideProblem() {
  problem.hidden = true;
  retryAction = null;
}

function scrollToEnd(node) {
  if (node) node.scrollIntoView({ block: "nearest" });
}

function addUser(text) {
  const item = el("li", { class: "msg user" });
  item.append(el("span", { class: "visually-hidden" }, "U: "));
  item.append(el("p", { class: "text" }, text));
  log.append(item);
  intro.hidden = true;
  return item;
}

function disableOldButtons() {
  for (const button of log.querySelectorAll(".choices button")) button.disabled = true;
}

function addBot(message, { live = true } = {}) {
  const item = el("li", { class: "msg bot" });
  item.append(el("span", { class: "visually-hidden" }, "Assistent: "));
  const text = renderParts(el("p", { class: "text" }), message.parts);
  item.append(text);
  if (message.source) item.append(el("p", { class: "source" }, message.source));
  if (speech && text.textContent.trim()) item.append(readAloudButton(text.textContent));
  if (message.buttons && message.buttons.length) {
    const choices = el("div", { class: "choices", role: "group", "aria-label": "Kies een vraag" });
    for (const choice of message.buttons) {
      const button = el("button", { type: "button", class: "button choice" }, choice.title);
      button.addEventListener("click", () => send(choice.payload, choice.title));
      choices.append(button);
    }
    item.append(choices);
  }
  if (message.feedback && message.topic && !rated().has(message.id)) {
    item.append(feedbackGroup(message));
  }
  intro.hidden = true;
  log.append(item);
  if (!live) item.dataset.history = "true";
  return item;
}

function feedbackGroup(message) {
  const group = el("div", { class: "feedback", role: "group", "aria-label": "Had u hier iets aan?" });
  group.append(el("span", { class: "feedback-question" }, "Had u hier iets aan?"));
  const answer = (useful) => async () => {
    for (const button of group.querySelectorAll("button")) button.disabled = true;
    try {
      await requestJson("/feedback", { method: "POST", body: { topic: message.topic, useful } });
      remember(message.id);
      const thanks = el("span", { class: "feedback-thanks", tabindex: "-1" }, "Bedankt voor uw reactie.");
      group.replaceChildren(thanks);
      thanks.focus();
    } catch {
      for (const button of group.querySelectorAll("button")) button.disabled = false;
      showProblem("Uw reactie is niet verstuurd. De assistent is nu niet bereikbaar.", answer(useful));
    }
  };
  const yes = el("button", { type: "button", class: "button quiet", "data-useful": "true" }, "👍 Ja");
  const no = el("button", { type: "button", class: "button quiet", "data-useful": "false" }, "👎 Nee");
  yes.addEventListener("click", answer(true));
  no.addEventListener("click", answer(false));
  group.append(yes, no);
  return group;
}

async function send(text, shown = text) {
  if (busy || !text.trim()) return;
  busy = true;
  hideProblem();
  disableOldButtons();
  const mine = addUser(shown);
  scrollToEnd(mine);
  typing.textContent = "De assistent schrijft een antwoord…";
  try {
    const data = await requestJson("/message", { method: "POST", body: { sender, message: text } });
    typing.textContent = "";
    if (question.value.trim() === text.trim()) question.value = "";
    sessionStorage.removeItem(DRAFT_KEY);
    let last = mine;
    for (const message of data.messages || []) last = addBot(message);
    if (!(data.messages || []).length) last = addBot({ parts: [{ text: "(Geen antwoord.)" }] });
    mine.scrollIntoView({ block: "start" });
    scrollToEnd(last.querySelector("button:not([hidden])") ? last : null);
  } catch (error) {
    typing.textContent = "";
    mine.remove();
    if (!log.children.length) intro.hidden = false;
    enableLastButtons();
    const typed = shown === text;
    if (typed && !question.value.trim()) question.value = text;
    if (typed) sessionStorage.setItem(DRAFT_KEY, question.value);
    const detail =
      error.status >= 400 && error.status < 500
        ? `Uw vraag is niet verstuurd: ${error.message}`
        : "De assistent is nu niet bereikbaar. Uw vraag is niet verloren" +
          (typed ? ": die staat nog in het invoerveld." : ".");
    showProblem(detail, error.status >= 400 && error.status < 500 ? null : () => send(text, shown));
  } finally {
    busy = false;
  }
}

function enableLastButtons() {
  const items = log.querySelectorAll(".msg");
  const last = items[items.length - 1];
  if (last && last.classList.contains("bot")) {
    for (const button of last.querySelectorAll(".choices button")) button.disabled = false;
  }
}

// A new conversation opens with the greeting and the most-asked questions as buttons.
async function welcome() {
  const data = await requestJson("/welcome", { method: "POST", body: { sender } });
  for (const message of data.messages || []) addBot(message, { live: false });
}

async function loadHistory() {
  hideProblem();
  try {
    const data = await requestJson(`/history?sender=${encodeURIComponent(sender)}`);
    log.replaceChildren();
    for (const message of data.messages || []) {
      if (message.from === "user") addUser(message.text);
      else addBot(message, { live: false });
    }
    if (!log.children.length) await welcome().catch(() => {}); // free text still works
    disableOldButtons();
    enableLastButtons();
    intro.hidden = log.children.length > 0;
    const items = log.querySelectorAll(".msg");
    scrollToEnd(items[items.length - 1]);
  } catch {
    showProblem("De assistent is nu niet bereikbaar. Het eerdere gesprek kon niet worden geladen.", loadHistory);
  } finally {
    // Only now announce new messages, so the restored conversation is not read out.
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-relevant", "additions");
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = question.value.trim();
  if (!text) return;
  question.value = "";
  send(text);
  question.focus();
});

question.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});

question.addEventListener("input", () => sessionStorage.setItem(DRAFT_KEY, question.value));

retry.addEventListener("click", () => {
  if (retryAction) retryAction();
});

document.getElementById("new-conversation").addEventListener("click", () => {
  sender = newConversationId();
  stopReading();
  log.replaceChildren();
  hideProblem();
  intro.hidden = false;
  question.focus();
  welcome().catch(() => {});
});

question.value = sessionStorage.getItem(DRAFT_KEY) || "";
if (speech) {
  speech.addEventListener("voiceschanged", updateVoices);
  window.addEventListener("pagehide", () => stopReading());
  updateVoices();
}
loadHistory();
