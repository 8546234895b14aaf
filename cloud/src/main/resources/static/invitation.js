// The invitation token travels in the link's fragment (#token=…), which browsers never send to a
// server, so it stays out of every access log. This copies it into the form and out of the address bar.
(function () {
  var match = /[#&]token=([A-Za-z0-9_-]{43})/.exec(window.location.hash);
  var field = document.getElementById('token');
  if (match && field) {
    field.value = match[1];
    history.replaceState(null, '', window.location.pathname);
  }
})();
