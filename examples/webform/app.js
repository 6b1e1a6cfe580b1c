// The self-check in the browser: SurveyJS renders the survey that weltoffen exported, and on
// completion the answers go to the server, which scores them with weltoffen and sends back the
// scores and the report. Nothing is scored here: the server's numbers are the ones shown.
"use strict";

(function () {
  // The page's own texts; the survey's texts come with the survey, in both languages.
  const TEXTS = {
    de: {
      loading: "Der Selbstcheck wird geladen …",
      ready: "",
      loadFailed: "Der Selbstcheck konnte nicht geladen werden.",
      sending: "Ihre Antworten werden ausgewertet …",
      failed: "Die Auswertung ist fehlgeschlagen:",
      done: "Ihre Antworten sind ausgewertet.",
      resultHeading: "Ihr Ergebnis",
      field: "Bereich",
      score: "Wert (0–100)",
      band: "Stufe",
      overall: "Gesamt",
      notAssessable: "nicht bewertbar",
      reportHeading: "Bericht",
      report: "Bericht",
      noReport: "Der ausführliche Bericht braucht auf dem Server das Extra weltoffen[report].",
    },
    en: {
      loading: "Loading the self-check …",
      ready: "",
      loadFailed: "The self-check could not be loaded.",
      sending: "Scoring your answers …",
      failed: "Scoring failed:",
      done: "Your answers have been scored.",
      resultHeading: "Your result",
      field: "Area",
      score: "Score (0–100)",
      band: "Level",
      overall: "Overall",
      notAssessable: "not assessable",
      reportHeading: "Report",
      report: "Report",
      noReport: "The full report needs the extra weltoffen[report] on the server.",
    },
  };

  // The export keeps weltoffen's settings and the points of each choice in custom properties;
  // declared, SurveyJS keeps them quietly instead of reporting them as unknown.
  Survey.Serializer.addProperty("itemvalue", "score:number");
  for (const kind of ["survey", "page", "panel", "question"]) {
    Survey.Serializer.addProperty(kind, "weltoffen:object");
  }

  let survey = null;
  let lang = "de";
  let answers = null; // the last answers sent, sent again when the language changes
  let statusKey = "loading";
  let sent = 0; // requests sent: a reply to an older one (another language) is dropped

  const statusLine = document.getElementById("status");
  const resultSection = document.getElementById("result");
  const scoreRows = document.querySelector("#scores tbody");
  const reportFrame = document.getElementById("report");
  const noReport = document.getElementById("no-report");

  function text(key) {
    return (TEXTS[lang] || TEXTS.de)[key];
  }

  function showStatus(key, detail) {
    statusKey = key;
    statusLine.textContent = detail ? text(key) + " " + detail : text(key);
    statusLine.classList.toggle("error", key === "failed" || key === "loadFailed");
    statusLine.dataset.state = key;
  }

  function setLanguage(code) {
    if (!TEXTS[code]) return;
    lang = code;
    document.documentElement.lang = code;
    for (const button of document.querySelectorAll("[data-lang]")) {
      button.setAttribute("aria-pressed", String(button.dataset.lang === code));
    }
    for (const element of document.querySelectorAll("[data-text]")) {
      element.textContent = text(element.dataset.text);
    }
    reportFrame.title = text("report");
    if (survey) survey.locale = code;
    if (answers) {
      send(answers); // the scores and the report, in the new language
    } else {
      showStatus(statusKey);
    }
  }

  function formatScore(value) {
    if (value === null || value === undefined) return text("notAssessable");
    return new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(value);
  }

  function addRow(node, depth) {
    const row = document.createElement("tr");
    row.dataset.id = depth === 0 ? "overall" : node.id;
    row.className = depth === 0 ? "overall" : "depth-" + depth;
    const name = document.createElement("th");
    name.scope = "row";
    name.textContent = depth === 0 ? text("overall") : node.title;
    const score = document.createElement("td");
    score.className = "score";
    // the exact number stays readable for programs; people see it rounded
    score.dataset.score = node.score === null ? "" : String(node.score);
    score.textContent = formatScore(node.score);
    if (node.note) score.title = node.note;
    const band = document.createElement("td");
    band.className = "band";
    band.textContent = node.band ? node.band.label : "";
    row.append(name, score, band);
    scoreRows.append(row);
    for (const child of node.dimensions || []) addRow(child, depth + 1);
  }

  function showResult(answer) {
    scoreRows.replaceChildren();
    addRow(answer.result, 0);
    // The report is a page of its own: shown in a sandboxed frame, where nothing in it runs.
    noReport.hidden = Boolean(answer.report);
    reportFrame.hidden = !answer.report;
    reportFrame.srcdoc = answer.report || "";
    resultSection.hidden = false;
    showStatus("done");
  }

  async function send(data) {
    answers = data;
    const number = ++sent;
    showStatus("sending");
    try {
      const reply = await fetch("/api/score?lang=" + encodeURIComponent(lang), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(data),
      });
      const answer = await reply.json();
      if (number !== sent) return;
      if (!reply.ok) {
        const problems = (answer.problems || []).map((p) => (p.path ? p.path + ": " : "") + p.message);
        showStatus("failed", [answer.error, ...problems].join("; "));
        return;
      }
      showResult(answer);
    } catch (error) {
      if (number === sent) showStatus("failed", String(error));
    }
  }

  async function start() {
    let json;
    try {
      const reply = await fetch("/api/survey");
      if (!reply.ok) throw new Error(reply.status + " " + reply.statusText);
      json = await reply.json();
    } catch (error) {
      showStatus("loadFailed", String(error));
      return;
    }
    survey = new Survey.Model(json);
    survey.onComplete.add((sender) => send(sender.data));
    for (const button of document.querySelectorAll("[data-lang]")) {
      button.addEventListener("click", () => setLanguage(button.dataset.lang));
    }
    setLanguage(survey.locale || "de");
    showStatus("ready");
    survey.render(document.getElementById("survey"));
    window.weltoffenSurvey = survey; // for the browser's console (and the end-to-end test)
  }

  start();
})();
