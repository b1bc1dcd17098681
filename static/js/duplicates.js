// The contact editor's live duplicate check: while the person types a name, an email or a phone, the
// form asks GET /contacts/duplicates/check (debounced) for visible contacts that look the same and
// lists them, with links, above the form. Saving still checks on the server, with "Save anyway".
(function () {
  "use strict";

  var form = document.querySelector("form[data-duplicate-check]");
  var box = document.getElementById("duplicate-live");
  if (!form || !box) return;
  var pending = null;
  var last = "";

  function query() {
    var params = new URLSearchParams();
    params.set("kind", form.getAttribute("data-kind"));
    if (form.hasAttribute("data-exclude")) params.set("exclude", form.getAttribute("data-exclude"));
    ["first_name", "middle_name", "last_name", "name", "company"].forEach(function (name) {
      var field = form.elements[name];
      if (field && field.value) params.set(name, field.value);
    });
    form.querySelectorAll("select[name^='items-'][name$='-kind']").forEach(function (kind) {
      var value = form.elements[kind.name.replace(/-kind$/, "-value")];
      var removed = form.elements[kind.name.replace(/-kind$/, "-DELETE")];
      if (!value || !value.value.trim() || (removed && removed.checked)) return;
      if (kind.value === "email") params.append("email", value.value.trim());
      if (kind.value === "tel") params.append("phone", value.value.trim());
    });
    return params.toString();
  }

  function show(matches) {
    box.textContent = "";
    if (!matches.length) return;
    var title = document.createElement("strong");
    title.textContent = "This looks like " + (matches.length === 1 ? "a contact" : "contacts") + " you already have:";
    var list = document.createElement("ul");
    matches.forEach(function (match) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = match.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = match.name;
      item.appendChild(link);
      var why = document.createElement("span");
      why.className = "muted small";
      why.textContent = (match.company ? " · " + match.company : "") + " (" + match.reasons.join(", ") + ")";
      item.appendChild(why);
      list.appendChild(item);
    });
    box.appendChild(title);
    box.appendChild(list);
  }

  function check() {
    var params = query();
    if (params === last) return;
    last = params;
    fetch(form.getAttribute("data-duplicate-check") + "?" + params, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.json() : { matches: [] }; })
      .then(function (data) { if (params === last) show(data.matches); });
  }

  function later() {
    clearTimeout(pending);
    pending = setTimeout(check, 400);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
