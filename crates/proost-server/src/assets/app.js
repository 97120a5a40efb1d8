// Proost web UI: a little script over the REST API. Values are inserted with textContent
// only, never as HTML.
"use strict";

const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

async function api(method, path, body, accept) {
  const headers = { "Content-Type": "application/json", "X-CSRF-Token": csrf() };
  if (accept) headers["Accept"] = accept;
  const res = await fetch("/api/v1" + path, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    let msg = res.status + " " + res.statusText;
    let code = "";
    try { const e = await res.json(); code = e.error.code; msg = e.error.message + " (" + code + ")"; } catch (_) {}
    // Written for people: the API's own text speaks of cookies and bearer tokens.
    if (res.status === 401 && code === "unauthenticated" && csrf()) msg = "Your session has expired — log in again.";
    if (res.status === 429) msg = "Too many attempts — wait a few minutes and try again." + (code ? " (" + code + ")" : "");
    const err = new Error(msg);
    err.code = code;
    err.status = res.status;
    err.login = res.status === 401 && csrf() !== "";
    throw err;
  }
  return res;
}

// An error where the page shows errors; an expired session gets a link back to log in that
// returns here afterwards.
function showErrorIn(target, err) {
  if (!target) return;
  target.replaceChildren();
  if (!err) return;
  target.append(err.message);
  if (err.login) {
    const a = document.createElement("a");
    a.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
    a.textContent = "Log in";
    target.append(" ", a);
  }
}

function formData(form) {
  return Object.fromEntries(new FormData(form).entries());
}

function showError(form, err) {
  showErrorIn(form.querySelector(".error"), err);
}

function onSubmit(id, handler) {
  const form = document.getElementById(id);
  if (!form) return;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showError(form, null);
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    try { await handler(formData(form)); }
    catch (err) { showError(form, err); }
    finally { if (button) button.disabled = false; }
  });
}

async function login(email, password, provider) {
  const body = { email, password };
  // "ldap" checks the password against the directory (offered when it is configured).
  if (provider && provider !== "password") body.provider = provider;
  await api("POST", "/session", body);
  window.location.assign(nextPage());
}

// Where to go after logging in: the page that sent us to log in, if it is one of ours.
function nextPage() {
  const next = new URLSearchParams(location.search).get("next") || "";
  return /^\/(?![\/\\])/.test(next) ? next : "/";
}

onSubmit("setup-form", async (d) => {
  await api("POST", "/setup", { token: d.token, email: d.email, name: d.name, password: d.password });
  // The token is spent: take it out of the address bar and history.
  history.replaceState(null, "", "/setup");
  await login(d.email, d.password);
});

onSubmit("login-form", async (d) => login(d.email, d.password, d.provider));

onSubmit("connection-form", async (d) => {
  const body = { name: d.name, kind: d.kind, url: d.url };
  if (d.region && d.region.trim()) body.region = d.region.trim();
  await api("POST", "/connections", body);
  window.location.reload();
});

document.getElementById("logout")?.addEventListener("click", async () => {
  try { await api("DELETE", "/session"); } finally { window.location.assign("/login"); }
});

document.getElementById("delete-connection")?.addEventListener("click", async (ev) => {
  const b = ev.currentTarget;
  if (!confirm("Delete the connection " + b.dataset.name + "? Proost forgets its credentials.")) return;
  b.disabled = true;
  try {
    await api("DELETE", "/connections/" + encodeURIComponent(b.dataset.id));
    window.location.assign("/connections");
  } catch (err) { alert(err.message); b.disabled = false; }
});

