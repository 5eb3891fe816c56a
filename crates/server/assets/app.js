// superbill's screens: plain JavaScript over the JSON API, shipped inside the binary.
// Text from the server is only ever set as text (never as HTML), so no record can inject markup;
// the Content-Security-Policy forbids inline script and anything from another origin.
"use strict";

const state = { me: null, csrf: null, retry: null, signing: null };

// ---- DOM helpers ---------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "class") e.className = v;
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function show(...nodes) {
  const main = document.getElementById("main");
  // Conditional parts are written `cond ? node : null`: leave those out (never the text "null").
  main.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined && n !== false));
}

// An ICD-10-CM code as printed (the code sets store it without the dot: E119 → E11.9).
function dotted(code) {
  return code.length > 3 ? code.slice(0, 3) + "." + code.slice(3) : code;
}

function money(cents) {
  const sign = cents < 0 ? "−" : "";
  const c = Math.abs(cents);
  return sign + "$" + Math.floor(c / 100).toLocaleString("en-US") + "." + String(c % 100).padStart(2, "0");
}

function cookie(name) {
  const m = document.cookie.split("; ").find((c) => c.startsWith(name + "="));
  return m ? m.slice(name.length + 1) : null;
}

// ---- The API ---------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || "HTTP " + status);
    this.status = status;
    this.body = body;
  }
}

async function api(method, path, body, signal) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const csrf = state.csrf || cookie("sb_csrf");
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
    signal,
  });
  let data = null;
  const text = await res.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (res.status === 401 && path !== "/api/login") {
    // The session ended: sign in again over the current screen, which keeps what was typed,
    // then run the request again.
    await signIn("Your session ended. Sign in again to continue where you were.");
    return api(method, path, body, signal);
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return { data, headers: res.headers };
}

// ---- Sign-in ---------------------------------------------------------------------------------

function signIn(why) {
  // Requests that meet an ended session at the same time all wait for the same sign-in.
  if (state.signing) return state.signing;
  const overlay = document.getElementById("login");
  const form = document.getElementById("login-form");
  document.getElementById("login-why").textContent = why || "";
  document.getElementById("login-error").textContent = "";
  overlay.hidden = false;
  form.elements.username.focus();
  state.signing = new Promise((resolve) => {
    state.retry = () => { state.signing = null; resolve(); };
  });
  return state.signing;
}

async function onLogin(ev) {
  ev.preventDefault();
  const form = ev.target;
  const err = document.getElementById("login-error");
  err.textContent = "";
  const body = { username: form.elements.username.value, password: form.elements.password.value };
  if (!document.getElementById("totp-row").hidden) body.totp = form.elements.totp.value;
  try {
    const { data } = await api("POST", "/api/login", body);
    form.elements.password.value = "";
    form.elements.totp.value = "";
    document.getElementById("totp-row").hidden = true;
    signedIn(data);
    document.getElementById("login").hidden = true;
    const resolve = state.retry;
    state.retry = null;
    if (resolve) resolve();
  } catch (e) {
    if (e.body && e.body.error === "totp_required") {
      document.getElementById("totp-row").hidden = false;
      form.elements.totp.focus();
    }
    err.textContent = e.message;
  }
}

function signedIn(me) {
  state.me = me;
  state.csrf = me.csrf;
  const roles = new Set(me.grants.map((g) => g.role));
  document.getElementById("who").textContent = me.username;
  for (const a of document.querySelectorAll("#nav a[data-needs]")) {
    a.hidden = !a.dataset.needs.split(" ").some((r) => roles.has(r));
  }
  document.getElementById("bar").hidden = false;
}

async function signOut() {
  try { await api("POST", "/api/logout"); } catch { /* the session may already be gone */ }
  state.me = null;
  state.csrf = null;
  document.getElementById("bar").hidden = true;
  show();
  await signIn("");
  route();
}

// ---- Screens ---------------------------------------------------------------------------------

function failed(e) {
  return el("p", { class: "error", role: "alert" }, e.message || String(e));
}

async function patientsScreen(query) {
  const q = el("input", { class: "search", type: "search", name: "q", placeholder: "Last name or account number", "aria-label": "Find a patient", value: query || "" });
  const tbody = el("tbody");
  const more = el("button", { type: "button", class: "plain", hidden: true }, "More");
  const status = el("p", { class: "muted" });
  let cursor = null;
  async function load(reset) {
    if (reset) { tbody.replaceChildren(); cursor = null; }
    const params = new URLSearchParams({ limit: "50" });
    if (q.value.trim()) params.set("q", q.value.trim());
    if (cursor) params.set("cursor", cursor);
    try {
      const { data, headers } = await api("GET", "/api/patients?" + params);
      for (const p of data) {
        const open = () => { location.hash = "#/patients/" + p.id; };
        tbody.append(el("tr", { class: "row", tabindex: "0", "data-id": p.id, onclick: open, onkeydown: (e) => { if (e.key === "Enter") open(); } },
          el("td", {}, p.last_name + ", " + p.first_name),
          el("td", {}, p.account),
          el("td", {}, p.birth_date),
          el("td", {}, p.sex),
          el("td", {}, "practice " + p.practice)));
      }
      cursor = headers.get("X-Next-Cursor");
      more.hidden = !cursor;
      status.textContent = tbody.children.length ? "" : "No patient matches.";
    } catch (e) {
      status.replaceChildren(failed(e));
    }
  }
  let timer = null;
  q.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => load(true), 150); });
  more.addEventListener("click", () => load(false));
  show(
    el("h1", {}, "Patients"),
    el("div", { class: "toolbar" }, q),
    el("table", { id: "patients" }, el("thead", {}, el("tr", {}, el("th", {}, "Name"), el("th", {}, "Account"), el("th", {}, "Born"), el("th", {}, "Sex"), el("th", {}, "Practice"))), tbody),
    status,
    more,
  );
  q.focus();
  await load(true);
}

async function patientScreen(id) {
  show(el("p", { class: "muted" }, "Loading…"));
  try {
    const { data: p } = await api("GET", "/api/patients/" + encodeURIComponent(id));
    show(
      el("p", {}, el("a", { href: "#/patients" }, "← Patients")),
      el("h1", {}, p.last_name + ", " + p.first_name),
      el("div", { class: "grid" },
        el("div", { class: "card" },
          el("h2", {}, "Demographics"),
          el("p", {}, "Account ", el("strong", {}, p.account), " · practice " + p.practice),
          el("p", {}, "Born " + p.birth_date + " · sex " + p.sex),
          el("p", {}, [p.address, p.city, p.state, p.zip].filter(Boolean).join(", "))),
        el("div", { class: "card" },
          el("h2", {}, "Coverages"),
          p.coverages.length
            ? el("table", {}, el("tbody", {}, p.coverages.map((c) => el("tr", {},
                el("td", {}, ["", "Primary", "Secondary", "Tertiary"][c.rank] || c.rank),
                el("td", {}, c.payer), el("td", {}, c.member_id),
                el("td", {}, c.effective_from + " – " + c.effective_to)))))
            : el("p", { class: "muted" }, "Self-pay: no coverage on file."))),
      el("p", { id: "balances" }, "Patient owes ", el("strong", {}, money(p.patient_balance_cents)), " · insurance owes ", el("strong", {}, money(p.insurance_balance_cents))),
      el("h2", {}, "Encounters"),
      p.encounters.length
        ? el("table", { id: "encounters" }, el("thead", {}, el("tr", {}, el("th", {}, "Date"), el("th", {}, "Kind"), el("th", {}, "Status"), el("th", {}, "Diagnoses"))),
            el("tbody", {}, p.encounters.map((e) => el("tr", {},
              el("td", {}, el("a", { href: "#/coding/" + e.id }, e.service_date + (e.discharge_date ? " – " + e.discharge_date : ""))),
              el("td", {}, e.kind), el("td", {}, el("span", { class: "tag" }, e.status)),
              el("td", { class: "code" }, e.diagnoses.map(dotted).join(", "))))))
        : el("p", { class: "muted" }, "No encounters yet."),
      el("h2", {}, "Claims"),
      p.claims.length
        ? el("table", { id: "claims" }, el("thead", {}, el("tr", {}, el("th", {}, "Claim"), el("th", {}, "Service"), el("th", {}, "State"), el("th", { class: "num" }, "Charges"))),
            el("tbody", {}, p.claims.map((c) => el("tr", {}, el("td", { class: "code" }, el("a", { href: "#/claims/" + c.id }, c.pcn)), el("td", {}, c.service_from), el("td", {}, el("span", { class: "tag" }, c.state.replace(/_/g, " "))), el("td", { class: "num" }, money(c.total_cents))))))
        : el("p", { class: "muted" }, "No claims yet."),
      el("h2", {}, "Ledger"),
      p.ledger_truncated ? el("p", { class: "muted" }, "The latest " + p.ledger.length + " entries; older ones are left off.") : null,
      p.ledger.length
        ? el("table", { id: "ledger" }, el("thead", {}, el("tr", {}, el("th", {}, "Posted"), el("th", {}, "Claim"), el("th", {}, "Owed by"), el("th", {}, "Entry"), el("th", {}, "Reason"), el("th", { class: "num" }, "Amount"), el("th", { class: "num" }, "Balance"))),
            el("tbody", {}, p.ledger.map((l) => el("tr", {},
              el("td", {}, l.posting_date), el("td", { class: "code" }, l.pcn), el("td", {}, l.party), el("td", {}, l.kind),
              el("td", { class: "code" }, l.reason), el("td", { class: "num" }, money(l.amount_cents)), el("td", { class: "num" }, money(l.balance_cents))))))
        : el("p", { class: "muted" }, "Nothing posted yet."),
      el("h2", {}, "Statements"),
      p.statements.length
        ? el("table", { id: "statements" }, el("thead", {}, el("tr", {}, el("th", {}, "Date"), el("th", { class: "num" }, "Due"), el("th", {}, ""))),
            el("tbody", {}, p.statements.map((s) => el("tr", {},
              el("td", {}, s.statement_date), el("td", { class: "num" }, money(s.total_cents)),
              el("td", {}, el("button", { type: "button", onclick: () => showStatement(s.id) }, "View"))))))
        : el("p", { class: "muted" }, "No statement sent."),
      el("pre", { id: "statement-text", hidden: true }),
    );
  } catch (e) {
    show(el("p", {}, el("a", { href: "#/patients" }, "← Patients")), failed(e.status === 404 ? new Error("No such patient, or not one of your practices.") : e));
  }
}

