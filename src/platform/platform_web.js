// The browser half of the platform layer (an emcc --js-library): fetch() with a timeout and
// failures told apart, localStorage, the clipboard, downloads, the page's configuration, and
// publishing the semantics list. Results go back to C++ through exported functions.
mergeInto(LibraryManager.library, {
  cx_http_send__deps: ['free', 'malloc'],
  cx_http_send: function (id, methodPtr, urlPtr, bodyPtr, bearerPtr, timeoutMs) {
    var method = UTF8ToString(methodPtr), url = UTF8ToString(urlPtr);
    var body = UTF8ToString(bodyPtr), bearer = UTF8ToString(bearerPtr);
    var headers = {};
    if (body) headers['Content-Type'] = 'application/json';
    if (bearer) headers['Authorization'] = 'Bearer ' + bearer;
    var controller = new AbortController();
    var timedOut = false;
    var timer = setTimeout(function () { timedOut = true; controller.abort(); }, timeoutMs);
    // failure: 0 none, 1 offline, 2 timeout, 3 blocked (CORS or aborted)
    function done(status, text, retryAfter, failure) {
      clearTimeout(timer);
      var b = allocateUTF8(text || ''), r = allocateUTF8(retryAfter || '');
      _portal_http_done(id, status, b, r, failure);
      _free(b);
      _free(r);
    }
    fetch(url, { method: method, headers: headers, body: body || undefined, signal: controller.signal,
                 cache: 'no-store', credentials: 'omit' })
      .then(function (res) {
        return res.text().then(function (text) { done(res.status, text, res.headers.get('Retry-After'), 0); });
      })
      .catch(function () {
        if (timedOut) return done(0, '', '', 2);
        if (navigator.onLine === false) return done(0, '', '', 1);
        // fetch() says only "TypeError" for a refused connection and for a CORS refusal alike. A
        // no-cors probe of the same URL tells them apart: it succeeds when the server answered.
        fetch(url, { method: 'HEAD', mode: 'no-cors', cache: 'no-store' })
          .then(function () { done(0, '', '', 3); }, function () { done(0, '', '', 1); });
      });
  },

  cx_storage_get__deps: ['malloc'],
  cx_storage_get: function (keyPtr) {
    try {
      var v = window.localStorage.getItem(UTF8ToString(keyPtr));
      return v === null ? 0 : allocateUTF8(v);
    } catch (e) { return 0; }
  },
  cx_storage_set: function (keyPtr, valuePtr) {
    try { window.localStorage.setItem(UTF8ToString(keyPtr), UTF8ToString(valuePtr)); } catch (e) {}
  },
  cx_storage_remove: function (keyPtr) {
    try { window.localStorage.removeItem(UTF8ToString(keyPtr)); } catch (e) {}
  },

  cx_clipboard_write: function (id, textPtr) {
    var text = UTF8ToString(textPtr);
    function fallback() {
      var had = document.activeElement;  // the Copy link button keeps the focus afterwards
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.cssText = 'position:fixed;left:-9999px;top:0';
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) {}
      area.remove();
      if (had && had.focus) had.focus({ preventScroll: true });
      return ok;
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { _portal_clipboard_done(id, 1); },
        function () { _portal_clipboard_done(id, fallback() ? 1 : 0); });
    } else {
      var ok = fallback();
      setTimeout(function () { _portal_clipboard_done(id, ok ? 1 : 0); }, 0);
    }
  },

  // A real <a download> clicked for the user: the browser's own download, no popup to block.
  cx_open_url: function (urlPtr) {
    var a = document.createElement('a');
    a.href = UTF8ToString(urlPtr);
    a.setAttribute('download', '');
    a.rel = 'noopener';
    a.style.display = 'none';
    document.body.appendChild(a);
    a.click();
    a.remove();
  },

  // window.CONTINUATA_CONFIG, else the page URL's api/org (the embed loader's iframe), else
  // data-api/data-org on the canvas's container; email/code from the magic link.
  cx_page_config__deps: ['malloc'],
  cx_page_config: function () {
    var cfg = window.CONTINUATA_CONFIG || {};
    var params = new URLSearchParams(window.location.search);
    var canvas = Module['canvas'];
    var host = canvas && canvas.closest ? canvas.closest('[data-api],[data-org]') : null;
    function pick(key) {
      if (cfg[key] !== undefined && cfg[key] !== null) return String(cfg[key]);
      if (params.get(key)) return params.get(key);
      return host && host.getAttribute('data-' + key) || '';
    }
    var out = {
      api: pick('api').replace(/\/+$/, ''),
      org: pick('org'),
      email: params.get('email') || '',
      code: params.get('code') || '',
      lang: pick('lang') || navigator.language || 'en',
      accent: pick('accent'),
      theme: pick('theme'),
      radius: pick('radius'),
      name: pick('name'),
      logo: pick('logo'),
      prefersDark: !!(window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches),
    };
    return allocateUTF8(JSON.stringify(out));
  },

  cx_clear_url_params: function () {
    try {
      var url = new URL(window.location.href);
      url.searchParams.delete('email');
      url.searchParams.delete('code');
      window.history.replaceState(window.history.state, '', url.toString());
    } catch (e) {}
  },

  // Keeps the canvas's backing store at CSS size × devicePixelRatio and asks for a frame when
  // the container or the zoom changes. (Text, paste and IME go to the real inputs of portal-a11y.js.)
  cx_install_page_hooks__deps: ['free', 'malloc'],
  cx_install_page_hooks: function () {
    var canvas = Module['canvas'];
    function fit() {
      var dpr = window.devicePixelRatio || 1;
      var w = Math.max(1, Math.round(canvas.clientWidth * dpr)), h = Math.max(1, Math.round(canvas.clientHeight * dpr));
      if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
      _portal_request_frame();
    }
    if (window.ResizeObserver) new ResizeObserver(fit).observe(canvas);
    window.addEventListener('resize', fit);
    fit();
    // touchstart's preventDefault (no emulated mouse events) also stops the browser focusing the
    // canvas, so keys would go elsewhere: focus it by hand.
    canvas.addEventListener('touchstart', function () { canvas.focus({ preventScroll: true }); }, { passive: true });
    // The system's light/dark switch, live: the portal follows it when its theme is "auto".
    if (window.matchMedia) {
      var scheme = window.matchMedia('(prefers-color-scheme: dark)');
      var changed = function (e) { _portal_color_scheme_changed(e.matches ? 1 : 0); };
      if (scheme.addEventListener) scheme.addEventListener('change', changed);
      else if (scheme.addListener) scheme.addListener(changed);
    }
    // The accessibility layer (web/portal-a11y.js, loaded by the page before portal.js): real
    // elements over the canvas for screen readers, Tab, phone keyboards and autofill.
    if (window.ContinuataA11y) {
      Module['a11y'] = window.ContinuataA11y.create({
        host: canvas.parentNode, canvas: canvas,
        onAction: function (kind, id, value) {
          var k = allocateUTF8(kind), i = allocateUTF8(id), v = allocateUTF8(value || '');
          _portal_a11y_action(k, i, v);
          _free(k); _free(i); _free(v);
        },
      });
    }
    window.__continuata = window.__continuata || { frames: 0, semantics: [] };
  },

  // The seller's logo into a WebGL texture of the portal's context, registered in Emscripten's
  // GL table so ImGui's renderer can bind it by id. Cross-origin images need CORS (the browser
  // would not let WebGL read them otherwise); a failure leaves the name alone on screen.
  cx_load_image__deps: ['$GL'],
  cx_load_image: function (id, urlPtr) {
    var url = UTF8ToString(urlPtr);
    var img = new Image();
    img.crossOrigin = 'anonymous';
    img.onload = function () {
      var gl = GL.currentContext && GL.currentContext.GLctx;
      if (!gl) { _portal_image_done(id, 0, 0, 0); return; }
      var texture = gl.createTexture();
      var name = GL.getNewId(GL.textures);
      texture.name = name;
      GL.textures[name] = texture;
      gl.bindTexture(gl.TEXTURE_2D, texture);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
      gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, img);
      _portal_image_done(id, name, img.naturalWidth, img.naturalHeight);
    };
    img.onerror = function () {
      console.warn('The logo could not be loaded: ' + url);
      _portal_image_done(id, 0, 0, 0);
    };
    img.src = url;
  },

  // Inside the embed loader's iframe: tell the seller's page how tall the portal wants to be, so
  // the iframe fits its content. A height is not a secret, so any parent may read it.
  cx_report_content_height: function (px) {
    if (window.parent === window) return;
    window.parent.postMessage({ type: 'continuata:size', height: px }, '*');
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

  // Which scripts beyond Latin the font has rasterised (tests check it grew to the data's).
  cx_publish_font_scripts: function (bits) {
    var state = window.__continuata || (window.__continuata = { frames: 0, semantics: [] });
    state.fontScripts = { greek: !!(bits & 1), cyrillic: !!(bits & 2) };
  },

  // Frame count and CPU time per frame (for the idle and 10,000-row benchmarks and tests).
  cx_publish_frame: function (frames, frameMs, uiMs, semanticsPtr) {
    var state = window.__continuata || (window.__continuata = { frames: 0, semantics: [] });
    state.frames = frames;
    state.frameTimes = state.frameTimes || [];
    state.uiTimes = state.uiTimes || [];
    if (state.frameTimes.length < 100000) { state.frameTimes.push(frameMs); state.uiTimes.push(uiMs); }
    if (semanticsPtr) {
      state.semantics = JSON.parse(UTF8ToString(semanticsPtr));
      if (Module['a11y']) Module['a11y'].update(state.semantics);
      if (state.onSemantics) state.onSemantics(state.semantics);
    }
  },
});