// ---- Replicas (connection page) ----
const replicas = document.getElementById("replicas");
if (replicas) {
  const conn = encodeURIComponent(replicas.dataset.id);
  onSubmit("replica-form", async (d) => {
    const body = { table: d.table, mode: d.mode };
    for (const k of ["cursor_column", "key_column", "schedule", "max_staleness"]) if (d[k]) body[k] = d[k];
    await api("POST", "/connections/" + conn + "/replicas", body);
    window.location.reload();
  });
  document.getElementById("sync-now")?.addEventListener("click", async (ev) => {
    // The button, kept: `ev.currentTarget` is null once the handler has awaited.
    const button = ev.currentTarget;
    const status = document.getElementById("sync-status");
    button.disabled = true;
    status.className = "muted";
    status.textContent = "Syncing…";
    try {
      const res = await api("POST", "/connections/" + conn + "/sync?wait=true", {});
      const out = await res.json();
      const results = out.results || [];
      const failed = results.filter((r) => r.status === "failed");
      if (!results.length) {
        status.textContent = "Nothing to sync: this connection has no replica yet.";
      } else if (failed.length) {
        status.className = "error";
        status.textContent = failed.length + " of " + results.length + " failed: " + failed[0].error.message;
      } else {
        status.className = "ok";
        status.textContent = "Synced " + results.length + (results.length === 1 ? " table." : " tables.");
        setTimeout(() => window.location.reload(), 600);
      }
    } catch (err) {
      status.className = "error";
      status.textContent = err.message;
    } finally { button.disabled = false; }
  });
  for (const b of document.querySelectorAll(".delete-replica")) {
    b.addEventListener("click", async () => {
      if (!confirm("Remove this replica and its files?")) return;
      b.disabled = true;
      try {
        await api("DELETE", "/connections/" + conn + "/replicas/" + encodeURIComponent(b.dataset.replica));
        window.location.reload();
      } catch (err) { alert(err.message); b.disabled = false; }
    });
  }
}

// ---- SQL editor ----
const sqlBox = document.getElementById("sql");
let editor = null;
let grid = null;
let running = null;

// A name for each run, so Cancel can stop it at the source.
function newQueryId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function queryBody(text) {
  const body = { sql: text === undefined ? sqlBox.value : text };
  const target = document.getElementById("target").value;
  if (target) body.connection = target;
  const limit = parseInt(document.getElementById("limit").value, 10);
  if (limit > 0) body.limit = limit;
  return body;
}

// A short result gets a short grid; a long one scrolls inside at most 70% of the window.
function fitGrid(box, rows) {
  const want = 34 + Math.max(rows, 1) * 28 + 18;
  box.style.height = Math.min(want, Math.max(240, Math.min(640, window.innerHeight * 0.7))) + "px";
}

function resultGrid() {
  if (!grid) grid = new ProostGrid(document.getElementById("grid"), { label: "Query result" });
  return grid;
}

// "from replica v3 · cached" — where the answer came from, in a few words.
function servedFrom(result) {
  const parts = [];
  const from = new Set((result.sources || []).map((s) => s.served_from === "replica" ? "replica v" + s.version : "live"));
  if (from.size) parts.push("from " + [...from].join(", "));
  if (result.cache === "hit" || result.cache === "stale") parts.push("cached");
  return parts.length ? " · " + parts.join(" · ") : "";
}

function seconds(ms) { return (ms / 1000).toFixed(1) + " s"; }

async function runQuery(text) {
  if (running) return;
  const status = document.getElementById("status");
  const error = document.querySelector("#result .error");
  const runButton = document.getElementById("run");
  const cancelButton = document.getElementById("cancel");
  showErrorIn(error, null);
  delete status.dataset.rows;
  const body = queryBody(text);
  body.query_id = newQueryId();
  const started = performance.now();
  running = { id: body.query_id };
  runButton.disabled = true;
  cancelButton.hidden = false;
  cancelButton.disabled = false;
  status.textContent = "Running… 0.0 s";
  const timer = setInterval(() => {
    if (running && !running.cancelling) status.textContent = "Running… " + seconds(performance.now() - started);
  }, 100);
  try {
    const res = await api("POST", "/query", body);
    const result = await res.json();
    fitGrid(document.getElementById("grid"), result.rows.length);
    resultGrid().render(result);
    const masked = result.columns.filter((c) => c.mask).length;
    status.textContent = result.row_count + (result.row_count === 1 ? " row" : " rows") +
      " in " + result.elapsed_ms + " ms" + (result.truncated ? " — truncated at the row limit" : "") +
      servedFrom(result) + (masked ? " · " + masked + (masked === 1 ? " column" : " columns") + " masked for you" : "");
    status.dataset.rows = String(result.row_count);
    loadHistory();
  } catch (err) {
    loadHistory();
    if (err.code === "query_cancelled") {
      status.textContent = "Cancelled after " + seconds(performance.now() - started) + ".";
    } else {
      status.textContent = "";
      showErrorIn(error, err);
    }
    resultGrid().clear();
  } finally {
    clearInterval(timer);
    running = null;
    runButton.disabled = false;
    cancelButton.hidden = true;
  }
}