async function showStatement(id) {
  const box = document.getElementById("statement-text");
  try {
    const { data } = await api("GET", "/api/statements/" + encodeURIComponent(id));
    box.textContent = data.body;
  } catch (e) {
    box.textContent = e.message;
  }
  box.hidden = false;
  box.scrollIntoView();
}

const QUEUES = [
  ["ready", "Ready to submit"],
  ["scrubbed", "Held by edits"],
  ["rejected", "Rejected"],
  ["denied", "Denied"],
  ["no_response", "No response (30 days)"],
  ["paid,partially_paid,patient_billed,secondary_billed,forwarded", "Adjudicated"],
];

async function claimsScreen(queue) {
  queue = queue || "ready";
  const tabs = el("nav", { class: "toolbar", "aria-label": "Claim queues" }, QUEUES.map(([q, label]) =>
    el("a", { href: "#/claims/queue/" + q, class: q === queue ? "tag ok" : "tag" }, label)));
  const tbody = el("tbody");
  const status = el("p", { class: "muted" });
  const more = el("button", { type: "button", class: "plain", hidden: true }, "More");
  let cursor = null;
  async function load() {
    const params = new URLSearchParams({ queue, limit: "50" });
    if (cursor) params.set("cursor", cursor);
    try {
      const { data, headers } = await api("GET", "/api/claims?" + params);
      for (const c of data) {
        const open = () => { location.hash = "#/claims/" + c.id; };
        tbody.append(el("tr", { class: "row", tabindex: "0", "data-id": c.id, onclick: open, onkeydown: (e) => { if (e.key === "Enter") open(); } },
          el("td", { class: "code" }, c.pcn), el("td", {}, c.patient), el("td", {}, c.payer + (c.rank > 1 ? " (" + ["", "", "secondary", "tertiary"][c.rank] + ")" : "")),
          el("td", {}, c.service_from), el("td", {}, el("span", { class: "tag" }, c.state.replace(/_/g, " "))),
          el("td", { class: "num" }, c.findings || ""), el("td", { class: "num" }, money(c.total_cents))));
      }
      cursor = headers.get("X-Next-Cursor");
      more.hidden = !cursor;
      status.textContent = tbody.children.length ? "" : "Nothing in this queue.";
    } catch (e) {
      status.replaceChildren(failed(e));
    }
  }
  more.addEventListener("click", load);
  show(
    el("h1", {}, "Claims"),
    tabs,
    el("table", { id: "claims-queue" }, el("thead", {}, el("tr", {}, el("th", {}, "Claim"), el("th", {}, "Patient"), el("th", {}, "Payer"), el("th", {}, "Service"), el("th", {}, "State"), el("th", { class: "num" }, "Findings"), el("th", { class: "num" }, "Charges"))), tbody),
    status,
    more,
  );
  await load();
}

const EDITABLE = new Set(["draft", "scrubbed", "ready", "rejected"]);

async function claimScreen(id) {
  show(el("p", { class: "muted" }, "Loading…"));
  try {
    const { data } = await api("GET", "/api/claims/" + encodeURIComponent(id));
    renderClaim(data, "");
  } catch (e) {
    show(el("p", {}, el("a", { href: "#/claims" }, "← Claims")), failed(e.status === 404 ? new Error("No such claim, or not one of your practices.") : e));
  }
}

