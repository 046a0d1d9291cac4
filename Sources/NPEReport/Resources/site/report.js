// ExoNPE report: table sorting and filtering, and a note for images not drawn. Vanilla JS, no dependencies.
(function () {
  "use strict";

  // Images drawn on demand later: hide a missing one and say how to draw it.
  document.querySelectorAll("img[data-optional]").forEach(function (img) {
    img.addEventListener("error", function () {
      img.closest("figure").hidden = true;
      var help = document.querySelector(".missing-help");
      if (help) help.hidden = false;
    });
  });

  var table = document.getElementById("catalogue");
  if (!table) return;
  var body = table.tBodies[0];
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var rows = Array.prototype.slice.call(body.rows);
  var filter = document.getElementById("filter");
  var flaggedOnly = document.getElementById("flagged-only");
  var shown = document.getElementById("shown");

  // A cell's sort key: its data-value as a number, or its text. Missing values sort last either way.
  function key(row, column, numeric) {
    var cell = row.cells[column];
    if (numeric) {
      var value = cell.getAttribute("data-value");
      return value === null ? null : parseFloat(value);
    }
    return cell.textContent.trim().toLowerCase();
  }

  function sortBy(columnKey, direction) {
    var column = headers.findIndex(function (th) { return th.getAttribute("data-key") === columnKey; });
    if (column < 0) return false;
    var numeric = headers[column].getAttribute("data-numeric") === "1";
    var sign = direction === "desc" ? -1 : 1;
    var ordered = rows.map(function (row, i) { return { row: row, key: key(row, column, numeric), i: i }; });
    ordered.sort(function (a, b) {
      if (a.key === null && b.key === null) return a.i - b.i;
      if (a.key === null) return 1;
      if (b.key === null) return -1;
      if (a.key < b.key) return -sign;
      if (a.key > b.key) return sign;
      return a.i - b.i;  // stable: ties keep the catalogue order
    });
    ordered.forEach(function (item) { body.appendChild(item.row); });
    headers.forEach(function (th, k) {
      if (k === column) th.setAttribute("aria-sort", direction === "desc" ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    });
    return true;
  }

  function applyFilter() {
    var words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var count = 0;
    rows.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var visible = words.every(function (w) { return text.indexOf(w) >= 0; }) &&
        (!flaggedOnly.checked || row.getAttribute("data-flagged") === "1");
      row.hidden = !visible;
      if (visible) count += 1;
    });
    shown.textContent = count + " of " + rows.length + " targets shown";
  }

  headers.forEach(function (th) {
    th.addEventListener("click", function () {
      var direction = th.getAttribute("aria-sort") === "ascending" ? "desc" : "asc";
      sortBy(th.getAttribute("data-key"), direction);
      history.replaceState(null, "", "#sort=" + encodeURIComponent(th.getAttribute("data-key")) + ":" + direction);
    });
  });
  filter.addEventListener("input", applyFilter);
  flaggedOnly.addEventListener("change", applyFilter);

  // index.html#sort=KEY:asc|desc (and &filter=TEXT) opens the table in that order: bookmarkable, and testable.
  var match = /sort=([^:&]+):(asc|desc)/.exec(location.hash);
  if (match) sortBy(decodeURIComponent(match[1]), match[2]);
  var text = /filter=([^&]*)/.exec(location.hash);
  if (text) filter.value = decodeURIComponent(text[1]);
  applyFilter();
})();
