// 議題の順番: a row dragged (HTML5 drag and drop) moves the item, and the 順位 numbers follow, so
// the form, which works without this script by its numbers, saves the order shown on screen.
(function () {
  "use strict";

  function renumber(body) {
    var next = 1;
    body.querySelectorAll("tr").forEach(function (row) {
      var rank = row.querySelector("input.rank");
      if (rank && rank.value.trim() !== "") {
        rank.value = String(next);
        next += 1;
      }
    });
  }

  function setUp(form) {
    var body = form.querySelector("tbody");
    var status = form.querySelector("[data-order-status]");
    var dragged = null;
    if (!body) {
      return;
    }
    body.addEventListener("dragstart", function (event) {
      var row = event.target.closest("tr");
      if (!row) {
        return;
      }
      dragged = row;
      row.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.getAttribute("data-item-id") || "");
    });
    body.addEventListener("dragover", function (event) {
      if (!dragged) {
        return;
      }
      event.preventDefault();
      var row = event.target.closest("tr");
      if (!row || row === dragged || row.parentNode !== body) {
        return;
      }
      var box = row.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      body.insertBefore(dragged, after ? row.nextSibling : row);
    });
    body.addEventListener("drop", function (event) {
      event.preventDefault();
    });
    body.addEventListener("dragend", function () {
      if (!dragged) {
        return;
      }
      dragged.classList.remove("dragging");
      dragged = null;
      renumber(body);
      if (status) {
        status.textContent = "順番を変えました。「この順番で保存する」を押すと保存されます。";
      }
    });
  }

  document.querySelectorAll("form[data-agenda-order]").forEach(setUp);
})();