function renderClaim(c, said) {
  const lines = (c.claim.lines || []);
  const findings = c.findings_list || [];
  const institutional = c.kind === "institutional";
  const mayEdit = EDITABLE.has(c.state) && state.me.grants.some((g) => g.practice === c.practice && ["coder", "biller", "admin"].includes(g.role));
  const flagged = new Set(findings.filter((f) => f.line != null).map((f) => Number(f.line)));
  const message = el("p", { role: "status", id: "claim-message" }, said);
  const error = el("p", { class: "error", role: "alert", id: "claim-error" });
  // The diagnoses (principal and others) as editable rows; other kinds stay as they are.
  const dxList = el("ol", { id: "claim-dx", class: "chosen" });
  const dxRow = (code, poa) => {
    const row = el("li", {},
      el("input", { class: "code", value: code || "", size: 9, "aria-label": "Diagnosis code" }),
      institutional ? el("select", { "aria-label": "POA" }, ["", "Y", "N", "U", "W", "1"].map((p) => el("option", { value: p, selected: p === (poa || "") }, p || "POA"))) : null,
      el("button", { type: "button", class: "plain small", title: "Remove", onclick: () => row.remove() }, "×"));
    if (!mayEdit) for (const x of row.querySelectorAll("input, select, button")) x.disabled = true;
    return row;
  };
  for (const d of (c.claim.diagnoses || []).filter((d) => d.kind === "principal" || d.kind === "other")) dxList.append(dxRow(d.code, d.poa));
  const lineRows = lines.map((l) => {
    const cell = (name, value, size) => el("input", { name, value, size, disabled: !mayEdit, "aria-label": name + " of line " + l.number });
    return el("tr", { "data-line": l.number, class: flagged.has(l.number) ? "flagged" : null },
      el("td", {}, l.number),
      el("td", {}, cell("code", l.procedure || "", 6)),
      el("td", {}, cell("modifiers", (l.modifiers || []).join(" "), 10)),
      el("td", {}, l.revenue_code || ""),
      el("td", { class: "num" }, cell("units", l.units ?? "", 4)),
      el("td", {}, cell("pointers", (l.diagnosis_pointers || []).join(" "), 7)),
      el("td", { class: "num" }, money(l.charge || 0)));
  });
  async function save() {
    error.textContent = "";
    const diagnoses = [...dxList.children].map((li) => {
      const [code, poa] = li.querySelectorAll("input, select");
      return institutional ? { code: code.value, poa: poa.value || null } : { code: code.value };
    }).filter((d) => d.code.trim());
    const edits = lineRows.map((tr) => {
      const v = (n) => tr.querySelector(`input[name=${n}]`).value.trim();
      return {
        line: Number(tr.dataset.line), procedure: v("code"),
        modifiers: v("modifiers").split(/[\s,]+/).filter(Boolean),
        units: Number(v("units")),
        pointers: v("pointers").split(/[\s,]+/).filter(Boolean).map(Number),
      };
    });
    try {
      const { data } = await api("PUT", "/api/claims/" + c.id, { diagnoses, lines: edits });
      const what = data.changes.length ? "Saved: " + data.changes.join("; ") + ". " : "Nothing changed. ";
      renderClaim(data.claim, what + (data.claim.state === "ready" ? "The scrubber passed it: ready to submit." : "The scrubber still holds it: see the findings."));
    } catch (e) {
      error.textContent = e.message;
    }
  }
  show(
    el("p", {}, el("a", { href: "#/claims" }, "← Claims")),
    el("h1", {}, "Claim " + c.pcn),
    el("p", {}, el("span", { class: "tag", id: "claim-state" }, c.state.replace(/_/g, " ")), " ", c.patient, " · ", c.payer, " · ", c.kind, " · ", money(c.total_cents),
      c.payer_claim_number ? " · payer's number " + c.payer_claim_number : "", c.drg ? " · MS-DRG " + c.drg : ""),
    c.denials > 0 && state.me.grants.some((g) => g.practice === c.practice && ["biller", "admin"].includes(g.role))
      ? el("p", {}, c.denials + (c.denials === 1 ? " denial · " : " denials · "),
          el("a", { href: "/api/claims/" + c.id + "/appeal-letter", target: "_blank", rel: "noopener", id: "appeal-letter" }, "Appeal letter (PDF)"), " · ",
          el("a", { href: "/api/claims/" + c.id + "/appeal-letter?format=text", target: "_blank", rel: "noopener" }, "as text"))
      : null,
    message,
    el("h2", {}, "Findings"),
    findings.length
      ? el("table", { id: "findings" }, el("thead", {}, el("tr", {}, el("th", {}, "Rule"), el("th", {}, "Severity"), el("th", {}, "Line"), el("th", {}, "What is wrong"), el("th", {}, "How to fix it"))),
          el("tbody", {}, findings.map((f) => el("tr", {}, el("td", { class: "code" }, f.rule), el("td", {}, f.severity || ""), el("td", {}, f.line ?? "claim"), el("td", {}, f.message), el("td", {}, f.fix || "")))))
      : el("p", { class: "muted" }, "The scrubber found nothing."),
    el("h2", {}, "Diagnoses"),
    dxList,
    mayEdit ? el("button", { type: "button", class: "plain small", id: "add-dx", onclick: () => { const r = dxRow("", ""); dxList.append(r); r.querySelector("input").focus(); } }, "Add a diagnosis") : null,
    el("h2", {}, "Lines"),
    el("table", { id: "lines" }, el("thead", {}, el("tr", {}, el("th", {}, "#"), el("th", {}, "Code"), el("th", {}, "Modifiers"), el("th", {}, "Revenue"), el("th", { class: "num" }, "Units"), el("th", {}, "Pointers"), el("th", { class: "num" }, "Charge"))),
      el("tbody", {}, lineRows)),
    mayEdit
      ? el("div", { class: "toolbar" }, el("button", { type: "button", id: "save-claim", onclick: save }, "Save and scrub again"),
          el("span", { class: "muted" }, "Charges change through the fee schedule or a replacement claim, not here."))
      : el("p", { class: "muted" }, EDITABLE.has(c.state) ? "" : "The payer has this claim: correct it with a replacement from the Denials screen."),
    error,
    el("h2", {}, "History"),
    el("table", { id: "history" }, el("tbody", {}, c.history.map((e) => el("tr", {}, el("td", {}, e.at.replace("T", " ").slice(0, 19)), el("td", {}, e.user), el("td", {}, e.from + " → " + e.to), el("td", { class: "muted" }, e.reason))))),
  );
}

async function codesScreen() {
  const q = el("input", { class: "search", type: "search", placeholder: "Words, a code or an abbreviation: type 2 diabetes, CHF, E11.9…", "aria-label": "Search codes", autocomplete: "off" });
  const system = el("select", { "aria-label": "System" },
    el("option", { value: "" }, "All systems"), el("option", { value: "icd10cm" }, "ICD-10-CM"),
    el("option", { value: "icd10pcs" }, "ICD-10-PCS"), el("option", { value: "hcpcs" }, "HCPCS"));
  const billable = el("input", { type: "checkbox" });
  const list = el("tbody");
  const status = el("p", { class: "muted" }, "Results appear as you type.");
  let inflight = null;
  let seq = 0;
  async function search() {
    const text = q.value.trim();
    if (inflight) inflight.abort();
    if (!text) { list.replaceChildren(); status.textContent = "Results appear as you type."; return; }
    const mine = ++seq;
    inflight = new AbortController();
    const params = new URLSearchParams({ q: text, limit: "25" });
    if (system.value) params.set("system", system.value);
    if (billable.checked) params.set("billable", "true");
    try {
      const { data } = await api("GET", "/api/codes/search?" + params, undefined, inflight.signal);
      if (mine !== seq) return;
      list.replaceChildren(...data.map((r) => el("tr", { class: "row", tabindex: "0" },
        el("td", { class: "code" }, r.code),
        el("td", {}, r.title, el("div", { class: "muted" }, r.matched)),
        el("td", {}, el("span", { class: r.billable ? "tag ok" : "tag" }, r.billable ? "billable" : "header")),
        el("td", { class: "muted" }, r.system))));
      status.textContent = data.length ? "" : "No code matches.";
    } catch (e) {
      if (e.name !== "AbortError") status.replaceChildren(failed(e));
    }
  }
  for (const x of [q, system, billable]) x.addEventListener("input", search);
  show(
    el("h1", {}, "Code search"),
    el("div", { class: "toolbar" }, q, system, el("label", {}, el("span", {}, "Billable only"), billable)),
    el("table", { id: "codes" }, list),
    status,
  );
  q.focus();
}

async function auditScreen() {
  const tbody = el("tbody");
  const more = el("button", { type: "button", class: "plain", hidden: true }, "Older events");
  let cursor = null;
  async function load() {
    const params = new URLSearchParams({ limit: "100" });
    if (cursor) params.set("cursor", cursor);
    const { data, headers } = await api("GET", "/api/audit?" + params);
    for (const e of data) {
      tbody.append(el("tr", {}, el("td", {}, e.at.replace("T", " ").slice(0, 19)), el("td", {}, e.user), el("td", {}, e.action), el("td", { class: "code" }, e.record), el("td", {}, e.practice ?? ""), el("td", { class: "muted" }, e.address)));
    }
    cursor = headers.get("X-Next-Cursor");
    more.hidden = !cursor;
  }
  more.addEventListener("click", () => load().catch((e) => more.replaceWith(failed(e))));
  show(
    el("h1", {}, "Audit log"),
    el("p", { class: "muted" }, "Every read and change of patient data, sign-ins and failures; newest first. ",
      el("a", { href: "/api/audit/export", download: "superbill-audit.csv", id: "audit-export" }, "Export as CSV")),
    el("table", { id: "audit" }, el("thead", {}, el("tr", {}, el("th", {}, "When (UTC)"), el("th", {}, "Who"), el("th", {}, "What"), el("th", {}, "Record"), el("th", {}, "Practice"), el("th", {}, "From"))), tbody),
    more,
  );
  try { await load(); } catch (e) { show(el("h1", {}, "Audit log"), failed(e)); }
}

// ---- Coding ----------------------------------------------------------------------------------

const CODING_TABS = [["open", "To code"], ["coded", "Coded"], ["billed", "Billed"]];

async function codingListScreen(status) {
  status = status || "open";
  const tabs = el("nav", { class: "toolbar", "aria-label": "Coding status" }, CODING_TABS.map(([s, label]) =>
    el("a", { href: "#/coding/list/" + s, class: s === status ? "tag ok" : "tag" }, label)));
  const tbody = el("tbody");
  const note = el("p", { class: "muted" });
  const more = el("button", { type: "button", class: "plain", hidden: true }, "More");
  let cursor = null;
  async function load() {
    const params = new URLSearchParams({ status, limit: "50" });
    if (cursor) params.set("cursor", cursor);
    try {
      const { data, headers } = await api("GET", "/api/encounters?" + params);
      for (const e of data) {
        const open = () => { location.hash = "#/coding/" + e.id; };
        tbody.append(el("tr", { class: "row", tabindex: "0", "data-id": e.id, onclick: open, onkeydown: (k) => { if (k.key === "Enter") open(); } },
          el("td", {}, e.id), el("td", {}, e.patient), el("td", {}, e.kind), el("td", {}, e.service_date), el("td", {}, el("span", { class: "tag" }, e.status))));
      }
      cursor = headers.get("X-Next-Cursor");
      more.hidden = !cursor;
      note.textContent = tbody.children.length ? "" : "Nothing here.";
    } catch (e) {
      note.replaceChildren(failed(e));
    }
  }
  more.addEventListener("click", load);
  show(el("h1", {}, "Coding"), tabs,
    el("table", { id: "worklist" }, el("thead", {}, el("tr", {}, el("th", {}, "Encounter"), el("th", {}, "Patient"), el("th", {}, "Kind"), el("th", {}, "Date of service"), el("th", {}, "Status"))), tbody),
    note, more);
  await load();
}

