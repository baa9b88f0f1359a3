// The browser's services behind portal::Services (an emcc --js-library; platform_services_web.cpp
// is the C++ half): fetch() with a timeout and failures told apart, localStorage, the clipboard,
// downloads, and clearing the magic link from the address bar. Results go back to C++ through
// exported functions (portal_http_done, portal_clipboard_done).
mergeInto(LibraryManager.library, {
  cx_http_send__deps: ['free', 'malloc'],
  cx_http_send: function (id, methodPtr, urlPtr, bodyPtr, bearerPtr, timeoutMs) {
    var method = UTF8ToString(methodPtr),
      url = UTF8ToString(urlPtr);
    var body = UTF8ToString(bodyPtr),
      bearer = UTF8ToString(bearerPtr);
    var headers = {};
    if (body) headers['Content-Type'] = 'application/json';
    if (bearer) headers['Authorization'] = 'Bearer ' + bearer;
    var controller = new AbortController();
    var timedOut = false;
    var timer = setTimeout(function () {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    // failure: 0 none, 1 offline, 2 timeout, 3 blocked (CORS or aborted)
    function done(status, text, retryAfter, failure) {
      clearTimeout(timer);
      var b = allocateUTF8(text || ''),
        r = allocateUTF8(retryAfter || '');
      _portal_http_done(id, status, b, r, failure);
      _free(b);
      _free(r);
    }
    fetch(url, {
      method: method,
      headers: headers,
      body: body || undefined,
      signal: controller.signal,
      cache: 'no-store',
      credentials: 'omit',
    })
      .then(function (res) {
        return res.text().then(function (text) {
          done(res.status, text, res.headers.get('Retry-After'), 0);
        });
      })
      .catch(function () {
        if (timedOut) return done(0, '', '', 2);
        if (navigator.onLine === false) return done(0, '', '', 1);
        // fetch() says only "TypeError" for a refused connection and for a CORS refusal alike. A
        // no-cors probe of the same URL tells them apart: it succeeds when the server answered.
        fetch(url, { method: 'HEAD', mode: 'no-cors', cache: 'no-store' }).then(
          function () {
            done(0, '', '', 3);
          },
          function () {
            done(0, '', '', 1);
          },
        );
      });
  },

  cx_storage_get__deps: ['malloc'],
  cx_storage_get: function (keyPtr) {
    try {
      var v = window.localStorage.getItem(UTF8ToString(keyPtr));
      return v === null ? 0 : allocateUTF8(v);
    } catch (e) {
      return 0;
    }
  },
  cx_storage_set: function (keyPtr, valuePtr) {
    try {
      window.localStorage.setItem(UTF8ToString(keyPtr), UTF8ToString(valuePtr));
    } catch (e) {}
  },
  cx_storage_remove: function (keyPtr) {
    try {
      window.localStorage.removeItem(UTF8ToString(keyPtr));
    } catch (e) {}
  },

  cx_clipboard_write: function (id, textPtr) {
    var text = UTF8ToString(textPtr);
    function fallback() {
      var had = document.activeElement; // the Copy link button keeps the focus afterwards
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.cssText = 'position:fixed;left:-9999px;top:0';
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand('copy');
      } catch (e) {}
      area.remove();
      if (had && had.focus) had.focus({ preventScroll: true });
      return ok;
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(
        function () {
          _portal_clipboard_done(id, 1);
        },
        function () {
          _portal_clipboard_done(id, fallback() ? 1 : 0);
        },
      );
    } else {
      var ok = fallback();
      setTimeout(function () {
        _portal_clipboard_done(id, ok ? 1 : 0);
      }, 0);
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

  cx_clear_url_params: function () {
    try {
      var url = new URL(window.location.href);
      url.searchParams.delete('email');
      url.searchParams.delete('code');
      window.history.replaceState(window.history.state, '', url.toString());
    } catch (e) {}
  },
});
