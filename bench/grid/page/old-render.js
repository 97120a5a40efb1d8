// The "before": renderGrid as it is in crates/proost-server/src/assets/app.js before
// ProostGrid (a <table> with one <tr> per row), copied verbatim.
"use strict";

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