async function codingScreen(id) {
  show(el("p", { class: "muted" }, "Loading…"));
  let enc;
  try {
    enc = (await api("GET", "/api/encounters/" + encodeURIComponent(id))).data;
  } catch (e) {
    show(el("p", {}, el("a", { href: "#/coding" }, "← Coding")), failed(e.status === 404 ? new Error("No such encounter, or not one of your practices.") : e));
    return;
  }
  const stay = enc.kind === "inpatient";
  const dx = enc.diagnoses.map((d) => ({ code: d.code, poa: d.poa }));
  const px = enc.procedures.map((p) => ({ code: p.code, date: p.date }));
  let checked = { codes: [], findings: [], drg: null, notes: [] };
  const dxList = el("ol", { class: "chosen", id: "diagnoses" });
  const pxList = el("ol", { class: "chosen", id: "procedures" });
  const findings = el("div", { id: "coding-findings" });
  const drgBox = el("div", { id: "drg" });
  const message = el("p", { class: "error", role: "alert", id: "coding-error" });
  const saved = el("p", { class: "muted", id: "coding-saved" });
  const problem = (kind, i) => (checked.codes.find((c) => c.kind === kind && c.position === i + 1) || {});
  function renderLists() {
    dxList.replaceChildren(...dx.map((d, i) => {
      const c = problem("diagnosis", i);
      const poa = stay ? el("select", { "aria-label": "POA of " + d.code, onchange: (ev) => { d.poa = ev.target.value; changed(); } },
        ["", "Y", "N", "U", "W", "1"].map((v) => el("option", { value: v, selected: d.poa === v }, v || "POA?"))) : null;
      return el("li", {}, el("span", { class: "code" }, d.code), i === 0 ? el("span", { class: "tag ok" }, "principal") : null, poa,
        el("span", {}, c.title || ""), c.problem ? el("span", { class: "problem" }, c.problem) : null,
        i > 0 ? el("button", { type: "button", class: "plain small", title: "Make principal", onclick: () => { dx.unshift(...dx.splice(i, 1)); changed(); } }, "↑ principal") : null,
        el("button", { type: "button", class: "plain small", "aria-label": "Remove " + d.code, onclick: () => { dx.splice(i, 1); changed(); } }, "✕"));
    }));
    pxList.replaceChildren(...px.map((p, i) => {
      const c = problem("procedure", i);
      return el("li", {}, el("span", { class: "code" }, p.code), el("span", {}, c.title || ""), c.problem ? el("span", { class: "problem" }, c.problem) : null,
        el("button", { type: "button", class: "plain small", "aria-label": "Remove " + p.code, onclick: () => { px.splice(i, 1); changed(); } }, "✕"));
    }));
  }
  function renderCheck() {
    const f = checked.findings || [];
    findings.replaceChildren(f.length
      ? el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "Rule"), el("th", {}, "What is wrong"), el("th", {}, "How to fix it"))),
          el("tbody", {}, f.map((x) => el("tr", {}, el("td", { class: "code" }, x.rule), el("td", {}, x.message), el("td", {}, x.fix || "")))))
      : el("p", { class: "muted" }, dx.length ? "The scrubber finds nothing on the claim this coding makes." : "Add the principal diagnosis."),
      ...checked.notes.map((n) => el("p", { class: "muted" }, n)));
    const d = checked.drg;
    drgBox.replaceChildren(...(d ? [
      el("div", { class: "drg" },
        el("div", { class: "big" }, "MS-DRG " + d.drg + " ", el("span", { class: "muted" }, d.title)),
        el("div", { class: "muted" }, [d.version, d.mdc ? "MDC " + d.mdc : "", d.severity, d.weight ? "weight " + d.weight : ""].filter(Boolean).join(" · ")),
        el("table", {}, el("tbody", {}, d.codes.map((c) => el("tr", {},
          el("td", { class: "code" }, c.code), el("td", {}, c.kind), el("td", {}, c.flag || ""),
          el("td", { class: c.changes_drg ? "changes" : "muted" }, c.changes_drg ? "without it: DRG " + c.drg_without : "no change"))))),
        ...d.mce_edits.map((m) => el("p", { class: "error" }, m)))
    ] : []));
  }
  let timer = null;
  let seq = 0;
  function changed() {
    renderLists();
    saved.textContent = "";
    clearTimeout(timer);
    timer = setTimeout(check, 150);
  }
  async function check() {
    const mine = ++seq;
    try {
      const { data } = await api("POST", "/api/encounters/" + enc.id + "/check", { diagnoses: dx, procedures: px });
      if (mine !== seq) return;
      checked = data;
      message.textContent = "";
      renderLists();
      renderCheck();
    } catch (e) {
      message.textContent = e.message;
    }
  }
  // Code search beside the documentation: Enter or a click adds the code (ICD-10-PCS codes to
  // the procedures, the others to the diagnoses).
  const q = el("input", { class: "search", type: "search", id: "coding-search", placeholder: "Search codes to add: pneumonia, E11.9…", "aria-label": "Search codes to add", autocomplete: "off" });
  const results = el("tbody");
  let inflight = null;
  let sseq = 0;
  function add(r) {
    if (r.system === "icd10pcs") { if (!px.some((p) => p.code === r.code)) px.push({ code: r.code, date: null }); }
    else if (!dx.some((d) => d.code === r.code)) dx.push({ code: r.code, poa: stay ? "Y" : "" });
    q.value = "";
    results.replaceChildren();
    q.focus();
    changed();
  }
  async function search() {
    const text = q.value.trim();
    if (inflight) inflight.abort();
    if (!text) { results.replaceChildren(); return; }
    const mine = ++sseq;
    inflight = new AbortController();
    const params = new URLSearchParams({ q: text, limit: "15", billable: "true", date: enc.service_date });
    if (!stay) params.set("system", "icd10cm");
    try {
      const { data } = await api("GET", "/api/codes/search?" + params, undefined, inflight.signal);
      if (mine !== sseq) return;
      results.replaceChildren(...data.filter((r) => r.system === "icd10cm" || r.system === "icd10pcs").map((r) =>
        el("tr", { class: "row", tabindex: "0", onclick: () => add(r), onkeydown: (k) => { if (k.key === "Enter") add(r); } },
          el("td", { class: "code" }, r.code), el("td", {}, r.title), el("td", { class: "muted" }, r.system))));
    } catch (e) {
      if (e.name !== "AbortError") message.textContent = e.message;
    }
  }
  q.addEventListener("input", search);
  q.addEventListener("keydown", (k) => {
    if (k.key === "Enter") { k.preventDefault(); const first = results.querySelector("tr"); if (first) first.click(); }
    if (k.key === "ArrowDown") { const first = results.querySelector("tr"); if (first) { k.preventDefault(); first.focus(); } }
  });
  const save = el("button", { type: "button", id: "save-coding" }, "Save and mark coded");
  save.addEventListener("click", async () => {
    message.textContent = "";
    try {
      const { data } = await api("PUT", "/api/encounters/" + enc.id + "/coding", { diagnoses: dx, procedures: px });
      enc = data;
      saved.textContent = "Saved: the encounter is coded and will be billed with the next build.";
      status.textContent = data.status;
    } catch (e) {
      message.textContent = e.message;
    }
  });
  const status = el("span", { class: "tag", id: "encounter-status" }, enc.status);
  show(
    el("p", {}, el("a", { href: "#/coding" }, "← Coding")),
    el("h1", {}, "Encounter " + enc.id + " · " + enc.patient),
    el("p", {}, status, " ", enc.kind, " · ", stay ? (enc.admission_date + " to " + enc.discharge_date) : enc.service_date,
      " · ", enc.patient_sex, " · born ", enc.patient_birth_date),
    el("div", { class: "split" },
      el("section", {},
        el("h2", {}, "Documentation"),
        el("div", { class: "note", id: "note" }, enc.note || "No documentation attached."),
        el("h2", {}, "Charges"),
        el("table", {}, el("tbody", {}, enc.charges.map((c) => el("tr", {}, el("td", { class: "code" }, c.code || c.revenue_code), el("td", {}, c.revenue_code && c.code ? "rev " + c.revenue_code : (c.revenue_code ? "revenue code" : "")), el("td", { class: "num" }, c.units / 1000), el("td", { class: "num" }, money(c.charge_cents))))))),
      el("section", {},
        q, el("table", { class: "results", id: "coding-results" }, results),
        el("h2", {}, "Diagnoses"), dxList,
        stay ? el("h2", {}, "Procedures (ICD-10-PCS)") : null, stay ? pxList : null,
        el("h2", {}, "Findings"), findings,
        stay ? el("h2", {}, "MS-DRG") : null, drgBox,
        message, el("p", {}, save), saved)),
  );
  renderLists();
  await check();
  q.focus();
}

