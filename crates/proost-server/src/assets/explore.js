// Questions, the builder and dashboards: results drawn by ProostGrid, charts by ProostChart
// from options the server built. Values go in with textContent only. Uses app.js's api().
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const $ = (s) => document.querySelector(s);

  // Column formats and conditional colours of a table (`visualization.columns` and
  // `.conditional`, checked by the server when saved).
  function cellHooks(grid, result, chart) {
    const names = (result.columns || []).map((c) => c.name);
    const formats = names.map((n) => (chart.columns || {})[n]);
    grid.formatCell = (j, v) => {
      const f = formats[j];
      if (!f || !f.format || f.format === "plain") return undefined;
      let text;
      const d = f.decimals;
      const n = Number(v);
      if (f.format === "date") text = String(v).slice(0, 10);
      else if (Number.isNaN(n)) return undefined;
      else if (f.format === "currency") text = new Intl.NumberFormat(undefined, { style: "currency", currency: f.currency || "USD", minimumFractionDigits: d, maximumFractionDigits: d }).format(n);
      else if (f.format === "percent") text = new Intl.NumberFormat(undefined, { style: "percent", minimumFractionDigits: d ?? 0, maximumFractionDigits: d ?? 1 }).format(n);
      else text = new Intl.NumberFormat(undefined, { minimumFractionDigits: d, maximumFractionDigits: d ?? 2 }).format(n);
      return (f.prefix || "") + text + (f.suffix || "");
    };
    const rules = (chart.conditional || []).map((r) => ({ ...r, j: names.indexOf(r.column) })).filter((r) => r.j >= 0);
    const test = (op, a, b) => {
      const [x, y] = typeof b === "number" ? [Number(a), b] : [String(a), String(b)];
      return op === "eq" ? x === y : op === "ne" ? x !== y : op === "gt" ? x > y : op === "ge" ? x >= y : op === "lt" ? x < y : x <= y;
    };
    grid.toneCell = rules.length ? (j, v) => {
      if (v === null || v === undefined) return null;
      const r = rules.find((r) => r.j === j && test(r.op, v, r.value));
      return r ? r.color : null;
    } : null;
  }

  function draw(result, chartEl, gridEl) {
    const chart = result.chart || { kind: "table" };
    if (chartEl) ProostChart.draw(chartEl, chart);
    if (gridEl) {
      gridEl.hidden = chart.kind !== "table" && chart.kind !== undefined && gridEl.dataset.always !== "1";
      if (!gridEl.grid) gridEl.grid = new ProostGrid(gridEl);
      cellHooks(gridEl.grid, result, chart);
      gridEl.grid.render(result);
      const details = gridEl.closest("details");
      if (details && (chart.kind === "table" || !chart.kind)) details.open = true;
    }
  }

  function status(el, text) { if (el) el.textContent = text; }

  // Drill-through: a click on a value opens the underlying rows as a new builder question
  // (the clicked value, or the clicked period of a date bucket, as a filter).
  function period(bucket, label) {
    const pad = (n) => String(n).padStart(2, "0");
    let m;
    if (bucket === "year" && (m = /^(\d{4})/.exec(label))) return [m[1] + "-01-01", (Number(m[1]) + 1) + "-01-01"];
    if (bucket === "month" && (m = /^(\d{4})-(\d{2})/.exec(label))) {
      const y = Number(m[1]), mo = Number(m[2]);
      return [m[1] + "-" + m[2] + "-01", (mo === 12 ? y + 1 : y) + "-" + pad(mo === 12 ? 1 : mo + 1) + "-01"];
    }
    if (bucket === "day" && (m = /^(\d{4})-(\d{2})-(\d{2})/.exec(label))) {
      const next = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1));
      return [m[0], next.toISOString().slice(0, 10)];
    }
    return null;
  }
  function drill(spec, breakout, value) {
    if (!spec || !breakout || value === undefined || value === null || breakout.bin) return;
    let conds;
    if (breakout.bucket) {
      const p = period(breakout.bucket, String(value));
      if (!p) return;
      conds = [{ column: breakout.column, op: "ge", value: p[0] }, { column: breakout.column, op: "lt", value: p[1] }];
    } else {
      conds = [{ column: breakout.column, op: "eq", value }];
    }
    const rows = { v: 1, source: spec.source, joins: spec.joins, columns: spec.columns,
      filter: { and: [spec.filter].filter(Boolean).concat(conds) }, limit: 2000 };
    location.href = "/questions/new#" + encodeURIComponent(JSON.stringify(rows));
  }

  // A click on a value with a click target set opens that question or dashboard, the
  // value passed as its parameter or filter.
  function follow(click, value) {
    if (!click || value === undefined || value === null) return false;
    const path = click.question ? "/questions/" + encodeURIComponent(click.question)
      : click.dashboard ? "/dashboards/" + encodeURIComponent(click.dashboard) : null;
    if (!path) return false;
    const name = click.param || click.filter;
    location.href = path + (name ? "?" + new URLSearchParams({ [name]: String(value) }) : "");
    return true;
  }

  // Values given in the address (`?region=North`, from a click elsewhere) fill the form.
  function prefill(form) {
    const given = new URLSearchParams(location.search);
    form?.querySelectorAll("input").forEach((i) => { if (given.has(i.name)) i.value = given.get(i.name); });
  }

  // A question: `runReq(body)` answers its run (a saved question's, or a public link's).
  function question(q, runReq, opts) {
    // The rows come a page at a time, sorted on the server.
    const table = { offset: 0, size: 200, sort: [] };
    const pager = document.createElement("div");
    pager.className = "toolbar pager";
    const prev = Object.assign(document.createElement("button"), { type: "button", textContent: "Previous rows" });
    const next = Object.assign(document.createElement("button"), { type: "button", textContent: "Next rows" });
    const where = document.createElement("span");
    where.className = "muted";
    pager.append(prev, where, next);
    pager.hidden = true;
    $("#result").after(pager);
    let restoring = false;
    const run = async () => {
      const params = {};
      document.querySelectorAll("#params input").forEach((i) => { if (i.value !== "") params[i.name] = i.value; });
      status($("#q-status"), "Running…");
      try {
        const res = await runReq({ params, table });
        draw(res, $("#chart"), $("#result"));
        const p = res.page || { offset: 0, total_rows: res.row_count };
        const shown = (res.rows || []).length;
        pager.hidden = p.total_rows <= shown && p.offset === 0;
        where.textContent = "Rows " + (shown ? p.offset + 1 : 0) + "–" + (p.offset + shown) + " of " + p.total_rows;
        prev.disabled = p.offset === 0;
        next.disabled = p.offset + shown >= p.total_rows;
        // Show the server's order on the header (sorting a sorted page changes nothing).
        const key = table.sort[0];
        const grid = $("#result").grid;
        if (key && grid) {
          const j = (res.columns || []).findIndex((c) => c.name === key.column);
          restoring = true;
          if (j >= 0) grid.sortBy(j, key.desc ? "desc" : "asc");
          restoring = false;
        }
        status($("#q-status"), p.total_rows + " rows · " + res.elapsed_ms + " ms · " + res.cache);
      } catch (e) { showErrorIn($("#q-status"), e); }
    };
    prev.addEventListener("click", () => { table.offset = Math.max(0, table.offset - table.size); run(); });
    next.addEventListener("click", () => { table.offset += table.size; run(); });
    $("#result").addEventListener("proostgrid:sort", (ev) => {
      if (restoring) return;
      table.sort = ev.detail.direction === "none" ? [] : [{ column: ev.detail.name, desc: ev.detail.direction === "descending" }];
      table.offset = 0;
      run();
    });
    prefill($("#params"));
    $("#params")?.addEventListener("submit", (ev) => { ev.preventDefault(); table.offset = 0; run(); });
    const spec = q.dataset.spec ? JSON.parse(q.dataset.spec) : null;
    const click = q.dataset.click ? JSON.parse(q.dataset.click) : null;
    $("#chart").addEventListener("proostchart:click", (ev) => {
      const value = ev.detail.name ?? (ev.detail.row || [])[0];
      if (!opts.links || follow(click, value)) return;
      const by = spec && spec.breakouts && spec.breakouts[0];
      drill(spec, by, value);
    });
    run();
  }
  const q = $("#question");
  if (q) question(q, async (body) => (await api("POST", "/questions/" + q.dataset.id + "/run", body)).json(), { links: true });

  // The builder.
  const b = $("#builder");
  if (b) {
    const data = JSON.parse(b.dataset.catalog);
    const catalog = data.tables;
    const foreignKeys = data.keys || [];
    const table = $("#b-table");
    const jtable = $("#b-jtable");
    for (const name of Object.keys(catalog)) { table.append(new Option(name, name)); jtable.append(new Option(name, name)); }
    const short = (t) => t.split(".").pop();
    // Columns of the joined table are written table.column.
    const columns = () => {
      const own = catalog[table.value] || [];
      if (!jtable.value || short(jtable.value) === short(table.value)) return own;
      return own.concat((catalog[jtable.value] || []).map((c) => short(jtable.value) + "." + c));
    };
    const refill = (sel, list) => {
      const keep = sel.value;
      while (sel.options.length > 1) sel.remove(1);
      for (const c of list) sel.append(new Option(c, c));
      if (list.includes(keep)) sel.value = keep;
    };
    const fill = () => {
      for (const id of ["#b-fcol", "#b-aggcol", "#b-group"]) refill($(id), columns());
      refill($("#b-jleft"), catalog[table.value] || []);
      refill($("#b-jright"), catalog[jtable.value] || []);
    };
    // Joins along a foreign key between the source table and the joined one (either way):
    // its columns are pre-selected and the join names all of its column pairs.
    const jleft = $("#b-jleft"), jright = $("#b-jright");
    const side = (t, cols) => short(t) + (cols.length === 1 ? "." + cols[0] : "(" + cols.join(", ") + ")");
    const keysBetween = (src, joined) => {
      const out = [];
      if (!src || !joined || short(src) === short(joined)) return out;
      for (const k of foreignKeys) {
        if (k.table === joined && k.ref === src) out.push({ left: k.ref_columns, right: k.columns, label: side(joined, k.columns) + " → " + side(src, k.ref_columns) });
        if (k.table === src && k.ref === joined) out.push({ left: k.columns, right: k.ref_columns, label: side(src, k.columns) + " → " + side(joined, k.ref_columns) });
      }
      return out;
    };
    let keys = [];
    const alongKey = () => keys.length > 0 && jleft.value === keys[0].left[0] && jright.value === keys[0].right[0];
    const sayKey = () => {
      $("#b-jkey").textContent = alongKey()
        ? "along foreign key " + keys[0].label + (keys.length > 1 ? " (one of " + keys.length + " keys; pick the columns for another)" : "")
        : "";
    };
    const pickKey = () => {
      keys = keysBetween(table.value, jtable.value);
      if (keys.length > 0) { jleft.value = keys[0].left[0]; jright.value = keys[0].right[0]; }
      sayKey();
    };
    table.addEventListener("change", () => { fill(); pickKey(); });
    jtable.addEventListener("change", () => { fill(); pickKey(); });
    jleft.addEventListener("change", sayKey);
    jright.addEventListener("change", sayKey);
    fill();
    let drilled = null;
    if (location.hash.length > 1) {
      try { drilled = JSON.parse(decodeURIComponent(location.hash.slice(1))); } catch (_) {}
      if (drilled && drilled.source && drilled.source.table) { table.value = drilled.source.table; fill(); }
    }
    const spec = () => {
      if (drilled) return drilled;
      const s = { v: 1, source: { table: table.value } };
      if (jtable.value && jleft.value && jright.value && short(jtable.value) !== short(table.value)) {
        const on = alongKey() ? keys[0].left.map((left, i) => ({ left, right: keys[0].right[i] }))
          : [{ left: jleft.value, right: jright.value }];
        s.joins = [{ table: jtable.value, kind: "left", on }];
      }
      const name = $("#b-cname").value.trim(), expr = $("#b-cexpr").value.trim();
      if (name && expr) s.columns = [{ name, expression: expr }];
      const fcol = $("#b-fcol").value, fop = $("#b-fop").value, fval = $("#b-fval").value;
      if (fcol) {
        s.filter = fop === "relative" ? { column: fcol, op: "relative", amount: -Number(fval || 30), unit: "day" }
          : { column: fcol, op: fop, value: fop === "not_null" ? undefined : (fval !== "" && !isNaN(fval) ? Number(fval) : fval) };
      }
      const agg = $("#b-agg").value, group = $("#b-group").value;
      if (agg) s.aggregations = [agg === "count" ? { op: "count" } : { op: agg, column: $("#b-aggcol").value }];
      if (group) {
        s.breakouts = [{ column: group, bucket: $("#b-bucket").value || undefined }];
        if (agg) s.order = [{ column: s.breakouts[0].bucket ? short(group) + "_" + s.breakouts[0].bucket : short(group) }];
      }
      if (!agg && !group) s.limit = 2000;
      return s;
    };
    b.querySelectorAll("select, input").forEach((el) => el.addEventListener("change", () => { drilled = null; }));
    $("#builder-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      status($("#b-status"), "Running…");
      try {
        const res = await (await api("POST", "/builder/run", { builder: spec(), visualization: { type: $("#b-viz").value } })).json();
        draw(res, $("#chart"), $("#result"));
        status($("#b-status"), (drilled ? "The rows behind the value you clicked (change any field to start a new question) · " : "") +
          res.row_count + " rows · " + res.elapsed_ms + " ms");
      } catch (e) { showErrorIn($("#b-status"), e); }
    });
    $("#b-sql").addEventListener("click", async () => {
      try {
        const res = await (await api("POST", "/builder/sql", { builder: spec() })).json();
        $("#b-sqltext").textContent = res.sql;
        $("#b-sqltext").hidden = false;
      } catch (e) { showErrorIn($("#b-status"), e); }
    });
    $("#b-save").addEventListener("click", async () => {
      const name = $("#b-name").value.trim();
      if (!name) { status($("#b-status"), "Give the question a name first."); $("#b-name").focus(); return; }
      try {
        const res = await (await api("POST", "/questions", { name, query: { builder: spec() }, visualization: { type: $("#b-viz").value } })).json();
        location.href = "/questions/" + res.id;
      } catch (e) { showErrorIn($("#b-status"), e); }
    });
    if (drilled) $("#builder-form").requestSubmit();
  }

  // A dashboard: one batched run for every card; cards placed on a 24-column grid.
  function dashboard(d, layout, runReq, opts) {
    const grid = $("#d-grid");
    const cards = {};
    // Tabs: cards name theirs; cards without one show on every tab.
    const tabs = layout.tabs || [];
    const showTab = (name) => {
      grid.querySelectorAll(".dash-card").forEach((el) => { el.hidden = !!el.dataset.tab && el.dataset.tab !== name; });
      document.querySelectorAll("#d-tabs button").forEach((btn) => btn.setAttribute("aria-selected", String(btn.textContent === name)));
      window.dispatchEvent(new Event("resize"));
    };
    if (tabs.length) {
      const bar = document.createElement("div");
      bar.id = "d-tabs"; bar.className = "tabs"; bar.setAttribute("role", "tablist");
      for (const name of tabs) {
        const btn = document.createElement("button");
        btn.type = "button"; btn.setAttribute("role", "tab"); btn.textContent = name;
        btn.addEventListener("click", () => showTab(name));
        bar.append(btn);
      }
      grid.before(bar);
    }
    layout.cards.forEach((c, i) => {
      const id = c.id || String(i);
      const el = document.createElement("article");
      el.className = "dash-card";
      if (c.tab) el.dataset.tab = c.tab;
      el.style.gridColumn = (c.x + 1) + " / span " + c.w;
      el.style.gridRow = (c.y + 1) + " / span " + c.h;
      if (c.heading) { el.classList.add("heading"); const h = document.createElement("h2"); h.textContent = c.heading; el.append(h); }
      else if (c.text) { el.classList.add("text"); const p = document.createElement("p"); p.textContent = c.text; el.append(p); }
      else {
        const fig = document.createElement("figure");
        fig.className = "chart";
        // Cross-filtering: a clicked value sets the dashboard filter wired to this card's
        // first column, and every card it targets runs again.
        fig.addEventListener("proostchart:click", (ev) => {
          const first = cards[id] && cards[id].columns && cards[id].columns[0];
          const value = ev.detail.name ?? (ev.detail.row || [])[0];
          if (opts.links && follow(c.click, value)) return;
          if (!first || value === undefined || value === null) return;
          const f = (layout.filters || []).find((f) => f.targets.some((t) => String(t.card) === id && t.field === first));
          if (!f) { status($("#d-status"), "No dashboard filter uses " + first + "; add one to filter the other cards by it."); return; }
          const input = document.querySelector("#d-filters input[name='" + CSS.escape(f.name) + "']");
          if (input) { input.value = value; run(); }
        });
        const table = document.createElement("div");
        const err = document.createElement("p");
        err.className = "error"; err.setAttribute("role", "status");
        el.append(fig, table, err);
        cards[id] = { fig, table, err, columns: null };
      }
      grid.append(el);
    });
    if (tabs.length) showTab(tabs[0]);

    // Layout editing: drag a card to move it, drag its corner to resize; whole grid cells.
    const place = (el, c) => {
      el.style.gridColumn = (c.x + 1) + " / span " + c.w;
      el.style.gridRow = (c.y + 1) + " / span " + c.h;
    };
    let editing = false;
    const cell = () => {
      const r = grid.getBoundingClientRect();
      return { w: (r.width + 12) / 24, h: 52, left: r.left, top: r.top };
    };
    grid.querySelectorAll(".dash-card").forEach((el, i) => {
      const c = layout.cards[i];
      const handle = document.createElement("span");
      handle.className = "resize-handle"; handle.hidden = true; handle.setAttribute("aria-hidden", "true");
      el.append(handle);
      const drag = (resize) => (ev) => {
        if (!editing || (!resize && ev.target === handle)) return;
        ev.preventDefault();
        const g = cell(), start = { x: ev.clientX, y: ev.clientY, c: { ...c } };
        const move = (m) => {
          const dx = Math.round((m.clientX - start.x) / g.w), dy = Math.round((m.clientY - start.y) / g.h);
          if (resize) { c.w = Math.max(1, Math.min(24 - c.x, start.c.w + dx)); c.h = Math.max(1, start.c.h + dy); }
          else { c.x = Math.max(0, Math.min(24 - c.w, start.c.x + dx)); c.y = Math.max(0, start.c.y + dy); }
          place(el, c);
        };
        const up = () => { window.removeEventListener("pointermove", move); window.removeEventListener("pointerup", up); window.dispatchEvent(new Event("resize")); };
        window.addEventListener("pointermove", move);
        window.addEventListener("pointerup", up);
      };
      el.addEventListener("pointerdown", drag(false));
      handle.addEventListener("pointerdown", drag(true));
    });
    $("#d-edit")?.addEventListener("click", (ev) => {
      editing = !editing;
      ev.target.setAttribute("aria-pressed", String(editing));
      ev.target.textContent = editing ? "Stop editing" : "Edit layout";
      d.classList.toggle("editing", editing);
      grid.querySelectorAll(".resize-handle").forEach((h) => { h.hidden = !editing; });
      $("#d-save").hidden = !editing;
    });
    $("#d-save")?.addEventListener("click", async () => {
      try {
        await api("PATCH", "/dashboards/" + d.dataset.id, { cards: layout.cards });
        status($("#d-status"), "Layout saved (a new version of the dashboard).");
      } catch (e) { showErrorIn($("#d-status"), e); }
    });
    const run = async () => {
      const filters = {};
      document.querySelectorAll("#d-filters input").forEach((i) => {
        if (i.value !== "") filters[i.name] = i.dataset.type === "number" ? Number(i.value) : i.value;
      });
      status($("#d-status"), "Loading…");
      const pdf = $("#d-pdf");
      if (pdf) pdf.href = pdf.href.split("&")[0] + (Object.keys(filters).length ? "&filters=" + encodeURIComponent(JSON.stringify(filters)) : "");
      const t0 = performance.now();
      try {
        const res = await runReq({ filters });
        for (const c of res.cards) {
          const slot = cards[c.card];
          if (!slot) continue;
          slot.err.textContent = "";
          if (c.error) { slot.err.textContent = c.error.message + " (" + c.error.code + ")"; ProostChart.dispose(slot.fig); continue; }
          slot.columns = (c.result.columns || []).map((col) => col.name);
          draw(c.result, slot.fig, slot.table);
        }
        const n = res.cards.length;
        status($("#d-status"), n + (n === 1 ? " card" : " cards") + " in " + Math.round(performance.now() - t0) + " ms");
        d.dataset.drawn = "1";
      } catch (e) { showErrorIn($("#d-status"), e); }
    };
    prefill($("#d-filters"));
    $("#d-filters")?.addEventListener("submit", (ev) => { ev.preventDefault(); run(); });
    $("#d-refresh").addEventListener("click", run);
    $("#d-full").addEventListener("click", () => d.requestFullscreen?.());
    if (layout.refresh_seconds >= 30) setInterval(run, layout.refresh_seconds * 1000);
    run();
  }
  const d = $("#dashboard");
  if (d) dashboard(d, JSON.parse(d.dataset.layout), async (body) => (await api("POST", "/dashboards/" + d.dataset.id + "/run", body)).json(), { links: true });

  // A public link (`/public#token`): the page is built from what the link shows, and runs
  // go through the link, as its restricted principal.
  const pub = $("#public");
  if (pub) {
    const token = location.hash.slice(1);
    // Another link pasted into this tab changes only the fragment: open that one.
    window.addEventListener("hashchange", () => location.reload());
    const runReq = async (body) => (await api("POST", "/public/run", { token, ...body })).json();
    const el = (tag, props, ...kids) => { const e = Object.assign(document.createElement(tag), props || {}); e.append(...kids); return e; };
    const form = (id, fields) => {
      const f = el("form", { id, className: "toolbar" });
      for (const x of fields) {
        const input = el("input", { name: x.name, type: x.type === "number" || x.type === "integer" ? "number" : x.type === "date" ? "date" : "text" });
        input.dataset.type = x.type;
        if (x.default !== undefined && x.default !== null) input.value = String(x.default);
        f.append(el("label", {}, x.name + " ", input));
      }
      f.append(el("button", { type: "submit", className: "primary", textContent: "Apply" }));
      return f;
    };
    (async () => {
      try {
        if (!token) throw new Error("This link is incomplete: copy the whole address, including the part after #.");
        const v = await (await api("POST", "/public/open", { token })).json();
        document.title = v.name + " · Proost";
        const head = el("div", { className: "toolbar" }, el("h1", { textContent: v.name }), el("span", { className: "spacer" }));
        const about = v.description ? [el("p", { className: "muted", textContent: v.description })] : [];
        if (v.kind === "question") {
          const sec = el("section", { id: "question", className: "card" }, head, ...about);
          if (v.params.length) sec.append(form("params", v.params));
          sec.append(el("p", { id: "q-status", className: "muted", textContent: "Running…" }), el("div", { id: "chart", className: "chart" }));
          const rows = el("details", { id: "q-table" }, el("summary", { textContent: "Rows" }), el("div", { id: "result" }));
          rows.querySelector("#result").dataset.always = "1";
          sec.append(rows);
          pub.replaceChildren(sec);
          question(sec, runReq, { links: false });
        } else {
          const layout = v.dashboard;
          head.append(el("button", { id: "d-full", type: "button", textContent: "Full screen" }), el("button", { id: "d-refresh", type: "button", textContent: "Refresh" }));
          const sec = el("section", { id: "dashboard" }, head, ...about);
          if (layout.filters.length) sec.append(form("d-filters", layout.filters.map((f) => ({ name: f.name, type: f.type, default: f.default }))));
          sec.append(el("p", { id: "d-status", className: "muted", textContent: "Loading…" }), el("div", { id: "d-grid", className: "dash-grid" }));
          pub.replaceChildren(sec);
          dashboard(sec, layout, runReq, { links: false });
        }
      } catch (e) { showErrorIn($("#p-status"), e); }
    })();
  }

  // Share (owners) and subscribe.
  const act = $("#actions");
  if (act) {
    const object = { [act.dataset.kind]: act.dataset.id };
    const say = (t) => status($("#actions-status"), t);
    $("#share-form")?.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const f = ev.target, kind = f.principal_kind.value, who = f.who.value.trim();
      try {
        // People are named by email, groups by name, as they are typed.
        const principal = kind === "user" ? { email: who } : { group_name: who };
        await api("POST", "/shares", { object, principal, level: f.level.value });
        say("Shared with " + who + " (" + f.level.value + ").");
        f.who.value = "";
      } catch (e) { showErrorIn($("#actions-status"), e); }
    });
    $("#public-link-form")?.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      try {
        const res = await (await api("POST", "/public-links", { object, expires_in_days: Number(ev.target.days.value) })).json();
        $("#public-link-url").value = location.origin + res.url;
        $("#public-link-out").hidden = false;
        $("#public-link-url").select();
        say("Public link made; it works until " + res.expires_at.slice(0, 10) + " unless revoked. It shows only what the group Public links is granted.");
      } catch (e) { showErrorIn($("#actions-status"), e); }
    });
    $("#subscribe-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const f = ev.target, every = f.every.value;
      const schedule = { every, hour: Number(f.hour.value), time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC" };
      if (every === "weekly") schedule.weekday = 1;
      if (every === "monthly") schedule.day = 1;
      try {
        await api("POST", "/subscriptions", { object, schedule });
        say("Subscribed: you will get it by email, drawn with your own access. Every email has a link to unsubscribe.");
      } catch (e) { showErrorIn($("#actions-status"), e); }
    });
  }

  // Comments.
  const cm = $("#comments");
  if (cm) {
    const base = "/" + cm.dataset.kind + "s/" + cm.dataset.id + "/comments";
    const load = async () => {
      const list = $("#comment-list");
      try {
        const res = await (await api("GET", base)).json();
        list.replaceChildren();
        for (const c of res.comments) {
          const li = document.createElement("li");
          const who = document.createElement("strong");
          who.textContent = c.author_name;
          const when = document.createElement("span");
          when.className = "muted"; when.textContent = " · " + c.created_at.slice(0, 16).replace("T", " ");
          const body = document.createElement("p");
          body.textContent = c.body ?? ("Hidden by a moderator: " + (c.hidden_reason || ""));
          li.append(who, when, body);
          if (c.mine) {
            const del = document.createElement("button");
            del.type = "button"; del.className = "link"; del.textContent = "Delete";
            del.addEventListener("click", async () => { await api("DELETE", "/comments/" + c.id); load(); });
            li.append(del);
          }
          list.append(li);
        }
      } catch (e) { showErrorIn(list, e); }
    };
    $("#comment-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const body = $("#comment-body");
      try { await api("POST", base, { body: body.value }); body.value = ""; load(); } catch (e) { showErrorIn($("#comment-list"), e); }
    });
    load();
  }
});
