// The range picker (docs/resident-pages.md): a day's free ranges in words, start times that are free,
// and ends that fit before the next booking, block or closing time, so a time that cannot be booked
// cannot be chosen. The server renders the chosen day; this keeps the lists true when the date or the
// start changes. Ranges come as data-free="540-750,840-1260" (minutes from midnight) on the date's
// options, or on the form when its date is fixed.
(function () {
  var QUARTER = 15;

  function clock(minute) {
    var h = Math.floor(minute / 60), m = minute % 60;
    return (h < 10 ? '0' : '') + h + ':' + (m < 10 ? '0' : '') + m;
  }

  function shown(time) {
    return time.charAt(0) === '0' ? time.substring(1) : time;
  }

  function minute(time) {
    var parts = /^(\d\d):(\d\d)$/.exec(time || '');
    return parts ? parseInt(parts[1], 10) * 60 + parseInt(parts[2], 10) : -1;
  }

  function runs(text) {
    return (text || '').split(',').filter(function (s) { return s; }).map(function (s) {
      var p = s.split('-');
      return { from: parseInt(p[0], 10), to: parseInt(p[1], 10) };
    });
  }

  function fill(select, times, chosen) {
    while (select.options.length) {
      select.remove(0);
    }
    times.forEach(function (time) {
      var option = new Option(shown(time), time, false, time === chosen);
      select.add(option);
    });
  }

  function picker(form) {
    var date = form.querySelector('select[name=date]');
    var start = form.querySelector('select[name=start]');
    var end = form.querySelector('select[name=end]');
    var words = form.querySelector('#free-words');
    var times = form.querySelector('.times');
    var none = form.querySelector('#none-free');
    if (!start || !end) {
      return;
    }

    function current() {
      if (date && date.selectedIndex >= 0) {
        return date.options[date.selectedIndex];
      }
      return form;
    }

    function starts(list) {
      var out = [];
      list.forEach(function (r) {
        for (var m = r.from; m < r.to; m += QUARTER) {
          out.push(clock(m));
        }
      });
      return out;
    }

    function ends(list, from) {
      var out = [];
      list.forEach(function (r) {
        if (r.from <= from && from < r.to) {
          for (var m = from + QUARTER; m <= r.to; m += QUARTER) {
            out.push(clock(m));
          }
        }
      });
      return out;
    }

    function updateEnds() {
      var list = runs(current().getAttribute('data-free'));
      var from = minute(start.value);
      var offered = ends(list, from);
      var wanted = end.value;
      if (offered.indexOf(wanted) < 0) {
        wanted = offered[Math.min(3, offered.length - 1)];
      }
      fill(end, offered, wanted);
    }

    function updateDay() {
      var option = current();
      var list = runs(option.getAttribute('data-free'));
      if (words) {
        words.textContent = option.getAttribute('data-words') || '';
      }
      var offered = starts(list);
      var keep = offered.indexOf(start.value) >= 0 ? start.value : offered[0];
      fill(start, offered, keep);
      if (times) {
        times.hidden = offered.length === 0;
      }
      if (none) {
        none.hidden = offered.length > 0;
      }
      updateEnds();
    }

    if (date) {
      date.addEventListener('change', updateDay);
      date.addEventListener('input', updateDay);
    }
    start.addEventListener('change', updateEnds);
    start.addEventListener('input', updateEnds);
  }

  Array.prototype.forEach.call(document.querySelectorAll('form[data-range-picker]'), picker);
})();
