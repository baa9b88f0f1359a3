// The accessibility and text-input bridge: keeps a tree of real DOM elements over the portal's
// canvas in step with the semantics list the portal publishes (role, accessible name, value,
// state, rectangle in CSS pixels), the way Flutter's web engine keeps its semantics tree. Screen
// readers read these elements, the keyboard tabs through them, phones raise the right keyboard
// for the real <input>s, password managers and one-time-code autofill fill them, and downloads
// are real <a href download> links. Actions on them go back to the portal through onAction.
//
//   const bridge = ContinuataA11y.create({ host, onAction(kind, id, value) });
//   bridge.update(list);   // each frame whose semantics changed
//
// Nodes are keyed by id and only touched when a field changed: no rebuild of unchanged nodes.
(function (global) {
  'use strict';

  var INPUT_KINDS = {
    email: { type: 'email', autocomplete: 'email', inputmode: 'email', name: 'email' },
    code: { type: 'text', autocomplete: 'one-time-code', inputmode: 'numeric', name: 'code', maxlength: '6' },
    search: { type: 'search', autocomplete: 'off', inputmode: 'search', name: 'search' },
  };

  function create(options) {
    var host = options.host;
    var onAction = options.onAction || function () {};
    var root = document.createElement('div');
    root.className = 'continuata-a11y';
    root.style.cssText = 'position:absolute;inset:0;overflow:hidden;pointer-events:none;';
    host.appendChild(root);
    var nodes = new Map();  // id -> { el, data }

    function elementFor(item) {
      var el;
      switch (item.role) {
        case 'button':
          el = document.createElement('button');
          el.type = 'button';
          el.addEventListener('click', function () { onAction('activate', item.id, ''); });
          break;
        case 'textbox':
          el = document.createElement('input');
          var kind = INPUT_KINDS[item.kind] || { type: 'text', autocomplete: 'off' };
          Object.keys(kind).forEach(function (k) { el.setAttribute(k, kind[k]); });
          el.addEventListener('input', function () { onAction('setValue', item.id, el.value); });
          el.addEventListener('keydown', function (e) {
            if (e.key === 'Enter') { e.preventDefault(); onAction('submit', item.id, el.value); }
            else if (e.key === 'Escape') { onAction('cancel', item.id, ''); }
          });
          break;
        case 'link':
          el = document.createElement('a');
          el.setAttribute('download', '');
          el.rel = 'noopener';
          break;
        case 'heading':
          el = document.createElement('h' + Math.min(6, Math.max(1, item.level || 1)));
          break;
        case 'list':
          el = document.createElement('ul');
          break;
        case 'listitem':
          el = document.createElement('li');
          break;
        case 'status':
        case 'alert':
          el = document.createElement('div');
          el.setAttribute('role', item.role);
          el.setAttribute('aria-live', item.role === 'alert' ? 'assertive' : 'polite');
          break;
        default:
          el = document.createElement('div');
      }
      el.dataset.semanticsId = item.id;
      el.className = 'continuata-a11y-node';
      // Transparent over the widget the canvas draws; text fields and links take the pointer so
      // typing, paste, autofill, "copy link address" and middle-click are the browser's own.
      var interactive = item.role === 'textbox' || item.role === 'link';
      el.style.cssText = 'position:absolute;margin:0;padding:0;border:0;background:transparent;' +
        'color:transparent;caret-color:transparent;font-size:16px;opacity:' + (interactive ? '0.01' : '0') +
        ';pointer-events:' + (interactive ? 'auto' : 'none') + ';overflow:hidden;white-space:nowrap;';
      el.addEventListener('focus', function () { onAction('focus', item.id, ''); });
      el.addEventListener('blur', function () { onAction('blur', item.id, ''); });
      return el;
    }

    function apply(node, item) {
      var el = node.el, old = node.data || {};
      if (old.name !== item.name) {
        if (item.role === 'textbox') el.setAttribute('aria-label', item.name);
        else if (item.role === 'listitem' || item.role === 'list') el.setAttribute('aria-label', item.name);
        else el.textContent = item.name;
      }
      if (item.role === 'textbox' && el.value !== (item.value || '') && document.activeElement !== el)
        el.value = item.value || '';
      if (item.role === 'link' && old.value !== item.value) el.href = item.value || '#';
      if (old.disabled !== item.disabled) {
        if (item.role === 'button') el.disabled = !!item.disabled;
        else if (item.disabled) el.setAttribute('aria-disabled', 'true');
        else el.removeAttribute('aria-disabled');
      }
      if (old.x !== item.x || old.y !== item.y || old.w !== item.w || old.h !== item.h) {
        el.style.left = item.x + 'px';
        el.style.top = item.y + 'px';
        el.style.width = Math.max(1, item.w) + 'px';
        el.style.height = Math.max(1, item.h) + 'px';
      }
      node.data = item;
    }

    function update(list) {
      var seen = new Set();
      var previousEl = null;
      for (var i = 0; i < list.length; i++) {
        var item = list[i];
        seen.add(item.id);
        var node = nodes.get(item.id);
        if (!node || node.data.role !== item.role) {
          if (node) node.el.remove();
          node = { el: elementFor(item), data: null };
          nodes.set(item.id, node);
        }
        apply(node, item);
        var parent = (item.parent && nodes.get(item.parent)) ? nodes.get(item.parent).el : root;
        // Keep DOM order = semantics order (= Tab order), moving only what is out of place.
        if (node.el.parentNode !== parent || (previousEl && previousEl.parentNode === parent &&
            previousEl.nextSibling !== node.el)) {
          if (previousEl && previousEl.parentNode === parent) parent.insertBefore(node.el, previousEl.nextSibling);
          else parent.appendChild(node.el);
        }
        previousEl = node.el;
      }
      nodes.forEach(function (node, id) {
        if (!seen.has(id)) { node.el.remove(); nodes.delete(id); }
      });
    }

    function focus(id) {
      var node = nodes.get(id);
      if (node && document.activeElement !== node.el) node.el.focus({ preventScroll: true });
    }

    return { update: update, focus: focus, root: root,
      destroy: function () { root.remove(); nodes.clear(); } };
  }

  global.ContinuataA11y = { create: create };
})(typeof window !== 'undefined' ? window : this);
