// Cairn admin: progressive enhancement only. Every flow works without it.
(function () {
  "use strict";
  var root = document.documentElement;
  var stored = null;
  try { stored = localStorage.getItem("cairn-theme"); } catch (e) { /* private mode */ }
  if (stored === "light" || stored === "dark") root.setAttribute("data-theme", stored);

  function currentTheme() {
    var set = root.getAttribute("data-theme");
    if (set) return set;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  // The same proposal as the server's (naming::suggest_api_ids), while typing.
  function slug(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }
  function plural(s) {
    if (!s) return s;
    if (/[^aeiou]y$/.test(s)) return s.slice(0, -1) + "ies";
    if (/(s|x|z|ch|sh)$/.test(s)) return s + "es";
    return s + "s";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-theme-toggle]").forEach(function (button) {
      button.hidden = false;
      var label = function () {
        var next = currentTheme() === "dark" ? "light" : "dark";
        button.textContent = "Switch to " + next + " theme";
        button.setAttribute("aria-pressed", currentTheme() === "dark" ? "true" : "false");
      };
      label();
      button.addEventListener("click", function () {
        var next = currentTheme() === "dark" ? "light" : "dark";
        root.setAttribute("data-theme", next);
        try { localStorage.setItem("cairn-theme", next); } catch (e) { /* private mode */ }
        label();
      });
    });

    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });

    document.querySelectorAll("form[data-derive-api-ids]").forEach(function (form) {
      var name = form.querySelector("#field-display_name");
      var singular = form.querySelector("#field-singular_name");
      var pluralField = form.querySelector("#field-plural_name");
      if (!name || !singular || !pluralField) return;
      // Derive only while the ids still follow the name (or are empty).
      var follows = function () {
        return (singular.value === "" || singular.value === slug(name.dataset.previous || "")) &&
          (pluralField.value === "" || pluralField.value === plural(slug(name.dataset.previous || "")));
      };
      name.dataset.previous = name.value;
      name.addEventListener("input", function () {
        if (follows()) {
          singular.value = slug(name.value);
          pluralField.value = plural(singular.value);
        }
        name.dataset.previous = name.value;
      });
      singular.addEventListener("input", function () {
        if (pluralField.dataset.touched !== "true") pluralField.value = plural(singular.value);
      });
      pluralField.addEventListener("input", function () { pluralField.dataset.touched = "true"; });
    });
  });
})();
