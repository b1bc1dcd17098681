/*
 * A web form of the CRM, posted without leaving the page.
 *
 * Loaded by the snippet of a form whose "post without leaving the page" option is on. It posts
 * every <form data-crm-webform> with fetch and shows the answer in place: the form's thank-you
 * text (or its thank-you page), or each error next to its field. The post asks for JSON and
 * sends a header that makes the browser check CORS first, so a page whose origin the form does
 * not allow sends nothing through the script: the form is then posted the ordinary way, and the
 * visitor gets the CRM's pages. On a page the CRM sent back with `webform_error[field]=...` in
 * its address, those errors are shown too.
 */
(function () {
  "use strict";

  function field(form, key) {
    return form.querySelector('[data-crm-field="' + key.replace(/"/g, "") + '"]');
  }

  function labelText(form, input) {
    var label = input.id ? form.querySelector('label[for="' + input.id + '"]') : null;
    return label ? label.textContent.replace(/\s*\(required\)\s*$/, "").trim() : "";
  }

  function clear(form) {
    form.querySelectorAll(".crm-webform-error, .crm-webform-errors").forEach(function (node) {
      node.remove();
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (input) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    });
  }

  function showOnField(input, message) {
    var id = (input.id || "crm-field") + "-error";
    var note = document.getElementById(id);
    if (!note) {
      note = document.createElement("span");
      note.className = "crm-webform-error";
      note.id = id;
      note.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", note);
    }
    note.textContent = (note.textContent ? note.textContent + " " : "") + message;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", id);
  }

  function showGeneral(form, messages) {
    var box = document.createElement("div");
    box.className = "crm-webform-errors";
    box.setAttribute("role", "alert");
    messages.forEach(function (message) {
      var line = document.createElement("p");
      line.textContent = message;
      box.appendChild(line);
    });
    form.insertBefore(box, form.firstChild);
  }

  // The JSON answer lists full messages ("First name cannot be blank", "abc is not a valid phone
  // number"): each goes to the field whose label, or whose typed value, it starts with.
  function placeErrors(form, messages) {
    var inputs = Array.prototype.slice.call(form.querySelectorAll("[data-crm-field]"));
    var general = [];
    messages.forEach(function (message) {
      var best = null;
      var bestLength = 0;
      inputs.forEach(function (input) {
        [labelText(form, input), (input.value || "").trim()].forEach(function (prefix) {
          if (prefix && prefix.length > bestLength && message.indexOf(prefix) === 0) {
            best = input;
            bestLength = prefix.length;
          }
        });
      });
      if (best) {
        showOnField(best, message);
      } else {
        general.push(message);
      }
    });
    if (general.length) {
      showGeneral(form, general);
    }
    var first = form.querySelector('[aria-invalid="true"]');
    if (first) {
      first.focus();
    }
  }

  function thank(form) {
    var note = document.createElement("div");
    note.className = "crm-webform-thanks";
    note.setAttribute("role", "status");
    note.textContent = form.getAttribute("data-thanks") || "Thank you!";
    form.replaceWith(note);
  }

  function submit(form, event) {
    if (form.getAttribute("data-crm-native") === "1") {
      return; // the ordinary post, after the script could not send it
    }
    event.preventDefault();
    var button = form.querySelector('[type="submit"]');
    var data = new FormData(form);
    var redirect = data.get("redirect_on_success");
    data.delete("redirect_on_success"); // the script goes there itself, after the answer
    data.delete("commit");
    clear(form);
    if (button) {
      button.disabled = true;
    }
    fetch(form.action, {
      method: "POST",
      body: data,
      mode: "cors",
      credentials: "omit",
      headers: { Accept: "application/json", "X-Requested-With": "crm-webform" },
    })
      .then(function (response) {
        if (response.ok) {
          if (redirect) {
            window.location.assign(redirect);
          } else {
            thank(form);
          }
          return;
        }
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (body) {
            var messages = body && Array.isArray(body.errors) && body.errors.length ? body.errors : null;
            if (messages && response.status === 422) {
              placeErrors(form, messages);
            } else {
              showGeneral(form, messages || ["The form could not be sent (error " + response.status + "). Please try again later."]);
            }
          });
      })
      .catch(function () {
        // No answer the page may read (an origin the form does not allow, or no network): post
        // the ordinary way.
        form.setAttribute("data-crm-native", "1");
        form.submit();
      })
      .finally(function () {
        if (button) {
          button.disabled = false;
        }
      });
  }

  function showErrorsFromAddress(form) {
    var params = new URLSearchParams(window.location.search);
    var general = [];
    params.forEach(function (message, name) {
      var match = /^webform_error\[(.*)\]$/.exec(name);
      if (!match) {
        return;
      }
      var input = match[1] ? field(form, match[1]) : null;
      if (input) {
        showOnField(input, message);
      } else {
        general.push(message);
      }
    });
    if (general.length) {
      showGeneral(form, general);
    }
  }

  function init() {
    document.querySelectorAll("form[data-crm-webform]").forEach(function (form) {
      showErrorsFromAddress(form);
      form.addEventListener("submit", function (event) {
        submit(form, event);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
