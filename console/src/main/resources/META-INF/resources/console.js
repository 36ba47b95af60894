// Relink console: plain DOM, no build step, no framework. Every call goes to /api/{service}/… on this origin (the
// console forwards it with the caller's bearer token); the services decide what the caller may see and do.
'use strict';
(() => {
  const TOKEN_KEY = 'relink.token';
  const REFRESH_MS = 2000;
  const LIST_LIMIT = 500;
  const SUCCEEDED = ['MOVED', 'SKIPPED', 'ROLLED_BACK'];
  const FAILED = ['FAILED', 'ROLLBACK_FAILED'];
  const IN_PROGRESS = ['AWAITING_APPROVAL', 'PENDING', 'READY', 'SCOPE_IN_FLIGHT', 'SCOPED', 'LINKED', 'POLICY_IN_FLIGHT',
    'POLICY_REQUESTED', 'ROLLBACK_PENDING'];
  const DIFF_FIELDS = ['email', 'displayName', 'userPrincipalName', 'active', 'userType', 'authPolicy',
    'secondaryEmailsNormalized', 'otherMailsNormalized'];

  const main = document.getElementById('main');
  let refreshTimer = null;

  // ---------------------------------------------------------------------------------------------- helpers

  /** An element; text children stay text (never parsed as HTML), so data from the services cannot inject markup. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (key === 'class') node.className = value;
      else node.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  const enc = encodeURIComponent;
  const num = n => (n ?? 0).toLocaleString('en-US');
  const when = t => (t ? new Date(t).toLocaleString('en-GB', { hour12: false }) : '—');
  const sum = (counts, states) => states.reduce((total, state) => total + ((counts || {})[state] || 0), 0);

  function say(message) {
    document.getElementById('alert').textContent = '';
    document.getElementById('status').textContent = message;
  }

  function fail(message) {
    document.getElementById('status').textContent = '';
    document.getElementById('alert').textContent = message;
  }

  function table(caption, headers, rows, attrs) {
    return el('table', attrs || {},
      el('caption', {}, caption),
      el('thead', {}, el('tr', {}, headers.map(h => el('th', { scope: 'col', class: h.num ? 'num' : null }, h.label || h)))),
      el('tbody', {}, rows));
  }

  /** A stacked bar: succeeded, failed, pending; the numbers are also in the text next to it. */
  function bar(ok, bad, pending, label) {
    const total = Math.max(1, ok + bad + pending);
    const part = (cls, n) => {
      const span = el('span', { class: cls });
      span.style.width = `${(100 * n / total).toFixed(2)}%`; // through the CSSOM: the page's policy refuses style attributes
      return span;
    };
    return el('div', { class: 'bar', role: 'img', 'aria-label': label }, part('ok', ok), part('bad', bad), part('pending', pending));
  }

  // ---------------------------------------------------------------------------------------------- token and API

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  /** `./relink console` opens #token=…: the fragment never reaches a server; it is kept for this tab only. */
  function takeTokenFromFragment() {
    const match = location.hash.match(/^#token=([^&]+)(?:&next=(.*))?$/);
    if (match) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
      history.replaceState(null, '', location.pathname + (match[2] ? decodeURIComponent(match[2]) : '#/reviews'));
    }
  }

  function claims() {
    try {
      const payload = token().split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(payload));
    } catch (e) {
      return null;
    }
  }

  class ApiError extends Error {
    constructor(status, problem) {
      super(ApiError.describe(status, problem));
      this.status = status;
    }

    static describe(status, problem) {
      if (!problem) return `The service answered ${status}`;
      let text = problem.title || `The service answered ${status}`;
      if (problem.detail) text += `: ${problem.detail}`;
      for (const error of problem.errors || []) {
        text += ` [${[error.field, error.reason].filter(Boolean).join(': ')}]`;
      }
      return text;
    }
  }

  async function api(service, path, options = {}) {
    const headers = { Accept: options.accept || 'application/json', Authorization: `Bearer ${token()}` };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`/api/${service}/${path}`, {
      method: options.method || 'GET', headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    if (response.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      showSignIn('Your token was refused (expired, or not issued for Relink). Sign in again.');
      throw new ApiError(401, { title: 'Not signed in' });
    }
    if (!response.ok) {
      let problem = null;
      try {
        problem = await response.json();
      } catch (e) {
        // not a problem document
      }
      throw new ApiError(response.status, problem);
    }
    if (options.raw) return response;
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }

  /** Saves what a service answers as a file (reports and exports need the token, so a plain link will not do). */
  async function download(service, path, accept, fileName) {
    const response = await api(service, path, { accept, raw: true });
    const url = URL.createObjectURL(await response.blob());
    const link = el('a', { href: url, download: fileName });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    say(`Saved ${fileName}`);
  }

  // ---------------------------------------------------------------------------------------------- routing

  const views = { reviews: reviewsView, campaigns: campaignsView, 'dead-letters': deadLettersView, snapshots: snapshotsView };

  function route() {
    clearInterval(refreshTimer);
    refreshTimer = null;
    takeTokenFromFragment();
    if (!token()) {
      showSignIn();
      return;
    }
    const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
    const viewName = views[name] ? name : 'reviews';
    document.querySelectorAll('nav a').forEach(link => {
      if (link.dataset.view === viewName) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    });
    showWho();
    main.replaceChildren();
    views[viewName](rest.map(decodeURIComponent)).catch(e => fail(e.message));
  }

  function showWho() {
    const who = document.getElementById('who');
    const c = claims() || {};
    const roles = [].concat(c.groups || []).join(', ');
    who.replaceChildren(`Signed in as ${c.upn || c.preferred_username || c.sub || 'unknown'}${roles ? ` (${roles})` : ''} `,
      el('button', {
        type: 'button', class: 'secondary', onclick: () => {
          sessionStorage.removeItem(TOKEN_KEY);
          showSignIn('Signed out.');
        },
      }, 'Sign out'));
  }

  function showSignIn(message) {
    clearInterval(refreshTimer);
    document.getElementById('who').textContent = '';
    const input = el('textarea', { id: 'token-input', name: 'token', rows: 4, required: true, 'aria-describedby': 'token-help' });
    main.replaceChildren(
      el('h1', {}, 'Sign in'),
      message ? el('p', { class: 'alert', role: 'alert' }, message) : null,
      el('p', { id: 'token-help' }, 'Paste a bearer token from your identity provider. On the local stack ',
        el('code', {}, './relink console'), ' opens this page signed in, and ', el('code', {}, './relink token'),
        ' prints a token.'),
      el('form', {
        onsubmit: e => {
          e.preventDefault();
          sessionStorage.setItem(TOKEN_KEY, input.value.trim());
          route();
        },
      }, el('label', {}, 'Bearer token', input), el('p', {}, el('button', { type: 'submit' }, 'Sign in'))));
    input.focus();
  }

  function every(draw) {
    refreshTimer = setInterval(() => draw().catch(e => fail(e.message)), REFRESH_MS);
  }

  // ---------------------------------------------------------------------------------------------- review queue

  async function reviewsView([sourceArg]) {
    main.append(el('h1', {}, 'Review queue'));
    const sources = (await api('inventory', 'sources')).filter(s => s.kind === 'ATLASSIAN').map(s => s.name);
    if (!sources.length) {
      main.append(el('p', {}, 'No Atlassian source yet: ingest an export or pull the organization first.'));
      return;
    }
    const source = sources.includes(sourceArg) ? sourceArg : sources[0];
    const picker = el('select', { name: 'source', onchange: () => { location.hash = `#/reviews/${enc(picker.value)}`; } },
      sources.map(s => el('option', { value: s, selected: s === source }, s)));
    main.append(el('form', { class: 'inline', onsubmit: e => e.preventDefault() }, el('label', {}, 'Atlassian source', picker)));
    const items = await api('matcher', `reviews/${enc(source)}?limit=${LIST_LIMIT}`);
    const region = el('section', { 'aria-labelledby': 'queue-title' });
    main.append(region);
    renderQueue(region, source, items);
  }

  function renderQueue(region, source, items) {
    const selected = new Set();
    const boxes = [];
    const count = el('span', { id: 'selected-count' }, '0 selected');
    const all = el('input', { type: 'checkbox', name: 'select-all' });
    const action = el('select', { name: 'bulk-action' },
      el('option', { value: 'approve' }, 'Approve the suggested Entra user'),
      el('option', { value: 'reject' }, 'Reject (the account stays local)'));
    const reason = el('input', { type: 'text', name: 'bulk-reason', size: 40 });
    const apply = el('button', { type: 'submit', disabled: true }, 'Apply to selected');
    const update = () => {
      count.textContent = `${selected.size} selected`;
      apply.disabled = selected.size === 0;
      all.checked = items.length > 0 && selected.size === items.length;
    };
    all.addEventListener('change', () => {
      const on = all.checked; // each box's change handler updates the select-all box as it goes
      boxes.forEach(box => {
        box.checked = on;
        box.dispatchEvent(new Event('change'));
      });
    });
    const bulk = el('form', {
      class: 'toolbar', 'aria-label': 'Decide the selected accounts',
      onsubmit: e => {
        e.preventDefault();
        if (!requireReason(reason)) return;
        decide(source, 'bulk', { accountIds: [...selected], action: action.value, reason: reason.value.trim() },
          `${action.value === 'approve' ? 'Approved' : 'Rejected'} ${selected.size} account(s)`);
      },
    }, el('label', { class: 'check' }, all, 'Select all'), count, el('label', {}, 'Decision', action),
      el('label', {}, 'Reason (required, recorded with your name)', reason), apply);

    const rows = items.map(item => {
      const box = el('input', {
        type: 'checkbox', name: 'select', value: item.accountId, 'aria-label': `Select ${item.email}`,
        onchange: () => {
          if (box.checked) selected.add(item.accountId);
          else selected.delete(item.accountId);
          update();
        },
      });
      boxes.push(box);
      return el('tr', { 'data-account': item.accountId }, el('td', {}, box), el('td', {}, sideBySide(item)),
        el('td', {}, rowDecision(source, item)));
    });
    region.replaceChildren(
      el('h2', { id: 'queue-title' }, `${items.length} account(s) of ${source} waiting for a decision`),
      items.length ? bulk : el('p', {}, 'Nothing to review.'),
      items.length ? table('Accounts in review: the Atlassian account and the Entra users the rules found for it',
        ['', 'Atlassian account and Entra candidates', 'Decision'], rows, { id: 'review-table' }) : null);
  }

  /** The account on the left, each distinct Entra candidate with the evidence for it on the right. */
  function sideBySide(item) {
    const byUser = new Map();
    for (const c of item.candidates || []) {
      if (!byUser.has(c.idpUserId)) byUser.set(c.idpUserId, []);
      byUser.get(c.idpUserId).push(c);
    }
    const users = [...byUser.entries()];
    const group = `candidate-${item.accountId}`;
    const candidates = users.map(([user, evidence], index) => el('div', { class: 'candidate' },
      el('label', { class: 'check' }, el('input', {
        type: 'radio', name: group, value: user,
        checked: user === item.idpUserId || (!item.idpUserId && users.length === 1 && index === 0),
      }), el('strong', {}, user)),
      el('ul', {}, evidence.map(e => el('li', {}, `${e.rule}: ${e.idpAttribute} = ${e.idpValue}`)))));
    return el('div', { class: 'side' },
      el('div', {},
        el('strong', {}, item.email), el('br'), el('span', { class: 'muted' }, `${item.displayName || ''} · ${item.accountId}`),
        el('p', {}, item.reason), (item.flags || []).map(f => el('span', { class: 'flag' }, f)),
        item.review && item.review.staleReason ? el('p', { class: 'muted' }, item.review.staleReason) : null),
      el('div', { role: 'group', 'aria-label': `Entra candidates for ${item.email}` },
        candidates.length ? candidates : el('p', { class: 'muted' }, 'No Entra candidate: approve needs an Entra user id below.')));
  }

  function rowDecision(source, item) {
    const reason = el('input', { type: 'text', name: 'reason', size: 28 });
    const other = el('input', { type: 'text', name: 'other-user', size: 28 });
    const chosen = () => {
      const radio = document.querySelector(`input[name="candidate-${CSS.escape(item.accountId)}"]:checked`);
      return radio ? radio.value : null;
    };
    return el('form', {
      class: 'decision', 'aria-label': `Decision for ${item.email}`,
      onsubmit: e => {
        e.preventDefault();
        if (!requireReason(reason)) return;
        const verb = e.submitter ? e.submitter.value : 'approve';
        if (verb === 'reject') {
          decide(source, `${enc(item.accountId)}/reject`, { reason: reason.value.trim() }, `Rejected ${item.email}`);
        } else if (other.value.trim()) {
          decide(source, `${enc(item.accountId)}/override`, { idpUserId: other.value.trim(), reason: reason.value.trim() },
            `Matched ${item.email} to ${other.value.trim()}`);
        } else if (chosen()) {
          decide(source, `${enc(item.accountId)}/approve`, { idpUserId: chosen(), reason: reason.value.trim() },
            `Approved ${item.email} → ${chosen()}`);
        } else {
          fail(`Choose one of the Entra candidates for ${item.email}, or name another Entra user.`);
        }
      },
    },
    el('label', {}, 'Reason (required)', reason),
    el('label', {}, 'Other Entra user id (optional)', other),
    el('p', {},
      el('button', { type: 'submit', value: 'approve', 'aria-label': `Approve ${item.email}` }, 'Approve'), ' ',
      el('button', { type: 'submit', value: 'reject', class: 'secondary', 'aria-label': `Reject ${item.email}` }, 'Reject')));
  }

  function requireReason(input) {
    if (input.value.trim()) return true;
    fail('Give a reason: it is recorded with your name in the decision history.');
    input.focus();
    return false;
  }

  async function decide(source, path, body, done) {
    try {
      await api('matcher', `reviews/${enc(source)}/${path}`, { method: 'POST', body });
      const region = document.querySelector('section[aria-labelledby="queue-title"]');
      renderQueue(region, source, await api('matcher', `reviews/${enc(source)}?limit=${LIST_LIMIT}`));
      say(done);
    } catch (e) {
      fail(e.message);
    }
  }

  // ---------------------------------------------------------------------------------------------- campaigns

  async function campaignsView([id]) {
    if (id) {
      await campaignDetail(id);
      return;
    }
    main.append(el('h1', {}, 'Campaigns'));
    const region = el('div');
    main.append(region);
    let shown = null;
    const draw = async () => {
      const campaigns = await api('executor', 'campaigns');
      const text = JSON.stringify(campaigns);
      if (text === shown) return; // redraw only on change: a redraw would take the keyboard focus off a link
      shown = text;
      region.replaceChildren(campaigns.length ? table(`${campaigns.length} campaign(s), newest first`,
        ['Campaign', 'Source', 'State', { label: 'Moves', num: true }, { label: 'Moved', num: true },
          { label: 'Failed', num: true }, 'Created'],
        campaigns.map(c => el('tr', {},
          el('td', {}, el('a', { href: `#/campaigns/${enc(c.id)}` }, c.name || c.id)), el('td', {}, c.atlassianSource),
          el('td', {}, c.state), el('td', { class: 'num' }, num(c.moves)), el('td', { class: 'num' }, num(sum(c.users, ['MOVED']))),
          el('td', { class: 'num' }, num(sum(c.users, FAILED))), el('td', {}, `${when(c.createdAt)} by ${c.createdBy}`)))
      ) : el('p', {}, 'No campaign yet. Create one with ./relink campaign create.'));
    };
    await draw();
    every(draw);
  }

  async function campaignDetail(id) {
    const heading = el('h1', {}, 'Campaign');
    const live = el('div', { id: 'campaign-live' });
    const updated = el('p', { class: 'muted', id: 'updated' });
    const command = verb => async () => {
      if (verb === 'abort' && !confirm('Abort this campaign for good? Moved users stay moved until rolled back.')) return;
      try {
        await api('executor', `campaigns/${enc(id)}/${verb}`, { method: 'POST' });
        say(`Campaign: ${verb} sent`);
        await draw();
      } catch (e) {
        fail(e.message);
      }
    };
    const buttons = {
      pause: el('button', { type: 'button', onclick: command('pause') }, 'Pause'),
      resume: el('button', { type: 'button', onclick: command('resume') }, 'Resume'),
      abort: el('button', { type: 'button', class: 'danger', onclick: command('abort') }, 'Abort'),
    };
    const save = (path, accept, name) => () => download('executor', `campaigns/${enc(id)}/${path}`, accept, name).catch(e => fail(e.message));
    main.append(el('p', {}, el('a', { href: '#/campaigns' }, '← All campaigns')), heading,
      el('div', { class: 'toolbar', role: 'group', 'aria-label': 'Campaign actions' }, buttons.pause, buttons.resume, buttons.abort,
        el('button', { type: 'button', class: 'secondary', onclick: save('report?format=html', 'text/html', `campaign-${id}.html`) }, 'Report (HTML)'),
        el('button', { type: 'button', class: 'secondary', onclick: save('report?format=csv', 'text/csv', `campaign-${id}.csv`) }, 'Report (CSV)'),
        el('button', { type: 'button', class: 'secondary', onclick: save('audit?format=csv', 'text/csv', `audit-${id}.csv`) }, 'Audit trail (CSV)')),
      live, updated);

    let lastBudget = null;
    async function draw() {
      const [c, budgets] = await Promise.all([api('executor', `campaigns/${enc(id)}`), api('executor', 'api-budget')]);
      heading.textContent = `Campaign ${c.name || c.id}`;
      buttons.pause.disabled = c.state !== 'RUNNING';
      buttons.resume.disabled = !['PAUSED', 'HALTED'].includes(c.state);
      buttons.abort.disabled = ['COMPLETED', 'ABORTED', 'ROLLED_BACK', 'ROLLING_BACK'].includes(c.state);
      const ok = sum(c.users, SUCCEEDED);
      const bad = sum(c.users, FAILED);
      const pending = sum(c.users, IN_PROGRESS);
      const progress = c.progress || {};
      const card = (label, value, extra) => el('div', { class: 'card' }, el('span', { class: 'muted' }, label),
        el('span', { class: 'value', 'data-measure': label }, value), extra ? el('span', { class: 'muted' }, extra) : null);
      const now = Date.now();
      const budgetRows = budgets.map(b => {
        const before = lastBudget && lastBudget.values.find(p => p.api === b.api && p.tenant === b.tenant);
        const rate = before ? (b.sent - before.sent) / ((now - lastBudget.at) / 1000) : null;
        const share = rate === null ? null : Math.min(100, (100 * rate) / b.perSecond);
        return el('tr', {}, el('td', {}, b.api), el('td', {}, b.tenant), el('td', { class: 'num' }, `${b.perSecond}/s`),
          el('td', { class: 'num' }, rate === null ? 'measuring…' : `${rate.toFixed(1)}/s`),
          el('td', { class: 'num' }, share === null ? '—' : `${share.toFixed(0)}%`),
          el('td', { class: 'num' }, num(b.queued)), el('td', { class: 'num' }, num(b.sent)));
      });
      lastBudget = { at: now, values: budgets };
      live.replaceChildren(
        el('div', { class: 'cards' },
          card('State', c.state, c.stateReason),
          card('Succeeded', num(ok), `of ${num(c.moves)} moves`),
          card('Failed', num(bad), bad ? 'see Dead letters' : null),
          card('Pending', num(pending)),
          card('Throughput', `${(progress.perMinute || 0).toFixed(1)}/min`, 'moves, last 5 minutes'),
          card('ETA', progress.etaSeconds == null ? '—' : `${Math.round(progress.etaSeconds)} s`)),
        bar(ok, bad, pending, `${ok} succeeded, ${bad} failed, ${pending} pending`),
        table('Progress per wave', ['Wave', 'State', { label: 'Users', num: true }, { label: 'Succeeded', num: true },
          { label: 'Failed', num: true }, { label: 'Pending', num: true }, 'Progress', 'Outcome'],
        (c.waveProgress || []).map(w => {
          const wOk = sum(w.users, SUCCEEDED);
          const wBad = sum(w.users, FAILED);
          const wPending = sum(w.users, IN_PROGRESS);
          return el('tr', { 'data-wave': w.number },
            el('td', {}, w.number === 1 ? '1 (canary)' : w.number), el('td', {}, w.state), el('td', { class: 'num' }, num(w.size)),
            el('td', { class: 'num', 'data-col': 'succeeded' }, num(wOk)), el('td', { class: 'num', 'data-col': 'failed' }, num(wBad)),
            el('td', { class: 'num', 'data-col': 'pending' }, num(wPending)),
            el('td', {}, bar(wOk, wBad, wPending, `wave ${w.number}: ${wOk} succeeded, ${wBad} failed, ${wPending} pending`)),
            el('td', {}, w.outcome || ''));
        }), { id: 'waves' }),
        table('Vendor API budget in use (client-side rate limits; calls per second between two refreshes)',
          ['API', 'Tenant', { label: 'Limit', num: true }, { label: 'In use', num: true }, { label: 'Share', num: true },
            { label: 'Waiting now', num: true }, { label: 'Calls sent', num: true }], budgetRows, { id: 'api-budget' }));
      updated.textContent = `Updated ${new Date(now).toLocaleTimeString('en-GB', { hour12: false })}; refreshes every ${REFRESH_MS / 1000} s.`;
    }

    await draw();
    every(draw);
  }

  // ---------------------------------------------------------------------------------------------- dead letters

  async function deadLettersView() {
    main.append(el('h1', {}, 'Dead letters'));
    const campaigns = await api('executor', 'campaigns');
    const field = (name, label, attrs) => el('label', {}, label, el('input', Object.assign({ type: 'text', name }, attrs || {})));
    const campaign = el('select', { name: 'campaign' }, el('option', { value: '' }, 'All campaigns'),
      campaigns.map(c => el('option', { value: c.id }, `${c.name || c.id} (${c.state})`)));
    const replayed = el('input', { type: 'checkbox', name: 'include-replayed' });
    const filters = el('form', { class: 'inline', 'aria-label': 'Filters' },
      el('label', {}, 'Campaign', campaign),
      field('error-class', 'Error class', { placeholder: 'e.g. POLICY_REJECTED' }),
      field('account', 'Account id or email'),
      field('from', 'Failed from (ISO-8601)', { placeholder: '2026-11-28T10:00:00Z' }),
      field('to', 'Failed until (ISO-8601)'),
      el('label', { class: 'check' }, replayed, 'Include replayed'),
      el('button', { type: 'submit' }, 'Show'));
    const results = el('div', { id: 'dead-letter-results' });
    const value = name => filters.elements[name].value.trim();
    const criteria = () => ({ campaignId: value('campaign') || null, errorClass: value('error-class') || null,
      accountId: value('account') || null, from: value('from') || null, to: value('to') || null });
    const load = async () => {
      const c = criteria();
      const query = new URLSearchParams();
      if (c.campaignId) query.set('campaign', c.campaignId);
      if (c.errorClass) query.set('errorClass', c.errorClass);
      if (c.accountId) query.set('account', c.accountId);
      if (c.from) query.set('from', c.from);
      if (c.to) query.set('to', c.to);
      if (replayed.checked) query.set('includeReplayed', 'true');
      query.set('limit', String(LIST_LIMIT));
      const letters = await api('executor', `dead-letters?${query}`);
      const open = letters.filter(d => !d.replayedAt).length;
      const replay = el('button', {
        type: 'button', disabled: open === 0, onclick: async () => {
          if (!confirm(`Replay the ${open} open dead letter(s) matching these filters?`)) return;
          try {
            const result = await api('executor', 'dead-letters/replay', { method: 'POST', body: criteria() });
            say(`Replayed ${result.replayed}, skipped ${result.skipped}${(result.notes || []).length ? `: ${result.notes.join('; ')}` : ''}`);
            await load();
          } catch (e) {
            fail(e.message);
          }
        },
      }, `Replay ${open} open dead letter(s) matching these filters`);
      results.replaceChildren(el('p', {}, replay),
        table(`${letters.length} dead letter(s)${letters.length === LIST_LIMIT ? ` (first ${LIST_LIMIT})` : ''}`,
          ['Failed at', 'Account', 'Campaign', { label: 'Wave', num: true }, 'Step', 'Error class', 'Reason',
            { label: 'Attempts', num: true }, 'Replayed'],
          letters.map(d => el('tr', { 'data-account': d.accountId },
            el('td', {}, when(d.failedAt)), el('td', {}, d.email || d.accountId, el('br'), el('span', { class: 'muted' }, d.accountId)),
            el('td', {}, el('a', { href: `#/campaigns/${enc(d.campaignId)}` }, String(d.campaignId).slice(0, 8))),
            el('td', { class: 'num' }, d.wave ?? ''), el('td', {}, d.step), el('td', {}, d.errorClass), el('td', {}, d.reason),
            el('td', { class: 'num' }, d.attempts), el('td', {}, d.replayedAt ? `${when(d.replayedAt)} by ${d.replayedBy}` : 'open'))),
          { id: 'dead-letters' }));
    };
    filters.addEventListener('submit', e => {
      e.preventDefault();
      load().catch(err => fail(err.message));
    });
    main.append(filters, results);
    await load();
  }

  // ---------------------------------------------------------------------------------------------- snapshots

  async function snapshotsView([sourceArg, snapshotId]) {
    main.append(el('h1', {}, 'Snapshots'));
    const sources = await api('inventory', 'sources');
    if (!sources.length) {
      main.append(el('p', {}, 'No source yet.'));
      return;
    }
    const source = sources.some(s => s.name === sourceArg) ? sourceArg : sources[0].name;
    const picker = el('select', { name: 'source', onchange: () => { location.hash = `#/snapshots/${enc(picker.value)}`; } },
      sources.map(s => el('option', { value: s.name, selected: s.name === source }, `${s.name} (${s.kind})`)));
    main.append(el('form', { class: 'inline', onsubmit: e => e.preventDefault() }, el('label', {}, 'Source', picker)));
    const snapshots = await api('inventory', `sources/${enc(source)}/snapshots`);
    main.append(table(`${snapshots.length} snapshot(s) of ${source}, newest first`,
      [{ label: 'Version', num: true }, 'Status', 'File or origin', { label: 'Identities', num: true },
        { label: 'Added', num: true }, { label: 'Changed', num: true }, { label: 'Removed', num: true }, 'Taken', ''],
      snapshots.map(s => el('tr', {},
        el('td', { class: 'num' }, s.version), el('td', {}, s.status, s.statusReason ? el('br') : null, s.statusReason || ''),
        el('td', {}, s.fileName || s.format || ''), el('td', { class: 'num' }, num(s.total)), el('td', { class: 'num' }, num(s.added)),
        el('td', { class: 'num' }, num(s.changed)), el('td', { class: 'num' }, num(s.removed)), el('td', {}, when(s.createdAt)),
        el('td', {}, el('a', { href: `#/snapshots/${enc(source)}/${enc(s.id)}`, 'aria-label': `What changed in version ${s.version}` }, 'What changed')))),
      { id: 'snapshots' }));
    if (snapshotId) {
      main.append(await diffView(snapshotId));
    }
  }

  async function diffView(snapshotId) {
    const diff = await api('inventory', `snapshots/${enc(snapshotId)}/diff?limit=${LIST_LIMIT}`);
    const against = diff.from ? `version ${diff.from.version}` : 'nothing (first snapshot)';
    const person = e => e ? [e.email, e.displayName].filter(Boolean).join(' · ') : '';
    const changedRows = diff.changedIdentities.flatMap(entry => DIFF_FIELDS
      .filter(f => JSON.stringify(entry.before[f]) !== JSON.stringify(entry.after[f]))
      .map(f => el('tr', {}, el('td', {}, entry.after.email || entry.externalId, el('br'), el('span', { class: 'muted' }, entry.externalId)), el('td', {}, f),
        el('td', {}, JSON.stringify(entry.before[f])), el('td', {}, JSON.stringify(entry.after[f])))));
    return el('section', { 'aria-labelledby': 'diff-title', id: 'diff' },
      el('h2', { id: 'diff-title', tabindex: '-1' }, `Version ${diff.to.version} against ${against}`),
      el('p', {}, `${num(diff.added)} added, ${num(diff.changed)} changed, ${num(diff.removed)} removed, ${num(diff.unchanged)} unchanged`
        + (Math.max(diff.added, diff.changed, diff.removed) > LIST_LIMIT ? ` (lists show the first ${LIST_LIMIT})` : '')),
      table('Changed: each field that differs, before and after', ['Identity', 'Field', 'Before', 'After'], changedRows, { id: 'diff-changed' }),
      table('Added', ['Identity', 'Email and name'], diff.addedIdentities.map(e => el('tr', {}, el('td', {}, e.externalId),
        el('td', {}, person(e.after)))), { id: 'diff-added' }),
      table('Removed', ['Identity', 'Email and name'], diff.removedIdentities.map(e => el('tr', {}, el('td', {}, e.externalId),
        el('td', {}, person(e.before)))), { id: 'diff-removed' }));
  }

  // ---------------------------------------------------------------------------------------------- start

  // The skip link moves the focus; following its #main would be read as a route.
  document.querySelector('a.skip').addEventListener('click', e => {
    e.preventDefault();
    main.focus();
  });
  window.addEventListener('hashchange', route);
  route();
})();
