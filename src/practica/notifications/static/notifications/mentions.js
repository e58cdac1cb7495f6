/* @mention autocomplete for any <textarea data-mentions>.

   Typing "@" and a few letters lists matching people (from
   GET /people/mentions?q=, or the URL in data-mentions) in a listbox
   under the field. Arrow keys move, Enter or Tab picks, Escape closes;
   a click picks too. The textarea stays focused throughout and points
   at the highlighted option with aria-activedescendant. No build step,
   no dependencies; textareas added later by htmx work as well. */
(function () {
  "use strict";
  var TOKEN = /(^|[^\w@\/.`-])@([\w-]{1,40})$/;
  var box = null, field = null, options = [], active = -1, timer = 0, seq = 0;

  function listbox() {
    if (box) return box;
    box = document.createElement("ul");
    box.id = "mention-listbox";
    box.setAttribute("role", "listbox");
    box.setAttribute("aria-label", "People to mention");
    box.hidden = true;
    var s = box.style;
    s.position = "absolute"; s.zIndex = "50"; s.margin = "0";
    s.padding = ".25rem 0"; s.listStyle = "none"; s.minWidth = "14rem";
    s.maxWidth = "22rem"; s.background = "var(--card, #fff)";
    s.color = "var(--ink, #1d232b)";
    s.border = "1px solid var(--line, #c9d1da)"; s.borderRadius = "6px";
    s.boxShadow = "0 4px 14px rgba(0,0,0,.12)";
    box.addEventListener("mousedown", function (e) {
      e.preventDefault(); // keep the focus in the textarea
      var li = e.target.closest("li[role=option]");
      if (li) pick(Number(li.dataset.index));
    });
    document.body.appendChild(box);
    return box;
  }

  function query(t) {
    var before = t.value.slice(0, t.selectionStart);
    var m = TOKEN.exec(before);
    return m ? m[2] : null;
  }

  function close() {
    if (box) { box.hidden = true; box.textContent = ""; }
    if (field) {
      field.setAttribute("aria-expanded", "false");
      field.removeAttribute("aria-activedescendant");
    }
    options = []; active = -1;
  }

  function highlight(i) {
    active = i;
    Array.prototype.forEach.call(box.children, function (li, n) {
      var on = n === i;
      li.setAttribute("aria-selected", on ? "true" : "false");
      li.style.background = on ? "var(--accent, #1f5fae)" : "";
      li.style.color = on ? "var(--accent-ink, #fff)" : "";
    });
    if (i >= 0) field.setAttribute("aria-activedescendant", "mention-opt-" + i);
  }

  function show(t, people) {
    field = t; options = people;
    var b = listbox();
    b.textContent = "";
    if (!people.length) { close(); return; }
    people.forEach(function (p, i) {
      var li = document.createElement("li");
      li.id = "mention-opt-" + i;
      li.setAttribute("role", "option");
      li.dataset.index = String(i);
      li.style.padding = ".25rem .75rem"; li.style.cursor = "pointer";
      var name = document.createElement("span");
      name.textContent = p.name;
      var handle = document.createElement("span");
      handle.textContent = " @" + p.handle;
      handle.style.opacity = ".75";
      li.appendChild(name); li.appendChild(handle);
      b.appendChild(li);
    });
    var r = t.getBoundingClientRect();
    b.style.left = (window.scrollX + r.left) + "px";
    b.style.top = (window.scrollY + r.bottom + 2) + "px";
    b.hidden = false;
    t.setAttribute("aria-expanded", "true");
    highlight(0);
  }

  function pick(i) {
    var p = options[i];
    if (!p || !field) return;
    var t = field, at = t.selectionStart;
    var before = t.value.slice(0, at), after = t.value.slice(at);
    var m = TOKEN.exec(before);
    if (!m) { close(); return; }
    var start = before.length - m[2].length - 1;
    var insert = "@" + p.handle + " ";
    t.value = before.slice(0, start) + insert + after;
    var caret = start + insert.length;
    t.setSelectionRange(caret, caret);
    t.dispatchEvent(new Event("input", { bubbles: true }));
    close();
  }

  function lookup(t) {
    var q = query(t);
    if (!q) { close(); return; }
    var url = t.getAttribute("data-mentions") || "/people/mentions";
    var mine = ++seq;
    fetch(url + "?q=" + encodeURIComponent(q), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) {
        if (mine === seq && document.activeElement === t) show(t, data.results || []);
      })
      .catch(function () { close(); });
  }

  function prepare(t) {
    if (t.dataset.mentionsReady) return;
    t.dataset.mentionsReady = "1";
    t.setAttribute("aria-autocomplete", "list");
    t.setAttribute("aria-controls", "mention-listbox");
    t.setAttribute("aria-expanded", "false");
    listbox();
  }

  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches("textarea[data-mentions]")) prepare(e.target);
  });
  document.addEventListener("input", function (e) {
    var t = e.target;
    if (!(t.matches && t.matches("textarea[data-mentions]"))) return;
    prepare(t);
    clearTimeout(timer);
    timer = setTimeout(function () { lookup(t); }, 150);
  });
  document.addEventListener("keydown", function (e) {
    if (!box || box.hidden || e.target !== field) return;
    if (e.key === "ArrowDown") {
      e.preventDefault(); highlight((active + 1) % options.length);
    } else if (e.key === "ArrowUp") {
      e.preventDefault(); highlight((active - 1 + options.length) % options.length);
    } else if (e.key === "Enter" || e.key === "Tab") {
      if (active >= 0) { e.preventDefault(); pick(active); }
    } else if (e.key === "Escape") {
      e.preventDefault(); close();
    }
  });
  document.addEventListener("focusout", function (e) {
    if (e.target === field) setTimeout(close, 100);
  });
})();
