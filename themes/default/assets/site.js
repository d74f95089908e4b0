/* drillbook theme script: offline search and sortable, filterable tables.
   Progressive enhancement only: every page is complete without it. No network requests other
   than the site's own search-index.js and its parts (search-index/*.js); text is inserted with textContent, never as HTML. */
(function () {
  "use strict";

  /* ---------- Tables: sort by a column, filter rows by text ---------- */

  function cellKey(cell) {
    if (!cell) return "";
    var time = cell.querySelector("time[datetime]");
    if (time) return time.getAttribute("datetime");
    if (cell.hasAttribute("data-sort")) return cell.getAttribute("data-sort");
    return cell.textContent.trim();
  }

  /* "12m 30s", "1h 5m", "45 s", "91.7 %", "3 of 4 met": a number for ordering, or NaN. */
  function numberKey(text) {
    var units = { d: 86400, h: 3600, m: 60, s: 1, ms: 0.001, min: 60 };
    var re = /(-?[0-9]+(?:\.[0-9]+)?)\s*(ms|min|d|h|m|s)\b/g, match, total = 0, found = false;
    while ((match = re.exec(text)) !== null) { total += parseFloat(match[1]) * units[match[2]]; found = true; }
    if (found) return total;
    var plain = /^[−-]?[0-9][0-9,]*(?:\.[0-9]+)?/.exec(text.replace(/\u00a0/g, " "));
    return plain ? parseFloat(plain[0].replace(/,/g, "").replace("−", "-")) : NaN;
  }

  function compare(a, b) {
    var x = numberKey(a), y = numberKey(b);
    if (!isNaN(x) && !isNaN(y) && !/^\d{4}-\d{2}-\d{2}/.test(a)) return x - y;
    return a < b ? -1 : (a > b ? 1 : 0);
  }

  function sortable(table) {
    var head = table.tHead;
    if (!head || !head.rows.length || !table.tBodies.length) return;
    var headers = head.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.forEach(function (row, index) { row._position = index; });
        rows.sort(function (r, s) {
          var order = compare(cellKey(r.cells[column]), cellKey(s.cells[column]));
          if (order === 0) order = r._position - s._position;
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  var filterCount = 0;
  function filterable(table) {
    if (!table.tBodies.length) return;
    filterCount += 1;
    var id = "table-filter-" + filterCount;
    var wrap = document.createElement("p");
    wrap.className = "table-filter";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "Filter rows ";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "table-filter__input";
    var status = document.createElement("span");
    status.className = "table-filter__status";
    status.setAttribute("role", "status");
    wrap.appendChild(label);
    wrap.appendChild(input);
    wrap.appendChild(status);
    var anchor = table.closest(".table-scroll") || table;
    anchor.parentNode.insertBefore(wrap, anchor);
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var rows = table.tBodies[0].rows, shown = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var text = row.textContent.toLowerCase();
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = words.length ? " " + shown + " of " + rows.length + " rows" : "";
    });
  }

  /* ---------- Search ---------- */

  /* The index is search-index.js (drills, reviews and the list of parts) and its parts, each a
     script that adds one slice of the runs, incidents or action items to drillbookSearchParts.
     Parts load one after another once there is a query; results are shown as they come and the
     status says how many parts are still to search, so the last answer is exact. */

  function runEntries(index, rows) {
    return rows.map(function (r) {
      var drill = index.drills[r[0]];
      var title = (drill ? drill[0] : "Run") + ", " + r[2];
      return { title: title, href: "runs/" + r[1] + ".html", kind: "Run", date: r[2], words: r[1] + " " + r[3] + " " + r[4] };
    });
  }

  function incidentEntries(rows) {
    return rows.map(function (i) {
      return { title: i[0] + ": " + i[3], href: "incidents/" + (i[1] || i[0].toLowerCase()) + ".html", kind: "Incident " + i[2], date: i[4], words: i[2] };
    });
  }

  function actionEntries(rows) {
    return rows.map(function (a) {
      return { title: a[0] + ": " + a[2], href: "actions/" + (a[1] || a[0].toLowerCase()) + ".html", kind: "Action item", date: "", words: a[3] + " " + a[4] };
    });
  }

  function withText(entries) {
    entries.forEach(function (e) { e.text = (e.title + " " + e.kind + " " + e.date + " " + e.words).toLowerCase(); });
    return entries;
  }

  function search() {
    var list = document.getElementById("search-results");
    if (!list) return;
    var status = document.getElementById("search-status");
    var input = document.getElementById("search-q");
    var query = new URLSearchParams(window.location.search).get("q") || "";
    input.value = query;
    var base = list.getAttribute("data-index").replace(/[^\/]*$/, "");
    var index = null;
    /* groups[0] the drills, then one group per part (null until loaded), the reviews last: the
       order of results is the order of the index whatever order the parts arrive in. */
    var groups = [];
    var loaded = 0;
    var loading = false;
    var failed = false;
    var limit = 100;

    function load(src, done) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = done;
      script.onerror = function () {
        failed = true;
        status.textContent = "The search index could not be loaded" + (index ? " whole: the results may miss records." : ".");
      };
      document.head.appendChild(script);
    }

    function loadParts() {
      if (loading) return;
      loading = true;
      var parts = index.parts || [];
      var store = window.drillbookSearchParts = window.drillbookSearchParts || {};
      function next(position) {
        if (position >= parts.length) return;
        var part = parts[position];
        load(base + part[0], function () {
          var rows = (store[part[0]] || {})[part[1]] || [];
          delete store[part[0]];
          groups[position + 1] = withText(part[1] === "runs" ? runEntries(index, rows) : part[1] === "incidents" ? incidentEntries(rows) : actionEntries(rows));
          loaded += 1;
          render();
          next(position + 1);
        });
      }
      next(0);
    }

    function render() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      while (list.firstChild) list.removeChild(list.firstChild);
      if (!words.length) { status.textContent = ""; return; }
      loadParts();
      var found = [];
      groups.forEach(function (group) {
        (group || []).forEach(function (e) {
          if (words.every(function (word) { return e.text.indexOf(word) !== -1; })) found.push(e);
        });
      });
      found.slice(0, limit).forEach(function (e) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.setAttribute("href", e.href);
        link.textContent = e.title;
        var kind = document.createElement("span");
        kind.className = "search-results__kind";
        kind.textContent = " " + e.kind;
        item.appendChild(link);
        item.appendChild(kind);
        list.appendChild(item);
      });
      var total = (index.parts || []).length;
      var text = found.length === 0 ? "Nothing matches"
        : (found.length > limit ? "The first " + limit + " of " + found.length + " matches" : found.length + (found.length === 1 ? " match" : " matches"));
      status.textContent = failed ? text + "; the search index could not be loaded whole: the results may miss records."
        : loaded < total ? text + " so far; searching part " + (loaded + 1) + " of " + total + "…" : text + ".";
      list.setAttribute("data-complete", loaded < total ? "false" : "true");
    }

    load(list.getAttribute("data-index"), function () {
      index = window.drillbookSearchIndex || {};
      var drills = (index.drills || []).map(function (d) {
        return { title: d[0], href: "drills/" + d[1] + ".html", kind: "Drill", date: "", words: d[2] };
      });
      var reviews = (index.reviews || []).map(function (q) {
        return { title: "Quarterly review, " + q[1], href: "reviews/" + q[0] + ".html", kind: "Review", date: "", words: q[0] };
      });
      groups = [withText(drills)].concat((index.parts || []).map(function () { return null; }), [withText(reviews)]);
      render();
      input.addEventListener("input", render);
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), sortable);
    Array.prototype.forEach.call(document.querySelectorAll("table[data-filterable]"), filterable);
    search();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
