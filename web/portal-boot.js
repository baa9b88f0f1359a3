// Starts the portal module on the standalone page: checks for WebAssembly and WebGL2 first and
// shows a plain message when either is missing, hides the loading state once the module runs.
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
  fit();
  ContinuataPortal({ canvas: canvas }).then(function () {
    loading.style.display = 'none';
  }, fail);
})();
