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

    // Buttons that change or remove content say what they will do first.
    document.querySelectorAll("button[data-confirm-click]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.getAttribute("data-confirm-click"))) event.preventDefault();
      });
    });

    // Length counters beside inputs with a maximum.
    document.querySelectorAll("[data-counter][maxlength]").forEach(function (input) {
      // The hint that states the limit becomes the counter.
      var counter = document.getElementById(input.id + "-hint");
      if (!counter) {
        counter = document.createElement("p");
        counter.className = "hint";
        input.insertAdjacentElement("afterend", counter);
      }
      counter.setAttribute("aria-live", "polite");
      var max = input.getAttribute("maxlength");
      var update = function () { counter.textContent = input.value.length + " / " + max + " characters"; };
      input.addEventListener("input", update);
      update();
    });

    // Relation pickers suggest related entries while typing.
    document.querySelectorAll("input[data-lookup]").forEach(function (input) {
      var list = document.getElementById(input.getAttribute("list"));
      var timer = null;
      var asked = "";
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          var text = input.value.trim();
          if (text === asked) return;
          asked = text;
          fetch(input.getAttribute("data-lookup") + "?q=" + encodeURIComponent(text),
            { credentials: "same-origin", headers: { Accept: "application/json" } })
            .then(function (response) { return response.ok ? response.json() : []; })
            .then(function (found) {
              if (!list || asked !== text) return;
              list.textContent = "";
              found.forEach(function (item) {
                var option = document.createElement("option");
                option.value = item.documentId || String(item.id);
                option.label = item.label;
                option.textContent = item.label;
                list.appendChild(option);
              });
            })
            .catch(function () { /* suggestions are a convenience */ });
        }, 150);
      });
    });

    // Component and dynamic zone items can be dragged into another order.
    // The server reads items in the order the form sends them, so moving
    // the elements is enough; the buttons do the same without a mouse.
    document.querySelectorAll("fieldset.group").forEach(function (group) {
      var dragged = null;
      var items = function () { return Array.prototype.filter.call(group.children, function (c) { return c.classList.contains("item"); }); };
      items().forEach(function (item) {
        item.setAttribute("draggable", "true");
        item.addEventListener("dragstart", function (event) {
          dragged = item;
          item.classList.add("dragging");
          event.dataTransfer.effectAllowed = "move";
          event.dataTransfer.setData("text/plain", "");
        });
        item.addEventListener("dragend", function () { item.classList.remove("dragging"); dragged = null; });
        item.addEventListener("dragover", function (event) {
          if (!dragged || dragged === item || dragged.parentNode !== item.parentNode) return;
          event.preventDefault();
          var box = item.getBoundingClientRect();
          var after = event.clientY > box.top + box.height / 2;
          group.insertBefore(dragged, after ? item.nextSibling : item);
        });
        item.addEventListener("drop", function (event) {
          event.preventDefault();
          var form = group.closest("form");
          if (form) form.dispatchEvent(new Event("change", { bubbles: true }));
        });
      });
    });

    // Markdown previews without leaving the page (the server renders them,
    // HTML in the text shown as text).
    document.querySelectorAll("button[data-preview]").forEach(function (button) {
      var id = button.getAttribute("data-preview");
      var text = document.getElementById(id);
      var preview = document.getElementById(id + "-preview");
      var form = button.form;
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var body = new URLSearchParams();
        body.append("csrf", form.elements.csrf.value);
        body.append("text", text.value);
        fetch("/admin/markdown", { method: "POST", credentials: "same-origin", body: body })
          .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
          .then(function (html) { preview.innerHTML = html; preview.hidden = false; })
          .catch(function () { form.requestSubmit(button); });
      });
    });

    // uid fields: regenerated from their source, and checked while typing.
    document.querySelectorAll("input[data-uid-check]").forEach(function (input) {
      var status = document.getElementById(input.id + "-status");
      var ask = function (text) {
        return fetch(input.getAttribute("data-uid-check") + "&text=" + encodeURIComponent(text),
          { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : null; });
      };
      var check = function () {
        var text = input.value.trim();
        if (!text) { status.textContent = ""; return; }
        ask(text).then(function (answer) {
          if (!answer || input.value.trim() !== text) return;
          if (answer.available) status.textContent = "Available.";
          else if (answer.proposal) status.textContent = "Taken or not a valid uid; “" + answer.proposal + "” is free.";
          else status.textContent = "Use letters, digits, - _ . ~";
        }).catch(function () { /* the save checks it anyway */ });
      };
      var timer = null;
      input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 250); });
      var source = document.getElementById(input.getAttribute("data-uid-source") || "");
      if (source) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "secondary small";
        button.id = input.id + "-regenerate";
        button.textContent = "Regenerate";
        button.addEventListener("click", function () {
          ask(source.value).then(function (answer) {
            if (answer && answer.proposal) {
              input.value = answer.proposal;
              input.dispatchEvent(new Event("input", { bubbles: true }));
            }
          });
        });
        input.insertAdjacentElement("afterend", button);
      }
    });

    // Media fields: a file uploaded from the entry's form is linked to the
    // field at once (saved with the entry), with its progress shown.
    document.querySelectorAll("input[data-upload-into]").forEach(function (input) {
      var box = input.closest(".upload-here");
      var form = input.form;
      var path = input.getAttribute("data-upload-into");
      var list = box.querySelector(".uploads");
      var linked = box.parentNode.querySelector(".linked");
      box.hidden = false;
      input.addEventListener("change", function () {
        Array.prototype.slice.call(input.files).forEach(function (file) {
          var item = document.createElement("li");
          var bar = document.createElement("progress");
          bar.max = 100; bar.value = 0;
          bar.setAttribute("aria-label", "Uploading " + file.name);
          var status = document.createElement("span");
          status.className = "muted small";
          item.appendChild(document.createTextNode(file.name + " "));
          item.appendChild(bar); item.appendChild(status);
          list.appendChild(item);
          var body = new FormData();
          body.append("csrf", form.elements.csrf.value);
          body.append("folder", "/");
          body.append("files", file, file.name);
          var request = new XMLHttpRequest();
          request.open("POST", "/admin/media/upload");
          request.setRequestHeader("Accept", "application/json");
          request.upload.addEventListener("progress", function (event) {
            if (event.lengthComputable) bar.value = Math.round(event.loaded * 100 / event.total);
          });
          request.addEventListener("loadend", function () {
            var created = null;
            try { created = JSON.parse(request.responseText); } catch (e) { created = null; }
            if (request.status !== 201 || !created || !created[0]) {
              item.className = "failed";
              status.textContent = (created && created.error) || "Not uploaded";
              return;
            }
            bar.value = 100;
            item.className = "done";
            status.textContent = "Uploaded; saved with the entry";
            if (!input.multiple) {
              form.querySelectorAll("input[type=hidden][name='" + path + "']").forEach(function (old) { old.remove(); });
              if (linked) linked.textContent = "";
            }
            var kept = document.createElement("input");
            kept.type = "hidden"; kept.name = path; kept.value = String(created[0].id);
            form.appendChild(kept);
            if (linked) {
              var entry = document.createElement("li");
              entry.textContent = created[0].name + " (new)";
              linked.appendChild(entry);
            }
            form.dispatchEvent(new Event("change", { bubbles: true }));
          });
          request.send(body);
        });
        input.value = "";
      });
    });

    // Uploads: one request per file with its own progress bar, from the
    // file picker or dropped on the form.
    document.querySelectorAll("form[data-upload]").forEach(function (form) {
      var picker = form.querySelector("input[type=file]");
      var list = form.querySelector(".uploads");
      var send = function (chosen) {
        // A copy: the picker's list empties when the picker is reset.
        var files = Array.prototype.slice.call(chosen);
        if (!files.length) return;
        list.textContent = "";
        var remaining = files.length, failed = 0;
        files.forEach(function (file) {
          var item = document.createElement("li");
          var label = document.createElement("span");
          label.textContent = file.name;
          var bar = document.createElement("progress");
          bar.max = 100; bar.value = 0;
          bar.setAttribute("aria-label", "Uploading " + file.name);
          var status = document.createElement("span");
          status.className = "muted small";
          item.appendChild(label); item.appendChild(bar); item.appendChild(status);
          list.appendChild(item);
          var body = new FormData();
          body.append("csrf", form.elements.csrf.value);
          body.append("folder", form.elements.folder.value);
          body.append("files", file, file.name);
          var request = new XMLHttpRequest();
          request.open("POST", form.action);
          request.setRequestHeader("Accept", "application/json");
          request.upload.addEventListener("progress", function (event) {
            if (event.lengthComputable) bar.value = Math.round(event.loaded * 100 / event.total);
          });
          request.addEventListener("loadend", function () {
            var ok = request.status === 201;
            bar.value = ok ? 100 : bar.value;
            item.className = ok ? "done" : "failed";
            if (ok) status.textContent = "Uploaded";
            else {
              failed += 1;
              var message = "Not uploaded";
              try { message = JSON.parse(request.responseText).error || message; } catch (e) { /* not JSON */ }
              status.textContent = message;
            }
            remaining -= 1;
            if (remaining === 0) {
              var done = document.createElement("li");
              var link = document.createElement("a");
              link.href = window.location.href;
              link.id = "upload-done";
              link.textContent = (files.length - failed) + " of " + files.length + " uploaded. Show the library";
              done.appendChild(link);
              list.appendChild(done);
            }
          });
          request.send(body);
        });
      };
      form.addEventListener("submit", function (event) {
        if (!picker.files.length) return;
        event.preventDefault();
        send(picker.files);
        picker.value = "";
      });
      ["dragenter", "dragover"].forEach(function (name) {
        form.addEventListener(name, function (event) { event.preventDefault(); form.classList.add("dropping"); });
      });
      ["dragleave", "drop"].forEach(function (name) {
        form.addEventListener(name, function () { form.classList.remove("dropping"); });
      });
      form.addEventListener("drop", function (event) {
        event.preventDefault();
        if (event.dataTransfer && event.dataTransfer.files.length) send(event.dataTransfer.files);
      });
    });

    // Entry forms: what is typed is kept in this browser until it is saved,
    // and leaving with unsaved changes asks first.
    document.querySelectorAll("form[data-unsaved-warning]").forEach(function (form) {
      var key = "cairn-unsaved:" + form.getAttribute("action");
      var dirty = false;
      var values = function () {
        var pairs = [];
        new FormData(form).forEach(function (value, name) {
          if (name !== "csrf" && typeof value === "string" && form.elements[name] && form.elements[name].type !== "password") pairs.push([name, value]);
        });
        return pairs;
      };
      var initial = JSON.stringify(values());
      var save = function () {
        var now = JSON.stringify(values());
        dirty = now !== initial;
        try {
          if (dirty) localStorage.setItem(key, JSON.stringify({ at: new Date().toISOString(), version: form.getAttribute("data-version"), pairs: JSON.parse(now) }));
          else localStorage.removeItem(key);
        } catch (e) { /* storage full or private mode */ }
      };
      var timer = null;
      form.addEventListener("input", function () { dirty = true; clearTimeout(timer); timer = setTimeout(save, 400); });
      form.addEventListener("change", function () { dirty = true; save(); });
      form.addEventListener("submit", function () {
        dirty = false;
        try { localStorage.removeItem(key); } catch (e) { /* private mode */ }
      });
      window.addEventListener("beforeunload", function (event) {
        if (dirty) { event.preventDefault(); event.returnValue = ""; }
      });
      var kept = null;
      try { kept = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { kept = null; }
      if (kept && JSON.stringify(kept.pairs) !== initial) {
        var banner = document.createElement("div");
        banner.className = "notice card";
        banner.id = "unsaved-kept";
        banner.setAttribute("role", "status");
        var text = document.createElement("span");
        text.textContent = "Changes typed here on " + new Date(kept.at).toLocaleString() + " were not saved. ";
        var restore = document.createElement("button");
        restore.type = "button"; restore.className = "secondary small"; restore.id = "restore-unsaved";
        restore.textContent = "Put them back";
        var drop = document.createElement("button");
        drop.type = "button"; drop.className = "ghost small"; drop.id = "drop-unsaved";
        drop.textContent = "Forget them";
        banner.appendChild(text); banner.appendChild(restore); banner.appendChild(drop);
        form.parentNode.insertBefore(banner, form);
        restore.addEventListener("click", function () {
          kept.pairs.forEach(function (pair) {
            var field = form.elements[pair[0]];
            if (!field || field.length !== undefined && !field.tagName) return;
            if (field.type === "checkbox") field.checked = pair[1] === "true";
            else if (field.type !== "hidden") field.value = pair[1];
          });
          banner.remove();
          dirty = true;
        });
        drop.addEventListener("click", function () {
          try { localStorage.removeItem(key); } catch (e) { /* private mode */ }
          banner.remove();
        });
      }
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
