// Starts the portal module on the standalone page. Runs first of the page's deferred scripts,
// before portal.js has arrived:
//  - the HTML first screen (#first) takes Enter and "Send code" at once; a submit made before the
//    module runs is kept (data-submitted) and handed to the module with the typed address by
//    portal-a11y.js when the module draws its first frame;
//  - on a magic link (?code=) or with a saved session the email screen is not what comes next,
//    so the first screen gives way to the loading state;
//  - reads portal.config.json beside the page (API base URL, org, theme: what a static
//    deployment sets), checks for WebAssembly and WebGL2 (a plain message when either is
//    missing), then runs the module once portal.js has run (DOMContentLoaded).
(function () {
  'use strict';
  var loading = document.getElementById('loading');
  var unsupported = document.getElementById('unsupported');
  var canvas = document.getElementById('canvas');
  var first = document.getElementById('first');

  function showLoading() {
    if (first) first.remove();
    first = null;
    loading.style.display = 'flex';
  }
  function fail() {
    if (first) first.remove();
    loading.style.display = 'none';
    unsupported.style.display = 'flex';
  }

  var params = new URLSearchParams(location.search);
  var saved = null;
  try {
    saved = window.localStorage.getItem('continuata.session');
  } catch (e) {}
  if (first && (params.get('code') || saved)) showLoading();
  if (first) {
    var input = first.querySelector('[data-semantics-id="email"]');
    var send = first.querySelector('[data-semantics-id="send"]');
    var submit = function () {
      if (!first || !first.hasAttribute('data-cx-first')) return; // the module has the screen
      first.setAttribute('data-submitted', '1');
      send.textContent = 'Sending…';
    };
    send.addEventListener('click', submit);
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') {
        e.preventDefault();
        submit();
      }
    });
  }

  // The file's values fill what the embedding page did not set in window.CONTINUATA_CONFIG; both
  // win over the URL's parameters, so a crafted link cannot point the portal at another API.
  function applyConfig(file) {
    var cfg = (window.CONTINUATA_CONFIG = window.CONTINUATA_CONFIG || {});
    Object.keys(file || {}).forEach(function (key) {
      if (cfg[key] === undefined && file[key] !== '' && file[key] !== null) cfg[key] = file[key];
    });
  }
  function start() {
    var hasWasm = typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function';
    var hasGl2 = !!document.createElement('canvas').getContext('webgl2');
    if (!hasWasm || !hasGl2 || typeof ContinuataPortal !== 'function') {
      fail();
      return;
    }
    // The canvas's backing store is the module's to size (its runner, before each frame).
    ContinuataPortal({ canvas: canvas }).then(function () {
      loading.style.display = 'none';
    }, fail);
  }
  // Relative to the page, so the folder works under any sub-path. A missing file is fine (the
  // API is then the page's own origin); a broken one is reported, and the defaults used.
  var config = fetch('portal.config.json', { cache: 'no-cache' })
    .then(function (r) {
      return r.ok ? r.json() : {};
    })
    .then(applyConfig, function (e) {
      console.warn('portal.config.json could not be read: ' + e.message);
    });
  // portal.js is a later deferred script: it has run by DOMContentLoaded (readyState is already
  // "interactive" while deferred scripts run, so that state says nothing).
  var parsed = new Promise(function (resolve) {
    if (document.readyState === 'complete') return resolve();
    document.addEventListener('DOMContentLoaded', resolve);
    window.addEventListener('load', resolve);
  });
  Promise.all([config, parsed]).then(start);
})();
