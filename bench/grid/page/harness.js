// Measurement helpers, called from bench.mjs / check.mjs through page.evaluate.
"use strict";

(function () {
  const violations = [];
  document.addEventListener("securitypolicyviolation", (e) => violations.push(e.violatedDirective + " " + (e.blockedURI || "inline")));

  // After the next paint: a frame callback runs before the frame's paint, a task queued from
  // it runs after that paint.
  const afterPaint = () => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));

  let result = null;
  let grid = null;

  function countNodes(root) {
    let n = 0;
    const w = document.createTreeWalker(root, NodeFilter.SHOW_ALL);
    while (w.nextNode()) n++;
    return n;
  }

  window.harness = {
    violations,
    afterPaint,
    grid: () => grid,
    // Fetches the JSON (not timed), then times JSON.parse: the "arrival" point.
    async load(n) {
      const text = await (await fetch("/data/" + n + ".json")).text();
      const t0 = performance.now();
      result = JSON.parse(text);
      return { parseMs: performance.now() - t0, bytes: text.length };
    },
    result: () => result,
    // From the parsed result to the first paint of the grid.
    async firstPaint(which) {
      await afterPaint();
      const t0 = performance.now();
      if (which === "old") renderGrid(result);
      else {
        grid = grid || new ProostGrid(document.getElementById("newgrid"));
        grid.render(result);
      }
      const t1 = performance.now();
      await afterPaint();
      return { renderMs: t1 - t0, paintMs: performance.now() - t0 };
    },
    // Scroll to the middle of the result, until that paints; returns the first row in view.
    async scrollMiddle(which) {
      const scroller = which === "old" ? document.querySelector(".table-wrap") : document.getElementById("newgrid");
      await afterPaint();
      const t0 = performance.now();
      scroller.scrollTop = (scroller.scrollHeight - scroller.clientHeight) / 2;
      await afterPaint();
      const ms = performance.now() - t0;
      // Which row is drawn just below the header?
      const r = scroller.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + 20, r.top + r.height / 2);
      const row = hit && (hit.closest("tr") || hit.closest(".pg-row"));
      const first = row ? row.firstElementChild.textContent : null;
      return { ms, rowAtMiddle: first, scrollTop: scroller.scrollTop };
    },
    // Scrolls 3 rows a frame for 60 frames (from the middle): mean time per frame, and the longest.
    async scrollSmooth(which) {
      const scroller = which === "old" ? document.querySelector(".table-wrap") : document.getElementById("newgrid");
      await afterPaint();
      const times = [];
      let last = performance.now();
      for (let i = 0; i < 60; i++) {
        scroller.scrollTop += 84;
        await new Promise((ok) => requestAnimationFrame(ok));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      await afterPaint();
      return { mean: times.reduce((a, b) => a + b, 0) / times.length, max: Math.max(...times) };
    },
    nodes: () => ({ document: countNodes(document), elements: document.getElementsByTagName("*").length }),
  };
})();
