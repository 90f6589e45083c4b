/* A copy button for a read-only field (e.g. a one-time link): <button data-copy="field-id"
   data-copied="Copied" data-select="..." hidden>. The button is shown only when this
   script runs; without it the field is there to select by hand. It copies with the
   clipboard API and says so in the role=status element beside it; where the browser
   refuses (an address without https, an old browser), it selects the field's text, tries
   the older copy command, and if that fails too says the text is selected to copy. A
   click in the field selects the whole of it. */
(function () {
  "use strict";

  function statusFor(button) {
    return button.parentElement.querySelector("[role=status]");
  }

  function say(button, text) {
    var status = statusFor(button);
    if (!status) return;
    // Emptied first, so that saying the same again is announced again.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function selectAll(field) {
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field) return;
    button.hidden = false;
    field.addEventListener("focus", function () { field.select(); });
    field.addEventListener("click", function () { selectAll(field); });
    button.addEventListener("click", function () {
      function fallback() {
        selectAll(field);
        var copied = false;
        try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
        say(button, copied ? button.dataset.copied : button.dataset.select);
      }
      if (!navigator.clipboard || !window.isSecureContext) {
        fallback();
        return;
      }
      navigator.clipboard.writeText(field.value).then(function () {
        say(button, button.dataset.copied);
      }, fallback);
    });
  });
})();
