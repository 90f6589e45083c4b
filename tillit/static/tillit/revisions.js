/* Autosave and conflicts in the browser (tillit/lib/revisions.py on the server).

   A form marked data-autosave saves itself with htmx and saves on Save the same way;
   its hx-sync queues the requests, so a Save waits for an autosave in flight and is
   sent with the revision that autosave got back. A writer's own autosaves are never
   taken for someone else's save.

   A conflict box (templates/conflict.html) is scrolled into view when it appears;
   while it is shown the form is not autosaved, until the writer keeps their version
   or takes the saved one, and leaving the page asks first. Without JavaScript, both
   buttons work as a plain post and a link. */
(function () {
  "use strict";

  function conflictIn(form) {
    return form ? form.querySelector("[data-conflict]") : null;
  }

  function show(box) {
    box.scrollIntoView({ block: "center" });
    var form = box.closest("form");
    var active = document.activeElement;
    // Do not take the caret from someone typing; the box is announced (role=alert).
    if (!form || !form.contains(active) || active.type === "submit") {
      box.focus({ preventScroll: true });
    }
  }

  function useRevision(box) {
    var field = document.getElementById(box.dataset.revisionFor);
    if (field) {
      field.value = box.dataset.revision;
    }
  }

  function dismiss(box) {
    var form = box.closest("form");
    box.remove();
    if (form) {
      var first = form.querySelector("textarea, input:not([type=hidden]), select");
      if (first) {
        first.focus();
      }
    }
  }

  // While a conflict is shown, only a Save goes out (and is answered with the
  // conflict again): nothing is written over the other version until the writer chooses.
  document.addEventListener("htmx:confirm", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("form[data-autosave]") || !conflictIn(form)) {
      return;
    }
    var trigger = event.detail.triggeringEvent;
    if (!trigger || trigger.type !== "submit") {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var keep = event.target.closest("[data-keep-mine]");
    if (keep && keep.form && keep.form.matches("form[data-autosave]")) {
      // Save this writer's version over the one they were shown.
      event.preventDefault();
      var form = keep.form;
      var box = keep.closest("[data-conflict]");
      useRevision(box);
      dismiss(box);
      form.requestSubmit();
      return;
    }
    var take = event.target.closest("[data-take-saved]");
    if (take) {
      // Put the saved version in the form, field by field; nothing needs saving.
      event.preventDefault();
      var taken = take.closest("[data-conflict]");
      var into = taken.closest("form");
      taken.querySelectorAll("[data-field]").forEach(function (row) {
        var input = into.elements.namedItem(row.dataset.field);
        if (input) {
          input.value = row.dataset.savedValue;
        }
      });
      useRevision(taken);
      dismiss(taken);
    }
  });

  function showAny(root) {
    var box = root.matches && root.matches("[data-conflict]") ? root : null;
    box = box || (root.querySelector ? root.querySelector("[data-conflict]") : null);
    if (box) {
      show(box);
    }
  }

  // Leaving the page while a conflict is shown would lose what was not saved: ask first.
  // A form posted as a page (Keep mine, or Save without htmx) is not leaving it unsaved.
  var posting = false;
  document.addEventListener("submit", function (event) {
    posting = posting || !event.defaultPrevented;
  });
  window.addEventListener("pageshow", function () {
    posting = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (!posting && document.querySelector("form [data-conflict]")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  document.addEventListener("htmx:load", function (event) {
    showAny(event.detail.elt);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      showAny(document);
    });
  } else {
    showAny(document);
  }
})();
