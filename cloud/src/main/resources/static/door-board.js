// The door board (扉の状態), kept live: the server drew every card; this follows
// /api/v1/staff/doors/stream (server-sent events) and redraws a door's card from its JSON on `door`,
// the open alarms on `alarm`, and every door (refetched) on `gateway` and after a reconnection.
// DOM is built with textContent only. The words match backoffice/DoorWords.java and DoorBoardViews.java.
(function () {
  'use strict';

  // A refused form's message gets the focus (the alarms page too).
  var refused = document.querySelector('[data-focus]');
  if (refused) { refused.focus(); }

  var root = document.getElementById('door-board');
  if (!root || !window.EventSource || !window.fetch) { return; }

  var en = document.documentElement.lang === 'en';
  function t(ja, english) { return en ? english : ja; }

  // status → [Japanese, English, tone, mark]
  var STATUS = {
    'offline': ['通信途絶', 'Offline', 'offline', '⊘'],
    'forced-open': ['こじ開け', 'Forced open', 'alarm', '▲'],
    'tamper': ['いたずら検知', 'Tamper', 'alarm', '◆'],
    'jammed': ['施錠異常', 'Lock jammed', 'alarm', '■'],
    'ajar': ['開放が長い', 'Open too long', 'warn', '◐'],
    'open': ['開', 'Open', 'open', '□'],
    'unlocked': ['解錠中', 'Unlocked', 'open', '○'],
    'locked': ['施錠', 'Locked', 'ok', '●'],
    'closed': ['閉', 'Closed', 'ok', '▬'],
    'unknown': ['不明', 'Unknown', 'none', '?']
  };
  // what to announce when a door turns to this status
  var URGENT = {
    'forced-open': ['こじ開けを検知', 'Forced open'],
    'tamper': ['いたずらを検知', 'Tampering'],
    'jammed': ['施錠異常', 'Lock jammed'],
    'ajar': ['開放が長い', 'Open too long'],
    'offline': ['通信途絶', 'Offline']
  };
  var EVENTS = {
    'unlocked': ['解錠', 'Unlocked'], 'opened': ['開扉', 'Opened'], 'closed': ['閉扉', 'Closed'],
    'denied': ['暗証番号の拒否', 'Code refused'], 'forced-open': ['こじ開け', 'Forced open'],
    'held-open': ['開放が長い', 'Held open'], 'lock-offline': ['電気錠と通信できない', 'Lock offline'],
    'lock-online': ['電気錠の通信回復', 'Lock back online'], 'lock-state': ['錠の状態', 'Lock state'],
    'battery-low': ['電池残量の低下', 'Battery low'], 'battery': ['電池', 'Battery'], 'tamper': ['いたずら検知', 'Tamper'],
    'lockout': ['暗証番号の入力停止', 'Keypad locked out'], 'remote-unlocked': ['遠隔解錠', 'Remote unlock'],
    'relocked': ['再施錠', 'Relocked']
  };
  // alarm kind → [Japanese, English, mark]
  var ALARMS = {
    'forced-open': ['こじ開け（解錠なしの開扉）', 'Forced open (opened without an unlock)', '▲'],
    'held-open': ['扉の開放が長すぎる', 'Door held open too long', '◐'],
    'tamper': ['機器のいたずら検知', 'Tampering reported', '◆'],
    'jammed': ['錠の異常（施錠・解錠できない）', 'Lock jammed', '■'],
    'battery-low': ['電池残量の低下', 'Battery low', '!'],
    'lock-offline': ['電気錠と通信できない', 'Smart lock not answering', '⊘'],
    'gateway-offline': ['ゲートウェイ通信途絶', 'Gateway offline', '⊘'],
    'lockout': ['暗証番号の連続誤り（入力停止）', 'Keypad locked after wrong codes', '!'],
    'left-open': ['利用後の開けっ放し・解錠のまま', 'Left open or unlocked after use', '◐'],
    'shelter-code-used': ['避難所・緊急用コードの使用', 'Shelter or emergency code used', '!']
  };
  var LOW_BATTERY = 20;

  var today = root.getAttribute('data-today');
  var liveBox = document.getElementById('live-status');
  var liveText = document.getElementById('live-text');
  var announcer = document.getElementById('announcer');
  var alarmList = document.getElementById('open-alarms');

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // Times arrive as 2026-12-01T12:03:15+09:00, already in the town's zone.
  function day(iso) {
    var m = Number(iso.slice(5, 7));
    var d = Number(iso.slice(8, 10));
    return en ? m + '/' + d : m + '月' + d + '日';
  }
  function hm(iso) { return Number(iso.slice(11, 13)) + iso.slice(13, 16); }
  function time(iso) {
    return iso.slice(0, 10) === today ? Number(iso.slice(11, 13)) + iso.slice(13, 19) : day(iso) + ' ' + hm(iso);
  }
  function range(b) {
    var r = hm(b.start) + '–' + hm(b.end);
    return b.start.slice(0, 10) === today ? r : day(b.start) + ' ' + r;
  }
  function pick(pair) { return en ? pair[1] : pair[0]; }

  // [key, label, value, bad], as DoorBoardViews.facts
  function facts(d) {
    var out = [];
    if (d.battery !== null && d.battery !== undefined) {
      var low = d.battery < LOW_BATTERY;
      out.push(['battery', t('電池', 'Battery'), d.battery + '%' + (low ? t('（残量低下）', ' (low)') : ''), low]);
    }
    if (d.lockedOut) { out.push(['keypad', t('暗証番号', 'Keypad'), t('入力停止中', 'Locked out'), true]); }
    if (d.remoteUntil && Date.parse(d.remoteUntil) > Date.now()) {
      out.push(['remote', t('遠隔解錠', 'Remote unlock'), en ? 'until ' + time(d.remoteUntil) : time(d.remoteUntil) + ' まで', false]);
    }
    if (!d.lockOnline) { out.push(['lock', t('電気錠', 'Smart lock'), t('通信できない', 'Not answering'), true]); }
    var seen = d.gateway.lastSeen ? time(d.gateway.lastSeen) : null;
    out.push(['gateway', t('ゲートウェイ', 'Gateway'), d.gateway.online ? t('最終通信 ', 'Last heard ') + seen
      : t('⊘ 通信途絶（最終通信 ' + (seen || 'なし') + '）', '⊘ Offline (last heard ' + (seen || 'never') + ')'),
      !d.gateway.online]);
    out.push(['last', t('最後の出来事', 'Last event'), d.lastEvent
      ? pick(EVENTS[d.lastEvent] || [d.lastEvent, d.lastEvent]) + ' ' + (d.lastEventAt ? time(d.lastEventAt) : '')
      : t('なし', 'None'), false]);
    out.push(['current', t('利用中', 'In use'), d.current ? range(d.current) : t('なし', 'No'), false]);
    out.push(['next', t('次の予約', 'Next booking'), d.next ? range(d.next) : t('なし', 'None'), false]);
    return out;
  }

  var pending = [];
  function announce(text) {
    if (pending.length === 0) {
      setTimeout(function () {
        announcer.textContent = pending.join('。');
        pending = [];
      }, 300);
    }
    pending.push(text);
  }

  function drawDoor(d) {
    var card = document.getElementById('door-' + d.id);
    if (!card) { return; } // a door added since the page was drawn shows after a reload
    var look = STATUS[d.status] || STATUS.unknown;
    var before = card.getAttribute('data-status');
    card.className = 'door-card tone-' + look[2];
    card.setAttribute('data-status', d.status);
    var live = el('div', 'door-live');
    var status = el('p', 'door-status');
    var badge = el('span', 'status tone-' + look[2]);
    var mark = el('span', 'mark', look[3]);
    mark.setAttribute('aria-hidden', 'true');
    badge.appendChild(mark);
    badge.appendChild(document.createTextNode(' ' + pick(look)));
    status.appendChild(badge);
    live.appendChild(status);
    var list = el('dl', 'door-facts');
    facts(d).forEach(function (f) {
      var row = el('div', 'fact-' + f[0] + (f[3] ? ' bad' : ''));
      row.appendChild(el('dt', null, f[1]));
      row.appendChild(el('dd', null, f[2]));
      list.appendChild(row);
    });
    live.appendChild(list);
    card.querySelector('.door-live').replaceWith(live);
    if (before !== d.status && URGENT[d.status]) {
      announce(pick(URGENT[d.status]) + ': ' + card.getAttribute('data-name'));
    }
  }

  function placeOf(a) {
    var door = a.doorId && document.getElementById('door-' + a.doorId);
    if (door) { return door.getAttribute('data-name'); }
    var gateway = a.gatewayId && root.querySelector('[data-gateway="' + CSS.escape(a.gatewayId) + '"]');
    return gateway ? gateway.getAttribute('data-gateway-name') : (a.doorId || a.gatewayId || '');
  }
  function facilityOf(a) {
    var section = root.querySelector('[data-facility="' + a.facilityId + '"]');
    return section ? section.getAttribute('data-facility-name') : '';
  }

  function drawAlarm(a) {
    var item = document.getElementById('board-alarm-' + a.id);
    if (a.state !== 'open') {
      if (item) { item.remove(); }
      countAlarms();
      return;
    }
    var kind = ALARMS[a.kind] || [a.label, a.label, '!'];
    var where = placeOf(a);
    var fresh = el('li', 'alarm-item tone-alarm');
    fresh.id = 'board-alarm-' + a.id;
    fresh.setAttribute('data-alarm', a.id);
    var mark = el('span', 'mark', kind[2]);
    mark.setAttribute('aria-hidden', 'true');
    fresh.appendChild(mark);
    fresh.appendChild(document.createTextNode(' '));
    fresh.appendChild(el('strong', null, pick(kind)));
    var facility = facilityOf(a);
    fresh.appendChild(document.createTextNode(' ' + where + (facility ? '（' + facility + '）' : '')));
    fresh.appendChild(el('span', 'meta', ' ' + t('発生', 'Raised') + ' ' + time(a.raisedAt)
      + (a.occurrences > 1 ? '・' + a.occurrences + t(' 回', ' times') : '')));
    fresh.appendChild(document.createTextNode(' '));
    var link = el('a', null, t('確認する', 'Acknowledge'));
    link.href = '/staff/alarms#alarm-' + encodeURIComponent(a.id);
    link.appendChild(el('span', 'visually-hidden', ': ' + pick(kind) + ' ' + where));
    fresh.appendChild(link);
    if (item) {
      item.replaceWith(fresh);
    } else {
      alarmList.insertBefore(fresh, alarmList.firstChild);
      announce(t('警報', 'Alarm') + ': ' + pick(kind) + ' ' + where);
    }
    countAlarms();
  }

  function countAlarms() {
    var n = alarmList.children.length;
    document.getElementById('alarm-count').textContent = '（' + n + t(' 件', '') + '）';
    document.getElementById('no-alarms').hidden = n > 0;
  }

  function getJson(path) {
    return fetch(path, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (res) {
        if (!res.ok) { throw new Error(path + ' ' + res.status); }
        return res.json();
      });
  }

  // Every door again (a gateway went quiet or came back; events may have been missed while disconnected).
  function refreshDoors() {
    return getJson('/api/v1/staff/doors').then(function (body) {
      if (body.at) { today = body.at.slice(0, 10); }
      body.doors.forEach(drawDoor);
    }).catch(function () { /* the next event or reconnection tries again */ });
  }
  function refreshAlarms() {
    return getJson('/api/v1/staff/alarms').then(function (body) {
      var open = {};
      body.alarms.forEach(function (a) { if (a.state === 'open') { open[a.id] = true; } });
      Array.prototype.slice.call(alarmList.children).forEach(function (item) {
        if (!open[item.getAttribute('data-alarm')]) { item.remove(); }
      });
      body.alarms.slice().reverse().forEach(function (a) { if (a.state === 'open') { drawAlarm(a); } });
      countAlarms();
    }).catch(function () { /* as above */ });
  }

  function setLive(state) {
    liveBox.setAttribute('data-state', state);
    liveText.textContent = {
      on: t('ライブ更新中', 'Live'),
      lost: t('接続が切れました。再接続しています…', 'Connection lost. Reconnecting…'),
      closed: t('接続できません。10 秒後にもう一度試します（続くときは再読み込みしてください）',
        'Cannot connect. Trying again in 10 s (reload if this goes on)')
    }[state];
  }

  var lost = false;
  function connect() {
    var source = new EventSource('/api/v1/staff/doors/stream');
    source.onopen = function () {
      setLive('on');
      if (lost) {
        lost = false;
        refreshDoors();
        refreshAlarms();
      }
    };
    source.onerror = function () {
      lost = true;
      if (source.readyState === EventSource.CLOSED) {
        setLive('closed');
        setTimeout(connect, 10000);
      } else {
        setLive('lost');
      }
    };
    source.addEventListener('door', function (e) { drawDoor(JSON.parse(e.data)); });
    source.addEventListener('alarm', function (e) { drawAlarm(JSON.parse(e.data)); });
    source.addEventListener('gateway', function () { refreshDoors(); });
  }
  setLive('lost');
  liveText.textContent = t('接続しています…', 'Connecting…');
  connect();
}());
