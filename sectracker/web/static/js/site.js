/* sectracker: keyboard shortcuts, confirmations and double-submit protection (no inline scripts). */
(function () {
  "use strict";

  function isTyping(el) {
    return !!el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }

  function follow(id) {
    var link = document.getElementById(id);
    if (link && link.href) { window.location.href = link.href; }
  }

  function focusField(id) {
    var field = document.getElementById(id);
    if (field) { field.focus(); if (field.select) { field.select(); } }
  }

  function submitForm(id) {
    var form = document.getElementById(id);
    if (!form) { return; }
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  function toggleHelp(show) {
    var help = document.getElementById("shortcuts");
    if (help) { help.hidden = show === undefined ? !help.hidden : !show; }
  }

  var reviewKeys = {
    a: function () { submitForm("accept-form"); },
    r: function () { focusField("reject-reason"); },
    m: function () { focusField("merge-target"); },
    e: function () { follow("edit-link"); },
    s: function () { follow("split-link"); },
    j: function () { follow("next-link"); },
    k: function () { follow("prev-link"); }
  };

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    if (isTyping(document.activeElement)) {
      if (ev.key === "Escape") { document.activeElement.blur(); }
      return;
    }
    if (ev.key === "?") { toggleHelp(); ev.preventDefault(); return; }
    if (ev.key === "Escape") { toggleHelp(false); return; }
    if (ev.key === "/") {
      var search = document.getElementById("search");
      if (search) { search.focus(); ev.preventDefault(); }
      return;
    }
    if (document.querySelector("[data-review]") && Object.prototype.hasOwnProperty.call(reviewKeys, ev.key)) {
      ev.preventDefault();
      reviewKeys[ev.key]();
    }
  });

  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { ev.preventDefault(); return; }
    if (form.getAttribute("data-submitted")) { ev.preventDefault(); return; }
    if ((form.method || "").toLowerCase() === "post") {
      form.setAttribute("data-submitted", "1");
      Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) { b.disabled = true; });
    }
  });
})();