async function cancelQuery() {
  if (!running) return;
  const cancelButton = document.getElementById("cancel");
  cancelButton.disabled = true;
  running.cancelling = true;
  document.getElementById("status").textContent = "Cancelling…";
  try {
    await api("POST", "/query/" + encodeURIComponent(running.id) + "/cancel");
  } catch (err) {
    // Already finished: its answer is on its way.
    if (err.code !== "query_not_running") showErrorIn(document.querySelector("#result .error"), err);
  }
}

async function downloadCsv(button) {
  const error = document.querySelector("#result .error");
  showErrorIn(error, null);
  button.disabled = true;
  const label = button.textContent;
  button.textContent = "Preparing CSV…";
  try {
    const res = await api("POST", "/query", queryBody(editor ? editor.getSelectionOrAll() : undefined), "text/csv");
    const blob = await res.blob();
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "proost-result.csv";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  } catch (err) {
    showErrorIn(error, err);
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

// ---- Query history and the draft (the caller's own, sealed server-side) ----
let historyTimer = null;
async function loadHistory() {
  const list = document.getElementById("history-list");
  if (!list) return;
  const q = document.getElementById("history-q").value.trim();
  try {
    const res = await api("GET", "/history?limit=30" + (q ? "&q=" + encodeURIComponent(q) : ""));
    const { entries } = await res.json();
    list.replaceChildren();
    document.getElementById("history-empty").hidden = entries.length > 0 || q !== "";
    for (const e of entries) {
      const li = document.createElement("li");
      const meta = document.createElement("div");
      meta.className = "history-meta";
      const when = new Date(e.at);
      meta.textContent = when.toLocaleString() + " · " +
        (e.error_code ? "failed (" + e.error_code + ")" : (e.rows ?? 0) + " rows") +
        " · " + Math.round(e.elapsed_ms) + " ms · " + e.served_from + (e.connection ? " · on " + e.connection : "");
      if (e.error_code) meta.classList.add("error");
      const code = document.createElement("code");
      code.textContent = e.sql.length > 400 ? e.sql.slice(0, 400) + "…" : e.sql;
      const open = document.createElement("button");
      open.type = "button";
      open.textContent = "Open";
      open.addEventListener("click", () => {
        if (editor) editor.setValue(e.sql); else sqlBox.value = e.sql;
        document.getElementById("target").value = e.connection || "";
        window.scrollTo({ top: 0 });
      });
      const again = document.createElement("button");
      again.type = "button";
      again.textContent = "Run again";
      again.addEventListener("click", () => {
        if (editor) editor.setValue(e.sql); else sqlBox.value = e.sql;
        document.getElementById("target").value = e.connection || "";
        runQuery(e.sql);
      });
      li.append(meta, code, open, again);
      list.appendChild(li);
    }
  } catch (_) { /* the history is a convenience; the editor works without it */ }
}

// Tabs: several queries side by side, kept together as the person's draft (JSON).
const tabs = { list: [], active: 0 };

function editorText() { return editor ? editor.getValue() : sqlBox.value; }
function setEditorText(t) { if (editor) editor.setValue(t); else sqlBox.value = t; }

function drawTabs() {
  const bar = document.getElementById("sql-tabs");
  if (!bar) return;
  bar.replaceChildren();
  tabs.list.forEach((t, i) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "tab" + (i === tabs.active ? " active" : "");
    b.setAttribute("aria-pressed", String(i === tabs.active));
    b.textContent = t.name;
    b.addEventListener("click", () => switchTab(i));
    bar.appendChild(b);
    if (tabs.list.length > 1 && i === tabs.active) {
      const x = document.createElement("button");
      x.type = "button";
      x.className = "tab-close";
      x.title = "Close this tab";
      x.setAttribute("aria-label", "Close " + t.name);
      x.textContent = "×";
      x.addEventListener("click", () => closeTab(i));
      bar.appendChild(x);
    }
  });
  const add = document.createElement("button");
  add.type = "button";
  add.className = "tab-add";
  add.title = "New tab";
  add.setAttribute("aria-label", "New tab");
  add.textContent = "+";
  add.addEventListener("click", () => {
    tabs.list[tabs.active].sql = editorText();
    let n = tabs.list.length + 1;
    while (tabs.list.some((t) => t.name === "Query " + n)) n++;
    tabs.list.push({ name: "Query " + n, sql: "" });
    switchTab(tabs.list.length - 1, true);
  });
  bar.appendChild(add);
}

function switchTab(i, keepCurrent) {
  if (!keepCurrent) tabs.list[tabs.active].sql = editorText();
  tabs.active = i;
  setEditorText(tabs.list[i].sql);
  drawTabs();
  saveDraftSoon();
  if (editor) editor.focus();
}

function closeTab(i) {
  tabs.list.splice(i, 1);
  tabs.active = Math.max(0, Math.min(tabs.active, tabs.list.length - 1));
  setEditorText(tabs.list[tabs.active].sql);
  drawTabs();
  saveDraftSoon();
}

let draftTimer = null;
function saveDraftSoon() {
  clearTimeout(draftTimer);
  draftTimer = setTimeout(() => {
    if (tabs.list.length) tabs.list[tabs.active].sql = editorText();
    const text = JSON.stringify({ v: 1, tabs: tabs.list, active: tabs.active });
    api("PUT", "/drafts/sql", { text }).catch(() => {});
  }, 800);
}

async function loadDraft() {
  tabs.list = [{ name: "Query 1", sql: editorText() }];
  tabs.active = 0;
  try {
    const res = await api("GET", "/drafts/sql");
    const { text } = await res.json();
    if (text && text.trim()) {
      let saved = null;
      try { saved = JSON.parse(text); } catch (_) { /* an older draft: plain text */ }
      if (saved && saved.v === 1 && Array.isArray(saved.tabs) && saved.tabs.length) {
        tabs.list = saved.tabs.map((t, i) => ({ name: String(t.name || "Query " + (i + 1)), sql: String(t.sql || "") }));
        tabs.active = Math.min(Math.max(0, saved.active | 0), tabs.list.length - 1);
      } else {
        tabs.list = [{ name: "Query 1", sql: text }];
      }
      setEditorText(tabs.list[tabs.active].sql);
    }
  } catch (_) { /* no draft yet: the example stays */ }
  drawTabs();
}

if (sqlBox) {
  if (window.ProostEditor) {
    let schema = {};
    try { schema = JSON.parse(sqlBox.dataset.schema || "{}"); } catch (_) {}
    editor = ProostEditor.mount(sqlBox, { schema, label: "SQL editor", onRun: (text) => runQuery(text) });
    document.getElementById("format")?.addEventListener("click", () => { editor.format(); editor.focus(); });
  } else {
    document.getElementById("format")?.remove();
    sqlBox.addEventListener("keydown", (ev) => {
      if ((ev.ctrlKey || ev.metaKey) && ev.key === "Enter") { ev.preventDefault(); runQuery(); }
    });
  }
  document.getElementById("run").addEventListener("click", () => runQuery(editor ? editor.getSelectionOrAll() : undefined));
  sqlBox.addEventListener("input", saveDraftSoon);
  document.getElementById("history-q").addEventListener("input", () => {
    clearTimeout(historyTimer);
    historyTimer = setTimeout(loadHistory, 250);
  });
  loadDraft().then(() => loadHistory());
  document.getElementById("cancel").addEventListener("click", cancelQuery);
  document.getElementById("csv").addEventListener("click", (ev) => downloadCsv(ev.currentTarget));
  for (const b of document.querySelectorAll("button.table-ref")) {
    b.addEventListener("click", () => {
      if (editor) editor.setValue(b.dataset.sql); else sqlBox.value = b.dataset.sql;
      document.getElementById("target").value = "";
      runQuery(b.dataset.sql);
    });
  }
}

// ---- Data browser: a table's rows, filtered and sorted by clicking ----
const browse = document.getElementById("browse");
if (browse) {
  const state = { filters: [], sort: [] };
  const status = document.getElementById("browse-status");
  const error = browse.querySelector(".error");
  const chips = document.getElementById("browse-active");
  const box = document.getElementById("browse-grid");
  const browseGrid = new ProostGrid(box, { label: "Rows of " + browse.dataset.table });
  const OPS = { eq: "is", ne: "is not", contains: "contains", starts_with: "starts with", gt: ">", ge: "≥", lt: "<", le: "≤", is_null: "is empty", not_null: "is not empty" };

  async function load() {
    showErrorIn(error, null);
    status.textContent = "Loading…";
    const started = performance.now();
    try {
      const res = await api("POST", "/browse", {
        connection: browse.dataset.connection, schema: browse.dataset.schema, table: browse.dataset.table,
        filters: state.filters, sort: state.sort, limit: 500,
      });
      const result = await res.json();
      fitGrid(box, result.rows.length);
      browseGrid.render(result);
      // Show the server's order in the header (the rows already come sorted).
      const key = state.sort[0];
      const col = key ? result.columns.findIndex((c) => c.name === key.column) : -1;
      if (col >= 0) { quiet = true; browseGrid.sortBy(col, key.desc ? "desc" : "asc"); quiet = false; }
      const masked = result.columns.filter((c) => c.mask).length;
      status.textContent = (result.truncated ? "First " : "") + result.row_count +
        (result.row_count === 1 ? " row" : " rows") + " in " + Math.round(performance.now() - started) + " ms" +
        (state.sort.length ? " · sorted by " + state.sort[0].column + (state.sort[0].desc ? " (descending)" : "") : "") +
        (masked ? " · " + masked + (masked === 1 ? " column" : " columns") + " masked for you" : "") +
        " · click a column header to sort";
      status.dataset.rows = String(result.row_count);
    } catch (err) {
      status.textContent = "";
      showErrorIn(error, err);
    }
    drawChips();
  }

  function drawChips() {
    chips.replaceChildren();
    state.filters.forEach((f, i) => {
      const chip = document.createElement("button");
      chip.type = "button";
      chip.className = "chip";
      chip.title = "Remove this filter";
      chip.textContent = f.column + " " + OPS[f.op] + (f.value === undefined ? "" : " " + f.value) + "  ✕";
      chip.addEventListener("click", () => { state.filters.splice(i, 1); load(); });
      chips.appendChild(chip);
    });
  }

  // Sorting asks the server, so the order covers every row, not just those shown.
  let quiet = false;
  box.addEventListener("proostgrid:sort", (ev) => {
    if (quiet) return;
    const d = ev.detail;
    state.sort = d.direction === "none" ? [] : [{ column: d.name, desc: d.direction === "descending" }];
    load();
  });
  // Clicking a cell proposes "column is value" in the filter form.
  box.addEventListener("proostgrid:select", (ev) => {
    const d = ev.detail;
    if (d.row < 0 || d.rows > 1 || d.columns > 1) return;
    const form = document.getElementById("browse-filter");
    const name = browseGrid.columns[d.column]?.name;
    const text = browseGrid.selectionText();
    if (!name) return;
    form.elements.column.value = name;
    form.elements.op.value = "eq";
    form.elements.value.value = text;
  });
  document.getElementById("browse-filter").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const d = formData(ev.currentTarget);
    const f = { column: d.column, op: d.op };
    if (d.op !== "is_null" && d.op !== "not_null") f.value = d.value;
    state.filters.push(f);
    load();
  });
  load();
}

