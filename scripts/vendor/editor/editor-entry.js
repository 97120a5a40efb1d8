// Entry of crates/proost-server/src/assets/vendor/editor.js, built by scripts/vendor-editor
// (esbuild, one minified IIFE; the output is committed, nothing of this runs at run time).
//
// Why CodeMirror 6: maintained, MIT, modular (only what is imported is bundled: ~530 kB
// minified, ~170 kB gzipped, of which sql-formatter ~85 kB), built for accessibility (a real
// contenteditable with ARIA roles, screen-reader tested, Escape-then-Tab leaves the editor)
// and has an SQL mode whose completion understands `conn.schema.table` paths and aliases.
// Monaco is several MB and wants web workers (a `worker-src` in the CSP and loader
// plumbing) for a single SQL box; Ace is older, less modular, and has no schema-aware SQL
// completion.
//
// Strict CSP: CodeMirror puts its styles in a <style> element at run time (style-mod). Under
// `style-src 'self'` that needs a nonce: put it in <meta name="csp-nonce" content="…"> and
// in the header (`style-src 'self' 'nonce-…'`); it is passed on via EditorView.cspNonce.
// Everything else it styles goes through the CSSOM (element.style), which CSP allows.
//
// API: window.ProostEditor.mount(textarea, {schema, onRun, onChange, dialect, label,
// onFormatError}) → {getValue, setValue, getSelectionOrAll, focus, setSchema, format,
// destroy, view}.

import { EditorState, Compartment, Prec } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  highlightSpecialChars, drawSelection, dropCursor, rectangularSelection, crosshairCursor,
} from "@codemirror/view";
import {
  defaultKeymap, history, historyKeymap, indentWithTab,
} from "@codemirror/commands";
import {
  syntaxHighlighting, HighlightStyle, bracketMatching, indentOnInput, LanguageSupport, syntaxTree,
} from "@codemirror/language";
import {
  autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap,
} from "@codemirror/autocomplete";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import {
  SQLDialect, PostgreSQL, StandardSQL, MySQL, SQLite,
  keywordCompletionSource, schemaCompletionSource,
} from "@codemirror/lang-sql";
import { tags as t } from "@lezer/highlight";
import {
  formatDialect, postgresql as fmtPostgres, sql as fmtSql, mysql as fmtMysql,
  sqlite as fmtSqlite,
} from "sql-formatter";

// ---- DataFusion functions: highlighted as built-ins and completed as `name()` ----
const FUNCTIONS = (
  "count sum avg min max median approx_distinct approx_median approx_percentile_cont " +
  "approx_percentile_cont_with_weight stddev stddev_pop var var_pop corr covar_samp covar_pop " +
  "bool_and bool_or bit_and bit_or array_agg string_agg first_value last_value nth_value " +
  "row_number rank dense_rank percent_rank cume_dist ntile lag lead " +
  "date_trunc date_part datepart datetrunc date_bin extract to_timestamp to_timestamp_seconds " +
  "to_timestamp_millis to_timestamp_micros to_date to_char to_unixtime from_unixtime make_date " +
  "now current_date current_time current_timestamp " +
  "coalesce nullif nvl nvl2 ifnull greatest least " +
  "lower upper initcap trim btrim ltrim rtrim substr substring concat concat_ws length " +
  "char_length character_length octet_length bit_length left right lpad rpad repeat replace " +
  "reverse split_part starts_with ends_with strpos position translate ascii chr " +
  "regexp_like regexp_match regexp_replace regexp_count uuid md5 sha224 sha256 sha384 sha512 " +
  "digest encode decode to_hex " +
  "round trunc floor ceil abs sign power pow sqrt cbrt exp ln log log2 log10 pi random " +
  "degrees radians sin cos tan asin acos atan atan2 gcd lcm factorial isnan iszero nanvl " +
  "cast try_cast arrow_typeof array_length array_has array_contains make_array unnest " +
  "cardinality struct named_struct get_field"
).split(" ");
// Read as keywords too (LEFT JOIN, CAST(x AS t), EXTRACT(…)): completed both ways, coloured
// as keywords.
const KEYWORD_TOO = new Set(["left", "right", "cast", "try_cast", "extract", "position", "substring", "trim"]);
const NO_PARENS = new Set(["current_date", "current_time", "current_timestamp"]);

const builtin = FUNCTIONS.filter((f) => !KEYWORD_TOO.has(f)).join(" ");

