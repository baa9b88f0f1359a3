// The accessibility and text-input layer: keeps a tree of real DOM elements over the portal's
// canvas in step with the semantics list the portal publishes (role, accessible name, value,
// state, rectangle in CSS pixels), the way Flutter's web engine keeps its semantics tree. Screen
// readers read these elements, Tab goes through them, phones raise the right keyboard for the
// real <input>s, password managers and one-time-code autofill fill them, and downloads are real
// <a href download> links. The canvas only paints; what happens on these elements goes back to
// the portal through onAction(kind, id, value): activate, setValue, submit, cancel, focus, blur.
//
//   var layer = ContinuataA11y.create({ host, canvas, onAction });
//   layer.update(list);   // each frame whose semantics changed
//
// Nodes are keyed by id and touched only where a field changed: no rebuild of unchanged nodes.
//
// The page's HTML first screen (index.html's [data-cx-first]: elements carrying the ids the
// portal will publish) becomes this layer on the first update: its elements with a matching id
// and tag are kept, not replaced, so what was typed, the caret and the focus stay where they are
// (a phone keeps its keyboard up), and the typed address and a submit made before the module ran
// are passed on as actions. The rest of that screen (intro, label) goes: the canvas draws it now.
(function (global) {
  'use strict';

  var INPUT_KINDS = {
    email: { type: 'email', autocomplete: 'email', inputmode: 'email', name: 'email', spellcheck: 'false' },
    code: {
      type: 'text',
      autocomplete: 'one-time-code',
      inputmode: 'numeric',
      name: 'code',
      maxlength: '7',
      pattern: '[0-9 ]*',
    },
    search: { type: 'search', autocomplete: 'off', inputmode: 'search', name: 'search' },
  };
  var TAGS = {
    button: 'button',
    textbox: 'input',
    link: 'a',
    list: 'ul',
    listitem: 'li',
    status: 'div',
    alert: 'div',
    radiogroup: 'div',
    radio: 'input',
    text: 'div',
  };
  var radioGroups = 0;

  function create(options) {
    var host = options.host,
      canvas = options.canvas;
    var onAction = options.onAction || function () {};
    var firstScreen = host.querySelector('[data-cx-first]');
    var root = firstScreen || document.createElement('div');
    if (!firstScreen) {
      root.className = 'cx-semantics';
      host.appendChild(root);
    }
    var adoptable = new Map(); // id -> an element of the first screen, until the first update
    var nodes = new Map(); // id -> { el, data }
    var first = true; // the first tree: focus nothing (an embedded widget must not steal focus)
    var pending = []; // actions for the portal from the first screen, sent after that update
    // The library's row catalogue (rows()): every visible purchase has its list item, heading,
    // details and first control in the tree whether or not it is on screen. Those elements are
    // "persistent" nodes: a frame that does not draw them leaves them in place, unplaced (1 px
    // at the list's corner), and a frame that draws them places them (same ids, same elements,
    // so focus stays).
    var catalogue = [],
      catalogueDirty = false;

    // The wheel over an element goes to the canvas, so a list scrolls under its buttons too; if
    // the portal does not take it, the browser scrolls the page as usual.
    root.addEventListener(
      'wheel',
      function (e) {
        var copy = new WheelEvent('wheel', e);
        if (!canvas.dispatchEvent(copy)) e.preventDefault();
      },
      { passive: false },
    );

    function elementFor(item) {
      var tag =
        item.role === 'heading' ? 'h' + Math.min(6, Math.max(1, item.level || 1)) : TAGS[item.role] || 'div';
      var kept = adoptable.get(item.id);
      var el = kept && kept.tagName.toLowerCase() === tag ? kept : document.createElement(tag);
      adoptable.delete(item.id);
      if (el === kept) adopt(el, item);
      el.className = 'cx-node cx-' + item.role;
      el.dataset.semanticsId = item.id;
      if (item.role === 'button') {
        el.type = 'button';
        el.addEventListener('click', function () {
          onAction('activate', item.id, '');
        });
      } else if (item.role === 'textbox') {
        var kind = INPUT_KINDS[item.kind] || { type: 'text', autocomplete: 'off' };
        Object.keys(kind).forEach(function (k) {
          el.setAttribute(k, kind[k]);
        });
        el.addEventListener('input', function () {
          onAction('setValue', item.id, el.value);
        });
        el.addEventListener('keydown', function (e) {
          if (e.key === 'Enter') {
            e.preventDefault();
            onAction('submit', item.id, el.value);
          } else if (e.key === 'Escape') {
            onAction('cancel', item.id, '');
          }
        });
      } else if (item.role === 'link') {
        el.setAttribute('download', '');
        el.rel = 'noopener';
      } else if (item.role === 'radio') {
        el.type = 'radio';
        el.name = 'cx-' + (item.parent || 'radio');
        el.addEventListener('change', function () {
          if (el.checked) onAction('activate', item.id, '');
        });
      } else if (item.role === 'radiogroup') {
        el.setAttribute('role', 'radiogroup');
      } else if (item.role === 'img') {
        el.setAttribute('role', 'img');
      } else if (item.role === 'status' || item.role === 'alert') {
        el.setAttribute('role', item.role);
        el.setAttribute('aria-live', item.role === 'alert' ? 'assertive' : 'polite');
      }
      el.addEventListener('focus', function () {
        onAction('focus', item.id, '');
      });
      el.addEventListener('blur', function () {
        onAction('blur', item.id, '');
      });
      return el;
    }

    // A first-screen element taken over: what it holds goes to the portal once this update is done
    // (the value first, then the focus and an early submit, in the order the person made them).
    function adopt(el, item) {
      el.removeAttribute('id');
      el.removeAttribute('class');
      if (item.role === 'textbox') {
        if (el.value) {
          pending.push(['setValue', item.id, el.value]);
          el.dataset.pendingValue = el.value;
        }
        if (document.activeElement === el) pending.push(['focus', item.id, '']);
        if (root.getAttribute('data-submitted')) pending.push(['submit', item.id, el.value]);
      }
    }

    // Rectangles are in canvas pixels; an element inside another positioned one (a button in a
    // row, a row in the list) is placed relative to its parent's rectangle.
    function place(node, item, parentItem) {
      var x = item.x - (parentItem ? parentItem.x : 0),
        y = item.y - (parentItem ? parentItem.y : 0);
      var old = node.placed || {};
      if (old.x === x && old.y === y && old.w === item.w && old.h === item.h) return;
      var s = node.el.style;
      s.left = x + 'px';
      s.top = y + 'px';
      s.width = Math.max(1, item.w) + 'px';
      s.height = Math.max(1, item.h) + 'px';
      node.placed = { x: x, y: y, w: item.w, h: item.h };
    }

    function apply(node, item) {
      var el = node.el,
        old = node.data || {};
      if (old.name !== item.name) {
        if (['textbox', 'list', 'listitem', 'img', 'radio', 'radiogroup'].indexOf(item.role) >= 0)
          el.setAttribute('aria-label', item.name);
        else el.textContent = item.name;
      }
      // What the customer typed on the canvas side shows in the input; never while they type here,
      // nor before the portal has the value typed into the first screen.
      if (el.dataset.pendingValue !== undefined && el.dataset.pendingValue === (item.value || ''))
        delete el.dataset.pendingValue;
      if (
        item.role === 'textbox' &&
        el.value !== (item.value || '') &&
        document.activeElement !== el &&
        el.dataset.pendingValue === undefined
      )
        el.value = item.value || '';
      if (item.role === 'link' && old.value !== item.value) el.href = item.value || '#';
      if (item.role === 'radio' && el.checked !== !!item.checked) el.checked = !!item.checked;
      if (item.role === 'button' && old.value !== item.value) {
        if (item.value === 'expanded' || item.value === 'collapsed')
          el.setAttribute('aria-expanded', item.value === 'expanded' ? 'true' : 'false');
        else el.removeAttribute('aria-expanded');
      }
      if (item.setSize && (old.position !== item.position || old.setSize !== item.setSize)) {
        el.setAttribute('aria-posinset', item.position);
        el.setAttribute('aria-setsize', item.setSize);
      }
      // A focused button being disabled ("Getting link…") keeps the focus: aria-disabled, not
      // disabled (which would drop the focus to the page's body).
      if (item.role === 'button' && el.getAttribute('aria-disabled') === 'true' && !item.disabled) {
        el.removeAttribute('aria-disabled');
        el.disabled = false;
      }
      if (old.disabled !== item.disabled) {
        if (item.role === 'button' && item.disabled && document.activeElement === el)
          el.setAttribute('aria-disabled', 'true');
        else if (item.role === 'button') el.disabled = !!item.disabled;
        else if (item.disabled) el.setAttribute('aria-disabled', 'true');
        else el.removeAttribute('aria-disabled');
      }
      node.data = item;
    }

    // The first update: the first screen's elements become nodes where the portal has the same
    // ids; everything else of it goes, and it turns from a page into the layer over the canvas.
    function takeOverFirstScreen() {
      Array.prototype.forEach.call(root.querySelectorAll('[data-semantics-id]'), function (el) {
        adoptable.set(el.dataset.semanticsId, el);
      });
      Array.prototype.slice.call(root.childNodes).forEach(function (n) {
        if (!(n.dataset && adoptable.get(n.dataset.semanticsId) === n)) n.remove();
      });
      root.removeAttribute('id');
      root.removeAttribute('data-cx-first');
      root.className = 'cx-semantics';
    }

    // A node the catalogue keeps: made when missing, given its data unless a frame placed it.
    function persistentNode(item, parentEl) {
      var node = nodes.get(item.id);
      if (node && node.data.role !== item.role) {
        node.el.remove();
        node = null;
      }
      if (!node) {
        node = { el: elementFor(item), data: null };
        nodes.set(item.id, node);
        unplace(node);
        apply(node, item);
      } else if (!node.live) {
        apply(node, item);
      }
      node.persistent = true;
      if (node.el.parentNode !== parentEl) parentEl.appendChild(node.el);
      return node;
    }

    function unplace(node) {
      var s = node.el.style;
      s.left = '0px';
      s.top = '0px';
      s.width = '1px';
      s.height = '1px';
      node.placed = null;
      node.live = false;
    }

    function removeNode(id) {
      var node = nodes.get(id);
      if (!node) return;
      node.el.remove();
      nodes.delete(id);
    }

    function syncRows() {
      var listNode = nodes.get('purchases');
      if (!listNode && catalogue.length) return; // once the list is there
      catalogueDirty = false;
      var want = new Set(),
        refocus = null;
      var ul = listNode ? listNode.el : null,
        prev = null;
      for (var i = 0; i < catalogue.length; i++) {
        var r = catalogue[i],
          rid = 'row-' + r.id;
        want.add(rid);
        var row = persistentNode(
          {
            id: rid,
            role: 'listitem',
            name: r.heading,
            position: r.position,
            setSize: r.setSize,
            parent: 'purchases',
          },
          ul,
        );
        if (row.live) {
          row.el.setAttribute('aria-posinset', r.position);
          row.el.setAttribute('aria-setsize', r.setSize);
        }
        var wanted = prev ? prev.nextSibling : ul.firstChild;
        if (wanted !== row.el) ul.insertBefore(row.el, wanted);
        prev = row.el;
        var kids = [
          { id: 'name-' + r.id, role: 'heading', level: 2, name: r.heading, parent: rid },
          { id: 'details-' + r.id, role: 'text', name: r.details, parent: rid },
          {
            id: r.control.id,
            role: r.control.role,
            name: r.control.name,
            value: r.control.href || '',
            parent: rid,
          },
        ];
        var old = row.control;
        if (old && old !== r.control.id) {
          var was = nodes.get(old);
          if (was && document.activeElement === was.el) refocus = r.control.id;
          removeNode(old);
        }
        row.control = r.control.id;
        kids.forEach(function (k) {
          var n = persistentNode(k, row.el);
          n.row = rid;
        });
      }
      nodes.forEach(function (node, id) {
        if (node.persistent && !want.has(id) && !(node.row && want.has(node.row))) {
          node.el.remove();
          nodes.delete(id);
        }
      });
      if (refocus && nodes.get(refocus)) nodes.get(refocus).el.focus({ preventScroll: true });
    }

    function rows(list) {
      catalogue = list || [];
      catalogueDirty = true;
      syncRows();
    }

    function update(list) {
      if (first && firstScreen) takeOverFirstScreen();
      var seen = new Set(),
        byId = {};
      var lastIn = new Map(),
        focusNow = null; // per parent element: its last child placed so far
      // What this list no longer has goes first, so that nothing is moved past it below (moving
      // an element that holds the focus would drop the focus).
      var ids = new Set();
      for (var k = 0; k < list.length; k++) ids.add(list[k].id);
      if (catalogueDirty) syncRows();
      nodes.forEach(function (node, id) {
        if (ids.has(id)) return;
        if (node.persistent) {
          if (node.live) unplace(node);
        } else {
          node.el.remove();
          nodes.delete(id);
        }
      });
      for (var i = 0; i < list.length; i++) {
        var item = list[i];
        if (item.role === 'document') {
          // The page's language and title follow the portal's.
          if (document.documentElement.lang !== item.value) document.documentElement.lang = item.value;
          if (document.title !== item.name) document.title = item.name;
          continue;
        }
        byId[item.id] = item;
        seen.add(item.id);
        var node = nodes.get(item.id);
        if (!node || node.data.role !== item.role) {
          if (node) node.el.remove();
          node = { el: elementFor(item), data: null };
          nodes.set(item.id, node);
          if (item.focused && !first) focusNow = node.el; // a new screen's first field
        }
        apply(node, item);
        node.live = true;
        // The portal moves the focus on (to the Download link that replaced "Get download
        // link") when the page's focus went nowhere: on the body, or on an element now gone.
        var active = document.activeElement;
        if (
          item.focused &&
          !first &&
          !focusNow &&
          node.el !== active &&
          (!active || active === document.body || !active.isConnected)
        )
          focusNow = node.el;
        var parentNode = item.parent && nodes.get(item.parent);
        var parent = parentNode ? parentNode.el : root;
        place(node, item, parentNode ? byId[item.parent] : null);
        if (item.role === 'listitem' && item.parent === 'purchases' && catalogue.length) continue; // in catalogue order
        // Keep DOM order = semantics order (= Tab order), moving only what is out of place.
        var after = lastIn.get(parent) || null;
        var wanted = after ? after.nextSibling : parent.firstChild;
        if (wanted !== node.el) {
          // The focused element stays where it is: what is in its way moves instead.
          if (active && node.el.contains(active) && wanted) parent.insertBefore(wanted, node.el.nextSibling);
          else parent.insertBefore(node.el, wanted);
        }
        lastIn.set(parent, node.el);
      }
      if (catalogueDirty) syncRows();
      nodes.forEach(function (node, id) {
        if (seen.has(id)) return;
        if (node.persistent) {
          if (node.live) unplace(node);
        } else {
          node.el.remove();
          nodes.delete(id);
        }
      });
      adoptable.forEach(function (el) {
        el.remove();
      }); // ids this screen does not have
      adoptable.clear();
      if (focusNow) focusNow.focus({ preventScroll: true });
      first = false;
      if (pending.length) {
        var actions = pending;
        pending = [];
        // After the frame that published this list has returned to the browser.
        Promise.resolve().then(function () {
          actions.forEach(function (a) {
            onAction(a[0], a[1], a[2]);
          });
        });
      }
    }

    return { update: update, rows: rows, root: root };
  }

  global.ContinuataA11y = { create: create };
})(typeof window !== 'undefined' ? window : this);