// ---- Admin and account pages: forms and buttons that call the API ----
// <form class="api-form" data-method data-path|data-path-template [data-show=field]>:
// fields become the JSON body (empty ones left out; data-json fields parsed, data-number
// fields as numbers; a `principal` of "user:ID"/"group:ID" becomes {user|group: ID}).
for (const form of document.querySelectorAll("form.api-form")) {
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showError(form, null);
    const out = form.querySelector(".result");
    if (out) out.textContent = "";
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    try {
      const body = {};
      for (const el of form.elements) {
        if (!el.name || el.value === "") continue;
        if (el.dataset.json !== undefined) body[el.name] = JSON.parse(el.value);
        else if (el.dataset.number !== undefined) body[el.name] = Number(el.value);
        else body[el.name] = el.value;
      }
      if (typeof body.principal === "string") {
        const [kind, id] = body.principal.split(":");
        body.principal = { [kind]: id };
      }
      let path = form.dataset.path;
      if (form.dataset.pathTemplate) {
        path = form.dataset.pathTemplate.replace(/\{(\w+)\}/g, (_, k) => {
          const v = body[k]; delete body[k]; return encodeURIComponent(v);
        });
      }
      const res = await api(form.dataset.method, path, body);
      const data = res.status === 204 ? {} : await res.json();
      const show = form.dataset.show;
      if (show && data[show] && out) {
        // Shown once, with a copy button; the lists around it are refreshed in place so
        // the new person (or token) shows without losing the link.
        showSecret(out, data[show], data.invite_emailed);
        form.reset();
        await refreshParts();
      } else {
        window.location.reload();
      }
    } catch (err) { showError(form, err); }
    finally { if (button) button.disabled = false; }
  });
}