// DataFusion speaks (mostly) PostgreSQL.
const DataFusion = SQLDialect.define({
  ...PostgreSQL.spec,
  builtin,
  keywords: PostgreSQL.spec.keywords + " qualify describe explain analyze",
  types: PostgreSQL.spec.types + " utf8 string int8 int16 int32 int64 uint8 uint16 uint32 uint64 float32 float64",
});

const DIALECTS = {
  datafusion: [DataFusion, fmtPostgres],
  postgresql: [PostgreSQL, fmtPostgres],
  postgres: [PostgreSQL, fmtPostgres],
  standard: [StandardSQL, fmtSql],
  sql: [StandardSQL, fmtSql],
  mysql: [MySQL, fmtMysql],
  sqlite: [SQLite, fmtSqlite],
};

// ---- Light theme: every colour ≥ 4.5:1 on white, the active line and the selection ----
const INK = "#1d2330";
const ACTIVE_LINE = "#f3f6f9";
const highlight = HighlightStyle.define([
  { tag: t.keyword, color: "#6d28d9", fontWeight: "600" },           // violet, 7.1:1 on white
  { tag: [t.typeName], color: "#0f5f59" },                          // teal, 7.5:1
  { tag: [t.standard(t.name)], color: "#1d4ed8" },                  // blue (functions), 6.7:1
  { tag: t.string, color: "#0b6b3a" },                               // green, 6.6:1
  { tag: [t.number, t.bool, t.null], color: "#a23a00" },             // rust, 6.7:1
  { tag: [t.lineComment, t.blockComment, t.comment], color: "#5b6472", fontStyle: "italic" }, // 6.0:1 (4.6 on the selection)
  { tag: [t.operator, t.punctuation, t.bracket, t.separator], color: "#374151" },
  { tag: [t.special(t.string), t.special(t.name)], color: "#8a1c4d" }, // "Quoted" ids, $1: 8.9:1
  { tag: t.invalid, color: "#b42318" },
]);

