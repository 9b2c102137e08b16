/* The checklist item editor: add rows from the empty row's <template>, remove a row (its
 * "remove" box ticked, the row hidden; rows keep their numbers, as the page's messages name
 * them), and show only the fields an answer type uses.
 * Without this script the page still works: the existing rows plus three empty ones. */
(function () {
  "use strict";
  var form = document.getElementById("template-form");
  if (!form) return;
  var rows = document.getElementById("item-rows");
  var total = form.querySelector("input[name=items-TOTAL_FORMS]");
  var empty = document.getElementById("item-empty");
  var addButton = document.getElementById("add-item");
  var hint = document.getElementById("no-js-hint");

  function wire(row) {
    var type = row.querySelector("select[name$=-answer_type]");
    if (type) {
      row.dataset.type = type.value;
      type.addEventListener("change", function () { row.dataset.type = type.value; });
    }
    var box = row.querySelector("input[name$=-DELETE]");
    if (box && !row.querySelector(".remove-item")) {
      var holder = box.closest(".remove-box") || box.parentNode;
      holder.hidden = true;
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn secondary remove-item";
      remove.textContent = holder.textContent.trim();
      remove.addEventListener("click", function () {
        box.checked = true;
        row.classList.add("removed");
      });
      holder.parentNode.insertBefore(remove, holder);
      if (box.checked) row.classList.add("removed");  // removed before a refused save
    }
  }

  rows.querySelectorAll(".item-row").forEach(wire);
  if (empty && total && addButton) {
    addButton.hidden = false;
    if (hint) hint.hidden = true;
    addButton.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = empty.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      wire(row);
      var first = row.querySelector("input[name$=-section]");
      if (first) first.focus();
    });
  }
})();
