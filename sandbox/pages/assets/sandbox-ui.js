/*
 * The CC8.1 sandbox UI: plain browser JavaScript, no dependencies, no build step. Served by
 * sandbox/pages at /sandbox/assets/sandbox-ui.js. It talks to the sandbox's Jira only over
 * REST v3, with HTTP basic auth as the acting user (email and any token), as a browser client of
 * Jira Cloud would. All data goes into the page through textContent, never as HTML.
 *
 * The pure helpers at the top also run in Node (unit tests load this file into a vm context and
 * read `Cc81SandboxHelpers`).
 */
/* eslint no-undef: "error", no-unused-vars: ["error", { "args": "none" }] */
/* global window, document, fetch, btoa, globalThis, ResizeObserver */
(function (root) {
  'use strict';

  // ---------------------------------------------------------------- pure helpers

  /** Plain text of an Atlassian Document Format node: paragraphs and blocks on their own lines. */
  function adfToText(node) {
    if (node === null || node === undefined) return '';
    if (typeof node === 'string') return node;
    if (typeof node !== 'object') return String(node);
    if (node.type === 'text' && typeof node.text === 'string') return node.text;
    if (node.type === 'hardBreak') return '\n';
    if (node.type === 'mention' && node.attrs) return String(node.attrs.text || '@' + (node.attrs.id || ''));
    var children = Array.isArray(node.content) ? node.content.map(adfToText) : [];
    if (node.type === 'paragraph' || node.type === 'heading') return children.join('');
    return children.join('\n');
  }

  /** An ADF document for plain text, one paragraph per line (as Jira's editor makes it). */
  function textToAdf(text) {
    return {
      type: 'doc',
      version: 1,
      content: String(text)
        .split(/\r?\n/)
        .map(function (line) {
          return { type: 'paragraph', content: line ? [{ type: 'text', text: line }] : [] };
        }),
    };
  }

  /** Jira's timestamp format: 2026-03-15T23:10:00.000+0000. */
  function jiraTimestamp(date) {
    return date.toISOString().replace('Z', '+0000');
  }

  /** Parses a Jira timestamp (offset with or without colon); null when it is not one. */
  function parseJiraTimestamp(value) {
    if (typeof value === 'number') return new Date(value);
    if (typeof value !== 'string' || !value.trim()) return null;
    var s = value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
    if (s.indexOf('T') > 0 && !/(Z|[+-]\d{2}:\d{2})$/.test(s)) s += 'Z';
    var date = new Date(s);
    return isNaN(date.getTime()) ? null : date;
  }

  function pad(n) {
    return (n < 10 ? '0' : '') + n;
  }

  /** A date as a datetime-local input value, in the browser's time zone. */
  function toDatetimeLocal(date) {
    return (
      date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate()) + 'T' + pad(date.getHours()) + ':' + pad(date.getMinutes())
    );
  }

  /** A datetime-local input value (browser time zone) as a Jira timestamp; null when blank or invalid. */
  function fromDatetimeLocal(value) {
    if (!value) return null;
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value);
    if (!m) return null;
    var date = new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], m[6] ? +m[6] : 0);
    return isNaN(date.getTime()) ? null : jiraTimestamp(date);
  }

  function formatDateTime(value) {
    var date = value instanceof Date ? value : parseJiraTimestamp(value);
    if (!date) return String(value);
    return date.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  }

  /** The Authorization header for a user: basic auth with their email and any token. */
  function basicAuth(email) {
    var encode =
      typeof btoa === 'function'
        ? btoa
        : function (s) {
            return root.Buffer.from(s, 'utf8').toString('base64');
          };
    return 'Basic ' + encode(email + ':sandbox-api-token');
  }

  function userName(user, users) {
    if (!user) return null;
    var known = (users || []).filter(function (u) {
      return u.accountId === user.accountId;
    })[0];
    var name = user.displayName || (known && known.displayName) || user.accountId || 'Unknown user';
    var active = user.active !== undefined && user.active !== null ? user.active : known ? known.active : true;
    return { name: name, deactivated: active === false };
  }

  function isEmpty(value) {
    return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
  }

  /**
   * A REST v3 field value as text for the issue view: { text, deactivated?, empty? }.
   * `field` is a PageFieldConfig (type: string | richtext | option | user | labels | datetime).
   */
  function displayValue(field, value, users) {
    if (isEmpty(value)) return { text: 'None', empty: true };
    switch (field.type) {
      case 'richtext': {
        var text = adfToText(value);
        return text.trim() ? { text: text } : { text: 'None', empty: true };
      }
      case 'option':
        return { text: typeof value === 'object' ? String(value.value || value.name || value.id) : String(value) };
      case 'user': {
        var u = userName(typeof value === 'object' ? value : { accountId: String(value) }, users);
        return { text: u.name, deactivated: u.deactivated };
      }
      case 'labels':
        return { text: Array.isArray(value) ? value.join(', ') : String(value) };
      case 'multiuser':
        return { text: listOf(value).map(function (u) { return userName(u, users).name; }).join(', ') };
      case 'components':
      case 'services':
      case 'multioption':
        return { text: listOf(value).map(entryName).join(', ') };
      case 'group':
        return { text: 'Group: ' + entryName(value) };
      case 'datetime':
        return { text: formatDateTime(value), title: String(value) };
      default:
        return { text: typeof value === 'object' ? adfToText(value) || JSON.stringify(value) : String(value) };
    }
  }

  function listOf(value) {
    return Array.isArray(value) ? value : [];
  }

  /** A component's, service's, group's or option's name as REST gives it. */
  function entryName(entry) {
    if (entry && typeof entry === 'object') return String(entry.name || entry.value || entry.id || '');
    return String(entry);
  }

  function commaList(raw) {
    return raw
      .split(',')
      .map(function (s) {
        return s.trim();
      })
      .filter(Boolean);
  }

  /** The form input value (string) for a REST v3 field value. */
  function inputValue(field, value) {
    if (isEmpty(value)) return '';
    switch (field.type) {
      case 'richtext':
        return adfToText(value);
      case 'option': {
        var wanted = typeof value === 'object' ? value : { value: value };
        var match = (field.options || []).filter(function (o) {
          return (wanted.id !== undefined && String(wanted.id) === o.id) || wanted.value === o.label || wanted.value === o.value;
        })[0];
        return match ? match.value : '';
      }
      case 'user':
        return typeof value === 'object' ? String(value.accountId || '') : String(value);
      case 'labels':
        return Array.isArray(value) ? value.join(', ') : String(value);
      case 'multiuser':
        return listOf(value)
          .map(function (u) {
            return typeof u === 'object' ? String(u.accountId || '') : String(u);
          })
          .join(',');
      case 'components':
      case 'multioption':
        return listOf(value).map(entryName).join(', ');
      case 'group':
        return entryName(value);
      case 'datetime': {
        var date = parseJiraTimestamp(value);
        return date ? toDatetimeLocal(date) : '';
      }
      default:
        return String(value);
    }
  }

  /** A form input value (string) as the REST v3 value a transition's `fields` carries. Blank clears (null). */
  function restValue(field, input) {
    var raw = input === undefined || input === null ? '' : String(input);
    switch (field.type) {
      case 'richtext':
        return raw.trim() ? textToAdf(raw) : null;
      case 'option': {
        if (!raw) return null;
        var option = (field.options || []).filter(function (o) {
          return o.value === raw;
        })[0];
        return option ? { id: option.id } : { value: raw };
      }
      case 'user':
        return raw ? { accountId: raw } : null;
      case 'labels': {
        var labels = raw
          .split(',')
          .map(function (s) {
            return s.trim();
          })
          .filter(Boolean);
        return labels.length ? labels : null;
      }
      case 'multiuser': {
        var ids = commaList(raw);
        return ids.length
          ? ids.map(function (id) {
              return { accountId: id };
            })
          : null;
      }
      case 'components': {
        var names = commaList(raw);
        return names.length
          ? names.map(function (name) {
              return { name: name };
            })
          : null;
      }
      case 'multioption': {
        var values = commaList(raw);
        return values.length
          ? values.map(function (v) {
              return { value: v };
            })
          : null;
      }
      case 'group':
        return raw.trim() ? { name: raw.trim() } : null;
      case 'datetime':
        return raw ? fromDatetimeLocal(raw) : null;
      default:
        return raw.trim() ? raw : null;
    }
  }

  /** Jira's 400 body as a list of lines: each errorMessages entry, then each field error labelled. */
  function errorLines(body, labelOf) {
    var lines = [];
    if (body && typeof body === 'object') {
      (Array.isArray(body.errorMessages) ? body.errorMessages : []).forEach(function (m) {
        lines.push(String(m));
      });
      var errors = body.errors && typeof body.errors === 'object' ? body.errors : {};
      Object.keys(errors).forEach(function (id) {
        lines.push((labelOf ? labelOf(id) : id) + ': ' + String(errors[id]));
      });
    } else if (typeof body === 'string' && body.trim()) {
      lines.push(body.trim());
    }
    return lines;
  }

  var helpers = {
    adfToText: adfToText,
    textToAdf: textToAdf,
    jiraTimestamp: jiraTimestamp,
    parseJiraTimestamp: parseJiraTimestamp,
    toDatetimeLocal: toDatetimeLocal,
    fromDatetimeLocal: fromDatetimeLocal,
    basicAuth: basicAuth,
    displayValue: displayValue,
    inputValue: inputValue,
    restValue: restValue,
    errorLines: errorLines,
  };
  root.Cc81SandboxHelpers = helpers;
  if (typeof document === 'undefined') return;

  // ---------------------------------------------------------------- the app

  var config = JSON.parse(document.getElementById('cc81-config').textContent);
  var fieldsByKey = {};
  var fieldsById = {};
  config.fields.forEach(function (f) {
    fieldsByKey[f.key] = f;
    fieldsById[f.fieldId] = f;
  });

  var app = {
    users: [],
    actingUser: null,
    siteFields: null, // GET /rest/api/3/field, by id
    issue: null,
    transitions: [],
    issueKey: null,
    issueLoad: 0,
    listLoad: 0,
    dialog: null, // { transition, fromName }
  };

  function $(id) {
    return document.getElementById(id);
  }

  /** Builds an element: el('p', { class: 'x', 'data-testid': 'y' }, ['text', child]). Text is always textContent. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === 'text') node.textContent = String(value);
      else if (name.indexOf('on') === 0 && typeof value === 'function') node.addEventListener(name.slice(2), value);
      else if (value === true) node.setAttribute(name, '');
      else node.setAttribute(name, String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function fieldLabelOfId(id) {
    var f = fieldsById[id];
    if (f) return f.label;
    if (app.siteFields && app.siteFields[id]) return app.siteFields[id].name;
    return id;
  }

  // ---- REST

  function api(method, path, body) {
    var headers = { Accept: 'application/json' };
    if (app.actingUser) headers.Authorization = basicAuth(app.actingUser.emailAddress);
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit' }).then(
      function (res) {
        return res.text().then(function (text) {
          var data = null;
          if (text) {
            try {
              data = JSON.parse(text);
            } catch {
              data = text;
            }
          }
          return { status: res.status, ok: res.ok, data: data };
        });
      },
    );
  }

  function requestFailed(what, res) {
    var lines = errorLines(res.data, fieldLabelOfId);
    showFlag('error', what + ' (HTTP ' + res.status + ')', lines.length ? lines : ['No details were given.'], 'flag-error');
  }

  // ---- flags (Jira's toast-like messages)

  function showFlag(kind, title, lines, testId) {
    var flags = $('flags');
    var flag = el('div', { class: 'flag flag-' + kind, role: kind === 'error' ? 'alert' : 'status', 'data-testid': testId || 'flag-' + kind }, [
      el('p', { class: 'flag-title', text: title }),
      lines && lines.length
        ? el(
            'ul',
            { class: 'flag-lines' },
            lines.map(function (line) {
              return el('li', { text: line });
            }),
          )
        : null,
    ]);
    var close = el('button', { type: 'button', class: 'flag-close', 'aria-label': 'Dismiss message', text: '×' });
    close.addEventListener('click', function () {
      flag.remove();
    });
    flag.appendChild(close);
    // one flag of a kind at a time, newest on top
    Array.prototype.slice.call(flags.querySelectorAll('[data-testid="' + (testId || 'flag-' + kind) + '"]')).forEach(function (old) {
      old.remove();
    });
    flags.insertBefore(flag, flags.firstChild);
    return flag;
  }

  function clearFlags() {
    clear($('flags'));
  }

  // ---- users

  function roleText(user) {
    return window.CC81SandboxUsers.roleText(user);
  }

  function renderSwitcher() {
    var select = $('user-switcher');
    clear(select);
    app.users.forEach(function (user) {
      select.appendChild(
        el('option', {
          value: user.accountId,
          disabled: !user.active,
          'data-display-name': user.displayName,
          text: user.displayName + ' — ' + roleText(user),
          selected: app.actingUser && app.actingUser.accountId === user.accountId,
        }),
      );
    });
    renderActingHint();
  }

  function renderActingHint() {
    var hint = $('acting-hint');
    hint.setAttribute('data-acting-as', app.actingUser ? app.actingUser.displayName : '');
    hint.textContent = app.actingUser ? 'REST calls authenticate as ' + app.actingUser.emailAddress : 'No active user';
  }

  function setActingUser(accountId) {
    var user = window.CC81SandboxUsers.activeUser(app.users, accountId);
    if (!user) return;
    app.actingUser = user;
    window.CC81SandboxUsers.remember(user.accountId);
    renderActingHint();
  }

  function loadUsers() {
    return window.CC81SandboxUsers.load()
      .then(function (loaded) {
        app.users = loaded.users;
        var initial = loaded.initial;
        if (initial) setActingUser(initial.accountId);
        renderSwitcher();
      });
  }

  // ---- ticket list

  function optionText(value) {
    return value && typeof value === 'object' ? String(value.value || value.name || '') : value ? String(value) : '';
  }

  function statusLozenge(status, testId) {
    var category = status && status.statusCategory ? status.statusCategory.key : 'new';
    return el('span', { class: 'lozenge lozenge-' + category, 'data-testid': testId, text: status ? status.name : 'Unknown' });
  }

  function loadList() {
    var load = ++app.listLoad;
    var typeField = fieldsByKey.changeType;
    var riskField = fieldsByKey.risk;
    var wanted = ['summary', 'status'];
    if (typeField) wanted.push(typeField.fieldId);
    if (riskField) wanted.push(riskField.fieldId);
    var issues = [];
    $('ticket-list-status').textContent = 'Loading tickets…';

    function page(token, count) {
      var body = { jql: config.jql, fields: wanted, maxResults: 50 };
      if (token) body.nextPageToken = token;
      return api('POST', '/rest/api/3/search/jql', body).then(function (res) {
        if (load !== app.listLoad) return null;
        if (!res.ok) {
          requestFailed('Could not load the change tickets', res);
          $('ticket-list-status').textContent = 'Could not load the change tickets.';
          return null;
        }
        issues = issues.concat(res.data.issues || []);
        if (res.data.nextPageToken && res.data.isLast !== true && count < 40) return page(res.data.nextPageToken, count + 1);
        return issues;
      });
    }

    return page(null, 0).then(function (all) {
      if (!all || load !== app.listLoad) return;
      var rows = $('ticket-rows');
      clear(rows);
      all.forEach(function (issue) {
        var f = issue.fields || {};
        var current = issue.key === app.issueKey;
        rows.appendChild(
          el('tr', { 'data-testid': 'ticket-row', 'data-key': issue.key, class: current ? 'selected' : null, 'aria-current': current ? 'true' : null }, [
            el('td', {}, [el('a', { href: '#/issue/' + encodeURIComponent(issue.key), 'data-testid': 'ticket-link-' + issue.key, text: issue.key })]),
            el('td', { 'data-testid': 'ticket-summary', text: f.summary || '' }),
            el('td', {}, [statusLozenge(f.status, 'ticket-status')]),
            el('td', { text: typeField ? optionText(f[typeField.fieldId]) : '' }),
            el('td', { text: riskField ? optionText(f[riskField.fieldId]) : '' }),
          ]),
        );
      });
      $('ticket-list-status').textContent = all.length + (all.length === 1 ? ' ticket' : ' tickets');
    });
  }

  function markSelectedRow() {
    Array.prototype.slice.call(document.querySelectorAll('[data-testid="ticket-row"]')).forEach(function (row) {
      var current = row.getAttribute('data-key') === app.issueKey;
      row.classList.toggle('selected', current);
      if (current) row.setAttribute('aria-current', 'true');
      else row.removeAttribute('aria-current');
    });
  }

  // ---- issue view

  function loadIssue(key, options) {
    var load = ++app.issueLoad;
    var view = $('issue-view');
    view.setAttribute('aria-busy', 'true');
    var path = '/rest/api/3/issue/' + encodeURIComponent(key);
    return Promise.all([
      api('GET', path + '?expand=changelog&properties=' + encodeURIComponent(config.evidenceProperty)),
      api('GET', path + '/transitions'),
    ]).then(function (results) {
      if (load !== app.issueLoad) return;
      view.setAttribute('aria-busy', 'false');
      var issueRes = results[0];
      var transRes = results[1];
      if (!issueRes.ok) {
        app.issue = null;
        renderIssueError(key, issueRes);
        return;
      }
      app.issue = issueRes.data;
      app.transitions = transRes.ok && transRes.data && Array.isArray(transRes.data.transitions) ? transRes.data.transitions : [];
      renderIssue(transRes.ok ? null : transRes);
      if (options && options.focus) {
        var heading = $('issue-heading');
        if (heading) heading.focus();
      }
    });
  }

  function renderIssueError(key, res) {
    var view = $('issue-view');
    clear(view);
    view.appendChild(
      el('div', { class: 'banner banner-error', role: 'alert', 'data-testid': 'issue-error' }, [
        el('p', { text: 'Could not open ' + key + ' (HTTP ' + res.status + ').' }),
        el(
          'ul',
          {},
          errorLines(res.data, fieldLabelOfId).map(function (line) {
            return el('li', { text: line });
          }),
        ),
      ]),
    );
  }

  function valueNode(field, value) {
    var shown = displayValue(field, value, app.users);
    var cls = field.type === 'richtext' ? 'value value-rich' : 'value';
    if (shown.empty) cls += ' muted';
    return el('dd', { class: cls, title: shown.title || null, 'data-testid': 'field-value-' + field.key }, [
      shown.text,
      shown.deactivated ? el('span', { class: 'tag tag-deactivated', 'data-testid': 'deactivated', text: 'deactivated' }) : null,
    ]);
  }

  function renderFields(fields) {
    var list = el('dl', { class: 'fields', 'data-testid': 'issue-fields' });
    config.fields.forEach(function (field) {
      var onSite = !app.siteFields || app.siteFields[field.fieldId];
      list.appendChild(
        el('div', { class: 'field-row', 'data-testid': 'field-' + field.key }, [
          el('dt', { text: field.label }),
          onSite ? valueNode(field, fields[field.fieldId]) : el('dd', { class: 'muted', text: 'Field ' + field.fieldId + ' is not on this site' }),
        ]),
      );
    });
    return list;
  }

  function personNode(author) {
    if (!author) return el('span', { class: 'person', text: 'Anonymous (automation)' });
    var u = userName(author, app.users);
    return el('span', { class: 'person' }, [u.name, u.deactivated ? el('span', { class: 'tag tag-deactivated', text: 'deactivated' }) : null]);
  }

  function renderHistory(changelog) {
    var histories = changelog && Array.isArray(changelog.histories) ? changelog.histories.slice() : [];
    histories.sort(function (a, b) {
      return (parseJiraTimestamp(b.created) || 0) - (parseJiraTimestamp(a.created) || 0) || Number(b.id) - Number(a.id);
    });
    if (!histories.length) return el('p', { class: 'muted', 'data-testid': 'history-empty', text: 'No changes recorded yet.' });
    return el(
      'ol',
      { class: 'history', 'data-testid': 'history' },
      histories.map(function (h) {
        return el('li', { class: 'history-entry', 'data-testid': 'history-entry' }, [
          el('p', { class: 'history-head' }, [
            personNode(h.author),
            ' changed ' + (h.items || []).length + (h.items && h.items.length === 1 ? ' field' : ' fields') + ' · ',
            el('time', { datetime: h.created, text: formatDateTime(h.created) }),
          ]),
          el(
            'ul',
            { class: 'history-items' },
            (h.items || []).map(function (item) {
              return el('li', { 'data-testid': 'history-item' }, [
                el('span', { class: 'history-field', text: item.field }),
                ': ',
                el('span', { class: item.fromString === null || item.fromString === undefined ? 'muted' : 'from', text: item.fromString == null ? 'None' : item.fromString }),
                ' → ',
                el('span', { class: item.toString === null || item.toString === undefined ? 'muted' : 'to', text: item.toString == null ? 'None' : item.toString }),
              ]);
            }),
          ),
        ]);
      }),
    );
  }

  function renderEvidence(property) {
    var wrap = el('div', { 'data-testid': 'evidence' });
    if (property === undefined || property === null) {
      wrap.appendChild(el('p', { class: 'muted', text: 'No evidence recorded yet (issue property ' + config.evidenceProperty + ' is not set).' }));
      return wrap;
    }
    var records = property && Array.isArray(property.records) ? property.records : null;
    if (records && records.length) {
      wrap.appendChild(
        el('table', { class: 'evidence-table' }, [
          el('thead', {}, [
            el(
              'tr',
              {},
              ['Step', 'Status', 'Who', 'When', 'Execution'].map(function (h) {
                return el('th', { scope: 'col', text: h });
              }),
            ),
          ]),
          el(
            'tbody',
            {},
            records.map(function (r) {
              var who = r.accountId ? personNode({ accountId: r.accountId }) : el('span', { class: 'muted', text: 'unknown' });
              return el('tr', { 'data-testid': 'evidence-record' }, [
                el('td', { text: r.edge || '' }),
                el('td', { text: (r.from || '?') + ' → ' + (r.to || '?') }),
                el('td', {}, [who]),
                el('td', {}, [el('time', { datetime: r.at || '', text: r.at ? formatDateTime(r.at) : '' })]),
                el('td', {}, [el('code', { text: r.executionId || '' })]),
              ]);
            }),
          ),
        ]),
      );
    }
    wrap.appendChild(
      el('details', { class: 'raw' }, [el('summary', { text: 'Raw property ' + config.evidenceProperty }), el('pre', { class: 'code', text: JSON.stringify(property, null, 2) })]),
    );
    return wrap;
  }

  function renderTransitions(error) {
    var group = el('div', {
      class: 'transitions',
      role: 'group',
      'aria-labelledby': 'transitions-heading',
      'data-testid': 'transitions',
      'data-acting-as': app.actingUser ? app.actingUser.displayName : '',
    });
    if (error) {
      group.appendChild(el('p', { class: 'muted', text: 'Could not load transitions (HTTP ' + error.status + ').' }));
    } else if (!app.transitions.length) {
      group.appendChild(el('p', { class: 'muted', 'data-testid': 'no-transitions', text: 'No transitions available to ' + (app.actingUser ? app.actingUser.displayName : 'you') + '.' }));
    }
    app.transitions.forEach(function (t) {
      group.appendChild(
        el('button', {
          type: 'button',
          class: 'button transition',
          'data-testid': 'transition-' + t.id,
          'data-transition-id': t.id,
          'data-to-status': t.to ? t.to.name : '',
          'aria-haspopup': t.hasScreen ? 'dialog' : null,
          text: t.name,
          onclick: function () {
            startTransition(t);
          },
        }),
      );
    });
    return group;
  }

  function renderIssue(transitionsError) {
    var issue = app.issue;
    var f = issue.fields || {};
    var view = $('issue-view');
    clear(view);
    var properties = issue.properties || {};
    view.appendChild(
      el('nav', { 'aria-label': 'Breadcrumb', class: 'crumbs' }, [el('a', { href: '#/', text: 'Change tickets' }), ' / ', el('span', { text: issue.key })]),
    );
    view.appendChild(
      el('h2', { id: 'issue-heading', tabindex: '-1', class: 'issue-heading' }, [
        el('span', { class: 'issue-key', 'data-testid': 'issue-key', text: issue.key }),
        ' ',
        el('span', { 'data-testid': 'issue-summary', text: f.summary || '' }),
      ]),
    );
    view.appendChild(
      el('div', { class: 'status-line' }, [el('span', { class: 'muted', text: 'Status ' }), statusLozenge(f.status, 'issue-status')]),
    );
    view.appendChild(
      el('section', { class: 'card', 'aria-labelledby': 'transitions-heading' }, [
        el('h3', { id: 'transitions-heading', text: 'Transitions for ' + (app.actingUser ? app.actingUser.displayName : 'you') }),
        renderTransitions(transitionsError),
      ]),
    );
    view.appendChild(el('section', { class: 'card', 'aria-labelledby': 'fields-heading' }, [el('h3', { id: 'fields-heading', text: 'CC8.1 fields' }), renderFields(f)]));
    view.appendChild(renderPanelSection(issue.key));
    view.appendChild(
      el('section', { class: 'card', 'aria-labelledby': 'evidence-heading' }, [
        el('h3', { id: 'evidence-heading', text: 'Evidence (' + config.evidenceProperty + ')' }),
        renderEvidence(properties[config.evidenceProperty]),
      ]),
    );
    view.appendChild(
      el('section', { class: 'card', 'aria-labelledby': 'history-heading' }, [
        el('h3', { id: 'history-heading', text: 'History (newest first)' }),
        renderHistory(issue.changelog),
      ]),
    );
  }

  // ---- the app's issue panel (Custom UI in an iframe, as Jira's issue view hosts it)

  /**
   * The "CC8.1 Change Control" panel: asks the sandbox for a jira:issuePanel session as the acting
   * user (the server builds the Forge context from the issue), then loads the panel's sandbox build
   * in an iframe sized to its content.
   */
  function renderPanelSection(issueKey) {
    var status = el('p', { class: 'muted', role: 'status', 'data-testid': 'issue-panel-status', text: 'Loading the CC8.1 Change Control panel\u2026' });
    var section = el('section', { class: 'card', 'aria-labelledby': 'issue-panel-heading', 'data-testid': 'issue-panel' }, [
      el('h3', { id: 'issue-panel-heading', text: 'CC8.1 Change Control' }),
      status,
    ]);
    var load = app.issueLoad;
    api('POST', '/sandbox/forge/sessions', { module: 'jira:issuePanel', issueKey: issueKey }).then(function (res) {
      if (load !== app.issueLoad) return;
      if (!res.ok || !res.data || typeof res.data.url !== 'string') {
        status.textContent = 'Could not open the CC8.1 panel (HTTP ' + res.status + ').';
        status.setAttribute('data-testid', 'issue-panel-error');
        return;
      }
      var frame = el('iframe', { class: 'issue-panel-frame', title: 'CC8.1 Change Control panel for ' + issueKey, 'data-testid': 'issue-panel-frame', src: res.data.url });
      frame.addEventListener('load', function () {
        status.remove();
        fitFrame(frame);
      });
      section.appendChild(frame);
    });
    return section;
  }

  /** Grows the iframe to its page's height (same origin), as Forge's iframe resizer does in Jira. */
  function fitFrame(frame) {
    var doc = frame.contentDocument;
    if (!doc || !doc.documentElement) return;
    var fit = function () {
      frame.style.height = Math.max(120, doc.documentElement.scrollHeight) + 'px';
    };
    fit();
    if (typeof ResizeObserver === 'function') new ResizeObserver(fit).observe(doc.body || doc.documentElement);
  }

  // ---- transition screen

  function screenFor(transition) {
    var from = app.issue && app.issue.fields && app.issue.fields.status ? app.issue.fields.status.name : null;
    var to = transition.to ? transition.to.name : null;
    return (
      config.screens.filter(function (s) {
        return s.from === from && s.to === to && s.name === transition.name;
      })[0] ||
      config.screens.filter(function (s) {
        return s.from === from && s.to === to;
      })[0] ||
      null
    );
  }

  function startTransition(transition) {
    clearFlags();
    if (!transition.hasScreen) {
      submitTransition(transition, {}, null);
      return;
    }
    openDialog(transition);
  }

  function inputFor(field, value, id, describedBy) {
    var initial = inputValue(field, value);
    var attrs = { id: id, name: field.key, 'data-field-key': field.key, 'data-initial': initial, 'aria-describedby': describedBy };
    var input;
    if (field.type === 'richtext') {
      input = el('textarea', Object.assign({ rows: '3' }, attrs));
      input.value = initial;
    } else if (field.type === 'option') {
      input = el('select', attrs, [el('option', { value: '', text: 'None' })]);
      (field.options || []).forEach(function (o) {
        input.appendChild(el('option', { value: o.value, text: o.label }));
      });
      input.value = initial;
    } else if (field.type === 'user') {
      input = el('select', attrs, [el('option', { value: '', text: 'Unassigned' })]);
      var listed = false;
      app.users.forEach(function (u) {
        if (!u.active && u.accountId !== initial) return;
        if (u.accountId === initial) listed = true;
        input.appendChild(el('option', { value: u.accountId, text: u.displayName + (u.active ? '' : ' (deactivated)') }));
      });
      if (initial && !listed) {
        var shown = userName(value, app.users);
        input.appendChild(el('option', { value: initial, text: shown.name + (shown.deactivated ? ' (deactivated)' : '') }));
      }
      input.value = initial;
    } else if (field.type === 'multiuser') {
      input = el('select', Object.assign({ multiple: 'multiple', size: '4' }, attrs));
      var chosen = initial ? initial.split(',') : [];
      app.users.forEach(function (u) {
        if (!u.active && chosen.indexOf(u.accountId) < 0) return;
        var option = el('option', { value: u.accountId, text: u.displayName + (u.active ? '' : ' (deactivated)') });
        option.selected = chosen.indexOf(u.accountId) >= 0;
        input.appendChild(option);
      });
    } else if (field.type === 'group') {
      input = el('select', attrs, [el('option', { value: '', text: 'None' })]);
      var groups = [];
      app.users.forEach(function (u) {
        (u.groups || []).forEach(function (g) {
          if (groups.indexOf(g) < 0) groups.push(g);
        });
      });
      if (initial && groups.indexOf(initial) < 0) groups.push(initial);
      groups.sort().forEach(function (g) {
        input.appendChild(el('option', { value: g, text: g }));
      });
      input.value = initial;
    } else if (field.type === 'date') {
      input = el('input', Object.assign({ type: 'date' }, attrs));
      input.value = initial;
    } else if (field.type === 'datetime') {
      input = el('input', Object.assign({ type: 'datetime-local', step: '60' }, attrs));
      input.value = initial;
    } else {
      input = el('input', Object.assign({ type: 'text', autocomplete: 'off' }, attrs));
      input.value = initial;
    }
    return input;
  }

  function openDialog(transition) {
    var dialog = $('transition-dialog');
    var screen = screenFor(transition);
    var keys = screen
      ? screen.fields
      : config.fields.map(function (f) {
          return f.key;
        });
    var required = screen ? screen.required : [];
    var from = app.issue.fields.status ? app.issue.fields.status.name : '?';
    app.dialog = { transition: transition };
    $('transition-title').textContent = transition.name + ' · ' + app.issue.key;
    $('transition-path').textContent = from + ' → ' + (transition.to ? transition.to.name : '?') + (screen ? '' : ' (no CC8.1 screen is known for this step: all fields shown)');
    $('transition-submit').textContent = transition.name;
    hideDialogError();
    var container = $('transition-fields');
    clear(container);
    keys.forEach(function (key) {
      var field = fieldsByKey[key];
      if (!field) return;
      var id = 'tf-' + key;
      var isRequired = required.indexOf(key) >= 0;
      var hints = [];
      if (field.type === 'labels') hints.push('Comma-separated; a name cannot contain spaces.');
      if (field.type === 'datetime') hints.push('Your local time.');
      if (field.type === 'components') hints.push("Comma-separated names of the project's components.");
      if (field.type === 'multiuser') hints.push('Any person chosen counts.');
      if (field.type === 'group') hints.push('Any member of the group counts.');
      var hintId = hints.length ? id + '-hint' : null;
      var errorId = id + '-error';
      var input = inputFor(field, app.issue.fields[field.fieldId], id, [hintId, errorId].filter(Boolean).join(' '));
      container.appendChild(
        el('div', { class: 'form-field', 'data-testid': 'screen-field-' + key }, [
          el('label', { for: id }, [field.label, isRequired ? el('span', { class: 'required', 'aria-hidden': 'true', text: ' *' }) : null]),
          isRequired ? el('span', { class: 'sr-only', text: ' (required for this step)' }) : null,
          input,
          hintId ? el('p', { id: hintId, class: 'hint', text: hints.join(' ') }) : null,
          el('p', { id: errorId, class: 'field-error', 'data-testid': 'field-error-' + key, hidden: true }),
        ]),
      );
    });
    if (!container.firstChild) container.appendChild(el('p', { class: 'muted', text: 'This step has no fields to fill in.' }));
    if (required.length) container.appendChild(el('p', { class: 'hint', text: '* required for this step' }));
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    var first = container.querySelector('input, select, textarea') || $('transition-submit');
    first.focus();
  }

  function closeDialog() {
    var dialog = $('transition-dialog');
    if (dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
    app.dialog = null;
  }

  function hideDialogError() {
    var box = $('transition-error');
    clear(box);
    box.hidden = true;
    Array.prototype.slice.call(document.querySelectorAll('#transition-fields .field-error')).forEach(function (p) {
      p.hidden = true;
      p.textContent = '';
    });
    Array.prototype.slice.call(document.querySelectorAll('#transition-fields [aria-invalid]')).forEach(function (input) {
      input.removeAttribute('aria-invalid');
    });
  }

  function showDialogError(title, lines, fieldErrors) {
    var box = $('transition-error');
    clear(box);
    box.appendChild(el('p', { class: 'banner-title', text: title }));
    box.appendChild(
      el(
        'ul',
        { 'data-testid': 'transition-error-messages' },
        lines.map(function (line) {
          return el('li', { text: line });
        }),
      ),
    );
    box.hidden = false;
    Object.keys(fieldErrors || {}).forEach(function (fieldId) {
      var field = fieldsById[fieldId];
      if (!field) return;
      var p = $('tf-' + field.key + '-error');
      var input = $('tf-' + field.key);
      if (p) {
        p.textContent = String(fieldErrors[fieldId]);
        p.hidden = false;
      }
      if (input) input.setAttribute('aria-invalid', 'true');
    });
  }

  /** An input's value; a multiple select's is its chosen values, comma-joined. */
  function readInput(input) {
    if (input.multiple) {
      return Array.prototype.slice
        .call(input.options)
        .filter(function (o) {
          return o.selected;
        })
        .map(function (o) {
          return o.value;
        })
        .join(',');
    }
    return input.value;
  }

  function collectFields() {
    var fields = {};
    Array.prototype.slice.call(document.querySelectorAll('#transition-fields [data-field-key]')).forEach(function (input) {
      var value = readInput(input);
      if (value === input.getAttribute('data-initial')) return; // unchanged: not sent
      var field = fieldsByKey[input.getAttribute('data-field-key')];
      fields[field.fieldId] = restValue(field, value);
    });
    return fields;
  }

  function submitTransition(transition, fields, dialogOpen) {
    var issueKey = app.issue.key;
    var submit = $('transition-submit');
    if (dialogOpen) {
      submit.disabled = true;
      hideDialogError();
    }
    var body = { transition: { id: transition.id } };
    if (Object.keys(fields).length) body.fields = fields;
    return api('POST', '/rest/api/3/issue/' + encodeURIComponent(issueKey) + '/transitions', body).then(function (res) {
      if (dialogOpen) submit.disabled = false;
      if (res.ok) {
        closeDialog();
        var to = transition.to ? transition.to.name : null;
        var message = transition.to && app.issue.fields.status && to !== app.issue.fields.status.name ? issueKey + ' moved to ' + to + '.' : transition.name + ' done on ' + issueKey + '.';
        return Promise.all([loadIssue(issueKey, { focus: true }), loadList()]).then(function () {
          showFlag('success', message, ['By ' + app.actingUser.displayName + '.'], 'flag-success');
        });
      }
      var lines = errorLines(res.data, fieldLabelOfId);
      if (!lines.length) lines = ['Jira answered HTTP ' + res.status + ' without a message.'];
      var title = transition.name + ' was not performed';
      if (dialogOpen) {
        showDialogError(title, lines, res.data && res.data.errors);
      } else {
        showFlag('error', title, lines, 'transition-error');
      }
      return null;
    });
  }

  function wireDialog() {
    $('transition-form').addEventListener('submit', function (event) {
      event.preventDefault();
      if (!app.dialog) return;
      submitTransition(app.dialog.transition, collectFields(), true);
    });
    $('transition-cancel').addEventListener('click', function () {
      closeDialog();
    });
    $('transition-dialog').addEventListener('close', function () {
      app.dialog = null;
    });
  }

  // ---- routing and start

  function route(options) {
    var m = /^#\/issue\/([^/?#]+)/.exec(window.location.hash || '');
    var key = m ? decodeURIComponent(m[1]) : null;
    app.issueKey = key;
    markSelectedRow();
    if (!key) {
      app.issue = null;
      var view = $('issue-view');
      clear(view);
      view.appendChild(
        el('div', { class: 'empty-state', 'data-testid': 'issue-empty' }, [
          el('h2', { text: 'No ticket selected' }),
          el('p', { text: 'Pick a change ticket from the list. The transitions you see are those the acting user may take.' }),
        ]),
      );
      return Promise.resolve();
    }
    return loadIssue(key, options);
  }

  function loadSiteFields() {
    return api('GET', '/rest/api/3/field').then(function (res) {
      if (!res.ok || !Array.isArray(res.data)) return;
      var byId = {};
      res.data.forEach(function (f) {
        byId[f.id] = f;
      });
      app.siteFields = byId;
    });
  }

  function start() {
    wireDialog();
    $('user-switcher').addEventListener('change', function (event) {
      setActingUser(event.target.value);
      closeDialog();
      clearFlags();
      showFlag('info', 'Now acting as ' + app.actingUser.displayName + '.', null, 'flag-info');
      loadList();
      if (app.issueKey) loadIssue(app.issueKey);
    });
    window.addEventListener('hashchange', function () {
      clearFlags();
      route({ focus: true });
    });
    loadUsers()
      .then(function () {
        return loadSiteFields();
      })
      .then(function () {
        return Promise.all([loadList(), route()]);
      })
      .then(function () {
        document.body.setAttribute('data-ready', 'true');
      })
      .catch(function (error) {
        showFlag('error', 'The sandbox UI could not start', [String(error && error.message ? error.message : error)], 'flag-error');
      });
  }

  start();
})(typeof window !== 'undefined' ? window : globalThis);
