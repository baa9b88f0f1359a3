// The accessibility and text-input layer: keeps a tree of real DOM elements over the portal's
// canvas in step with the semantics list the portal publishes (role, accessible name, value,
// state, rectangle in CSS pixels), the way Flutter's web engine keeps its semantics tree. Screen
// readers read these elements, Tab goes through them, phones raise the right keyboard for the
// real <input>s, password managers and one-time-code autofill fill them, and downloads are real
// <a href download> links. The canvas only paints; what happens on these elements goes back to
// the portal through onAction(kind, id, value): activate, setValue, submit, cancel, focus (value
// "pointer" for a click's or a tap's focus), blur.
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

  function focusVisible(el) {
    try {
      return el.matches(':focus-visible');
    } catch (e) {
      return true; // a browser without :focus-visible: as before, every focus scrolls
    }
  }

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
    var lastSeen = new Set(); // the ids the last update had
    var first = true; // the first tree: focus nothing (an embedded widget must not steal focus)
    var pending = []; // actions for the portal from the first screen, sent after that update
    // The library's row catalogue (rows()): every visible purchase has its list item with its
    // heading and its details (a text node) in the tree whether or not it is drawn, two elements
    // a purchase. Its controls (all of them: files toggle, Get download link, or Download and
    // Copy link) are made for the rows near those drawn, near the focus, and for the first and
    // last rows, so Tab and Shift+Tab always find the next row's controls made before they get
    // there (the focus moving into a row makes its neighbours' at once), and entering the list
    // from above or below lands on the first or last purchase. These elements are "persistent"
    // nodes: a frame that does not draw them leaves them in place, unplaced (1 px at the list's
    // corner, by CSS), and a frame that draws them places them (same ids, same elements, so the
    // focus stays).
    var catalogue = [],
      catalogueDirty = false;
    var rowIndex = new Map(); // 'row-<id>' -> its place in the catalogue
    var drawnRows = new Set(); // 'row-<id>' the last frame drew
    var withControls = new Set(); // 'row-<id>' whose catalogue controls are made
    var NEAR = 8; // rows either side of those drawn and of the focused one that get their controls

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
        // Escape on a button of something open (a download history) closes it.
        el.addEventListener('keydown', function (e) {
          if (e.key === 'Escape') onAction('cancel', item.id, '');
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
      // A focus the browser would not ring (a click or a tap: not :focus-visible) says so: the
      // portal must not scroll the widget then, or it moves away between press and release and
      // the click is lost. Tab, a screen reader and focus() scroll it into sight.
      el.addEventListener('focus', function () {
        onAction('focus', item.id, focusVisible(el) ? '' : 'pointer');
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
        node = { el: elementFor(item), data: null, live: false };
        nodes.set(item.id, node);
        apply(node, item);
      } else if (!node.live) {
        apply(node, item);
      }
      node.persistent = true;
      if (node.el.parentNode !== parentEl) parentEl.appendChild(node.el);
      return node;
    }

    // Unplaced: at its parent's corner, 1 px (.cx-node's own place), out of the drawn layout.
    function unplace(node) {
      node.el.removeAttribute('style');
      node.placed = null;
      node.live = false;
    }

    function removeNode(id) {
      var node = nodes.get(id);
      if (!node) return;
      node.el.remove();
      nodes.delete(id);
    }

    // A catalogue row as the page first gets it: the list item, its heading and its details, made
    // the light way (no listeners, no inline style: neither is focusable). The heading keeps the
    // id the frame draws it with; the details are the frame's own text elements while it is drawn.
    function makeRow(r, rid) {
      var li = document.createElement('li');
      li.className = 'cx-node cx-listitem';
      li.setAttribute('data-semantics-id', rid);
      var h = document.createElement('h2');
      h.className = 'cx-node cx-heading';
      h.setAttribute('data-semantics-id', 'name-' + r.id);
      h.textContent = r.heading;
      var text = document.createTextNode(r.details);
      li.appendChild(h);
      li.appendChild(text);
      var row = {
        el: li,
        data: { id: rid, role: 'listitem', parent: 'purchases' },
        persistent: true,
        live: false,
        text: text,
        summary: r,
        controls: [],
      };
      nodes.set(rid, row);
      nodes.set('name-' + r.id, {
        el: h,
        data: { id: 'name-' + r.id, role: 'heading', level: 2, name: r.heading, parent: rid },
        persistent: true,
        live: false,
        row: rid,
      });
      return row;
    }

    // A list item a frame drew before the catalogue had it (the library's first frame) becomes
    // the catalogue's, with what it holds.
    function adoptRow(row, r, rid) {
      row.text = document.createTextNode(row.live ? '' : r.details);
      row.el.appendChild(row.text);
      row.summary = r;
      row.controls = [];
      row.persistent = true;
      var hid = 'name-' + r.id,
        h = nodes.get(hid);
      if (!h) {
        h = {
          el: document.createElement('h2'),
          data: { id: hid, role: 'heading', level: 2, name: r.heading, parent: rid },
          live: false,
        };
        h.el.className = 'cx-node cx-heading';
        h.el.dataset.semanticsId = hid;
        h.el.textContent = r.heading;
        row.el.insertBefore(h.el, row.el.firstChild);
        nodes.set(hid, h);
      }
      h.persistent = true;
      h.row = rid;
    }

    function refreshRow(row, r) {
      var old = row.summary;
      row.summary = r;
      if (old.heading !== r.heading) {
        var h = nodes.get('name-' + r.id);
        if (h && !h.live) apply(h, { id: 'name-' + r.id, role: 'heading', level: 2, name: r.heading });
      }
      if (!row.live && row.text.data !== r.details) row.text.data = r.details;
      // A row drawn once says its place among all; a search moves it.
      if (row.el.hasAttribute('aria-posinset')) {
        row.el.setAttribute('aria-posinset', r.position);
        row.el.setAttribute('aria-setsize', r.setSize);
      }
    }

    function syncRows() {
      var listNode = nodes.get('purchases');
      if (!listNode && catalogue.length) return; // once the list is there
      catalogueDirty = false;
      var ul = listNode ? listNode.el : null,
        prev = null;
      var old = rowIndex;
      rowIndex = new Map();
      // Without the focus in the list, the rows go in as one fragment (the fast way for 10,000);
      // with it, only what is out of place moves (moving the focused element would drop it).
      var frag = ul && !ul.contains(document.activeElement) ? document.createDocumentFragment() : null;
      for (var i = 0; i < catalogue.length; i++) {
        var r = catalogue[i],
          rid = 'row-' + r.id;
        rowIndex.set(rid, i);
        var row = nodes.get(rid);
        if (!row) row = makeRow(r, rid);
        else if (!row.text) adoptRow(row, r, rid);
        else refreshRow(row, r);
        if (frag) {
          frag.appendChild(row.el);
        } else {
          var wanted = prev ? prev.nextSibling : ul.firstChild;
          if (wanted !== row.el) ul.insertBefore(row.el, wanted);
          prev = row.el;
        }
      }
      if (frag) ul.appendChild(frag);
      old.forEach(function (_, rid) {
        if (!rowIndex.has(rid)) dropRow(rid);
      });
      materialise();
    }

    // A purchase no longer listed (a search, a sign-out): its row and what the catalogue made in it.
    function dropRow(rid) {
      var row = nodes.get(rid);
      withControls.delete(rid);
      if (!row) return;
      (row.controls || []).forEach(removeNode);
      removeNode('name-' + rid.slice(4));
      row.el.remove();
      nodes.delete(rid);
    }

    // The row of an element of the layer ('row-<id>'), or null.
    function rowOf(el) {
      var li = el && el.closest ? el.closest('li.cx-listitem') : null;
      return li && li.dataset.semanticsId && rowIndex.has(li.dataset.semanticsId)
        ? li.dataset.semanticsId
        : null;
    }

    // Makes the controls of the rows near what is drawn and near the focus, and drops those of
    // rows no longer near (never an element holding the focus).
    function materialise() {
      var n = catalogue.length,
        near = new Set();
      function around(rid) {
        var i = rowIndex.get(rid);
        if (i === undefined) return;
        for (var k = Math.max(0, i - NEAR); k <= Math.min(n - 1, i + NEAR); k++) near.add(k);
      }
      if (n) {
        near.add(0);
        near.add(n - 1);
      }
      drawnRows.forEach(around);
      var active = document.activeElement,
        focusRow = rowOf(active);
      if (focusRow) around(focusRow);
      withControls.forEach(function (rid) {
        if (!near.has(rowIndex.get(rid))) dropControls(rid, active);
      });
      near.forEach(function (i) {
        makeControls(catalogue[i], active);
      });
    }

    function makeControls(r, active) {
      var rid = 'row-' + r.id,
        row = nodes.get(rid);
      if (!row) return;
      var ids = r.controls.map(function (c) {
        return c.id;
      });
      var refocus = null;
      row.controls.forEach(function (id) {
        if (ids.indexOf(id) >= 0) return;
        var was = nodes.get(id);
        if (!was) return;
        if (was.live) {
          was.persistent = false; // the frame still draws it; it goes when the frame does not
        } else {
          if (active && was.el.contains(active)) refocus = ids[0];
          removeNode(id);
        }
      });
      row.controls = ids;
      var after = row.text;
      r.controls.forEach(function (c) {
        var node = persistentNode(
          { id: c.id, role: c.role, name: c.name, value: c.href || c.value || '', parent: rid },
          row.el,
        );
        node.row = rid;
        // In the drawing's order while not drawn (a drawn row's frame orders its own).
        if (!row.live && after.nextSibling !== node.el && !node.el.contains(active))
          row.el.insertBefore(node.el, after.nextSibling);
        after = node.el;
      });
      if (ids.length) withControls.add(rid);
      if (refocus && nodes.get(refocus)) nodes.get(refocus).el.focus({ preventScroll: true });
    }

    function dropControls(rid, active) {
      var row = nodes.get(rid);
      withControls.delete(rid);
      if (!row || !row.controls) return;
      var keep = [];
      row.controls.forEach(function (id) {
        var node = nodes.get(id);
        if (!node) return;
        if (node.live || (active && node.el.contains(active))) keep.push(id);
        else removeNode(id);
      });
      row.controls = keep;
      if (keep.length) withControls.add(rid);
    }

    // Tab (or a screen reader moving the focus) into a row: its neighbours' controls now, before
    // the next Tab looks for them.
    root.addEventListener('focusin', function (e) {
      if (catalogue.length && rowOf(e.target)) materialise();
    });

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
      // Only what the last frame had can be stale (the catalogue's other rows are not touched).
      var leave = function (id) {
        var node = nodes.get(id);
        if (!node || ids.has(id)) return;
        if (node.persistent) {
          if (node.live) unplace(node);
        } else {
          node.el.remove();
          nodes.delete(id);
        }
      };
      lastSeen.forEach(leave);
      for (var i = 0; i < list.length; i++) {
        var item = list[i];
        if (item.role === 'label') continue; // its widget carries it as its name
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
      lastSeen.forEach(leave);
      lastSeen = seen;
      // The rows drawn now: their details are the frame's text elements, the others' their text
      // node; the controls follow what is drawn.
      var drawn = new Set();
      for (var d = 0; d < list.length; d++)
        if (list[d].role === 'listitem' && list[d].parent === 'purchases') drawn.add(list[d].id);
      var changed = [];
      drawnRows.forEach(function (rid) {
        if (!drawn.has(rid)) changed.push(rid);
      });
      drawn.forEach(function (rid) {
        if (!drawnRows.has(rid)) changed.push(rid);
      });
      drawnRows = drawn;
      changed.forEach(function (rid) {
        var row = nodes.get(rid);
        if (!row || !row.text) return;
        var text = row.live ? '' : row.summary.details;
        if (row.text.data !== text) row.text.data = text;
      });
      if (catalogue.length) materialise();
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
