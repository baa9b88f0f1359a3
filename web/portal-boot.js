// Starts the portal module on the standalone page: checks for WebAssembly and WebGL2 first and
// shows a plain message when either is missing, reads portal.config.json beside the page (API
// base URL, org, theme: what a static deployment sets), then runs the module and hides the
// loading state once it runs.
(function () {
  'use strict';
  var loading = document.getElementById('loading');
  var unsupported = document.getElementById('unsupported');
  var canvas = document.getElementById('canvas');
  function fail() {
    loading.style.display = 'none';
    unsupported.style.display = 'flex';
  }
  var hasWasm = typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function';
  var hasGl2 = !!document.createElement('canvas').getContext('webgl2');
  if (!hasWasm || !hasGl2 || typeof ContinuataPortal !== 'function') { fail(); return; }
  function fit() {
    var dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(canvas.clientWidth * dpr);
    canvas.height = Math.round(canvas.clientHeight * dpr);
  }
  // The file's values fill what the embedding page did not set in window.CONTINUATA_CONFIG; both
  // win over the URL's parameters, so a crafted link cannot point the portal at another API.
  function applyConfig(file) {
    var cfg = window.CONTINUATA_CONFIG = window.CONTINUATA_CONFIG || {};
    Object.keys(file || {}).forEach(function (key) {
      if (cfg[key] === undefined && file[key] !== '' && file[key] !== null) cfg[key] = file[key];
    });
  }
  function start() {
    fit();
    ContinuataPortal({ canvas: canvas }).then(function () {
      loading.style.display = 'none';
    }, fail);
  }
  // Relative to the page, so the folder works under any sub-path. A missing file is fine (the
  // API is then the page's own origin); a broken one is reported, and the defaults used.
  fetch('portal.config.json', { cache: 'no-cache' }).then(function (r) {
    return r.ok ? r.json() : {};
  }).then(applyConfig, function (e) {
    console.warn('portal.config.json could not be read: ' + e.message);
  }).then(start);
})();
