/*
 * The /sandbox/rules page's script: plain browser JavaScript, no dependencies, no build step.
 * Served by sandbox/pages at /sandbox/assets/sandbox-rules.js.
 *
 * It plays Jira's workflow editor for the CC8.1 rules: the acting user (the same switcher and
 * stored choice as the main page; basic auth as that user), and per transition a "Configure"
 * button that, for Jira admins, opens the app's rule config page (its sandbox build, with the
 * @forge/bridge shim) in an iframe inside a dialog with Add / Update and Cancel. Add / Update asks
 * the iframe's bridge (postMessage) to run the page's `onConfigure` callback; a string result is
 * saved with POST /sandbox/forge/rule-config, which installs it in the workflow engine.
 * All data goes into the page through textContent, never as HTML.
 */
/* eslint no-undef: "error", no-unused-vars: ["error", { "args": "none" }] */
/* global window, document, fetch, btoa, DOMParser, setTimeout, clearTimeout */
(function () {
  'use strict';

  var ADMINS_GROUP = 'jira-administrators';
  var HOST_SOURCE = 'cc81-sandbox-host';
  var BRIDGE_SOURCE = 'cc81-sandbox-bridge';
  var CONFIGURE_TIMEOUT_MS = 30000;

  var state = { users: [], actingUser: null, dialog: null, pending: {}, nextRequest: 1 };

  function $(id) {
    return document.getElementById(id);
  }

  function basicAuth(email) {
    return 'Basic ' + btoa(email + ':sandbox-api-token');
  }

  function isAdmin(user) {
    return !!user && user.active && (user.groups || []).indexOf(ADMINS_GROUP) >= 0;
  }

  // ---- acting user

  function renderSwitcher() {
    window.CC81SandboxUsers.renderSwitcher($('user-switcher'), state.users, state.actingUser);
  }

  function renderActing() {
    var hint = $('acting-hint');
    var user = state.actingUser;
    hint.setAttribute('data-acting-as', user ? user.displayName : '');
    hint.textContent = user ? (isAdmin(user) ? 'Jira admin: may configure rules' : 'Not a Jira admin') : 'No active user';
    var admin = isAdmin(user);
    Array.prototype.forEach.call(document.querySelectorAll('button.configure-rule'), function (button) {
      button.disabled = !admin;
      if (admin) button.removeAttribute('aria-describedby');
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-testid="configure-note"]'), function (note) {
      note.hidden = admin;
      note.textContent = user
        ? user.displayName + ' is not a Jira admin (group ' + ADMINS_GROUP + '), so they cannot configure workflow rules. Act as a Jira admin (e.g. Adam Admin) to configure them.'
        : 'Pick an active user to configure workflow rules.';
    });
  }

  function setActingUser(accountId) {
    var user = window.CC81SandboxUsers.activeUser(state.users, accountId);
    if (!user) return;
    state.actingUser = user;
    window.CC81SandboxUsers.remember(user.accountId);
    renderActing();
  }

  function loadUsers() {
    return window.CC81SandboxUsers.load()
      .then(function (loaded) {
        state.users = loaded.users;
        var initial = loaded.initial;
        if (initial) setActingUser(initial.accountId);
        renderSwitcher();
        renderActing();
      });
  }

  // ---- results

  function showResult(kind, title, lines) {
    var box = $('rule-config-result');
    while (box.firstChild) box.removeChild(box.firstChild);
    box.className = 'rule-config-result banner ' + (kind === 'error' ? 'banner-error' : 'banner-success');
    box.setAttribute('data-outcome', kind);
    var heading = document.createElement('p');
    heading.className = 'banner-title';
    heading.textContent = title;
    box.appendChild(heading);
    if (lines && lines.length) {
      var list = document.createElement('ul');
      lines.forEach(function (line) {
        var item = document.createElement('li');
        item.textContent = line;
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    box.hidden = false;
  }

  function showDialogError(message) {
    var box = $('rule-config-error');
    box.textContent = message;
    box.hidden = !message;
  }

  function errorMessageOf(body, status) {
    if (body && Array.isArray(body.errorMessages) && body.errorMessages.length) {
      var details = body.errors ? Object.keys(body.errors).map(function (k) { return k + ': ' + body.errors[k]; }) : [];
      return body.errorMessages.concat(details).join(' ');
    }
    return 'The sandbox answered ' + status + '.';
  }

  function postJson(path, body) {
    return fetch(path, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: basicAuth(state.actingUser.emailAddress) },
      body: JSON.stringify(body),
    }).then(function (res) {
      return res
        .json()
        .catch(function () {
          return null;
        })
        .then(function (json) {
          return { ok: res.ok, status: res.status, body: json };
        });
    });
  }

  /** Moves the result banner into the transition's section (under its heading) and scrolls to it. */
  function placeResultIn(transitionId) {
    var box = $('rule-config-result');
    var section = document.querySelector('section[data-testid="rule-transition"][data-transition-id="' + transitionId + '"]');
    var heading = section ? section.querySelector('h2') : null;
    if (!heading) return;
    heading.insertAdjacentElement('afterend', box);
    section.scrollIntoView({ block: 'start' });
  }

  /** Re-renders one transition's section from a fresh copy of this page (the installed rules changed). */
  function refreshSection(transitionId) {
    return fetch('/sandbox/rules', { headers: { Accept: 'text/html' } })
      .then(function (res) {
        return res.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html');
        var selector = 'section[data-testid="rule-transition"][data-transition-id="' + transitionId + '"]';
        var next = fresh.querySelector(selector);
        var current = document.querySelector(selector);
        var box = $('rule-config-result');
        // The result banner may sit in the section being replaced (an earlier save): keep it.
        if (current && current.contains(box)) $('main').insertBefore(box, $('main').firstChild);
        if (next && current) current.replaceWith(document.importNode(next, true));
        renderActing();
      });
  }

  // ---- the dialog

  function closeDialog() {
    var dialog = $('rule-config-dialog');
    if (dialog.open) dialog.close();
    $('rule-config-frame').setAttribute('src', 'about:blank');
    state.dialog = null;
  }

  function openDialog(button) {
    var transitionId = button.getAttribute('data-transition-id');
    var kind = button.getAttribute('data-kind');
    var part = Number(button.getAttribute('data-part') || '1');
    var section = button.closest('section');
    var heading = section ? section.querySelector('h2') : null;
    var transitionName = heading && heading.firstChild ? String(heading.firstChild.textContent).trim() : 'transition ' + transitionId;
    showDialogError('');
    postJson('/sandbox/forge/sessions', { transitionId: transitionId, kind: kind, part: part }).then(function (answer) {
      if (!answer.ok) {
        showResult('error', 'Could not open the rule config page', [errorMessageOf(answer.body, answer.status)]);
        return;
      }
      var entryPoint = answer.body.entryPoint;
      state.dialog = { transitionId: transitionId, kind: kind, part: part, entryPoint: entryPoint, ready: false, transitionName: transitionName };
      $('rule-config-title').textContent = (entryPoint === 'create' ? 'Add' : 'Update') + ' CC8.1 transition ' + kind + ': ' + transitionName;
      $('rule-config-path').textContent = 'Transition ' + transitionId + (part > 1 ? ', part ' + part : '') + '. The form below is the app\u2019s own page (Custom UI), running against this sandbox.';
      var save = $('rule-config-save');
      save.textContent = entryPoint === 'create' ? 'Add' : 'Update';
      save.disabled = true;
      save.removeAttribute('aria-busy');
      $('rule-config-frame').setAttribute('src', answer.body.url);
      var dialog = $('rule-config-dialog');
      if (!dialog.open) dialog.showModal();
    });
  }

  /** Asks the iframe's bridge to run the page's onConfigure callback; resolves with its answer. */
  function askConfigure() {
    var frame = $('rule-config-frame');
    var requestId = 'configure-' + state.nextRequest++;
    return new Promise(function (resolve) {
      var timer = setTimeout(function () {
        delete state.pending[requestId];
        resolve({ registered: true, error: 'The rule config page did not answer within ' + CONFIGURE_TIMEOUT_MS / 1000 + ' s.' });
      }, CONFIGURE_TIMEOUT_MS);
      state.pending[requestId] = function (message) {
        clearTimeout(timer);
        resolve(message);
      };
      frame.contentWindow.postMessage({ source: HOST_SOURCE, type: 'configure', requestId: requestId }, window.location.origin);
    });
  }

  function save() {
    var current = state.dialog;
    if (!current) return;
    var button = $('rule-config-save');
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    showDialogError('');
    askConfigure()
      .then(function (answer) {
        if (!answer.registered) {
          showDialogError('The rule config page has not registered its onConfigure callback yet (still loading, or it failed). Nothing was saved.');
          return;
        }
        if (answer.error) {
          showDialogError('The rule config page failed to produce a config: ' + answer.error);
          return;
        }
        if (typeof answer.result !== 'string') {
          // Jira keeps the dialog open when onConfigure returns no string; the page shows why.
          showDialogError('The rule config page did not save (its onConfigure returned nothing); see its message above.');
          return;
        }
        return postJson('/sandbox/forge/rule-config', { transitionId: current.transitionId, kind: current.kind, config: answer.result }).then(function (saved) {
          if (!saved.ok) {
            showDialogError('Jira refused the config: ' + errorMessageOf(saved.body, saved.status));
            return;
          }
          var installed = saved.body.installed;
          closeDialog();
          showResult(
            'success',
            'Installed the CC8.1 ' + current.kind + ' on ' + current.transitionName + ' (transition ' + current.transitionId + ')',
            [
              'Step: ' + installed.edge + (installed.parts > 1 ? ', part ' + installed.part + ' of ' + installed.parts : '') + '; policy version ' + installed.policyVersion + '.',
              'Jira now evaluates: ' + installed.expression,
            ].concat(saved.body.warnings || []),
          );
          return refreshSection(current.transitionId).then(function () {
            placeResultIn(current.transitionId);
          });
        });
      })
      .catch(function (error) {
        showDialogError('Saving failed: ' + (error && error.message ? error.message : String(error)));
      })
      .then(function () {
        button.removeAttribute('aria-busy');
        if (state.dialog) button.disabled = !state.dialog.ready;
      });
  }

  function onMessage(event) {
    var frame = $('rule-config-frame');
    if (event.origin !== window.location.origin || !frame || event.source !== frame.contentWindow) return;
    var data = event.data;
    if (!data || data.source !== BRIDGE_SOURCE) return;
    if (data.type === 'configure-ready' && state.dialog) {
      state.dialog.ready = true;
      $('rule-config-save').disabled = false;
    } else if (data.type === 'configure-result' && state.pending[data.requestId]) {
      var resolve = state.pending[data.requestId];
      delete state.pending[data.requestId];
      resolve(data);
    } else if (data.type === 'close') {
      closeDialog();
    }
  }

  function init() {
    window.addEventListener('message', onMessage);
    $('user-switcher').addEventListener('change', function (event) {
      setActingUser(event.target.value);
    });
    document.addEventListener('click', function (event) {
      var button = event.target && event.target.closest ? event.target.closest('button.configure-rule') : null;
      if (button && !button.disabled && isAdmin(state.actingUser)) openDialog(button);
    });
    $('rule-config-save').addEventListener('click', save);
    $('rule-config-cancel').addEventListener('click', closeDialog);
    $('rule-config-dialog').addEventListener('cancel', function () {
      closeDialog();
    });
    loadUsers()
      .catch(function () {
        showResult('error', 'Could not load the sandbox users', []);
      })
      .then(function () {
        document.body.setAttribute('data-ready', 'true');
      });
  }

  init();
})();
