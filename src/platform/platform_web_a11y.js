// The accessibility layer's wiring (an emcc --js-library): web/portal-a11y.js, loaded by the page
// before portal.js, keeps real elements over the canvas for screen readers, Tab, phone keyboards
// and autofill; this creates it over the canvas, hands its actions to the portal
// (portal_a11y_action) and gives it each semantics list that changed.
mergeInto(LibraryManager.library, {
  cx_a11y_install__deps: ['free', 'malloc'],
  cx_a11y_install: function () {
    if (!window.ContinuataA11y) return;
    var canvas = Module['canvas'];
    Module['a11y'] = window.ContinuataA11y.create({
      host: canvas.parentNode,
      canvas: canvas,
      onAction: function (kind, id, value) {
        var k = allocateUTF8(kind),
          i = allocateUTF8(id),
          v = allocateUTF8(value || '');
        _portal_a11y_action(k, i, v);
        _free(k);
        _free(i);
        _free(v);
      },
    });
  },

  // The library's row catalogue, when it changed (never while scrolling): every visible purchase
  // in the page's tree and Tab order, on screen or not. Timed for the tests and the benchmark:
  // rowsParseMs is the parse, rowsMs the parse and the layer's work; rowsSettledMs runs on to the end of this frame
  // (called inside the frame's requestAnimationFrame, so a task posted now runs after the
  // browser's style, layout and paint of the new elements).
  cx_a11y_rows: function (rowsPtr) {
    var state = window.__continuata || (window.__continuata = { frames: 0, semantics: [] });
    var started = performance.now();
    state.rows = JSON.parse(UTF8ToString(rowsPtr));
    state.rowsParseMs = performance.now() - started;
    if (Module['a11y']) Module['a11y'].rows(state.rows);
    state.rowsMs = performance.now() - started;
    var publication = (state.rowsPublications = (state.rowsPublications || 0) + 1);
    setTimeout(function () {
      if (state.rowsPublications === publication) state.rowsSettledMs = performance.now() - started;
    }, 0);
  },

  // A semantics list that changed: parsed once, for the layer and for the page's tests.
  cx_a11y_update: function (semanticsPtr) {
    var state = window.__continuata || (window.__continuata = { frames: 0, semantics: [] });
    state.semantics = JSON.parse(UTF8ToString(semanticsPtr));
    if (Module['a11y']) Module['a11y'].update(state.semantics);
    if (state.onSemantics) state.onSemantics(state.semantics);
  },
});
