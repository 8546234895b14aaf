// Forms after a refusal (docs/resident-pages.md): focus moves to the error summary, so a screen reader
// reads what went wrong and a keyboard user starts there; each of its links puts focus in the field it
// names (a plain in-page link would only scroll).
(function () {
  var summary = document.getElementById('error-summary');
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener('click', function (event) {
    var link = event.target.closest('a[href^="#"]');
    if (!link) {
      return;
    }
    var target = document.getElementById(link.getAttribute('href').substring(1));
    if (!target) {
      return;
    }
    event.preventDefault();
    var field = target.matches('input, select, textarea') ? target
        : target.parentNode.querySelector('input, select, textarea');
    (field || target).focus();
    (field || target).scrollIntoView({ block: 'center' });
  });
})();
