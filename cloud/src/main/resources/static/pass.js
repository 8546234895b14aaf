// Renews the door passes on a booking page. A pass opens its door for about 5 minutes after the cloud
// made it, so the page fetches fresh ones every 30 seconds, and at once when the page comes back into
// view (a phone unlocked at the door). Served from this origin because the CSP forbids inline script;
// without it the page says to reload.
(function () {
  var section = document.getElementById('passes');
  if (!section || !window.fetch || !window.DOMParser) {
    return;
  }
  var status = document.getElementById('pass-status');
  var seconds = parseInt(section.getAttribute('data-refresh'), 10) || 30;
  var busy = false;

  function card(grantId) {
    var cards = section.querySelectorAll('figure.pass');
    for (var i = 0; i < cards.length; i++) {
      if (cards[i].getAttribute('data-grant') === grantId) {
        return cards[i];
      }
    }
    return null;
  }

  function show(body) {
    var cards = section.querySelectorAll('figure.pass');
    if (body.passes.length !== cards.length || !body.passes.every(function (p) { return card(p.grantId); })) {
      // Cancelled, over, or another set of doors: the page itself says what is left.
      window.location.reload();
      return;
    }
    body.passes.forEach(function (p) {
      var figure = card(p.grantId);
      var svg = new DOMParser().parseFromString(p.svg, 'image/svg+xml').documentElement;
      if (svg.nodeName.toLowerCase() !== 'svg') {
        throw new Error('not an SVG');
      }
      figure.querySelector('.qr').replaceChildren(document.importNode(svg, true));
      figure.querySelector('.pass-text').textContent = p.text;
    });
    status.removeAttribute('role');
    status.textContent = body.updated;
  }

  function renew() {
    if (busy) {
      return;
    }
    busy = true;
    fetch(section.getAttribute('data-src'), {
      credentials: 'same-origin', cache: 'no-store', redirect: 'error', headers: {Accept: 'application/json'}
    }).then(function (response) {
      if (!response.ok) {
        throw new Error('HTTP ' + response.status);
      }
      return response.json();
    }).then(show).catch(function () {
      // Said once, as an alert; routine renewals are not announced every 30 seconds.
      status.setAttribute('role', 'alert');
      status.textContent = section.getAttribute('data-failed');
    }).then(function () {
      busy = false;
    });
  }

  window.setInterval(renew, seconds * 1000);
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') {
      renew();
    }
  });
  window.addEventListener('focus', renew);
})();