// ---- Files: submit a batch, download its 837, upload what comes back ---------------------------

async function filesScreen() {
  const mine = [...new Set(state.me.grants.filter((g) => g.role === "biller" || g.role === "admin").map((g) => g.practice))];
  const result = el("div", { id: "files-result", role: "status" });
  const error = el("p", { class: "error", role: "alert", id: "files-error" });
  const batches = el("tbody");
  async function loadBatches() {
    const { data } = await api("GET", "/api/batches?limit=20");
    batches.replaceChildren(...data.map((b) => el("tr", {},
      el("td", {}, b.id), el("td", {}, b.created_at.replace("T", " ").slice(0, 16)), el("td", {}, b.kind),
      el("td", { class: "num" }, b.claim_count), el("td", { class: "num" }, money(b.total_cents)),
      el("td", {}, el("span", { class: "tag" }, b.status)), el("td", {}, b.practices.map((p) => "practice " + p).join(", ")),
      el("td", {}, el("a", { href: "/api/batches/" + b.id + "/file", download: "batch-" + b.id + ".837" }, "Download 837")))));
  }
  const suspense = el("tbody");
  const suspenseStatus = el("p", { class: "muted", id: "suspense-status", role: "status" });
  async function loadSuspense() {
    const { data } = await api("GET", "/api/suspense");
    suspenseStatus.textContent = data.length ? "" : "Nothing in suspense.";
    suspense.replaceChildren(...data.map((x) => {
      const what = el("input", { "aria-label": "What was done about suspense entry " + x.id, placeholder: "what was done", size: 24, name: "resolution" });
      const resolve = el("button", { type: "button", class: "plain small", "data-action": "resolve" }, "Resolve");
      resolve.addEventListener("click", async () => {
        try {
          await api("POST", "/api/suspense/" + x.id + "/resolve", { resolution: what.value });
          await loadSuspense();
          suspenseStatus.textContent = "Resolved.";
        } catch (e) { suspenseStatus.textContent = e.message; }
      });
      // A claim payment can be applied to the claim it was for (its PCN typed).
      let apply = null;
      if (x.kind === "unmatched_claim") {
        const pcn = el("input", { "aria-label": "The claim suspense entry " + x.id + " was for", placeholder: "claim PCN", size: 12, name: "pcn" });
        const go = el("button", { type: "button", class: "plain small", "data-action": "apply" }, "Apply");
        go.addEventListener("click", async () => {
          try {
            const { data } = await api("POST", "/api/suspense/" + x.id + "/apply", { claim: pcn.value });
            await loadSuspense();
            suspenseStatus.textContent = "Applied to claim " + pcn.value + ": " + money(data.posting.paid_cents) + " posted.";
          } catch (e) { suspenseStatus.textContent = e.message; }
        });
        apply = el("div", {}, pcn, " ", go);
      }
      return el("tr", { "data-suspense": x.id },
        el("td", {}, x.created_at.slice(0, 10)), el("td", {}, { deposit: "deposit", unmatched_claim: "claim", unmatched_ack: "acknowledgment" }[x.kind] || x.kind),
        el("td", {}, x.payer), el("td", { class: "code" }, x.trace), el("td", { class: "code" }, x.pcn),
        el("td", { class: "num" }, money(x.amount_cents)), el("td", {}, x.reason), el("td", {}, apply, what, " ", resolve));
    }));
  }
  const submitButtons = mine.map((p) => {
    const b = el("button", { type: "button", "data-practice": p }, "Submit the ready claims of practice " + p);
    b.addEventListener("click", async () => {
      error.textContent = "";
      b.disabled = true;
      try {
        const { data } = await api("POST", "/api/batches", { practice: p });
        result.replaceChildren(data.claims
          ? el("p", {}, data.claims + " claims (" + money(data.total_cents) + ") written in batch " + data.batches.join(", ") + ". ",
              el("a", { href: data.download, download: "batch-" + data.batches[0] + ".837", id: "download-837" }, "Download the 837"))
          : el("p", {}, "No claim of practice " + p + " is ready to submit."),
          ...data.skipped.map((s) => el("p", { class: "error" }, s.claim + ": " + s.reason)));
        await loadBatches();
      } catch (e) {
        error.textContent = e.message;
      } finally {
        b.disabled = false;
      }
    });
    return b;
  });
  const statementButtons = mine.map((p) => {
    const b = el("button", { type: "button", "data-statements": p }, "Send the statements of practice " + p);
    b.addEventListener("click", async () => {
      error.textContent = "";
      b.disabled = true;
      try {
        const { data } = await api("POST", "/api/statements", { practice: p });
        result.replaceChildren(el("p", { id: "statements-sent" }, data.statements
          ? data.statements + " statements sent, " + money(data.total_due_cents) + " due; each is on its patient's screen."
          : "No patient of practice " + p + " owes on a claim insurance has finished with.",
          data.pending_with_insurance ? " " + data.pending_with_insurance + " claims still with insurance were left off." : "",
          data.already_sent ? " " + data.already_sent + " patients were sent theirs today already." : ""),
          data.sent.length ? el("ul", { id: "statements-list" }, data.sent.map((x) => el("li", {},
            el("a", { href: "#/patients/" + x.guarantor_id }, "Account " + x.account), " · " + money(x.total_due_cents) + " due"))) : null);
      } catch (e) {
        error.textContent = e.message;
      } finally {
        b.disabled = false;
      }
    });
    return b;
  });
  const input = el("input", { type: "file", id: "upload-file", accept: ".835,.999,.277,.x12,.edi,.txt", "aria-label": "An 835, 999 or 277CA file" });
  const upload = el("button", { type: "button", id: "upload" }, "Upload and post");
  upload.addEventListener("click", async () => {
    error.textContent = "";
    const f = input.files[0];
    if (!f) { error.textContent = "Choose an 835, 999 or 277CA file first."; return; }
    upload.disabled = true;
    try {
      const res = await fetch("/api/remittances?name=" + encodeURIComponent(f.name), {
        method: "POST", credentials: "same-origin", body: await f.arrayBuffer(),
        headers: { "Content-Type": "application/edi-x12", "X-CSRF-Token": state.csrf || cookie("sb_csrf") || "" },
      });
      const data = await res.json().catch(() => null);
      if (res.status === 401) { await signIn("Your session ended. Sign in again, then upload again."); return; }
      if (!res.ok) { error.textContent = (data && data.message) || "HTTP " + res.status; return; }
      if (data.kind === "835") {
        const p = data.posting;
        result.replaceChildren(el("table", { id: "posting" }, el("tbody", {},
          el("tr", {}, el("th", {}, "File"), el("td", {}, f.name + (p.already_posted ? " (already posted: nothing changed)" : ""))),
          el("tr", {}, el("th", {}, "Claims matched"), el("td", {}, p.claims_matched)),
          el("tr", {}, el("th", {}, "Unmatched (suspense)"), el("td", {}, p.claims_unmatched)),
          el("tr", {}, el("th", {}, "Paid"), el("td", {}, money(p.paid_cents))),
          el("tr", {}, el("th", {}, "Adjusted"), el("td", {}, money(p.adjusted_cents))),
          el("tr", {}, el("th", {}, "Patient responsibility"), el("td", {}, money(p.patient_responsibility_cents))),
          el("tr", {}, el("th", {}, "Provider adjustments"), el("td", {}, money(p.provider_adjustments_cents))),
          el("tr", {}, el("th", {}, "Denials"), el("td", {}, p.denials)),
          el("tr", {}, el("th", {}, "Deposit"), el("td", { id: "deposit" }, p.balanced ? "balanced" : "does not balance: check the payment against the claims")))),
          ...p.notes.map((n) => el("p", { class: "muted" }, n)));
        await loadSuspense();
      } else {
        const a = data.acknowledgment;
        result.replaceChildren(el("p", { id: "ack" }, data.kind + " " + f.name + (a.already_imported ? " (already imported)" : "") + ": " + a.accepted + " accepted, " + a.rejected + " rejected, " + a.unmatched + " unmatched."),
          ...a.notes.map((n) => el("p", { class: "muted" }, n)));
      }
    } catch (e) {
      error.textContent = e.message;
    } finally {
      upload.disabled = false;
    }
  });
  show(
    el("h1", {}, "Files"),
    el("h2", {}, "Submit"),
    el("div", { class: "toolbar" }, submitButtons),
    el("h2", {}, "Upload an 835, 999 or 277CA"),
    el("div", { class: "toolbar" }, input, upload),
    el("h2", {}, "Patient statements"),
    el("div", { class: "toolbar" }, statementButtons),
    error, result,
    el("h2", {}, "Suspense"),
    el("p", { class: "muted" }, "Money a remittance carried that could not be posted: a claim that is not ours, or a deposit that does not balance."),
    el("table", { id: "suspense" }, el("thead", {}, el("tr", {}, el("th", {}, "Received"), el("th", {}, "Kind"), el("th", {}, "Payer"), el("th", {}, "Trace"), el("th", {}, "Claim"), el("th", { class: "num" }, "Amount"), el("th", {}, "Why"), el("th", {}, ""))), suspense),
    suspenseStatus,
    el("h2", {}, "Batches"),
    el("table", { id: "batches" }, el("thead", {}, el("tr", {}, el("th", {}, "Batch"), el("th", {}, "Written"), el("th", {}, "Kind"), el("th", { class: "num" }, "Claims"), el("th", { class: "num" }, "Charges"), el("th", {}, "Status"), el("th", {}, "Practices"), el("th", {}, ""))), batches),
  );
  try { await loadBatches(); await loadSuspense(); } catch (e) { error.textContent = e.message; }
}

