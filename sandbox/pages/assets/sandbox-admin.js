/*
 * /sandbox/admin: plays Jira's settings page for the app's jira:adminPage. Asks the sandbox for an
 * admin page session as the acting user (basic auth; the sandbox refuses anyone who is not a Jira
 * admin) and shows the app's page in an iframe sized to its content, as Forge's iframe resizer does.
 */
/* eslint no-undef: "error", no-unused-vars: "error" */
/* global window, document, fetch, btoa, ResizeObserver */
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('cc81-admin-config').textContent);
  var state = { users: [], actingUser: null, load: 0 };

  function $(id) {
    return document.getElementById(id);
  }

  function setStatus(text, testId, isError) {
    var status = $('admin-page-status');
    status.hidden = !text;
    status.textContent = text || '';
    status.className = isError ? 'banner banner-error' : 'muted';
    status.setAttribute('role', isError ? 'alert' : 'status');
    status.setAttribute('data-testid', testId);
  }

  function fitFrame(frame) {
    var doc = frame.contentDocument;
    if (!doc || !doc.documentElement) return;
    var fit = function () {
      frame.style.height = Math.max(400, doc.documentElement.scrollHeight) + 'px';
    };
    fit();
    if (typeof ResizeObserver === 'function') new ResizeObserver(fit).observe(doc.body || doc.documentElement);
  }

  function open() {
    var load = ++state.load;
    var slot = $('admin-page-slot');
    while (slot.firstChild) slot.removeChild(slot.firstChild);
    var user = state.actingUser;
    if (!user) return setStatus('Pick an active user.', 'admin-page-error', true);
    setStatus("Opening the app's settings\u2026", 'admin-page-status', false);
    fetch(config.sessions, {
      method: 'POST',
      credentials: 'omit',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: 'Basic ' + btoa(user.emailAddress + ':sandbox-api-token') },
      body: JSON.stringify({ module: config.module }),
    })
      .then(function (res) {
        return res.json().then(
          function (body) {
            return { status: res.status, body: body };
          },
          function () {
            return { status: res.status, body: null };
          },
        );
      })
      .then(function (res) {
        if (load !== state.load) return;
        if (res.status !== 201 || !res.body || typeof res.body.url !== 'string') {
          var why = res.body && res.body.errorMessages && res.body.errorMessages[0];
          return setStatus((why || 'The sandbox refused to open the app (HTTP ' + res.status + ').') + (res.status === 403 ? ' Act as a Jira admin (e.g. Adam Admin).' : ''), 'admin-page-refused', true);
        }
        var frame = document.createElement('iframe');
        frame.className = 'admin-page-frame';
        frame.title = 'CC8.1 Change Control settings (the app\u2019s admin page)';
        frame.setAttribute('data-testid', 'admin-page-frame');
        frame.src = res.body.url;
        frame.addEventListener('load', function () {
          setStatus('', 'admin-page-status', false);
          fitFrame(frame);
        });
        slot.appendChild(frame);
      })
      .catch(function () {
        if (load === state.load) setStatus('The sandbox did not answer. Is it still running?', 'admin-page-error', true);
      });
  }

  function setActingUser(accountId) {
    var users = window.CC81SandboxUsers;
    var user = users.activeUser(state.users, accountId);
    if (!user) return;
    state.actingUser = user;
    users.remember(user.accountId);
    $('acting-hint').textContent = users.roleText(user);
    $('acting-hint').setAttribute('data-acting-as', user.displayName);
    open();
  }

  window.CC81SandboxUsers.load().then(function (loaded) {
    state.users = loaded.users;
    if (loaded.initial) setActingUser(loaded.initial.accountId);
    window.CC81SandboxUsers.renderSwitcher($('user-switcher'), state.users, state.actingUser);
    if (!loaded.initial) open();
  });
  $('user-switcher').addEventListener('change', function (event) {
    setActingUser(event.target.value);
  });
})();