// A secret shown once (an invite link, a token): absolute for links, and a Copy button.
function showSecret(out, value, emailed) {
  const text = value.startsWith("/") ? location.origin + value : value;
  out.replaceChildren();
  const code = document.createElement("code");
  code.textContent = text;
  const copy = document.createElement("button");
  copy.type = "button";
  copy.className = "copy";
  copy.textContent = "Copy";
  copy.addEventListener("click", async () => {
    try { await navigator.clipboard.writeText(text); copy.textContent = "Copied"; }
    catch (_) { copy.textContent = "Select and copy it by hand"; }
  });
  const note = document.createElement("small");
  note.className = "muted";
  note.textContent = emailed ? " Also emailed to them." : " Shown once: send it to them.";
  out.append(code, " ", copy, note);
}

// Replaces the page's [data-refresh] parts (by id) with fresh ones from the server.
async function refreshParts() {
  const parts = document.querySelectorAll("[data-refresh][id]");
  if (!parts.length) return;
  try {
    const res = await fetch(location.href, { credentials: "same-origin" });
    const doc = new DOMParser().parseFromString(await res.text(), "text/html");
    for (const p of parts) {
      const fresh = doc.getElementById(p.id);
      if (fresh) p.replaceWith(document.importNode(fresh, true));
    }
  } catch (_) { /* the next reload shows it */ }
}

