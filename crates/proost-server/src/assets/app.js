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
    try { const e = await res.json(); msg = e.error.message + " (" + e.error.code + ")"; } catch (_) {}
    throw new Error(msg);
  }
  return res;
}

function formData(form) {
  return Object.fromEntries(new FormData(form).entries());
}

function showError(form, err) {
  const p = form.querySelector(".error");
  if (p) p.textContent = err ? err.message : "";
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
  window.location.assign("/sql");
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
  await api("DELETE", "/connections/" + encodeURIComponent(b.dataset.id));
  window.location.assign("/connections");
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
    const status = document.getElementById("sync-status");
    ev.currentTarget.disabled = true;
    status.textContent = "Syncing…";
    try {
      const res = await api("POST", "/connections/" + conn + "/sync?wait=true", {});
      const out = await res.json();
      const failed = out.results.filter((r) => r.status === "failed");
      status.textContent = failed.length ? failed.length + " failed: " + failed[0].error.message : "Done.";
      if (!failed.length) window.location.reload();
    } catch (err) { status.textContent = err.message; }
    finally { ev.currentTarget.disabled = false; }
  });
  for (const b of document.querySelectorAll(".delete-replica")) {
    b.addEventListener("click", async () => {
      if (!confirm("Remove this replica and its files?")) return;
      await api("DELETE", "/connections/" + conn + "/replicas/" + encodeURIComponent(b.dataset.replica));
      window.location.reload();
    });
  }
}

// ---- SQL editor ----
const sqlBox = document.getElementById("sql");

function queryBody() {
  const body = { sql: sqlBox.value };
  const target = document.getElementById("target").value;
  if (target) body.connection = target;
  const limit = parseInt(document.getElementById("limit").value, 10);
  if (limit > 0) body.limit = limit;
  return body;
}

function renderGrid(result) {
  const grid = document.getElementById("grid");
  grid.replaceChildren();
  const thead = grid.createTHead();
  const hr = thead.insertRow();
  for (const col of result.columns) {
    const th = document.createElement("th");
    th.textContent = col.name;
    th.title = col.type;
    if (["integer", "float", "decimal"].includes(col.type)) th.className = "num";
    hr.appendChild(th);
  }
  const tbody = grid.createTBody();
  for (const row of result.rows) {
    const tr = tbody.insertRow();
    row.forEach((v, i) => {
      const td = tr.insertCell();
      if (v === null) { td.textContent = "NULL"; td.className = "null"; }
      else if (result.columns[i].type === "float" && typeof v === "number") {
        // Twelve significant digits hide binary floating-point noise (0.1 + 0.2).
        td.textContent = String(Number(v.toPrecision(12)));
      }
      else td.textContent = typeof v === "object" ? JSON.stringify(v) : String(v);
      if (["integer", "float", "decimal"].includes(result.columns[i].type)) td.classList.add("num");
    });
  }
}

// "from replica v3 · cached" — where the answer came from, in a few words.
function servedFrom(result) {
  const parts = [];
  const from = new Set((result.sources || []).map((s) => s.served_from === "replica" ? "replica v" + s.version : "live"));
  if (from.size) parts.push("from " + [...from].join(", "));
  if (result.cache === "hit" || result.cache === "stale") parts.push("cached");
  return parts.length ? " · " + parts.join(" · ") : "";
}

async function runQuery() {
  const status = document.getElementById("status");
  const error = document.querySelector("#result .error");
  error.textContent = "";
  status.textContent = "Running…";
  document.getElementById("run").disabled = true;
  try {
    const res = await api("POST", "/query", queryBody());
    const result = await res.json();
    renderGrid(result);
    status.textContent = result.row_count + (result.row_count === 1 ? " row" : " rows") +
      " in " + result.elapsed_ms + " ms" + (result.truncated ? " — truncated at the row limit" : "") +
      servedFrom(result);
    status.dataset.rows = String(result.row_count);
  } catch (err) {
    status.textContent = "";
    error.textContent = err.message;
    document.getElementById("grid").replaceChildren();
  } finally {
    document.getElementById("run").disabled = false;
  }
}

async function downloadCsv() {
  const error = document.querySelector("#result .error");
  error.textContent = "";
  try {
    const res = await api("POST", "/query", queryBody(), "text/csv");
    const blob = await res.blob();
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "proost-result.csv";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  } catch (err) {
    error.textContent = err.message;
  }
}

if (sqlBox) {
  document.getElementById("run").addEventListener("click", runQuery);
  document.getElementById("csv").addEventListener("click", downloadCsv);
  for (const b of document.querySelectorAll("button.table-ref")) {
    b.addEventListener("click", () => {
      sqlBox.value = b.dataset.sql;
      document.getElementById("target").value = "";
      runQuery();
    });
  }
  sqlBox.addEventListener("keydown", (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key === "Enter") { ev.preventDefault(); runQuery(); }
  });
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
        // Shown once: absolute for links, as-is for tokens.
        out.textContent = data[show].startsWith("/") ? location.origin + data[show] : data[show];
        form.reset();
      } else {
        window.location.reload();
      }
    } catch (err) { showError(form, err); }
    finally { if (button) button.disabled = false; }
  });
}

for (const b of document.querySelectorAll("button.act")) {
  b.addEventListener("click", async () => {
    if (b.dataset.confirm && !confirm(b.dataset.confirm)) return;
    try {
      await api(b.dataset.method, b.dataset.path, b.dataset.body ? JSON.parse(b.dataset.body) : undefined);
      window.location.reload();
    } catch (err) { alert(err.message); }
  });
}

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
