// The screens in a real browser: sign in, find patients (only one's own practice), open one,
// search codes as you type, read the audit log, sign out; a session that ends keeps the screen.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../server.mjs";
import { launch, shot } from "../browser.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(page, user, password = "superbill-demo") {
  await page.goto(server.url + "/");
  await page.locator("#login-form input[name=username]").fill(user);
  await page.locator("#login-form input[name=password]").fill(password);
  await page.locator("#login-form button[type=submit]").click();
}

test("a biller signs in and sees only their practice's patients", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // Script errors only: the answers the test provokes (401 before sign-in, 404) are expected.
  page.on("console", (m) => { if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text()); });
  await signIn(page, "biller-a");
  await page.locator("#patients tbody tr").first().waitFor();
  assert.equal(await page.locator("#who").textContent(), "biller-a");
  const practices = await page.locator("#patients tbody tr td:nth-child(5)").allTextContents();
  assert.ok(practices.length > 0);
  assert.ok(practices.every((p) => p === "practice 1"), practices.join(","));
  // The audit log is not offered to a biller.
  assert.equal(await page.locator('#nav a[href="#/audit"]').isHidden(), true);
  await shot(page, "patients-biller-a");

  // Find a patient by last name as you type, open the record with the keyboard.
  const first = (await page.locator("#patients tbody tr td:first-child").first().textContent()).split(",")[0];
  await page.locator("main input[type=search]").fill(first.slice(0, 4));
  await page.waitForFunction((n) => [...document.querySelectorAll("#patients tbody tr td:first-child")].every((td) => td.textContent.startsWith(n)), first.slice(0, 4));
  await page.locator("#patients tbody tr").first().focus();
  await page.keyboard.press("Enter");
  await page.locator("h1", { hasText: first }).waitFor();
  await page.locator("text=Coverages").waitFor();
  await shot(page, "patient-detail");

  // A record of the other practice is not found.
  const other = await page.evaluate(async () => {
    const r = await fetch("/api/patients/200");
    return r.status;
  });
  assert.equal(other, 404);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a biller works the claim queues and reads a denied claim's history", async () => {
  const page = await browser.newPage();
  await signIn(page, "biller-a");
  await page.locator("#patients").waitFor();
  await page.keyboard.press("Alt+l");
  await page.locator("h1", { hasText: "Claims" }).waitFor();
  await page.locator('a[href="#/claims/queue/denied"]').click();
  await page.locator("#claims-queue tbody tr").first().waitFor();
  const states = await page.locator("#claims-queue tbody tr td:nth-child(5)").allTextContents();
  assert.ok(states.every((s) => s === "denied"), states.join(","));
  await shot(page, "claims-denied");
  await page.locator("#claims-queue tbody tr").first().click();
  await page.locator("#history").waitFor();
  const history = await page.locator("#history td:nth-child(3)").allTextContents();
  assert.ok(history.some((h) => h.endsWith("→ denied")), history.join(","));
  await page.locator("#lines tbody tr").first().waitFor();
  await shot(page, "claim-detail");
  // The ready queue is the hospital's, which biller-a does not see.
  await page.goto(server.url + "/#/claims/queue/ready");
  await page.locator("text=Nothing in this queue.").waitFor();
  await page.close();
});

test("code search answers while typing", async () => {
  const page = await browser.newPage();
  await signIn(page, "coder");
  await page.locator("#patients").waitFor();
  await page.keyboard.press("Alt+c");
  await page.locator("h1", { hasText: "Code search" }).waitFor();
  await page.keyboard.type("diab", { delay: 40 });
  await page.locator("#codes tr").first().waitFor();
  const codes = await page.locator("#codes td.code").allTextContents();
  assert.ok(codes.length > 0, "results while typing");
  await page.keyboard.type("etes type 2", { delay: 20 });
  await page.locator("#codes td.code", { hasText: "E11" }).first().waitFor();
  await shot(page, "code-search");
  await page.close();
});