// Buttons that call the API, delegated so refreshed parts keep working. Progress while the
// call runs; a failure is said beside the button, which is usable again.
document.addEventListener("click", async (ev) => {
  const b = ev.target.closest ? ev.target.closest("button.act") : null;
  if (!b) return;
  if (b.dataset.confirm && !confirm(b.dataset.confirm)) return;
  let note = b.nextElementSibling && b.nextElementSibling.classList.contains("act-note") ? b.nextElementSibling : null;
  if (!note) {
    note = document.createElement("span");
    note.className = "act-note";
    note.setAttribute("role", "status");
    b.after(note);
  }
  note.className = "act-note muted";
  note.textContent = " working…";
  b.disabled = true;
  try {
    const res = await api(b.dataset.method, b.dataset.path, b.dataset.body ? JSON.parse(b.dataset.body) : undefined);
    if (b.dataset.show) {
      const data = await res.json();
      note.className = "act-note result";
      showSecret(note, data[b.dataset.show] || "", data.invite_emailed);
      b.disabled = false;
      return;
    }
    note.className = "act-note ok";
    note.textContent = " done";
    window.location.reload();
  } catch (err) {
    note.className = "act-note error";
    note.textContent = " " + err.message;
    b.disabled = false;
  }
});

// Downloads through fetch so the CSRF-free GET carries the session cookie like any page.
for (const a of document.querySelectorAll("a[data-download]")) {
  a.addEventListener("click", async (ev) => {
    ev.preventDefault();
    const res = await fetch(a.getAttribute("href"), { headers: { Accept: "application/x-ndjson" }, credentials: "same-origin" });
    const blob = await res.blob();
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = a.dataset.download;
    link.click();
    URL.revokeObjectURL(link.href);
  });
}