// ---- Denials ---------------------------------------------------------------------------------

async function denialsScreen(by) {
  by = by || "reason";
  const tabs = el("nav", { class: "toolbar", "aria-label": "Group denials by" }, [["reason", "By reason"], ["category", "By category"], ["payer", "By payer"]].map(([k, label]) =>
    el("a", { href: "#/denials/" + k, class: k === by ? "tag ok" : "tag" }, label)));
  const body = el("div", { id: "denials" });
  const message = el("p", { role: "status", id: "denials-message" });
  async function load() {
    const { data } = await api("GET", "/api/denials?by=" + by);
    if (!data.length) { body.replaceChildren(el("p", { class: "muted" }, "No open denial.")); return; }
    body.replaceChildren(...data.map((g) => el("section", {},
      el("h2", {}, g.key + " · " + g.count + " · " + money(g.cents) + " · appeal by " + g.earliest_deadline),
      el("table", {}, el("tbody", {}, g.denials.map((d) => {
        const who = el("input", { "aria-label": "Assign denial " + d.id + " to", placeholder: "login", size: 10 });
        const why = el("input", { "aria-label": "Why the claim of denial " + d.id + " should be paid", placeholder: "appeal reason", size: 20 });
        const act = async (what, fn) => {
          message.textContent = "";
          try { await fn(); message.textContent = what; await load(); } catch (e) { message.textContent = e.message; }
        };
        return el("tr", { "data-denial": d.id },
          el("td", { class: "code" }, el("a", { href: "#/claims/" + d.claim_id }, d.pcn)), el("td", {}, d.payer), el("td", {}, d.carc + (d.rarc ? " " + d.rarc : "")),
          el("td", {}, d.category), el("td", { class: "num" }, money(d.cents)), el("td", {}, d.deadline),
          el("td", {}, d.assigned_to ? "assigned" : ""),
          el("td", {}, who, el("button", { type: "button", class: "plain small", onclick: () => act("Assigned to " + who.value + ".", () => api("POST", "/api/denials/" + d.id + "/assign", { username: who.value })) }, "Assign")),
          el("td", {}, why, el("button", { type: "button", class: "plain small", "data-action": "appeal", onclick: () =>
            act("Claim " + d.pcn + " appealed.", () => api("POST", "/api/claims/" + d.claim_id + "/appeal", { reason: why.value })) }, "Appeal")),
          el("td", {}, el("button", { type: "button", class: "plain small", "data-action": "correct", onclick: () =>
            act("Replacement claim built for " + d.pcn + ": submit it from Files.", () => api("POST", "/api/claims/" + d.claim_id + "/correct", { void: false })) }, "Correct")));
      }))),
      g.denials.length < g.count ? el("p", { class: "muted" }, (g.count - g.denials.length) + " more with later deadlines: work these first.") : null)));
  }
  show(el("h1", {}, "Denials"), tabs, message, body);
  try { await load(); } catch (e) { body.replaceChildren(failed(e)); }
}

// ---- Dashboard -------------------------------------------------------------------------------

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

// Horizontal bars: one row per slice, the value printed at the end.
function barChart(slices, format, cls) {
  const rows = slices.slice(0, 8);
  const max = Math.max(1, ...rows.map((s) => s.value));
  const h = 22 * rows.length + 6;
  return svg("svg", { class: "chart", viewBox: `0 0 400 ${h}`, role: "img", "aria-label": rows.map((s) => s.label + " " + format(s.value)).join(", ") },
    rows.map((s, i) => [
      svg("text", { x: 0, y: 22 * i + 16 }, s.label.slice(0, 18)),
      svg("rect", { class: cls || "bar", x: 120, y: 22 * i + 4, width: Math.max(1, 200 * s.value / max), height: 16 }),
      svg("text", { x: 126 + 200 * s.value / max, y: 22 * i + 16 }, format(s.value)),
    ]));
}

// A line per series over the weeks, with the last value printed.
function lineChart(points, series) {
  const w = 400, h = 120, left = 36;
  const vals = series.flatMap(([key]) => points.map((p) => p[key]).filter((v) => v !== null && v !== undefined));
  const max = Math.max(1e-9, ...vals);
  const x = (i) => left + (points.length > 1 ? i * (w - left - 60) / (points.length - 1) : 0);
  const y = (v) => h - 16 - (h - 30) * v / max;
  return svg("svg", { class: "chart", viewBox: `0 0 ${w} ${h}`, role: "img", "aria-label": series.map(([key, label]) => label).join(" and ") + " by week" },
    series.map(([key, label, cls, fmt]) => {
      const pts = points.map((p, i) => [i, p[key]]).filter(([, v]) => v !== null && v !== undefined);
      if (!pts.length) return svg("text", { x: left, y: 20 }, label + ": no data yet");
      const last = pts[pts.length - 1];
      return [svg("polyline", { class: cls, points: pts.map(([i, v]) => x(i) + "," + y(v)).join(" ") }),
        pts.map(([i, v]) => svg("circle", { class: cls + "-dot", cx: x(i), cy: y(v), r: 3 })),
        svg("text", { x: left, y: 12 }, label + " on " + points[last[0]].as_of + ": " + fmt(last[1]))];
    }),
    svg("text", { x: left, y: h - 2 }, points.length ? points[0].as_of : ""),
    svg("text", { x: w - 110, y: h - 2 }, points.length ? points[points.length - 1].as_of : ""));
}

const pct = (v) => (v * 100).toFixed(1) + "%";

