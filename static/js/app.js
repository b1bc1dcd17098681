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

  // The hint under an item's value says what its kind accepts (the hints come from the server).
  function showItemHint(row) {
    var kind = row.querySelector("select[name$='-kind']");
    var help = row.querySelector(".value .help");
    var hints = document.getElementById("item-hints");
    if (kind && help && hints) help.textContent = JSON.parse(hints.textContent)[kind.value] || "";
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
    if (target.matches("select[name$='-kind']")) {
      showTelType(target.closest(".row"));
      showItemHint(target.closest(".row"));
    }
    if (target.matches("[data-select-all]")) {
      document.querySelectorAll("input[name='ids'][form='bulk-form']").forEach(function (box) {
        box.checked = target.checked;
      });
    }
    if (target.matches("[data-select-all], input[name='ids']")) selectMatching(false);
    if (target.matches("[data-bulk-action]")) showBulkFields(target);
  });

  // The contacts list's bulk bar: the inputs of the chosen action, and the selection, either the
  // ticked rows or (scope "all") every contact the filter matches, which the server re-reads.
  function showBulkFields(select) {
    select.form.querySelectorAll("[data-bulk-for]").forEach(function (field) {
      field.hidden = field.getAttribute("data-bulk-for").split(" ").indexOf(select.value) < 0;
    });
  }

  function selectMatching(all) {
    var form = document.getElementById("bulk-form");
    if (!form) return;
    var boxes = document.querySelectorAll("input[name='ids'][form='bulk-form']");
    var ticked = document.querySelectorAll("input[name='ids'][form='bulk-form']:checked").length;
    var pageAll = boxes.length > 0 && ticked === boxes.length;
    var bar = document.querySelector("[data-select-matching]");
    all = all && pageAll;
    form.querySelector("[data-bulk-scope]").value = all ? "all" : "selected";
    if (bar) {
      bar.hidden = !pageAll;
      bar.querySelector("[data-select-matching-offer]").hidden = all;
      bar.querySelector("[data-select-matching-done]").hidden = !all;
    }
    var total = form.getAttribute("data-total");
    var label = form.querySelector("[data-selected-count]");
    if (label) label.textContent = all ? "All " + total + " selected" : ticked ? ticked + " selected" : total + " contacts";
    form.querySelector("[data-bulk-submit]").textContent = all ? "Apply to all " + total : "Apply to selected";
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-select-matching-all]")) selectMatching(true);
    var clear = event.target.closest("[data-select-matching-clear]");
    if (clear) {
      document.querySelectorAll("[data-select-all], input[name='ids'][form='bulk-form']").forEach(function (box) {
        box.checked = false;
      });
      selectMatching(false);
    }
  });

  // A dropdown (a <details>) closes when a click or Escape happens outside it.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details[data-dropdown][open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details[data-dropdown][open]").forEach(function (menu) {
      menu.open = false;
    });
  });

  // A saved view keeps the list's current query string (htmx keeps it in the address bar).
  document.addEventListener("submit", function (event) {
    var query = event.target.querySelector("[data-view-query]");
    if (query) query.value = window.location.search.replace(/^\?/, "");
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

  // The company picker, a combobox after the WAI-ARIA Authoring Practices "list autocomplete" pattern:
  // typing asks the server for at most 15 matching companies; arrows move through them, Enter or a
  // click picks one into the hidden id input, Escape closes the list. Typing clears the chosen id, so
  // the server looks the typed name up, as it does without JavaScript.
  var companyPending = null;

  function pickerParts(picker) {
    return {
      input: picker.querySelector("[role=combobox]"),
      hidden: picker.querySelector("input[type=hidden]"),
      list: picker.querySelector("[role=listbox]"),
      clear: picker.querySelector("[data-company-clear]"),
      status: picker.querySelector("[data-company-status]"),
    };
  }

  function closeOptions(parts) {
    parts.list.hidden = true;
    parts.input.setAttribute("aria-expanded", "false");
    parts.input.removeAttribute("aria-activedescendant");
  }

  function showOptions(parts, companies, picker) {
    parts.list.innerHTML = "";
    var typed = parts.input.value.trim();
    var exact = companies.some(function (c) { return c.name.toLowerCase() === typed.toLowerCase(); });
    var canCreate = typed && !exact && picker.hasAttribute("data-company-create");
    companies.forEach(function (company, index) {
      var option = document.createElement("li");
      option.id = parts.list.id + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.id = String(company.id);
      option.textContent = company.name;
      parts.list.appendChild(option);
    });
    if (canCreate) {
      var create = document.createElement("li");
      create.id = parts.list.id + "-create";
      create.setAttribute("role", "option");
      create.setAttribute("aria-selected", "false");
      create.className = "picker-create";
      create.dataset.create = typed;
      create.textContent = "Create company \u2018" + typed + "\u2019\u2026";
      parts.list.appendChild(create);
    } else if (!companies.length) {
      var none = document.createElement("li");
      none.setAttribute("aria-disabled", "true");
      none.textContent = "No company you can see matches.";
      parts.list.appendChild(none);
    }
    parts.list.hidden = false;
    parts.input.setAttribute("aria-expanded", "true");
    parts.status.textContent = companies.length
      ? companies.length + " compan" + (companies.length === 1 ? "y" : "ies") + " found; use the arrow keys to choose."
      : "No company matches.";
  }

  function moveActive(parts, step) {
    var options = Array.prototype.slice.call(parts.list.querySelectorAll("[role=option]"));
    if (!options.length) return;
    var current = options.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
    var next = current < 0 ? (step > 0 ? 0 : options.length - 1) : (current + step + options.length) % options.length;
    options.forEach(function (o, i) { o.setAttribute("aria-selected", String(i === next)); });
    parts.input.setAttribute("aria-activedescendant", options[next].id);
    options[next].scrollIntoView({ block: "nearest" });
  }

  // Creating a company from the typed name, after a confirmation; the answer is then picked.
  function createCompany(picker, parts, name) {
    closeOptions(parts);
    if (!window.confirm("Create company '" + name + "'?")) return;
    var form = picker.closest("form");
    var token = form && form.querySelector("[name=csrfmiddlewaretoken]");
    var body = new URLSearchParams({ name: name });
    fetch(picker.getAttribute("data-company-create"), {
      method: "POST",
      headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
      credentials: "same-origin",
      body: body,
    })
      .then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
      .then(function (answer) {
        if (!answer[0]) {
          parts.status.textContent = answer[1].error || "The company could not be created.";
          return;
        }
        var option = document.createElement("li");
        option.dataset.id = String(answer[1].id);
        option.textContent = answer[1].name;
        pickCompany(parts, option);
        parts.status.textContent = answer[1].name + " created and chosen.";
        parts.input.focus();
      });
  }

  function chooseOption(picker, option) {
    var parts = pickerParts(picker);
    if (option.dataset.create) createCompany(picker, parts, option.dataset.create);
    else pickCompany(parts, option);
  }

  function pickCompany(parts, option) {
    parts.hidden.value = option.dataset.id;
    parts.input.value = option.textContent;
    parts.clear.hidden = false;
    parts.status.textContent = option.textContent + " chosen.";
    closeOptions(parts);
  }

  function suggestCompanies(picker) {
    var parts = pickerParts(picker);
    clearTimeout(companyPending);
    companyPending = setTimeout(function () {
      var query = parts.input.value;
      var url = new URL(picker.getAttribute("data-company-picker"), window.location.href);
      url.searchParams.set("q", query);
      fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (companies) {
          // An answer to an older query arriving late must not replace the current one.
          if (parts.input.value === query && document.activeElement === parts.input) {
            showOptions(parts, companies, picker);
          }
        });
    }, 150);
  }

  document.addEventListener("input", function (event) {
    var picker = event.target.closest("[data-company-picker]");
    if (!picker || event.target.getAttribute("role") !== "combobox") return;
    var parts = pickerParts(picker);
    parts.hidden.value = "";
    parts.clear.hidden = !parts.input.value;
    suggestCompanies(picker);
  });

  document.addEventListener("keydown", function (event) {
    var picker = event.target.closest("[data-company-picker]");
    if (!picker || event.target.getAttribute("role") !== "combobox") return;
    var parts = pickerParts(picker);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (parts.list.hidden) suggestCompanies(picker);
      else moveActive(parts, event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && !parts.list.hidden) {
      var active = parts.list.querySelector("[aria-selected=true]");
      if (active) {
        event.preventDefault();
        chooseOption(picker, active);
      }
    } else if (event.key === "Escape" && !parts.list.hidden) {
      event.preventDefault();
      closeOptions(parts);
    }
  });

  // mousedown, not click: it fires before the input's blur closes the list.
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest("[data-company-picker] [role=option]");
    if (option) {
      event.preventDefault();
      chooseOption(option.closest("[data-company-picker]"), option);
    }
  });

  document.addEventListener("click", function (event) {
    var clear = event.target.closest("[data-company-clear]");
    if (!clear) return;
    var parts = pickerParts(clear.closest("[data-company-picker]"));
    parts.hidden.value = "";
    parts.input.value = "";
    clear.hidden = true;
    parts.status.textContent = "No company.";
    closeOptions(parts);
    parts.input.focus();
  });

  document.addEventListener("focusout", function (event) {
    var picker = event.target.closest("[data-company-picker]");
    if (picker && event.target.getAttribute("role") === "combobox") closeOptions(pickerParts(picker));
  });

  // The access list matters only for private contacts: shown while "private" is chosen.
  function showAccessList() {
    var visibility = document.querySelector("select[name=visibility]");
    document.querySelectorAll("[data-private-only]").forEach(function (block) {
      block.hidden = !!visibility && visibility.value !== "private";
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("select[name=visibility]")) showAccessList();
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".row").forEach(showTelType);
    showAccessList();
  });
})();
