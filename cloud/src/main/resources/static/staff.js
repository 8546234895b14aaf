// Staff pages: the print buttons (scripts must come from this site; the CSP forbids inline ones).
document.querySelectorAll('[data-print]').forEach(function (button) {
  button.addEventListener('click', function () { window.print(); });
});
