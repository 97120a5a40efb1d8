// Proost result grid: a virtualised, sortable, resizable, copyable grid for query results.
// No dependencies. Only the rows in view (plus a few) are in the DOM, at a fixed height, over
// a spacer as tall as all the rows. Values are inserted as text only, never as HTML.
//
//   const grid = new ProostGrid(element);   // element gets class "proost-grid", role="grid"
//   grid.render({columns: [{name, type, mask?}], rows: [[...], ...]});
//   grid.clear();
//
// See the class comment below for the rest of the API and the events.
"use strict";

(function (global) {
  const NUMERIC = new Set(["integer", "float", "decimal"]);
  const TEMPORAL = new Set(["date", "timestamp", "timestamptz"]);
  const MASK_HELP = {
    redact: "values are hidden (***)",
    partial: "only a hint of each value is shown (j***@example.com, ***1234)",
    hash: "values are replaced by a keyed hash: equal values stay equal, so counts and joins still work",
    generalize: "values are coarsened: dates to their year, numbers to their decade, codes to their first characters",
    spans: "personal data mentioned in the text is masked in place",
    spans_strict: "personal data mentioned in the text is masked; a value that mentions a special category is hidden whole",
  };
  const MIN_WIDTH = 40;       // px, a column can't be dragged narrower
  const MAX_AUTO_WIDTH = 360; // px, cap of the width measured from the values
  const SAMPLE_ROWS = 200;    // rows looked at to size the columns
  const MAX_SPACER = 8e6;     // px; taller spacers are scaled (browsers cap element heights)
  const COPY_QUOTE = /[\t\n\r"]/;
  let instances = 0;

  function el(tag, cls, role) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (role) e.setAttribute("role", role);
    return e;
  }

  function textOf(v, isFloat) {
    if (v === null || v === undefined) return null;
    // Twelve significant digits hide binary floating-point noise (0.1 + 0.2).
    if (isFloat && typeof v === "number") return String(Number(v.toPrecision(12)));
    if (typeof v === "object") return JSON.stringify(v);
    return String(v);
  }

  function tsvField(s) {
    if (s === null) return "";
    return COPY_QUOTE.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  /**
   * ProostGrid(container, options?)
   *   options.rowHeight  px per row (default 28); options.overscan rows drawn beyond the view
   *   (default 8); options.label the grid's accessible name (default "Query result").
   *
   * Hooks (properties): formatCell(column, value) → shown text or undefined (copying still
   *   gives the raw value); toneCell(column, value) → "green"|"red"|"amber"|"blue" or null.
   *
   * Methods: render(result), clear(), destroy(), sortBy(column, "asc"|"desc"|null),
   *   selectAll(), select(row, col, toRow?, toCol?), clearSelection(), selectionText(),
   *   copySelection() and copyAll() (Promise<boolean>), setColumnWidth(column, px),
   *   scrollToRow(row). Properties: rowCount, columnCount, columnWidths, sortState.
   *
   * Events (CustomEvent on the container, bubbling): "proostgrid:sort" {column, name,
   *   direction: "ascending"|"descending"|"none", ms}, "proostgrid:copy" {rows, columns,
   *   chars, ok}, "proostgrid:resize" {column, width}, "proostgrid:select" {row, column,
   *   rows, columns} (row/column: the active cell in display order; -1 row = header).
   */
  class ProostGrid {
    constructor(container, options = {}) {
      if (!container || container.nodeType !== 1) throw new TypeError("ProostGrid needs a container element");
      this.root = container;
      this.rowHeight = Math.max(16, Math.round(options.rowHeight || 28));
      this.headHeight = this.rowHeight + 4;
      this.overscan = options.overscan ?? 8;
      this.label = options.label || "Query result";
      this.uid = "pg" + (++instances);
      this.columns = [];
      this.rows = [];
      this.n = 0;
      this.m = 0;
      this.perm = null;       // display position -> row index, null for the original order
      this.sortCol = -1;
      this.sortDir = 0;       // 1 ascending, -1 descending
      this.keys = [];         // per column, cached sort keys
      this.widths = [];
      this.autoWidths = [];
      this.sel = null;        // {ar, ac, fr, fc}: anchor and focus (active) cell, display order
      this.rng = null;        // {r0, r1, c0, c1}, derived from sel
      this.pool = [];
      this.viewH = 0;
      this.scaled = 1;
      this.vtop = 0;
      this.activeEl = null;
      this.charW = 0;
      this.drag = null;

      container.classList.add("proost-grid");
      this.head = el("div", "pg-head", "rowgroup");
      this.headRow = el("div", "pg-row pg-head-row", "row");
      this.headRow.setAttribute("aria-rowindex", "1");
      this.head.appendChild(this.headRow);
      this.body = el("div", "pg-body", "rowgroup");
      this.none = el("div", "pg-none");
      this.none.textContent = "No rows";

      this._onScroll = () => this._draw(false);
      this._onKey = (e) => this._key(e);
      this._onDown = (e) => this._mouseDown(e);
      this._onOver = (e) => this._mouseOver(e);
      this._onUp = () => this._mouseUp();
      this._onHeadClick = (e) => this._headClick(e);
      this._onHeadDown = (e) => this._headDown(e);
      this._onHeadDbl = (e) => this._headDbl(e);
      container.addEventListener("scroll", this._onScroll, { passive: true });
      container.addEventListener("keydown", this._onKey);
      this.body.addEventListener("mousedown", this._onDown);
      this.body.addEventListener("mouseover", this._onOver);
      this.head.addEventListener("click", this._onHeadClick);
      this.head.addEventListener("pointerdown", this._onHeadDown);
      this.head.addEventListener("dblclick", this._onHeadDbl);
      if (typeof ResizeObserver === "function") {
        this.ro = new ResizeObserver(() => {
          if (!this.m) return;
          const h = this.root.clientHeight;
          if (h && h !== this.viewH + this.headHeight) this._draw(true);
        });
        this.ro.observe(container);
      }
      this.clear();
    }

    get rowCount() { return this.n; }
    get columnCount() { return this.m; }
    get columnWidths() { return this.widths.slice(); }
    get sortState() {
      return { column: this.sortCol, direction: this.sortDir > 0 ? "ascending" : this.sortDir < 0 ? "descending" : "none" };
    }

    /** Shows a query result: {columns: [{name, type, mask?}], rows: [[...]]}. */
    render(result) {
      const columns = (result && Array.isArray(result.columns)) ? result.columns : [];
      if (!columns.length) { this.clear(); return; }
      this.columns = columns;
      this.rows = (result && Array.isArray(result.rows)) ? result.rows : [];
      this.n = this.rows.length;
      this.m = columns.length;
      this.isFloat = columns.map((c) => c.type === "float");
      this.baseClass = columns.map((c) => NUMERIC.has(c.type) ? "pg-cell num" : "pg-cell");
      this.perm = null;
      this.sortCol = -1;
      this.sortDir = 0;
      this.keys = [];
      this.sel = null;
      this.rng = null;
      this.activeEl = null;
      this.pool = [];

      const root = this.root;
      root.setAttribute("role", "grid");
      root.tabIndex = 0;
      if (!root.hasAttribute("aria-label") && !root.hasAttribute("aria-labelledby")) root.setAttribute("aria-label", this.label);
      root.setAttribute("aria-multiselectable", "true");
      root.setAttribute("aria-rowcount", String(this.n + 1));
      root.setAttribute("aria-colcount", String(this.m));
      root.removeAttribute("aria-activedescendant");
      root.style.setProperty("--pg-row-h", this.rowHeight + "px");
      root.style.setProperty("--pg-head-h", this.headHeight + "px");
      this.body.replaceChildren();
      this.headRow.replaceChildren();
      root.replaceChildren(this.head, this.body);
      if (!this.n) root.appendChild(this.none);

      this._buildHeader();
      this._measure();
      this.widths = this._autoWidths();
      this.autoWidths = this.widths.slice();
      this._applyWidths();
      root.scrollTop = 0;
      root.scrollLeft = 0;
      this._draw(true);
    }

    /** Empties the grid (the container is left with no children and no grid role). */
    clear() {
      this.columns = [];
      this.rows = [];
      this.n = this.m = 0;
      this.perm = null;
      this.keys = [];
      this.sel = this.rng = null;
      this.pool = [];
      this.activeEl = null;
      this.sortCol = -1;
      this.sortDir = 0;
      this.body.replaceChildren();
      this.headRow.replaceChildren();
      const root = this.root;
      root.replaceChildren();
      for (const a of ["role", "aria-rowcount", "aria-colcount", "aria-multiselectable", "aria-activedescendant", "tabindex"]) root.removeAttribute(a);
      if (root.getAttribute("aria-label") === this.label) root.removeAttribute("aria-label");
    }

    destroy() {
      this.clear();
      this._mouseUp();
      this.root.removeEventListener("scroll", this._onScroll);
      this.root.removeEventListener("keydown", this._onKey);
      if (this.ro) this.ro.disconnect();
      this.root.classList.remove("proost-grid");
    }

    // ---- header ----

    _buildHeader() {
      this.headCells = [];
      this.arrows = [];
      this.columns.forEach((col, j) => {
        const h = el("div", NUMERIC.has(col.type) ? "pg-hcell num" : "pg-hcell", "columnheader");
        h.setAttribute("aria-colindex", String(j + 1));
        h.id = this.uid + "-h" + j;
        h._col = j;
        const name = String(col.name ?? "");
        h.title = name + (col.type ? " (" + col.type + ")" : "") + " · click to sort";
        const label = el("span", "pg-name");
        label.textContent = name;
        h.appendChild(label);
        if (col.mask) {
          const kind = typeof col.mask === "string" ? col.mask : "";
          const badge = el("span", "pg-mask");
          badge.textContent = kind ? "masked · " + kind : "masked";
          badge.title = "Masked for you" + (kind ? " (" + kind + "): " + (MASK_HELP[kind] || "values are not shown as stored") : "") + ".";
          h.appendChild(badge);
        }
        const arrow = el("span", "pg-arrow");
        arrow.setAttribute("aria-hidden", "true");
        h.appendChild(arrow);
        const grip = el("div", "pg-resize");
        grip.setAttribute("aria-hidden", "true");
        grip.title = "Drag to resize, double-click to fit";
        h.appendChild(grip);
        this.headCells.push(h);
        this.arrows.push(arrow);
        this.headRow.appendChild(h);
      });
    }

    _updateHeader() {
      this.headCells.forEach((h, j) => {
        const on = j === this.sortCol && this.sortDir !== 0;
        if (on) h.setAttribute("aria-sort", this.sortDir > 0 ? "ascending" : "descending");
        else h.removeAttribute("aria-sort");
        h.classList.toggle("sorted", on);
        this.arrows[j].textContent = on ? (this.sortDir > 0 ? "▲" : "▼") : "";
      });
    }

    _headClick(e) {
      if (e.target.closest(".pg-resize") || this.justResized) return;
      const h = e.target.closest(".pg-hcell");
      if (!h) return;
      this._cycleSort(h._col);
    }

    _cycleSort(j) {
      const dir = this.sortCol !== j ? "asc" : this.sortDir > 0 ? "desc" : this.sortDir < 0 ? null : "asc";
      this.sortBy(j, dir);
    }

    _headDown(e) {
      if (e.button !== 0) return;
      const h = e.target.closest(".pg-hcell");
      if (!h) return;
      e.preventDefault(); // no text selection, and focus stays on the grid
      this.root.focus({ preventScroll: true });
      this.justResized = false;
      if (!e.target.classList.contains("pg-resize")) return;
      const j = h._col;
      const grip = e.target;
      const startX = e.clientX;
      const startW = this.widths[j];
      let moved = false;
      grip.setPointerCapture(e.pointerId);
      this.root.classList.add("pg-resizing");
      const move = (ev) => {
        const w = Math.max(MIN_WIDTH, Math.round(startW + ev.clientX - startX));
        if (w !== this.widths[j]) { moved = true; this.widths[j] = w; this._applyWidths(); }
      };
      const up = () => {
        grip.removeEventListener("pointermove", move);
        grip.removeEventListener("pointerup", up);
        grip.removeEventListener("pointercancel", up);
        this.root.classList.remove("pg-resizing");
        if (moved) {
          this.justResized = true;
          setTimeout(() => { this.justResized = false; }, 0);
          this._emit("resize", { column: j, width: this.widths[j] });
        }
      };
      grip.addEventListener("pointermove", move);
      grip.addEventListener("pointerup", up);
      grip.addEventListener("pointercancel", up);
    }

    _headDbl(e) {
      if (!e.target.classList.contains("pg-resize")) return;
      const j = e.target.parentNode._col;
      this.setColumnWidth(j, this.autoWidths[j]);
    }

    // ---- widths ----

    // One layout: the width of a digit in the cells' font (once), and of each header's content.
    _measure() {
      let probe = null;
      if (!this.charW) {
        probe = el("div", "pg-cell");
        probe.textContent = "0123456789".repeat(4);
        probe.style.position = "absolute";
        probe.style.visibility = "hidden";
        probe.style.width = "auto";
        probe.style.padding = "0";
        this.body.appendChild(probe);
        const w = probe.getBoundingClientRect().width / 40;
        if (w > 0) this.charW = w; // else not laid out (detached, hidden): guessed below
        probe.remove();
      }
      // Name (scrollWidth: its whole text, even when cut off) + badge + padding, arrow, grip.
      this.headW = this.headCells.map((h) => {
        const name = h.firstChild, badge = h.querySelector(".pg-mask");
        const nw = name.scrollWidth;
        if (!nw && name.textContent) return 0;
        return Math.ceil(nw + (badge ? badge.offsetWidth + 6 : 0) + 22 + 16 + 2);
      });
    }

    _autoWidths() {
      const cw = this.charW || 7.8;
      const step = Math.max(1, Math.ceil(this.n / SAMPLE_ROWS));
      const maxLen = new Array(this.m).fill(0);
      for (let i = 0; i < this.n; i += step) {
        const row = this.rows[i];
        if (!row) continue;
        for (let j = 0; j < this.m; j++) {
          const s = textOf(row[j], this.isFloat[j]);
          const len = s === null ? 4 : s.length;
          if (len > maxLen[j]) maxLen[j] = len;
        }
      }
      return this.columns.map((col, j) => {
        let head = this.headW[j];
        if (!head) { // not laid out: an estimate
          head = String(col.name ?? "").length * 8.5 + 40;
          if (col.mask) head += (9 + String(col.mask).length) * 6.6 + 18;
        }
        const body = maxLen[j] * cw + 22;
        return Math.round(Math.min(MAX_AUTO_WIDTH, Math.max(MIN_WIDTH + 20, head, body)));
      });
    }

    _applyWidths() {
      let total = 0;
      for (const w of this.widths) total += w;
      this.totalWidth = total;
      this.root.style.setProperty("--pg-cols", this.widths.map((w) => w + "px").join(" "));
      this.root.style.setProperty("--pg-width", total + "px");
    }

    setColumnWidth(j, px) {
      if (!(j >= 0 && j < this.m)) return;
      this.widths[j] = Math.max(MIN_WIDTH, Math.round(px));
      this._applyWidths();
      this._emit("resize", { column: j, width: this.widths[j] });
    }

    // ---- drawing ----

    _geometry() {
      const rh = this.rowHeight;
      const full = this.n * rh;
      // A container without a definite height grows with the spacer: cap what is drawn.
      const h = Math.min(this.root.clientHeight || 600, Math.max(2000, 2 * (global.innerHeight || 1000)));
      this.viewH = Math.max(0, h - this.headHeight);
      const spacer = Math.min(full, MAX_SPACER);
      this.scaled = full > spacer && spacer > this.viewH ? (full - this.viewH) / (spacer - this.viewH) : 1;
      if (this.spacerH !== spacer) {
        this.spacerH = spacer;
        this.body.style.height = spacer + "px";
      }
    }

    _draw(force) {
      if (!this.m) return;
      if (force) this._geometry();
      const rh = this.rowHeight;
      const st = this.root.scrollTop;
      const vtop = this.scaled === 1 ? st : Math.min(st * this.scaled, Math.max(0, this.n * rh - this.viewH));
      this.vtop = vtop;
      const first = Math.max(0, Math.floor(vtop / rh) - this.overscan);
      const last = Math.min(this.n - 1, Math.ceil((vtop + this.viewH) / rh) + this.overscan);
      const need = Math.ceil(this.viewH / rh) + 2 * this.overscan + 2;
      let pool = this.pool;
      if (pool.length < need) {
        const frag = document.createDocumentFragment();
        while (pool.length < need) {
          const r = el("div", "pg-row", "row");
          r._row = -1;
          for (let j = 0; j < this.m; j++) {
            const c = el("div", this.baseClass[j], "gridcell");
            c.setAttribute("aria-colindex", String(j + 1));
            c._col = j;
            c.appendChild(document.createTextNode(""));
            r.appendChild(c);
          }
          r.hidden = true;
          pool.push(r);
          frag.appendChild(r);
        }
        this.body.appendChild(frag);
        for (const r of pool) { r._row = -1; r.hidden = true; }  // the mapping changed: refill all
        force = true;
      }
      const P = pool.length;
      for (const r of pool) {
        if (r._row !== -1 && (r._row < first || r._row > last)) { r._row = -1; r.hidden = true; }
      }
      const shift = this.scaled === 1 ? 0 : st - vtop;
      for (let pos = first; pos <= last; pos++) {
        const r = pool[pos % P];
        if (r._row !== pos || force) this._fill(r, pos);
        if (shift !== 0 || r._y !== pos * rh) {
          r._y = shift === 0 ? pos * rh : NaN;
          r.style.transform = "translateY(" + (pos * rh + shift) + "px)";
        }
      }
      this._paintActive();
    }

    _fill(r, pos) {
      const row = this.rows[this.perm ? this.perm[pos] : pos] || [];
      r._row = pos;
      r.hidden = false;
      r.setAttribute("aria-rowindex", String(pos + 2));
      const cells = r.children;
      const rng = this.rng;
      const inRows = rng !== null && pos >= rng.r0 && pos <= rng.r1;
      for (let j = 0; j < this.m; j++) {
        const c = cells[j];
        const shown = this.formatCell && row[j] !== null && row[j] !== undefined ? this.formatCell(j, row[j]) : undefined;
        const s = shown !== undefined ? shown : textOf(row[j], this.isFloat[j]);
        let cls = this.baseClass[j];
        const tone = this.toneCell ? this.toneCell(j, row[j]) : null;
        if (tone) cls += " tone-" + tone;
        if (s === null) {
          c.firstChild.data = "NULL";
          cls += " null";
          if (c.title) c.removeAttribute("title");
        } else {
          c.firstChild.data = s;
          // The whole value on hover when it is likely cut off.
          if (s.length * (this.charW || 7.8) > this.widths[j] - 20) c.title = s;
          else if (c.title) c.removeAttribute("title");
        }
        const sel = inRows && j >= rng.c0 && j <= rng.c1;
        if (sel) cls += " sel";
        if (c.className !== cls) c.className = cls;
        if (rng !== null) c.setAttribute("aria-selected", sel ? "true" : "false");
        else if (c.hasAttribute("aria-selected")) c.removeAttribute("aria-selected");
      }
    }

    _paintSelection() {
      const rng = this.rng;
      for (const r of this.pool) {
        if (r._row === -1) continue;
        const inRows = rng !== null && r._row >= rng.r0 && r._row <= rng.r1;
        const cells = r.children;
        for (let j = 0; j < this.m; j++) {
          const sel = inRows && j >= rng.c0 && j <= rng.c1;
          const c = cells[j];
          c.classList.toggle("sel", sel);
          if (rng !== null) c.setAttribute("aria-selected", sel ? "true" : "false");
          else c.removeAttribute("aria-selected");
        }
      }
      this._paintActive();
    }

    // The active cell carries an id and the grid's aria-activedescendant while it is drawn.
    _paintActive() {
      let target = null;
      const s = this.sel;
      if (s) {
        if (s.fr === -1) target = this.headCells[s.fc];
        else {
          const r = this.pool[s.fr % this.pool.length];
          if (r && r._row === s.fr) target = r.children[s.fc];
        }
      }
      if (target === this.activeEl) return;
      if (this.activeEl) {
        this.activeEl.classList.remove("active");
        if (!this.activeEl.classList.contains("pg-hcell")) this.activeEl.removeAttribute("id");
      }
      this.activeEl = target;
      if (target) {
        target.classList.add("active");
        if (!target.id) target.id = this.uid + "-active";
        this.root.setAttribute("aria-activedescendant", target.id);
      } else {
        this.root.removeAttribute("aria-activedescendant");
      }
    }

    // ---- sorting ----

    /** Sorts by column j: "asc", "desc", or null for the original order. */
    sortBy(j, dir) {
      if (!(j >= 0 && j < this.m)) return;
      const t0 = performance.now();
      const d = dir === "asc" || dir === "ascending" || dir === 1 ? 1 : dir === "desc" || dir === "descending" || dir === -1 ? -1 : 0;
      this.sortCol = d ? j : -1;
      this.sortDir = d;
      this.perm = d ? this._sorted(j, d) : null;
      this.sel = this.rng = null;
      this._updateHeader();
      this._draw(true);
      const ms = performance.now() - t0;
      this._emit("sort", { column: j, name: this.columns[j].name, direction: this.sortState.direction, ms });
    }

    // Keys per column, computed once: numbers (numeric, date and boolean columns) or strings,
    // with a flag per row: 0 a key, 1 a value that doesn't read as one (after the keys), 2 null.
    _keysOf(j) {
      if (this.keys[j]) return this.keys[j];
      const type = this.columns[j].type;
      const n = this.n;
      const flag = new Uint8Array(n);
      const kind = NUMERIC.has(type) ? "num" : TEMPORAL.has(type) ? "date" : type === "boolean" ? "bool" : "text";
      let num = null;
      const str = new Array(n);
      if (kind !== "text") num = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = (this.rows[i] || [])[j];
        if (v === null || v === undefined) { flag[i] = 2; continue; }
        if (kind === "text") { str[i] = typeof v === "object" ? JSON.stringify(v) : String(v); continue; }
        let x;
        if (typeof v === "number") x = v;
        else if (typeof v === "boolean") x = v ? 1 : 0;
        else if (kind === "num") { x = Number(v); if (Number.isNaN(x)) x = parseFloat(v); }
        else if (kind === "date") x = Date.parse(v);
        else x = v === "true" || v === "t" ? 1 : v === "false" || v === "f" ? 0 : NaN;
        if (Number.isNaN(x)) { flag[i] = 1; str[i] = typeof v === "object" ? JSON.stringify(v) : String(v); }
        else num[i] = x;
      }
      return (this.keys[j] = { flag, num, str });
    }

    _sorted(j, dir) {
      const { flag, num, str } = this._keysOf(j);
      const n = this.n;
      const idx = new Uint32Array(n);
      for (let i = 0; i < n; i++) idx[i] = i;
      const coll = new Intl.Collator(undefined, { numeric: true });
      const cmpStr = coll.compare;
      idx.sort((a, b) => {
        const fa = flag[a], fb = flag[b];
        if (fa !== fb) return fa - fb;             // nulls last, whichever the direction
        if (fa === 2) return a - b;
        let d;
        if (fa === 0 && num !== null) d = num[a] - num[b];
        else { const x = str[a], y = str[b]; d = x === y ? 0 : cmpStr(x, y); }
        return d !== 0 ? d * dir : a - b;          // stable: ties keep the original order
      });
      return idx;
    }

    // ---- selection ----

    _setSel(ar, ac, fr, fc, scroll) {
      this.sel = { ar, ac, fr, fc };
      if (fr === -1 || ar === -1) this.rng = null;
      else this.rng = { r0: Math.min(ar, fr), r1: Math.max(ar, fr), c0: Math.min(ac, fc), c1: Math.max(ac, fc) };
      if (scroll) this._ensureVisible(fr, fc);
      this._paintSelection();
      const rg = this.rng;
      this._emit("select", { row: fr, column: fc, rows: rg ? rg.r1 - rg.r0 + 1 : 0, columns: rg ? rg.c1 - rg.c0 + 1 : 0 });
    }

    /** Selects cells (display order): one, or the rectangle up to (toRow, toCol). */
    select(row, col, toRow = row, toCol = col) {
      if (!this.n || !this.m) return;
      const cr = (r) => Math.max(0, Math.min(this.n - 1, r | 0));
      const cc = (c) => Math.max(0, Math.min(this.m - 1, c | 0));
      this._setSel(cr(row), cc(col), cr(toRow), cc(toCol), true);
    }

    selectAll() {
      if (!this.n || !this.m) return;
      this._setSel(0, 0, this.n - 1, this.m - 1, false);
    }

    clearSelection() {
      if (!this.sel) return;
      this.sel = this.rng = null;
      this._paintSelection();
    }

    _ensureVisible(pos, j) {
      const root = this.root;
      if (pos >= 0) {
        const rh = this.rowHeight;
        let vtop = this.vtop;
        if (pos * rh < vtop) vtop = pos * rh;
        else if ((pos + 1) * rh > vtop + this.viewH) vtop = (pos + 1) * rh - this.viewH;
        if (vtop !== this.vtop) root.scrollTop = Math.round(vtop / this.scaled);
      }
      let x = 0;
      for (let k = 0; k < j; k++) x += this.widths[k];
      const w = this.widths[j];
      if (x < root.scrollLeft) root.scrollLeft = x;
      else if (x + w > root.scrollLeft + root.clientWidth) root.scrollLeft = x + w - root.clientWidth;
      this._draw(false);
    }

    /** Scrolls so that display row `pos` is in view. */
    scrollToRow(pos) {
      if (!this.n) return;
      this._ensureVisible(Math.max(0, Math.min(this.n - 1, pos | 0)), 0);
    }

    _cellAt(target) {
      const c = target && target.closest ? target.closest(".pg-cell") : null;
      if (!c || c.parentNode._row === undefined || c.parentNode._row < 0) return null;
      return { r: c.parentNode._row, c: c._col };
    }

    _mouseDown(e) {
      if (e.button !== 0) return;
      const at = this._cellAt(e.target);
      if (!at) return;
      e.preventDefault();
      this.root.focus({ preventScroll: true });
      if (e.shiftKey && this.sel && this.sel.ar >= 0) this._setSel(this.sel.ar, this.sel.ac, at.r, at.c, false);
      else this._setSel(at.r, at.c, at.r, at.c, false);
      this.drag = true;
      window.addEventListener("mouseup", this._onUp);
    }

    _mouseOver(e) {
      if (!this.drag || !this.sel) return;
      const at = this._cellAt(e.target);
      if (at && (at.r !== this.sel.fr || at.c !== this.sel.fc)) this._setSel(this.sel.ar, this.sel.ac, at.r, at.c, false);
    }

    _mouseUp() {
      this.drag = null;
      window.removeEventListener("mouseup", this._onUp);
    }

    _key(e) {
      if (!this.m) return;
      const mod = e.ctrlKey || e.metaKey;
      const k = e.key;
      if (mod && !e.altKey && (k === "a" || k === "A")) { e.preventDefault(); this.selectAll(); return; }
      if (mod && !e.altKey && (k === "c" || k === "C")) {
        if (!this.sel) return;
        e.preventDefault();
        this.copySelection();
        return;
      }
      const s = this.sel;
      if (k === "Escape") { if (s) { e.preventDefault(); this.clearSelection(); } return; }
      if (s && s.fr === -1) {
        // On a column header: Enter/Space sorts, Alt+Left/Right resizes, Down goes back to the rows.
        if (k === "Enter" || k === " ") { e.preventDefault(); this._cycleSort(s.fc); this._setSel(-1, s.fc, -1, s.fc, false); return; }
        if (e.altKey && (k === "ArrowLeft" || k === "ArrowRight")) {
          e.preventDefault();
          this.setColumnWidth(s.fc, this.widths[s.fc] + (k === "ArrowLeft" ? -10 : 10));
          return;
        }
      }
      const page = Math.max(1, Math.floor(this.viewH / this.rowHeight) - 1);
      let r = s ? s.fr : -2, c = s ? s.fc : 0;
      const lastR = this.n - 1, lastC = this.m - 1;
      switch (k) {
        case "ArrowDown": r = r === -2 ? 0 : mod ? lastR : r + 1; break;
        case "ArrowUp": r = r === -2 ? 0 : mod ? 0 : r - 1; break;
        case "ArrowRight": if (r === -2) r = 0; else c = mod ? lastC : c + 1; break;
        case "ArrowLeft": if (r === -2) r = 0; else c = mod ? 0 : c - 1; break;
        case "PageDown": r = r === -2 ? 0 : r + page; break;
        case "PageUp": r = r === -2 ? 0 : r - page; break;
        case "Home": if (mod || r === -2) r = 0; c = 0; break;
        case "End": if (mod) r = lastR; else if (r === -2) r = 0; c = lastC; break;
        default: return;
      }
      e.preventDefault();
      c = Math.max(0, Math.min(lastC, c));
      // Row -1 is the header row; shift-extension stays within the data rows.
      r = Math.max(e.shiftKey || !this.n ? 0 : -1, Math.min(lastR, r));
      if (!this.n) r = -1;
      if (e.shiftKey && s && s.ar >= 0 && r >= 0) this._setSel(s.ar, s.ac, r, c, true);
      else this._setSel(r, c, r, c, true);
    }

    // ---- copying ----

    /** The selection as tab-separated text; with the header row when whole columns are selected. */
    selectionText() {
      let rg = this.rng;
      if (!rg && this.sel && this.sel.fr === -1 && this.n) rg = { r0: 0, r1: this.n - 1, c0: this.sel.fc, c1: this.sel.fc };
      if (!rg) return "";
      return this._tsv(rg, rg.r0 === 0 && rg.r1 === this.n - 1);
    }

    _tsv(rg, header) {
      const out = [];
      if (header) {
        const h = [];
        for (let j = rg.c0; j <= rg.c1; j++) h.push(tsvField(String(this.columns[j].name ?? "")));
        out.push(h.join("\t"));
      }
      for (let pos = rg.r0; pos <= rg.r1; pos++) {
        const row = this.rows[this.perm ? this.perm[pos] : pos] || [];
        const f = [];
        for (let j = rg.c0; j <= rg.c1; j++) f.push(tsvField(textOf(row[j], this.isFloat[j])));
        out.push(f.join("\t"));
      }
      return out.join("\n");
    }

    copySelection() {
      const text = this.selectionText();
      if (!text) return Promise.resolve(false);
      const rg = this.rng || { r0: 0, r1: this.n - 1, c0: this.sel.fc, c1: this.sel.fc };
      return this._write(text, rg.r1 - rg.r0 + 1, rg.c1 - rg.c0 + 1);
    }

    /** Copies every row (in the displayed order) with the header row. */
    copyAll() {
      if (!this.m) return Promise.resolve(false);
      const text = this._tsv({ r0: 0, r1: this.n - 1, c0: 0, c1: this.m - 1 }, true);
      return this._write(text, this.n, this.m);
    }

    async _write(text, rows, columns) {
      let ok = false;
      if (navigator.clipboard && navigator.clipboard.writeText && global.isSecureContext !== false) {
        try { await navigator.clipboard.writeText(text); ok = true; } catch (_) { ok = false; }
      }
      if (!ok) ok = this._execCopy(text);
      this._emit("copy", { rows, columns, chars: text.length, ok });
      return ok;
    }

    // For plain-http pages (no async clipboard) and refused permissions.
    _execCopy(text) {
      const ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.setAttribute("aria-hidden", "true");
      ta.tabIndex = -1;
      ta.style.position = "fixed";
      ta.style.top = "0";
      ta.style.left = "-10000px";
      ta.style.width = "1px";
      ta.style.height = "1px";
      ta.style.opacity = "0";
      const back = document.activeElement;
      document.body.appendChild(ta);
      ta.select();
      let ok = false;
      try { ok = document.execCommand("copy"); } catch (_) { ok = false; }
      ta.remove();
      if (back && back.focus) back.focus({ preventScroll: true });
      return ok;
    }

    _emit(name, detail) {
      this.root.dispatchEvent(new CustomEvent("proostgrid:" + name, { detail, bubbles: true }));
    }
  }

  global.ProostGrid = ProostGrid;
})(typeof window !== "undefined" ? window : globalThis);