const theme = EditorView.theme({
  "&": {
    color: INK, backgroundColor: "#fff", fontSize: "14px",
    maxHeight: "400px", // grows with the text, then scrolls
  },
  // The focus ring drawn above the gutters (an outline would go under them, or be clipped
  // by a parent's overflow).
  "&.cm-focused": { outline: "none" },
  "&.cm-focused::after": {
    content: '""', position: "absolute", inset: "0", border: "2px solid #0f766e",
    pointerEvents: "none", zIndex: "250",
  },
  ".cm-scroller": {
    fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace',
    lineHeight: "1.5", overflow: "auto",
  },
  ".cm-content, .cm-gutter": { minHeight: "180px" },
  ".cm-content": { padding: "10px 0", caretColor: INK },
  ".cm-line": { padding: "0 12px 0 6px" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: INK, borderLeftWidth: "2px" },
  ".cm-gutters": { backgroundColor: "#f9fafb", color: "#5b6472", borderRight: "1px solid #e3e6eb" },
  ".cm-activeLine": { backgroundColor: ACTIVE_LINE },
  ".cm-activeLineGutter": { backgroundColor: "#eef2f6", color: INK },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection":
    { backgroundColor: "#cfe3fa" },
  "&.cm-focused .cm-matchingBracket": { backgroundColor: "#d9f2e6", outline: "1px solid #6fbf98" },
  "&.cm-focused .cm-nonmatchingBracket": { backgroundColor: "#fde2e1" },
  ".cm-selectionMatch": { backgroundColor: "#e6eefc" },
  ".cm-searchMatch": { backgroundColor: "#fff1a8", outline: "1px solid #c9a700" },
  ".cm-searchMatch.cm-searchMatch-selected": { backgroundColor: "#ffd866" },
  ".cm-tooltip": { border: "1px solid #cfd4dc", backgroundColor: "#fff", color: INK, borderRadius: "6px" },
  ".cm-tooltip-autocomplete > ul": { fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace', fontSize: "13px" },
  ".cm-tooltip-autocomplete > ul > li[aria-selected]": { backgroundColor: "#0f766e", color: "#fff" },
  ".cm-completionDetail": { color: "#5b6472", fontStyle: "normal", marginLeft: "1em" },
  ".cm-tooltip-autocomplete > ul > li[aria-selected] .cm-completionDetail": { color: "#fff" },
  ".cm-completionMatchedText": { textDecoration: "none", fontWeight: "700" },
  ".cm-panels": { backgroundColor: "#f9fafb", color: INK },
  ".cm-panels.cm-panels-bottom": { borderTop: "1px solid #e3e6eb" },
}, { dark: false });

// ---- Schema: {"conn.schema.table": [cols]} → {conn: {schema: {table: [cols]}}} ----
const esc = (name) => name.replace(/\./g, "\\.");
// DataFusion folds unquoted names to lower case: anything else is inserted "quoted".
const option = (label, type, detail, extra) => ({
  label, type, detail, ...extra,
  ...(/^[a-z_][a-z_0-9]*$/.test(label) ? {} : { apply: '"' + label.replace(/"/g, '""') + '"' }),
});

function nestSchema(flat) {
  const out = {};
  for (const [key, cols] of Object.entries(flat || {})) {
    const parts = key.split(".");
    if (parts.length < 3) continue;
    const [conn, schema, ...rest] = parts;
    const table = rest.join(".");
    const c = (out[esc(conn)] ||= { self: option(conn, "namespace", "connection"), children: {} }).children;
    const s = (c[esc(schema)] ||= { self: option(schema, "namespace", "schema"), children: {} }).children;
    s[esc(table)] = {
      self: option(table, "class", "table"),
      children: (cols || []).map((col) => option(col, "property", table)),
    };
  }
  return out;
}

// Columns of the tables named (fully qualified) in the text, offered without a prefix:
// `SELECT amo|` after `FROM conn.main.orders` offers `amount`.
function columnsInScope(flat) {
  const byTable = new Map(Object.entries(flat || {}).map(([k, v]) => [k.toLowerCase(), { key: k, cols: v || [] }]));
  return (ctx) => {
    const word = ctx.matchBefore(/[\w$]+/);
    if ((!word && !ctx.explicit) || afterDot(ctx) || inTextOrComment(ctx)) return null;
    const from = word ? word.from : ctx.pos;
    const text = ctx.state.doc.toString();
    const seen = new Map();
    for (const m of text.matchAll(/([\w$]+)\.([\w$]+)\.([\w$]+)/g)) {
      const hit = byTable.get(m[0].toLowerCase());
      if (!hit) continue;
      const table = hit.key.split(".").slice(2).join(".");
      for (const col of hit.cols) if (!seen.has(col)) seen.set(col, option(col, "property", table, { boost: 1 }));
    }
    if (!seen.size) return null;
    return { from, options: [...seen.values()], validFor: /^[\w$]*$/ };
  };
}

function functionCompletions() {
  return FUNCTIONS.map((name) => ({
    label: name,
    type: "function",
    detail: "function",
    boost: -1,
    apply: NO_PARENS.has(name) ? name : (view, completion, from, to) => {
      const after = view.state.sliceDoc(to, to + 1);
      const insert = after === "(" ? name : name + "()";
      view.dispatch({
        changes: { from, to, insert },
        selection: { anchor: from + name.length + 1 },
        userEvent: "input.complete",
      });
    },
  }));
}

// `o.am|`: a column of o, never a keyword or function.
function afterDot(ctx) {
  const word = ctx.matchBefore(/[\w$]*/);
  const from = word ? word.from : ctx.pos;
  return ctx.state.sliceDoc(from - 1, from) === ".";
}

const QUIET = new Set(["String", "QuotedIdentifier", "LineComment", "BlockComment"]);
function inTextOrComment(ctx) {
  return QUIET.has(syntaxTree(ctx.state).resolveInner(ctx.pos, -1).name);
}

function sqlSupport(dialect, flat) {
  const lang = dialect.language;
  const keywords = keywordCompletionSource(dialect, true, (label, type) => ({ label, type, boost: -2 }));
  const fns = functionCompletions();
  return new LanguageSupport(lang, [
    lang.data.of({ autocomplete: schemaCompletionSource({ dialect, schema: nestSchema(flat) }) }),
    lang.data.of({
      // The dialect's own keyword list, less its built-ins: those come from FUNCTIONS.
      autocomplete: (ctx) => {
        if (afterDot(ctx)) return null;
        const r = keywords(ctx);
        return r && { ...r, options: r.options.filter((o) => o.type !== "variable") };
      },
    }),
    lang.data.of({
      autocomplete: (ctx) => {
        const word = ctx.matchBefore(/[\w$]+/);
        if ((!word && !ctx.explicit) || afterDot(ctx) || inTextOrComment(ctx)) return null;
        return { from: word ? word.from : ctx.pos, options: fns, validFor: /^[\w$]*$/ };
      },
    }),
    lang.data.of({ autocomplete: columnsInScope(flat) }),
  ]);
}

function cspNonce(doc) {
  const meta = doc.querySelector('meta[name="csp-nonce"]');
  return (meta && meta.getAttribute("content")) || "";
}

// ---- mount ----
function mount(textarea, options = {}) {
  if (!(textarea instanceof HTMLTextAreaElement)) throw new TypeError("ProostEditor.mount needs a <textarea>");
  const doc = textarea.ownerDocument;
  const [dialect, fmtDialect] = DIALECTS[(options.dialect || "datafusion").toLowerCase()] || DIALECTS.datafusion;
  const language = new Compartment();
  let schema = options.schema || {};
  const proto = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value");
  const setNative = (v) => proto.set.call(textarea, v);
  let inputTimer = 0;

  const getSelectionOrAll = (state = view.state) => {
    const sel = state.selection.main;
    return sel.empty ? state.doc.toString() : state.sliceDoc(sel.from, sel.to);
  };

  const run = (v) => {
    if (typeof options.onRun === "function") options.onRun(getSelectionOrAll(v.state));
    return true;
  };

  const format = () => {
    const text = view.state.doc.toString();
    let out;
    try {
      out = formatDialect(text, { dialect: fmtDialect, keywordCase: "upper", tabWidth: 2 });
    } catch (err) {
      if (typeof options.onFormatError === "function") options.onFormatError(err);
      return false;
    }
    if (out !== text) {
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: out },
        selection: { anchor: Math.min(view.state.selection.main.head, out.length) },
        userEvent: "input.format",
        scrollIntoView: true,
      });
    }
    return true;
  };

  const label = options.label || textarea.getAttribute("aria-label") || "SQL editor";
  const nonce = cspNonce(doc);
  const extensions = [
    nonce ? EditorView.cspNonce.of(nonce) : [],
    Prec.highest(keymap.of([
      { key: "Mod-Enter", run, preventDefault: true },
      { key: "Shift-Alt-f", run: () => { format(); return true; }, preventDefault: true },
      { key: "Mod-Shift-f", run: () => { format(); return true; }, preventDefault: true },
    ])),
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    dropCursor(),
    EditorState.allowMultipleSelections.of(true),
    indentOnInput(),
    syntaxHighlighting(highlight),
    bracketMatching(),
    closeBrackets(),
    autocompletion({ activateOnTyping: true, icons: false }),
    rectangularSelection(),
    crosshairCursor(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    EditorState.tabSize.of(2),
    keymap.of([
      ...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap,
      ...completionKeymap,
      // Tab indents; Escape then Tab (or Ctrl-M / Shift-Alt-M on macOS) moves focus on.
      indentWithTab,
    ]),
    language.of(sqlSupport(dialect, schema)),
    theme,
    EditorView.contentAttributes.of({ "aria-label": label }),
    EditorView.updateListener.of((u) => {
      if (!u.docChanged) return;
      const value = u.state.doc.toString();
      setNative(value);
      if (typeof options.onChange === "function") options.onChange(value);
      clearTimeout(inputTimer);
      inputTimer = setTimeout(() => textarea.dispatchEvent(new Event("input", { bubbles: true })), 150);
    }),
  ];

  const view = new EditorView({
    state: EditorState.create({ doc: textarea.value, extensions }),
    parent: doc.createElement("div"),
  });
  view.dom.classList.add("proost-editor");
  textarea.after(view.dom);
  // Hidden through the CSSOM: app.css gives textarea#sql `display: block`, which beats
  // the `hidden` attribute.
  const oldDisplay = textarea.style.display;
  textarea.style.display = "none";

  // Code that sets textarea.value (e.g. a "SELECT * FROM …" button) updates the editor too.
  Object.defineProperty(textarea, "value", {
    configurable: true,
    get() { return proto.get.call(textarea); },
    set(v) { setValue(v); },
  });

  function setValue(text) {
    text = text == null ? "" : String(text);
    if (text === view.state.doc.toString()) { setNative(text); return; }
    view.dispatch({
      changes: { from: 0, to: view.state.doc.length, insert: text },
      selection: { anchor: text.length },
    });
  }

  // A <label for="…"> pointing at the textarea now focuses the editor.
  if (textarea.id) {
    for (const l of doc.querySelectorAll(`label[for="${CSS.escape(textarea.id)}"]`)) {
      l.addEventListener("click", (ev) => { ev.preventDefault(); view.focus(); });
    }
  }

  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue,
    getSelectionOrAll: () => getSelectionOrAll(),
    focus: () => view.focus(),
    setSchema(next) {
      schema = next || {};
      view.dispatch({ effects: language.reconfigure(sqlSupport(dialect, schema)) });
    },
    format,
    destroy() {
      clearTimeout(inputTimer);
      delete textarea.value;
      setNative(view.state.doc.toString());
      view.destroy();
      textarea.style.display = oldDisplay;
    },
  };
}

window.ProostEditor = { mount };