test("an auditor reads the audit log, newest first", async () => {
  const page = await browser.newPage();
  await signIn(page, "auditor");
  await page.locator("#patients").waitFor();
  await page.locator('#nav a[href="#/audit"]').click();
  await page.locator("#audit tbody tr").first().waitFor();
  const actions = await page.locator("#audit tbody tr td:nth-child(3)").allTextContents();
  assert.ok(actions.includes("login"), actions.join(","));
  assert.ok(actions.includes("read"), "the biller's read of a patient is there");
  await shot(page, "audit-log");
  // The export downloads the same events as CSV.
  const csv = await page.evaluate(async () => (await fetch(document.querySelector("#audit-export").href)).text());
  assert.ok(csv.startsWith("id,at,user,action,record,practice,address,detail"), csv.slice(0, 80));
  await page.close();
});

test("a session that ends asks to sign in again over the screen, keeping what was typed", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "coder");
  await page.locator("#patients").waitFor();
  await page.locator("main input[type=search]").fill("Zz");
  await page.locator("text=No patient matches.").waitFor();
  // The session ends (signed out elsewhere): the next request asks to sign in again.
  await context.clearCookies();
  await page.locator("main input[type=search]").fill("Zzz");
  await page.locator("#login:not([hidden])").waitFor();
  assert.match(await page.locator("#login-why").textContent(), /session ended/);
  await page.locator("#login-form input[name=username]").fill("coder");
  await page.locator("#login-form input[name=password]").fill("superbill-demo");
  await page.locator("#login-form button[type=submit]").click();
  await page.locator("#login").waitFor({ state: "hidden" });
  assert.equal(await page.locator("main input[type=search]").inputValue(), "Zzz");
  await shot(page, "session-resumed");
  await context.close();
});

test("a wrong password says so; five in a row lock the account", async () => {
  const page = await browser.newPage();
  for (let i = 0; i < 5; i++) {
    await signIn(page, "biller-b", "not the password");
    await page.locator("#login-error:not(:empty)").waitFor();
  }
  await signIn(page, "biller-b");
  await page.locator("#login-error", { hasText: "locked" }).waitFor();
  await shot(page, "locked");
  await page.close();
});

