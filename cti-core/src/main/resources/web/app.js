// Live monitor (wall display): agent states, screen-pops and recent tickets from /api and /ws/monitor.
// Data is only ever put into the page through textContent, never as HTML. Caller numbers are masked: a wall is public.
'use strict';

const MAX_ROWS = 50;

const STATES = {
  logged_out: '未登录', not_ready: '未就绪', ready: '空闲', offered: '振铃', talking: '通话中', wrap_up: '话后整理'
};
const REASONS = { login: '刚登录', rona: '未接超时', break: '小休', meeting: '会议', lunch: '用餐', training: '培训' };
const DISPOSITIONS = { answered: '已接听', abandoned: '放弃', voicemail: '留言', failed: '失败' };
const SURVEY = { 5: '非常满意', 4: '满意', 3: '一般', 2: '不满意', 1: '非常不满意' };

const agents = new Map();   // id -> AgentView
const tickets = new Map();  // number -> ticket

// Same rule as PhoneNumbers.mask on the server: 138****1111, ****4321, short service numbers as they are.
function mask(number) {
  if (number === null || number === undefined) return '-';
  const n = String(number);
  if (n.length <= 7) return n;
  if (n.length <= 10) return '****' + n.slice(-4);
  return n.slice(0, 3) + '****' + n.slice(-4);
}

// Times are shown in the centre's zone whatever the wall display's own clock zone is.
const CLOCK = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', hour12: false, hour: '2-digit', minute: '2-digit', second: '2-digit'
});
const DATE_CLOCK = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', hour12: false, month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit'
});

function time(iso, withDate) {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d)) return String(iso);
  return (withDate ? DATE_CLOCK : CLOCK).format(d);
}

function text(value) {
  return value === null || value === undefined ? '' : String(value);
}

function row(cells, className) {
  const tr = document.createElement('tr');
  if (className) tr.className = className;
  for (const cell of cells) {
    const td = document.createElement('td');
    if (typeof cell === 'object' && cell !== null) {
      td.textContent = text(cell.text);
      if (cell.className) td.className = cell.className;
    } else {
      td.textContent = text(cell);
    }
    tr.appendChild(td);
  }
  return tr;
}

function renderAgents() {
  const body = document.getElementById('agents');
  const rows = [...agents.values()]
    .sort((a, b) => text(a.id).localeCompare(text(b.id), 'zh-CN', { numeric: true }))
    .map(a => row([
      a.id, a.name, a.extension,
      { text: STATES[a.state] || a.state, className: 'state-' + text(a.state).replace(/[^a-z_]/g, '') },
      a.reason ? (REASONS[a.reason] || a.reason) : '',
      time(a.since)
    ]));
  body.replaceChildren(...rows);
}

function putAgent(view) {
  const known = agents.get(view.id);
  // A snapshot read before a live update must not undo it.
  if (known && known.since && view.since && Date.parse(view.since) < Date.parse(known.since)) return;
  agents.set(view.id, view);
  renderAgents();
}

function renderTickets(freshNumber) {
  const sorted = [...tickets.values()]
    .sort((a, b) => Date.parse(b.ended_at) - Date.parse(a.ended_at) || text(b.number).localeCompare(text(a.number)));
  for (const old of sorted.slice(MAX_ROWS)) tickets.delete(old.number);
  const rows = sorted.slice(0, MAX_ROWS).map(t => row([
    t.number, time(t.ended_at, true), mask(t.caller), t.line_name || t.line, t.department,
    DISPOSITIONS[t.disposition] || t.disposition, t.agent, t.queue_wait_seconds, t.talk_seconds,
    t.survey_score ? (SURVEY[t.survey_score] || t.survey_score) : ''
  ], t.number === freshNumber ? 'fresh' : ''));
  document.getElementById('tickets').replaceChildren(...rows);
}

function putTicket(ticket, fresh) {
  tickets.set(ticket.number, ticket);
  renderTickets(fresh ? ticket.number : null);
}

function addPop(pop) {
  const body = document.getElementById('pops');
  body.prepend(row([
    time(pop.answered_at), pop.agent, mask(pop.caller), pop.line_name || pop.line, pop.department,
    pop.wait_seconds, pop.draft_id
  ], 'fresh'));
  while (body.children.length > MAX_ROWS) body.lastChild.remove();
}

function setLink(up) {
  const link = document.getElementById('link');
  link.className = 'link ' + (up ? 'up' : 'down');
  link.textContent = up ? '实时 Live' : '连接中断，正在重连… Reconnecting';
}

function pct(x) {
  return (x * 100).toFixed(1) + '%';
}

function renderBoard(board) {
  const body = document.getElementById('board');
  body.replaceChildren();
  for (const q of [board.overall, ...board.queues]) {
    body.append(row([
      q.queue === '*' ? '全部 All' : q.queue, q.waiting, Math.round(q.oldest_wait_ms / 1000), pct(q.service_level),
      pct(q.service_level2), (q.asa_ms / 1000).toFixed(1), pct(q.abandon_rate), pct(q.connect_rate), q.answered,
      q.abandoned
    ]));
  }
}

// The figures change when a call or an agent changes: refreshed after such messages, at most every 2 s.
let boardPending = false;
function refreshBoard() {
  if (boardPending) return;
  boardPending = true;
  setTimeout(() => {
    boardPending = false;
    fetch('/api/queues').then(r => r.json()).then(renderBoard).catch(err => console.warn('wallboard failed', err));
  }, 2000);
}

async function loadSnapshot() {
  fetch('/api/queues').then(r => r.json()).then(renderBoard).catch(err => console.warn('wallboard failed', err));
  const [agentList, ticketPage] = await Promise.all([
    fetch('/api/agents').then(r => r.json()),
    fetch('/api/tickets?limit=' + MAX_ROWS).then(r => r.json())
  ]);
  for (const a of agentList) putAgent(a);
  for (const t of ticketPage.tickets) tickets.set(t.number, t);
  renderTickets(null);
}

function connect(delay) {
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  const ws = new WebSocket(scheme + location.host + '/ws/monitor');
  ws.onopen = () => {
    setLink(true);
    delay = 1000;
    // Opened first, loaded second: nothing that happens in between is missed.
    loadSnapshot().catch(err => console.warn('snapshot failed', err));
  };
  ws.onmessage = event => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch (e) {
      console.warn('not JSON', e);
      return;
    }
    if (message.type === 'agent') putAgent(message.agent);
    else if (message.type === 'screen_pop') addPop(message);
    else if (message.type === 'ticket') putTicket(message.ticket, true);
    refreshBoard();
  };
  ws.onclose = () => {
    setLink(false);
    setTimeout(() => connect(Math.min(delay * 2, 30000)), delay);
  };
}

connect(1000);
