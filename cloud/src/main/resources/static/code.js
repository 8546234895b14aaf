// The door code's copy button. The code itself is on the page as text that can be selected and copied
// (exactly its 8 digits; the digit-by-digit words for screen readers are not selectable), so without
// this script, or without a clipboard, nothing is lost: the button is only shown when it can work.
// Served from this origin because the CSP forbids inline script.
(function () {
  var button = document.querySelector('button[data-copy]');
  if (!button || !navigator.clipboard || !window.isSecureContext) {
    return;
  }
  var status = document.getElementById('code-copied');
  button.parentNode.hidden = false;
  button.addEventListener('click', function () {
    status.textContent = '';
    navigator.clipboard.writeText(button.getAttribute('data-copy')).then(function () {
      status.textContent = button.getAttribute('data-done');
    }, function () {
      status.textContent = button.getAttribute('data-failed');
    });
  });
})();