test("a coder codes an encounter from its documentation", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await signIn(page, "coder");
  await page.locator("#who", { hasText: "coder" }).waitFor();
  await page.keyboard.press("Alt+o");
  await page.locator("#worklist tbody tr").first().waitFor();
  const before = await page.locator("#worklist tbody tr").count();
  await page.locator("#worklist tbody tr").first().click();
  await page.locator("#note", { hasText: "diabetes" }).waitFor();
  // Results while typing; Enter adds the first one as the principal diagnosis.
  await page.locator("#coding-search").fill("diabetes");
  await page.locator("#coding-results tr").first().waitFor();
  await page.locator("#coding-search").press("Enter");
  await page.locator("#diagnoses li").first().waitFor();
  await page.locator("#coding-search").fill("hypertension");
  await page.locator("#coding-results tr").first().waitFor();
  await page.locator("#coding-search").press("Enter");
  await page.locator("#diagnoses li").nth(1).waitFor();
  // The check ran: the scrubber's answer on the claim this coding makes is shown.
  await page.locator("#coding-findings").getByText(/scrubber|Rule/).first().waitFor();
  await shot(page, "coding-screen");
  await page.locator("#save-coding").click();
  await page.locator("#coding-saved", { hasText: "Saved" }).waitFor();
  assert.equal(await page.locator("#encounter-status").textContent(), "coded");
  await page.goto(server.url + "/#/coding/list/open");
  await page.locator("#worklist tbody tr").first().waitFor();
  assert.equal(await page.locator("#worklist tbody tr").count(), before - 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test("an admin submits a batch, downloads the 837 and posts the payer's 835", async () => {
  const { mkdtempSync, readFileSync, readdirSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { execFileSync } = await import("node:child_process");
  const { binary } = await import("../server.mjs");
  const page = await browser.newPage({ acceptDownloads: true });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // (biller-b is locked by the lockout test; the admin works both practices.)
  await signIn(page, "admin");
  await page.locator("#who", { hasText: "admin" }).waitFor();
  await page.keyboard.press("Alt+f");
  await page.locator('button[data-practice="2"]').click();
  await page.locator("#download-837").waitFor();
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#download-837").click()]);
  const dir = mkdtempSync(join(tmpdir(), "superbill-e2e-files-"));
  const batch = join(dir, "batch.837");
  await download.saveAs(batch);
  assert.ok(readFileSync(batch, "utf8").startsWith("ISA"));
  // The test payer answers the batch: a 999, a 277CA and an 835.
  execFileSync(binary(), ["demo", "payer", batch, "--out", dir, "--paid-on", "2026-07-01"], {
    env: { ...process.env, SUPERBILL_DATA_DIR: join(dir, "data"), SUPERBILL_TODAY: "2026-07-01" },
  });
  const eraName = readdirSync(dir).find((f) => f.endsWith(".835"));
  assert.ok(eraName, readdirSync(dir).join(","));
  // Two CLPs name claims that are not ours (the second one's PCN mistyped by the payer): both go
  // to suspense.
  const { writeFileSync } = await import("node:fs");
  const era = join(dir, "stranger.835");
  const original = readFileSync(join(dir, eraName), "latin1");
  const mistyped = [...original.matchAll(/CLP\*([^*]+)\*/g)][1][1];
  let n = 0;
  writeFileSync(era, original.replace(/CLP\*[^*]+\*/g, (m) => (++n <= 2 ? "CLP*ZZNOTOURS" + n + "*" : m)), "latin1");
  await page.locator("#upload-file").setInputFiles(era);
  await page.locator("#upload").click();
  await page.locator("#deposit", { hasText: "balanced" }).waitFor();
  await page.locator("#suspense tr[data-suspense]", { hasText: "ZZNOTOURS1" }).waitFor();
  await shot(page, "posting");
  const row = page.locator("#suspense tr[data-suspense]", { hasText: "ZZNOTOURS1" });
  await row.locator("input[name=resolution]").fill("not our patient: returned to the payer");
  await row.getByRole("button", { name: "Resolve" }).click();
  await page.locator("#suspense-status", { hasText: "Resolved." }).waitFor();
  assert.equal(await page.locator("#suspense tr[data-suspense]", { hasText: "ZZNOTOURS1" }).count(), 0);
  // The second was for one of ours: applied to it, it is posted and leaves the queue.
  const typo = page.locator("#suspense tr[data-suspense]", { hasText: "ZZNOTOURS2" });
  await typo.locator("input[name=pcn]").fill("NOSUCHCLAIM");
  await typo.getByRole("button", { name: "Apply" }).click();
  await page.locator("#suspense-status", { hasText: "no claim of your practices" }).waitFor();
  await typo.locator("input[name=pcn]").fill(mistyped);
  await typo.getByRole("button", { name: "Apply" }).click();
  await page.locator("#suspense-status", { hasText: "Applied to claim " + mistyped }).waitFor();
  assert.equal(await page.locator("#suspense tr[data-suspense]", { hasText: "ZZNOTOURS2" }).count(), 0);
  // The same file again changes nothing, and says so.
  await page.locator("#upload").click();
  await page.locator("#posting", { hasText: "already posted" }).waitFor();
  // A file of the wrong kind says what is wrong.
  await page.locator("#upload-file").setInputFiles(batch);
  await page.locator("#upload").click();
  await page.locator("#files-error", { hasText: "837" }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test("a biller works a denial: assign, appeal, correct", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await signIn(page, "biller-a");
  await page.locator("#who", { hasText: "biller-a" }).waitFor();
  await page.keyboard.press("Alt+d");
  await page.locator("#denials tr[data-denial]").first().waitFor();
  const before = await page.locator("#denials tr[data-denial]").count();
  await shot(page, "denials");
  const first = page.locator("#denials tr[data-denial]").first();
  await first.locator('input[placeholder="login"]').fill("coder");
  await first.getByRole("button", { name: "Assign" }).click();
  await page.locator("#denials-message", { hasText: "Assigned to coder" }).waitFor();
  // An appeal without its reason is refused and says so; with one, it goes.
  const next = page.locator("#denials tr[data-denial]").first();
  await next.getByRole("button", { name: "Appeal" }).click();
  await page.locator("#denials-message", { hasText: "reason" }).waitFor();
  const appealed = await next.locator("a").first().getAttribute("href");
  await next.locator('input[placeholder="appeal reason"]').fill("the service was authorized, reference 123");
  await next.getByRole("button", { name: "Appeal" }).click();
  await page.locator("#denials-message", { hasText: "appealed" }).waitFor();
  // The appealed claim's screen offers its letter, which carries the reason.
  await page.goto(server.url + "/" + appealed);
  await page.locator("#appeal-letter").waitFor();
  const letter = await page.evaluate(async (href) => {
    const pdf = await fetch(href);
    const text = await fetch(href + "?format=text");
    return { type: pdf.headers.get("content-type"), text: await text.text() };
  }, await page.locator("#appeal-letter").getAttribute("href"));
  assert.equal(letter.type, "application/pdf");
  assert.ok(letter.text.includes("the service was authorized, reference 123"), letter.text);
  await shot(page, "appealed-claim");
  await page.keyboard.press("Alt+d");
  await page.locator("#denials tr[data-denial]").first().waitFor();
  await page.locator("#denials tr[data-denial]").first().getByRole("button", { name: "Correct" }).click();
  await page.locator("#denials-message", { hasText: "Replacement claim built" }).waitFor();
  assert.ok(await page.locator("#denials tr[data-denial]").count() < before);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the admin's dashboard shows each practice and the total as charts", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await signIn(page, "admin");
  await page.locator("#who", { hasText: "admin" }).waitFor();
  await page.keyboard.press("Alt+h");
  await page.locator("#boards .board").first().waitFor();
  await shot(page, "dashboard");
  assert.equal(await page.locator("#boards .board").count(), 3);
  assert.equal(await page.locator('#boards .board[data-practice="all"] h2').textContent(), "All practices");
  assert.ok(await page.locator("#boards svg.chart rect").count() > 0);
  assert.ok(await page.locator("#boards svg.chart polyline").count() > 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test("an admin adds a user with a role, who then signs in; a fee is set and a bad one explained", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await signIn(page, "admin");
  await page.locator("#who", { hasText: "admin" }).waitFor();
  await page.keyboard.press("Alt+m");
  await page.locator('#users tr[data-user="biller-a"]').waitFor();
  const form = page.locator("#new-user");
  await form.locator("input[name=login]").fill("biller-e2e");
  await form.locator("input[name=name]").fill("E2E Biller");
  // Too short: the server says why and what was typed stays.
  await form.locator("input[name=password]").fill("short-pw-1!");
  await form.evaluate((f) => f.querySelector("input[name=password]").removeAttribute("minlength"));
  await form.getByRole("button", { name: "Add user" }).click();
  await form.locator(".error", { hasText: "at least 12 characters" }).waitFor();
  assert.equal(await form.locator("input[name=login]").inputValue(), "biller-e2e");
  await form.locator("input[name=password]").fill("a long enough phrase");
  await form.locator("select[name=role]").selectOption("biller");
  await form.getByRole("button", { name: "Add user" }).click();
  await page.locator('#users tr[data-user="biller-e2e"]').waitFor();
  assert.match(await page.locator('#users tr[data-user="biller-e2e"]').textContent(), /: biller/);
  await shot(page, "admin-users");
  // Fee schedule: a bad amount is explained; a good one is listed.
  await page.locator('nav a[href="#/admin/fees"]').click();
  await page.locator("#fee").waitFor();
  await page.locator("#fee input[name=code]").fill("99215");
  await page.locator("#fee input[name=charge]").fill("twelve");
  await page.getByRole("button", { name: "Set fee" }).click();
  await page.locator("#fee .error", { hasText: "an amount in dollars" }).waitFor();
  await page.locator("#fee input[name=charge]").fill("$245.50");
  await page.getByRole("button", { name: "Set fee" }).click();
  await page.locator('#fees tr[data-fee="99215"]', { hasText: "$245.50" }).waitFor();
  await shot(page, "admin-fees");
  await page.locator("#logout").click();
  // The new user signs in and sees the practice's patients.
  await page.locator("#login-form input[name=username]").fill("biller-e2e");
  await page.locator("#login-form input[name=password]").fill("a long enough phrase");
  await page.locator("#login-form button[type=submit]").click();
  await page.locator("#who", { hasText: "biller-e2e" }).waitFor();
  await page.goto(server.url + "/#/patients");
  await page.locator("#patients tbody tr").first().waitFor();
  assert.ok(await page.locator('#nav a[href="#/admin"]').isHidden());
  assert.deepEqual(errors, []);
  await page.close();
});

test("a biller fixes a scrubber finding on the claim's screen", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await signIn(page, "admin");
  await page.locator("#who", { hasText: "admin" }).waitFor();
  // The corrections made on the Denials screen wait here, not yet submitted.
  await page.goto(server.url + "/#/claims/queue/ready,scrubbed");
  await page.locator("#claims-queue tbody tr").first().click();
  await page.locator("#save-claim").waitFor();
  const principal = page.locator("#claim-dx li input.code").first();
  const code = await principal.inputValue();
  // A category instead of a billable code: the scrubber holds the claim and says why.
  await principal.fill("E11");
  await page.locator("#save-claim").click();
  await page.locator("#claim-message", { hasText: "still holds it" }).waitFor();
  assert.equal(await page.locator("#claim-state").textContent(), "scrubbed");
  assert.ok((await page.locator("#findings").textContent()).includes("E11"));
  await shot(page, "claim-held");
  // Fixed: ready again, and the history says what was done.
  await page.locator("#claim-dx li input.code").first().fill(code);
  await page.locator("#save-claim").click();
  await page.locator("#claim-message", { hasText: "ready to submit" }).waitFor();
  assert.equal(await page.locator("#claim-state").textContent(), "ready");
  assert.ok((await page.locator("#history").textContent()).includes("edited: diagnoses"));
  // A malformed modifier is refused with the line and what was typed stays.
  await page.locator('#lines tr[data-line="1"] input[name=modifiers]').fill("2");
  await page.locator("#save-claim").click();
  await page.locator("#claim-error", { hasText: "line 1: modifier" }).waitFor();
  assert.equal(await page.locator('#lines tr[data-line="1"] input[name=modifiers]').inputValue(), "2");
  await shot(page, "claim-fixed");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a biller sends the statements, then reads a patient's encounters, ledger and statement", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await signIn(page, "biller-a");
  await page.locator("#who", { hasText: "biller-a" }).waitFor();
  await page.keyboard.press("Alt+f");
  await page.locator('button[data-statements="1"]').click();
  await page.locator("#statements-sent", { hasText: "statements sent" }).waitFor();
  const first = page.locator("#statements-list li").first();
  const due = (await first.textContent()).split(" · ")[1];
  const href = await first.locator("a").getAttribute("href");
  await shot(page, "statements-sent");
  // A second click the same day sends nothing twice, and says so.
  await page.locator('button[data-statements="1"]').click();
  await page.locator("#statements-sent", { hasText: "today already" }).waitFor();
  // The guarantor's screen: encounters, the ledger with its running balance, the statement.
  await page.goto(server.url + "/" + href);
  await page.locator("#ledger tbody tr").first().waitFor();
  assert.ok(await page.locator("#encounters tbody tr").count() > 0);
  const balances = await page.locator("#ledger tbody tr td:last-child").allTextContents();
  assert.ok(balances.length > 0);
  // The last balance is what the patient and the payers owe; no missing value shows as text.
  const owed = await page.locator("#balances").textContent();
  assert.doesNotMatch(await page.locator("#main").textContent(), /\bnull\b|\bundefined\b|NaN/);
  assert.ok(owed.includes("Patient owes"), owed);
  assert.match(await page.locator("#encounters tbody").textContent(), /[A-Z]\d\d\.\w/);
  await page.locator("#statements tbody tr").first().getByRole("button", { name: "View" }).click();
  await page.locator("#statement-text", { hasText: "AMOUNT DUE" }).waitFor();
  assert.ok((await page.locator("#statement-text").textContent()).length > 100);
  assert.equal(await page.locator("#statements tbody tr td:nth-child(2)").first().textContent(), due.replace(" due", ""));
  await shot(page, "patient-ledger");
  assert.deepEqual(errors, []);
  await page.close();
});
