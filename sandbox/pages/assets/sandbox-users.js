/* Shared by the sandbox pages: the demo users and who is acting, remembered in localStorage. */
/* eslint no-undef: "error", no-unused-vars: "error" */
/* global window, localStorage, fetch */
(function () {
  'use strict';
  var STORAGE_KEY = 'cc81.sandbox.actingAccountId';

  function activeUser(users, accountId) {
    return users.filter(function (u) {
      return u.accountId === accountId && u.active;
    })[0];
  }

  function remember(accountId) {
    try {
      localStorage.setItem(STORAGE_KEY, accountId);
    } catch {
      /* storage unavailable: the choice lasts for this page only */
    }
  }

  function stored() {
    try {
      return localStorage.getItem(STORAGE_KEY);
    } catch {
      return null;
    }
  }

  /** Resolves to { users, initial }: the remembered active user, else the first active one. */
  function load() {
    return fetch('/sandbox/api/users', { headers: { Accept: 'application/json' } })
      .then(function (res) {
        return res.json();
      })
      .then(function (users) {
        var initial = activeUser(users, stored()) || users.filter(function (u) { return u.active; })[0] || null;
        return { users: users, initial: initial };
      });
  }

  /** What the switcher shows after a user's name: the demo role, else their groups. */
  function roleText(user) {
    if (!user.active) return 'deactivated';
    if (user.role) return user.role;
    var groups = (user.groups || []).filter(function (g) {
      return g !== 'jira-users';
    });
    return groups.length ? groups.join(', ') : 'user';
  }

  /** Fills the "Acting as" select: every user, deactivated ones disabled, the acting one selected. */
  function renderSwitcher(select, users, actingUser) {
    while (select.firstChild) select.removeChild(select.firstChild);
    users.forEach(function (user) {
      var option = select.ownerDocument.createElement('option');
      option.value = user.accountId;
      option.disabled = !user.active;
      option.textContent = user.displayName + ' \u2014 ' + roleText(user);
      option.selected = !!actingUser && actingUser.accountId === user.accountId;
      select.appendChild(option);
    });
  }

  window.CC81SandboxUsers = { load: load, remember: remember, activeUser: activeUser, roleText: roleText, renderSwitcher: renderSwitcher };
})();