async function dashboardScreen() {
  show(el("h1", {}, "Dashboard"), el("p", { class: "muted" }, "Loading…"));
  try {
    const { data } = await api("GET", "/api/dashboard?weeks=12");
    show(el("h1", {}, "Dashboard"),
      el("div", { class: "boards", id: "boards" }, data.map((b) => el("section", { class: "card board", "data-practice": b.practice ?? "all" },
        el("h2", {}, b.name),
        el("p", {}, el("strong", {}, money(b.ar_cents)), " in A/R · payers ", money(b.insurance_cents), " · patients ", money(b.patient_cents)),
        el("h3", {}, "A/R by age (days from service)"), barChart(b.aging, money),
        el("h3", {}, "A/R by payer"), barChart(b.by_payer, money),
        el("h3", {}, "Denial reasons, last 30 days"), b.denial_reasons.length ? barChart(b.denial_reasons, String, "bad") : el("p", { class: "muted" }, "No denial."),
        el("h3", {}, "First-pass acceptance, by week"), lineChart(b.trend, [["first_pass_rate", "first pass", "line2", pct]]),
        el("h3", {}, "Days in A/R, by week"), lineChart(b.trend, [["days_in_ar", "days", "line", (v) => v.toFixed(1)]])))));
  } catch (e) {
    show(el("h1", {}, "Dashboard"), failed(e));
  }
}

// ---- Admin -----------------------------------------------------------------------------------

const ADMIN_TABS = [["users", "Users"], ["practices", "Practices"], ["payers", "Payers"], ["fees", "Fee schedules"]];

// "$125", "125.5" or "1,250.00" as cents; null when it is not an amount.
function cents(text) {
  const m = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1].replace(/,/g, "")) * 100 + Number((m[2] || "0").padEnd(2, "0"));
}

// A form whose fields keep what was typed when the server refuses it; the message says why.
function adminForm(id, title, fields, submitLabel, onSubmit) {
  const error = el("p", { class: "error", role: "alert" });
  const form = el("form", { id, class: "card admin-form" }, el("h2", {}, title), fields, error, el("button", { type: "submit" }, submitLabel));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    error.textContent = "";
    try { await onSubmit(form); } catch (e) { error.textContent = e.message; }
  });
  return form;
}

function field(label, name, attrs) {
  return el("label", {}, label, el("input", Object.assign({ name }, attrs || {})));
}

function practiceSelect(name, practices, label) {
  return el("select", { name, "aria-label": label || "Practice" }, practices.map((p) => el("option", { value: p.id }, p.name + " (" + p.id + ")")));
}

function roleSelect(name) {
  return el("select", { name, "aria-label": "Role" }, ["biller", "coder", "auditor", "admin"].map((r) => el("option", { value: r }, r)));
}

async function adminScreen(tab) {
  tab = tab || "users";
  const tabs = el("nav", { class: "toolbar", "aria-label": "Administration" }, ADMIN_TABS.map(([k, label]) =>
    el("a", { href: "#/admin/" + k, class: k === tab ? "tag ok" : "tag" }, label)));
  const body = el("div", { id: "admin-" + tab });
  const message = el("p", { role: "status", id: "admin-message" });
  show(el("h1", {}, "Administration"), tabs, message, body);
  const adminOf = new Set(state.me.grants.filter((g) => g.role === "admin").map((g) => g.practice));
  try {
    const { data: practices } = await api("GET", "/api/practices");
    const mine = practices.filter((p) => adminOf.has(p.id));
    const name = (id) => (practices.find((p) => p.id === id) || { name: "practice " + id }).name;
    const done = async (text, reload) => { message.textContent = text; await reload(); };
    if (tab === "users") await usersTab(body, mine, name, done);
    else if (tab === "practices") await practicesTab(body, practices, done);
    else if (tab === "payers") await payersTab(body, done);
    else await feesTab(body, mine, done);
  } catch (e) {
    body.replaceChildren(failed(e));
  }
}

async function usersTab(body, mine, practiceName, done) {
  const tbody = el("tbody");
  async function load() {
    const { data } = await api("GET", "/api/admin/users");
    tbody.replaceChildren(...data.map((u) => {
      const path = "/api/admin/users/" + u.id;
      const act = (what, fn) => async () => {
        try { await fn(); await done(what, load); } catch (e) { await done(e.message, async () => {}); }
      };
      const grantPractice = practiceSelect("practice", mine, "Practice for " + u.login);
      const grantRole = roleSelect("role");
      const password = el("input", { type: "password", autocomplete: "new-password", placeholder: "new password", "aria-label": "New password for " + u.login, size: 14 });
      const status = [u.disabled ? "disabled" : "", u.locked_until ? "locked until " + u.locked_until.replace("T", " ").slice(0, 16) : "", u.second_factor ? "second factor" : ""].filter(Boolean);
      return el("tr", { "data-user": u.login },
        el("td", { class: "code" }, u.login), el("td", {}, u.name),
        el("td", {}, u.roles.map((g) => el("span", { class: "tag chip" }, practiceName(g.practice) + ": " + g.role, " ",
          el("button", { type: "button", class: "plain small", title: "Take this role away", "aria-label": "Revoke " + g.role + " in " + practiceName(g.practice) + " from " + u.login,
            onclick: act("Took " + g.role + " in " + practiceName(g.practice) + " from " + u.login + ".", () => api("DELETE", path + "/roles?practice=" + g.practice + "&role=" + g.role)) }, "×"))),
          el("div", { class: "inline" }, grantPractice, grantRole,
            el("button", { type: "button", class: "plain small", "data-action": "grant",
              onclick: act("Granted.", () => api("POST", path + "/roles", { practice: Number(grantPractice.value), role: grantRole.value })) }, "Grant"))),
        el("td", {}, status.join(", ") || "active"),
        el("td", {},
          el("button", { type: "button", class: "plain small", "data-action": u.disabled ? "enable" : "disable",
            onclick: act((u.disabled ? "Enabled " : "Disabled ") + u.login + ".", () => api("PUT", path, { disabled: !u.disabled })) }, u.disabled ? "Enable" : "Disable"),
          u.locked_until || u.failed_logins ? el("button", { type: "button", class: "plain small", "data-action": "unlock", onclick: act("Unlocked " + u.login + ".", () => api("PUT", path, { unlock: true })) }, "Unlock") : null,
          el("div", { class: "inline" }, password, el("button", { type: "button", class: "plain small", "data-action": "password",
            onclick: act("New password set for " + u.login + "; their sessions ended.", () => api("PUT", path, { password: password.value })) }, "Set"))));
    }));
  }
  const first = el("div", { class: "inline" }, practiceSelect("practice", mine), roleSelect("role"));
  const form = adminForm("new-user", "Add a user", [
    field("Login", "login", { required: true, autocomplete: "off" }),
    field("Name", "name", { required: true }),
    field("First password (12 characters or more)", "password", { type: "password", required: true, autocomplete: "new-password", minlength: 12 }),
    el("label", {}, "First role", first),
  ], "Add user", async (f) => {
    const e = f.elements;
    await api("POST", "/api/admin/users", { login: e.login.value, name: e.name.value, password: e.password.value,
      roles: [{ practice: Number(e.practice.value), role: e.role.value }] });
    const who = e.login.value;
    f.reset();
    await done("Added " + who + ".", load);
  });
  body.replaceChildren(
    el("table", { id: "users" }, el("thead", {}, el("tr", {}, el("th", {}, "Login"), el("th", {}, "Name"), el("th", {}, "Roles"), el("th", {}, "Status"), el("th", {}, ""))), tbody),
    form);
  await load();
}

async function practicesTab(body, practices, done) {
  const table = el("table", { id: "practices" }, el("thead", {}, el("tr", {}, el("th", {}, "ID"), el("th", {}, "Name"), el("th", {}, "NPI"), el("th", {}, "Tax ID"), el("th", {}, "Claim prefix"), el("th", {}, "Address"))),
    el("tbody", {}, practices.map((p) => el("tr", {}, el("td", {}, p.id), el("td", {}, p.name), el("td", { class: "code" }, p.npi), el("td", {}, p.tax_id),
      el("td", { class: "code" }, p.claim_prefix), el("td", {}, [p.address, p.city, p.state, p.zip].filter(Boolean).join(", "))))));
  const form = adminForm("new-practice", "Add a practice (service admins)", [
    el("div", { class: "grid" },
      field("Name", "name", { required: true }), field("Group NPI", "npi", { required: true, inputmode: "numeric", pattern: "[0-9]{10}" }),
      field("Tax ID (EIN)", "tax_id", { required: true, placeholder: "12-3456789" }), field("Claim prefix (1–6 letters or digits)", "claim_prefix", { required: true, maxlength: 6 }),
      field("Taxonomy", "taxonomy"), field("Street", "address"), field("City", "city"), field("State", "state", { maxlength: 2 }), field("ZIP", "zip")),
  ], "Add practice", async (f) => {
    const v = Object.fromEntries(new FormData(f));
    await api("POST", "/api/practices", v);
    await signedInAgain();
    await done("Added " + v.name + "; you are its admin.", async () => { location.hash = "#/admin/practices"; await adminScreen("practices"); });
  });
  body.replaceChildren(table, form);
}

