// What the portal tells the page about itself for the browser tests and benchmarks (an emcc
// --js-library), on window.__continuata: frames drawn and CPU time per frame (the idle and
// 10,000-row benchmarks), and the scripts the font covers. The semantics list is published
// there too, by platform_web_a11y.js.
mergeInto(LibraryManager.library, {
  // From the module's start (before its first frame), the page can tell it is running.
  cx_publish_start: function () {
    window.__continuata = window.__continuata || { frames: 0, semantics: [] };
  },

  // Which scripts beyond Latin the font has rasterised (tests check it grew to the data's).
  cx_publish_font_scripts: function (bits) {
    var state = window.__continuata || (window.__continuata = { frames: 0, semantics: [] });
    state.fontScripts = { greek: !!(bits & 1), cyrillic: !!(bits & 2) };
  },

  cx_publish_frame: function (frames, frameMs, uiMs) {
    var state = window.__continuata || (window.__continuata = { frames: 0, semantics: [] });
    state.frames = frames;
    state.frameTimes = state.frameTimes || [];
    state.uiTimes = state.uiTimes || [];
    if (state.frameTimes.length < 100000) {
      state.frameTimes.push(frameMs);
      state.uiTimes.push(uiMs);
    }
  },
});
