/* An action that cannot be undone asks first (templates/confirm.html, tillit/lib/confirm.py).
   Its button's form (data-confirm="dialog-id") is a GET of a page that asks; with this
   script the same question opens in the <dialog> beside the button instead, whose Cancel
   closes it (method=dialog) and whose confirm button posts the action. */
(function () {
  "use strict";
  if (window.tillitConfirm) return; // included once per button
  window.tillitConfirm = true;

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var id = form.dataset ? form.dataset.confirm : "";
    var dialog = id ? document.getElementById(id) : null;
    if (!dialog || typeof dialog.showModal !== "function") return;
    event.preventDefault();
    if (dialog.open) return;
    dialog.showModal();
    // Cancel first, as Chromium skips autofocus on a page opened at a #fragment.
    var cancel = dialog.querySelector("[autofocus]");
    if (cancel) cancel.focus();
  });
})();