// The caller's roles changed (a new practice): read them again.
async function signedInAgain() {
  const { data } = await api("GET", "/api/me");
  signedIn(data);
}

async function payersTab(body, done) {
  const tbody = el("tbody");
  let tps = [];
  const form = adminForm("payer", "Add a payer", [
    el("input", { type: "hidden", name: "id", value: "" }),
    el("div", { class: "grid" },
      field("Name", "name", { required: true }), field("Payer ID (EDI)", "code", { required: true }),
      field("Filing indicator (SBR09)", "filing_indicator", { required: true, value: "CI", maxlength: 2, title: "MB Medicare Part B, MA Part A, MC Medicaid, CI commercial, BL Blue Cross…" }),
      field("Timely filing (days)", "timely_filing_days", { type: "number", min: 1, value: 365, required: true }),
      field("Appeal window (days)", "appeal_days", { type: "number", min: 1, value: 120, required: true }),
      el("label", {}, "Clearinghouse", el("select", { name: "trading_partner" }))),
  ], "Save payer", async (f) => {
    const e = f.elements;
    const p = { name: e.name.value, code: e.code.value, filing_indicator: e.filing_indicator.value.toUpperCase(),
      timely_filing_days: Number(e.timely_filing_days.value), appeal_days: Number(e.appeal_days.value),
      trading_partner: e.trading_partner.value ? Number(e.trading_partner.value) : null };
    if (e.id.value) await api("PUT", "/api/payers/" + e.id.value, p);
    else await api("POST", "/api/payers", p);
    f.reset();
    e.id.value = "";
    f.querySelector("h2").textContent = "Add a payer";
    await done("Saved " + p.name + ".", load);
  });
  function edit(p) {
    const e = form.elements;
    e.id.value = p.id;
    for (const k of ["name", "code", "filing_indicator", "timely_filing_days", "appeal_days"]) e[k].value = p[k];
    e.trading_partner.value = p.trading_partner ?? "";
    form.querySelector("h2").textContent = "Change " + p.name;
    e.name.focus();
  }
  async function load() {
    const { data } = await api("GET", "/api/payers");
    tps = data.trading_partners;
    form.elements.trading_partner.replaceChildren(el("option", { value: "" }, "none"), ...tps.map((t) => el("option", { value: t.id }, t.name)));
    tbody.replaceChildren(...data.payers.map((p) => el("tr", { class: "row", tabindex: "0", "data-payer": p.code, onclick: () => edit(p), onkeydown: (ev) => { if (ev.key === "Enter") edit(p); } },
      el("td", {}, p.name), el("td", { class: "code" }, p.code), el("td", {}, p.filing_indicator), el("td", { class: "num" }, p.timely_filing_days),
      el("td", { class: "num" }, p.appeal_days), el("td", {}, (tps.find((t) => t.id === p.trading_partner) || { name: "" }).name))));
  }
  body.replaceChildren(
    el("p", { class: "muted" }, "Payers are shared by every practice; service admins change them. Choose a payer to change it."),
    el("table", { id: "payers" }, el("thead", {}, el("tr", {}, el("th", {}, "Name"), el("th", {}, "Payer ID"), el("th", {}, "Filing"), el("th", { class: "num" }, "Timely filing"), el("th", { class: "num" }, "Appeal days"), el("th", {}, "Clearinghouse"))), tbody),
    form);
  await load();
}

async function feesTab(body, mine, done) {
  if (!mine.length) { body.replaceChildren(el("p", { class: "muted" }, "You administer no practice.")); return; }
  const which = practiceSelect("practice", mine, "Fee schedule of");
  const tbody = el("tbody");
  const path = () => "/api/practices/" + which.value + "/fees";
  async function load() {
    const { data } = await api("GET", path());
    tbody.replaceChildren(...data.map((f) => el("tr", { "data-fee": f.code + (f.modifier ? "-" + f.modifier : "") },
      el("td", { class: "code" }, f.code), el("td", {}, f.modifier), el("td", { class: "num" }, money(f.charge_cents)),
      el("td", {}, el("button", { type: "button", class: "plain small", "data-action": "remove", onclick: async () => {
        try { await api("DELETE", path() + "?code=" + f.code + "&modifier=" + f.modifier); await done("Removed " + f.code + ".", load); } catch (e) { await done(e.message, async () => {}); }
      } }, "Remove")))));
  }
  which.addEventListener("change", () => load().catch((e) => done(e.message, async () => {})));
  const form = adminForm("fee", "Set a fee", [
    el("div", { class: "inline" }, field("Code", "code", { required: true, maxlength: 5, size: 7 }), field("Modifier", "modifier", { maxlength: 2, size: 4 }),
      field("Charge", "charge", { required: true, placeholder: "$125.00", size: 10 })),
  ], "Set fee", async (f) => {
    const e = f.elements;
    const c = cents(e.charge.value);
    if (c === null) throw new Error("Charge: an amount in dollars, like 125 or 125.50.");
    await api("PUT", path(), { code: e.code.value, modifier: e.modifier.value, charge_cents: c });
    const code = e.code.value.toUpperCase();
    f.reset();
    await done("Set the fee for " + code + ". Claims already built keep their charges.", load);
  });
  body.replaceChildren(el("div", { class: "toolbar" }, el("label", {}, "Practice", which)),
    el("table", { id: "fees" }, el("thead", {}, el("tr", {}, el("th", {}, "Code"), el("th", {}, "Modifier"), el("th", { class: "num" }, "Charge"), el("th", {}, ""))), tbody),
    form);
  await load();
}

// ---- Routing and keys ------------------------------------------------------------------------

function route() {
  if (!state.me) return;
  const hash = location.hash || "#/patients";
  const parts = hash.slice(2).split("/");
  for (const a of document.querySelectorAll("#nav a")) {
    a.classList.toggle("active", hash.startsWith(a.getAttribute("href")));
  }
  if (parts[0] === "patients" && parts[1]) return patientScreen(parts[1]);
  if (parts[0] === "claims" && parts[1] === "queue") return claimsScreen(parts[2]);
  if (parts[0] === "claims" && parts[1]) return claimScreen(parts[1]);
  if (parts[0] === "claims") return claimsScreen("ready");
  if (parts[0] === "codes") return codesScreen();
  if (parts[0] === "files") return filesScreen();
  if (parts[0] === "denials") return denialsScreen(parts[1]);
  if (parts[0] === "dashboard") return dashboardScreen();
  if (parts[0] === "coding" && parts[1] === "list") return codingListScreen(parts[2]);
  if (parts[0] === "coding" && parts[1]) return codingScreen(parts[1]);
  if (parts[0] === "coding") return codingListScreen("open");
  if (parts[0] === "audit") return auditScreen();
  if (parts[0] === "admin") return adminScreen(parts[1]);
  return patientsScreen("");
}

function onKey(ev) {
  // Alt+letter moves between screens (the letters are the nav's data-key); "/" focuses search.
  if (ev.altKey && !ev.ctrlKey && !ev.metaKey) {
    const a = document.querySelector(`#nav a[data-key="${ev.key}"]:not([hidden])`);
    if (a) { ev.preventDefault(); location.hash = a.getAttribute("href"); }
  } else if (ev.key === "/" && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) {
    const s = document.querySelector("main input[type=search]");
    if (s) { ev.preventDefault(); s.focus(); }
  }
}

async function start() {
  document.getElementById("login-form").addEventListener("submit", onLogin);
  document.getElementById("logout").addEventListener("click", signOut);
  window.addEventListener("hashchange", route);
  document.addEventListener("keydown", onKey);
  const res = await fetch("/api/me", { credentials: "same-origin" });
  if (res.ok) signedIn(await res.json());
  else await signIn("");
  route();
}

document.addEventListener("DOMContentLoaded", start);