onSubmit("invite-form", async (d) => {
  const token = location.hash.slice(1);
  if (!token) throw new Error("This page needs the whole invite link, including the part after #.");
  const res = await api("POST", "/invites/accept", { token, password: d.password });
  const user = await res.json();
  history.replaceState(null, "", "/invite");
  await login(user.email, d.password);
});

onSubmit("reset-form", async (d) => {
  const token = location.hash.slice(1);
  if (!token) throw new Error("This page needs the whole reset link, including the part after #.");
  const res = await api("POST", "/password/reset", { token, password: d.password });
  const user = await res.json();
  history.replaceState(null, "", "/reset");
  await login(user.email, d.password);
});

onSubmit("forgot-form", async (d) => {
  const form = document.getElementById("forgot-form");
  await api("POST", "/password/forgot", { email: d.email });
  form.querySelector(".ok").textContent =
    "If " + d.email + " is the address of an account, a link is on its way. It works once, for an hour.";
});

// Public links: the admin's switch, and revoking a link.
(() => {
  const settings = document.getElementById("pl-settings");
  const say = (t) => { const s = document.getElementById("pl-status"); if (s) s.textContent = t; };
  settings?.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const body = { enabled: settings.enabled.checked, max_days: Number(settings.max_days.value) };
      await api("PUT", "/public-links/settings", body);
      say(body.enabled ? "Public links are on. They show only what the group Public links is granted." : "Public links are off: every link stops working now.");
    } catch (e) { showErrorIn(document.getElementById("pl-status"), e); }
  });
  document.querySelectorAll(".pl-revoke").forEach((b) => b.addEventListener("click", async () => {
    try {
      await api("DELETE", "/public-links/" + encodeURIComponent(b.dataset.id));
      b.closest("tr").querySelector("td:nth-child(5)").textContent = "revoked";
      b.remove();
      say("Revoked: the link stopped working.");
    } catch (e) { showErrorIn(document.getElementById("pl-status"), e); }
  }));
})();

// ---- Privacy requests: the public form and the code that confirms it ----
(function privacyRequests() {
  const form = document.getElementById("privacy-file");
  if (form) {
    const kind = form.elements.kind;
    const sync = () => {
      for (const l of form.querySelectorAll("label[data-for]")) {
        const on = l.dataset.for === kind.value;
        l.hidden = !on;
        for (const i of l.querySelectorAll("input")) i.required = on && i.name === "passphrase";
      }
    };
    kind.addEventListener("change", sync);
    sync();
    onSubmit("privacy-file", async (d) => {
      const identifiers = {};
      for (const k of ["phone", "customer_id", "national_id"]) if (d[k]) identifiers[k] = d[k];
      const details = {};
      if (d.kind === "access") details.passphrase = d.passphrase;
      if (d.kind === "correction") {
        if (d.new_name) details.name = d.new_name;
        if (d.new_email) details.email = d.new_email;
      }
      const res = await api("POST", "/privacy/requests", {
        kind: d.kind, subject: { email: d.email, identifiers }, details,
      });
      const filed = await res.json();
      if (filed.status === "verifying") {
        window.location.href = "/privacy/request/" + encodeURIComponent(filed.id);
      } else {
        form.replaceChildren();
        const p = document.createElement("p");
        p.className = "ok";
        p.textContent = "Received. We answer by " + filed.due_at.slice(0, 10) + " at the latest; you get an email at each step.";
        form.append(p);
      }
    });
  }
  const verify = document.getElementById("privacy-verify");
  if (verify) {
    onSubmit("privacy-verify", async (d) => {
      await api("POST", "/privacy/requests/" + encodeURIComponent(verify.dataset.id) + "/verify", { code: d.code });
      verify.querySelector(".ok").textContent = "Confirmed. Your request is being reviewed; you get an email at each step.";
      verify.querySelector("button[type=submit]").hidden = true;
    });
  }
})();
