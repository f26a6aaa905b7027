// request-timing's live view: polls the snapshot every 2 s (not while the page is hidden) and draws
// it with DOM calls only. Every text that comes from a request (paths, sites, thread names, ids) is
// set as text, never parsed as HTML.
'use strict';
(function () {
  const REFRESH_MS = 2000;
  const SCALE = 1.5; // a bar's track shows 0 to 150 % of the request's budget
  const SVG = 'http://www.w3.org/2000/svg';
  const snapshotUrl = document.documentElement.getAttribute('data-snapshot');
  let timer = null;
  let loading = false;
  let failures = 0;

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function duration(ms) {
    if (ms === null || ms === undefined) return '–';
    if (ms < 1) return ms.toFixed(1) + 'ms';
    if (ms < 1000) return Math.round(ms) + 'ms';
    if (ms < 60000) return (ms / 1000).toFixed(1) + 's';
    return Math.floor(ms / 60000) + 'm' + Math.round((ms % 60000) / 1000) + 's';
  }

  function percent(share) {
    return Math.round(share * 100) + '%';
  }

  function levelOf(share, snapshot) {
    if (share >= 1) return 'exceeded';
    if (share >= snapshot.critical_at) return 'critical';
    if (share >= snapshot.warn_at) return 'warn';
    return 'ok';
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function mark(at, className) {
    const m = el('span', 'mark' + (className ? ' ' + className : ''));
    m.style.left = Math.min(100, (at / SCALE) * 100) + '%';
    return m;
  }

  function renderRunning(snapshot) {
    const list = document.getElementById('running');
    clear(list);
    const running = snapshot.in_flight.slice().sort((a, b) => b.share - a.share);
    document.getElementById('running-count').textContent =
        snapshot.in_flight_count + ' in flight' + (snapshot.in_flight_count > running.length ? ', the oldest ' + running.length + ' shown' : '');
    document.getElementById('running-empty').hidden = running.length > 0;
    for (const r of running) {
      const item = el('li', 'bar level-' + r.level);
      item.setAttribute('data-id', r.id);
      item.appendChild(el('span', 'name', r.method + ' ' + r.uri)).title = r.method + ' ' + r.uri;
      const track = el('span', 'track');
      const fill = el('span', 'fill');
      fill.style.width = Math.min(100, (r.share / SCALE) * 100) + '%';
      track.appendChild(fill);
      track.appendChild(mark(snapshot.warn_at));
      track.appendChild(mark(snapshot.critical_at));
      track.appendChild(mark(1, 'budget'));
      item.appendChild(track);
      item.appendChild(el('span', 'age', duration(r.age_ms) + ' of ' + duration(r.budget_ms) + ' · ' + percent(r.share)));
      const parts = [];
      if (r.queue_ms > 0) parts.push(duration(r.queue_ms) + ' waiting for a worker');
      if (r.downstream) parts.push('waiting on ' + r.downstream.call + ' for ' + duration(r.downstream.waited_ms));
      if (r.stuck_at) parts.push('stuck at ' + r.stuck_at);
      parts.push('thread ' + r.thread);
      if (r.trace_id) parts.push('trace ' + r.trace_id);
      parts.push('id ' + r.id);
      item.appendChild(el('span', 'detail', parts.join(' · ')));
      list.appendChild(item);
    }
  }

  /** Requests answered 503 unrun, by reason, and whether the endpoint is refused now. */
  function refusals(e) {
    if (!e.shed) return '';
    const reasons = Object.entries(e.shed_by_reason || {}).map(([reason, n]) => n + ' ' + reason).join(', ');
    return e.shed + (reasons ? ' (' + reasons + ')' : '') + (e.refused_now ? ' · refused now' : '');
  }

  function renderEndpoints(snapshot) {
    const body = document.querySelector('#endpoints tbody');
    clear(body);
    const report = snapshot.since_start;
    for (const e of report.endpoints) {
      const row = el('tr');
      row.appendChild(el('td', 'mono', e.method + ' ' + e.uri));
      row.appendChild(el('td', 'num', e.count));
      row.appendChild(el('td', 'num', duration(e.p50_ms)));
      row.appendChild(el('td', 'num', duration(e.p99_ms)));
      row.appendChild(el('td', 'num', duration(e.budget_ms)));
      const cell = el('td');
      const bar = el('span', 'pressure level-' + levelOf(e.budget_pressure, snapshot));
      const fill = el('span');
      fill.style.width = Math.min(100, e.budget_pressure / SCALE * 100) + '%';
      bar.appendChild(fill);
      cell.appendChild(bar);
      cell.appendChild(document.createTextNode(percent(e.budget_pressure)));
      row.appendChild(cell);
      row.appendChild(el('td', 'num', e.flags.warn + '/' + e.flags.critical + '/' + e.flags.exceeded));
      row.appendChild(el('td', e.refused_now ? 'refused' : 'num', refusals(e)));
      body.appendChild(row);
    }
  }

  function renderRecent(snapshot) {
    const body = document.querySelector('#recent tbody');
    clear(body);
    document.getElementById('recent-empty').hidden = snapshot.recent.length > 0;
    for (const r of snapshot.recent) {
      const row = el('tr');
      row.setAttribute('data-id', r.id);
      row.appendChild(el('td', 'num', new Date(r.ended_at).toLocaleTimeString()));
      row.appendChild(el('td', 'mono', r.method + ' ' + r.uri));
      row.appendChild(el('td', 'num', duration(r.duration_ms)));
      row.appendChild(el('td', 'num', percent(r.share)));
      row.appendChild(el('td', 'num', r.status + (r.abandoned ? ' (abandoned)' : '')));
      const level = el('td');
      level.appendChild(el('span', 'tag level-' + r.level, r.level));
      row.appendChild(level);
      row.appendChild(el('td', 'site', r.stuck_at || ''));
      row.appendChild(el('td', 'mono', r.trace_id || ''));
      body.appendChild(row);
    }
  }

  function chart(svg, points, max, limit) {
    clear(svg);
    if (points.length === 0) return;
    const width = 300, height = 60;
    const top = Math.max(max, limit || 0, 1);
    const step = points.length > 1 ? width / (points.length - 1) : width;
    const xy = points.map((v, i) => [i * step, height - (v / top) * (height - 4)]);
    const line = xy.map(p => p[0].toFixed(1) + ',' + p[1].toFixed(1)).join(' ');
    const area = document.createElementNS(SVG, 'polygon');
    area.setAttribute('class', 'area');
    area.setAttribute('points', '0,' + height + ' ' + line + ' ' + xy[xy.length - 1][0].toFixed(1) + ',' + height);
    svg.appendChild(area);
    const path = document.createElementNS(SVG, 'polyline');
    path.setAttribute('class', 'line');
    path.setAttribute('points', line);
    svg.appendChild(path);
    if (limit) {
      const y = (height - (limit / top) * (height - 4)).toFixed(1);
      const l = document.createElementNS(SVG, 'line');
      l.setAttribute('class', 'limit');
      l.setAttribute('x1', '0'); l.setAttribute('x2', String(width));
      l.setAttribute('y1', y); l.setAttribute('y2', y);
      svg.appendChild(l);
    }
  }

  function renderFill(snapshot) {
    const w = snapshot.workers;
    const busy = w.history.map(s => s.busy);
    chart(document.getElementById('workers-chart'), busy, Math.max(0, ...busy), w.limit > 0 ? w.limit : 0);
    document.getElementById('workers-caption').textContent = w.limit > 0
        ? 'workers busy: ' + w.busy + ' of ' + w.limit + ' now (' + w.source + ')'
        : 'requests in flight: ' + w.busy + ' now' + (w.source ? ' (' + w.source + ')' : ', no worker limit known');
    const queue = w.history.map(s => s.queue_ms === null ? 0 : s.queue_ms);
    const known = w.history.some(s => s.queue_ms !== null);
    const queueChart = document.getElementById('queue-chart');
    queueChart.style.display = known ? '' : 'none';
    chart(queueChart, queue, Math.max(0, ...queue), snapshot.budget_ms);
    const q = snapshot.since_start.queue;
    document.getElementById('queue-caption').textContent = !known
        ? 'longest wait for a worker: not known (set request-start-header behind a proxy that stamps it)'
        : 'longest wait for a worker; since start p50 ' + duration(q ? q.p50_ms : 0) + ', p99 ' + duration(q ? q.p99_ms : 0);
  }

  function render(snapshot) {
    renderRunning(snapshot);
    renderFill(snapshot);
    renderEndpoints(snapshot);
    renderRecent(snapshot);
    const w = snapshot.workers;
    document.getElementById('status').textContent = 'at ' + new Date(snapshot.time).toLocaleTimeString()
        + ' · ' + snapshot.in_flight_count + ' in flight'
        + (w.limit > 0 ? ' · workers ' + w.busy + '/' + w.limit + (w.busy >= w.saturated_from ? ' (saturated)' : '') : '')
        + ' · budget ' + duration(snapshot.budget_ms) + ' · refreshed every 2s';
    document.getElementById('status').className = 'dim';
  }

  async function refresh() {
    timer = null;
    if (loading) return;
    loading = true;
    try {
      const response = await fetch(snapshotUrl, { cache: 'no-store', credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      render(await response.json());
      failures = 0;
    } catch (e) {
      failures++;
      const status = document.getElementById('status');
      status.textContent = 'the snapshot could not be read (' + e.message + '); trying again';
      status.className = 'paused';
    } finally {
      loading = false;
    }
    schedule();
  }

  function schedule() {
    if (timer === null && !document.hidden) {
      timer = setTimeout(refresh, failures > 3 ? REFRESH_MS * 3 : REFRESH_MS);
    }
  }

  document.addEventListener('visibilitychange', () => {
    if (document.hidden) {
      if (timer !== null) { clearTimeout(timer); timer = null; }
      document.getElementById('status').textContent = 'paused while the page is hidden';
    } else if (timer === null) {
      refresh();
    }
  });
  refresh();
})();
