// The page around the canvas (an emcc --js-library): the page's configuration, what the
// browser says about the reader (text size, light/dark, live), the canvas's touch-action, and
// asking for a frame when the canvas's CSS size or the zoom changes (the runner, not this file,
// sizes the canvas's backing store: platform_web_runner.cpp).
mergeInto(LibraryManager.library, {
  // Each page option (the keys of assets/page_options.json, given by the C++ side) from
  // window.CONTINUATA_CONFIG, else the page URL's parameters (the embed loader's iframe), else
  // data-<key> on the canvas's container; email/code from the magic link.
  cx_page_config__deps: ['malloc'],
  cx_page_config: function (keysPtr) {
    var cfg = window.CONTINUATA_CONFIG || {};
    var params = new URLSearchParams(window.location.search);
    var canvas = Module['canvas'];
    var host = canvas && canvas.closest ? canvas.closest('[data-api],[data-org]') : null;
    function pick(key) {
      if (cfg[key] !== undefined && cfg[key] !== null) return String(cfg[key]);
      if (params.get(key)) return params.get(key);
      return (host && host.getAttribute('data-' + key)) || '';
    }
    var options = {};
    UTF8ToString(keysPtr)
      .split(',')
      .forEach(function (key) {
        options[key] = pick(key);
      });
    var out = {
      options: options,
      email: params.get('email') || '',
      code: params.get('code') || '',
      browserLanguage: navigator.language || '',
      prefersDark: !!(window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches),
      coarsePointer: !!(window.matchMedia && window.matchMedia('(pointer: coarse)').matches),
    };
    return allocateUTF8(JSON.stringify(out));
  },

  // A frame when the container or the zoom changes; the live light/dark switch.
  cx_install_page_hooks: function () {
    var canvas = Module['canvas'];
    function resized() {
      _portal_request_frame();
    }
    if (window.ResizeObserver) new ResizeObserver(resized).observe(canvas);
    window.addEventListener('resize', resized);
    // touchstart's preventDefault (no emulated mouse events) also stops the browser focusing the
    // canvas, so keys would go elsewhere: focus it by hand.
    canvas.addEventListener(
      'touchstart',
      function () {
        canvas.focus({ preventScroll: true });
      },
      { passive: true },
    );
    // The system's light/dark switch, live: the portal follows it when its theme is "auto".
    if (window.matchMedia) {
      var scheme = window.matchMedia('(prefers-color-scheme: dark)');
      var changed = function (e) {
        _portal_color_scheme_changed(e.matches ? 1 : 0);
      };
      if (scheme.addEventListener) scheme.addEventListener('change', changed);
      else if (scheme.addListener) scheme.addListener(changed);
    }
  },

  // The reader's text size: browsers map the OS/browser text-size setting to the root font size.
  cx_text_scale: function () {
    var px = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    return Math.max(0.75, Math.min(3, px / 16));
  },

  cx_set_touch_scrolls_page: function (yes) {
    var canvas = Module['canvas'];
    if (canvas) canvas.style.touchAction = yes ? 'pan-y' : 'none';
  },

  // Inside the embed loader's iframe: tell the seller's page how tall the portal wants to be, so
  // the iframe fits its content. A height is not a secret, so any parent may read it.
  cx_report_content_height: function (px) {
    if (window.parent === window) return;
    window.parent.postMessage({ type: 'continuata:size', height: px }, '*');
  },
});
