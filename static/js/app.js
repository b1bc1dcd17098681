// The little JavaScript the pages need; everything works without it except these niceties.
// Listeners are delegated from `document`, so content swapped in by htmx needs no re-binding.
(function () {
  "use strict";

  function isTyping(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  // "/" focuses the page's search box (or the one in the top bar).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    var box = document.querySelector("[data-search]") || document.querySelector("#global-search");
    if (box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });

  // Inline formset rows: add from the <template>, remove by ticking the row's DELETE box.
  function showTelType(row) {
    var kind = row.querySelector("select[name$='-kind']");
    var telType = row.querySelector("[data-tel-type]");
    if (kind && telType) telType.hidden = kind.value !== "tel";
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) {
      var prefix = add.getAttribute("data-add-row");
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      var template = document.getElementById(prefix + "-template");
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      document.getElementById(prefix + "-rows").appendChild(row);
      total.value = String(index + 1);
      showTelType(row);
      var first = row.querySelector("input:not([type=hidden]):not([type=checkbox]), select");
      if (first) first.focus();
      return;
    }
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      var removed = remove.closest(".row");
      var box = removed.querySelector("input[name$='-DELETE']");
      if (box) box.checked = true;
      removed.classList.add("removed");
      return;
    }
    var copy = event.target.closest("[data-copy]");
    if (copy) {
      var source = document.querySelector(copy.getAttribute("data-copy"));
      var text = source.value !== undefined ? source.value : source.textContent;
      var done = function () {
        copy.textContent = "Copied";
        setTimeout(function () { copy.textContent = "Copy"; }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done);
      } else {
        var area = document.createElement("textarea");
        area.value = text;
        document.body.appendChild(area);
        area.select();
        document.execCommand("copy");
        area.remove();
        done();
      }
      return;
    }
    var toggle = event.target.closest("[data-toggle-filters]");
    if (toggle) {
      var open = toggle.form.classList.toggle("open");
      toggle.setAttribute("aria-expanded", String(open));
      return;
    }
    var dismiss = event.target.closest("[data-dismiss]");
    if (dismiss) dismiss.closest(".message").remove();
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("select[name$='-kind']")) showTelType(target.closest(".row"));
    if (target.matches("[data-select-all]")) {
      document.querySelectorAll("input[name='ids'][form='bulk-form']").forEach(function (box) {
        box.checked = target.checked;
      });
    }
    if (target.matches("[data-select-all], input[name='ids']")) {
      var count = document.querySelectorAll("input[name='ids'][form='bulk-form']:checked").length;
      var label = document.querySelector("[data-selected-count]");
      if (label) label.textContent = count ? count + " selected" : "Select rows for bulk actions";
    }
    if (target.matches("[data-bulk-action]")) {
      var form = target.form;
      form.querySelector("[data-bulk-tag]").hidden = target.value !== "tag";
      form.querySelector("[data-bulk-project]").hidden = target.value !== "project";
    }
  });

  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // Tag autocompletion: suggestions for the word being typed, offered through the input's <datalist>.
  var pending = null;
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches("[data-tag-suggest]")) return;
    var parts = input.value.split(",");
    var word = parts.pop().trim();
    var head = parts.map(function (p) { return p.trim(); }).filter(Boolean);
    var list = document.getElementById(input.getAttribute("list"));
    clearTimeout(pending);
    pending = setTimeout(function () {
      fetch(input.getAttribute("data-tag-suggest") + "?q=" + encodeURIComponent(word), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (names) {
          list.innerHTML = "";
          names.filter(function (name) { return head.indexOf(name) < 0; }).forEach(function (name) {
            var option = document.createElement("option");
            option.value = head.concat([name]).join(", ");
            list.appendChild(option);
          });
        });
    }, 150);
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".row").forEach(showTelType);
  });
})();
