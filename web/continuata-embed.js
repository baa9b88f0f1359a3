// The embed loader a seller adds to a page, next to
//   <div data-continuata-portal data-api="https://api.example" data-org="audio-company"></div>
// It puts the portal into each such element in an iframe (isolated from the seller's CSS,
// scripts and CSP), passes the configuration in the iframe's URL, forwards the magic link's
// email/code from the seller page's own URL, and sizes the iframe to the portal's content from
// the portal's postMessage reports. Served from the same folder as the portal's index.html.
(function () {
  'use strict';
  var script = document.currentScript;
  var base = new URL('.', (script && script.src) || location.href);
  // The page options passed on as data-* attributes: assets/page_options.json's keys, put in
  // here by cmake/portal_deploy.cmake (the file is served only from the deployed folder).
  var OPTIONS = [/* page options */];
  var frames = [];

  function pixels(el, key, fallback) {
    var v = parseInt(el.getAttribute('data-' + key), 10);
    return isFinite(v) && v > 0 ? v : fallback;
  }

  function mount(el) {
    if (el.getAttribute('data-continuata-mounted')) return;
    el.setAttribute('data-continuata-mounted', '1');
    var src = new URL('index.html', base);
    OPTIONS.forEach(function (key) {
      var v = el.getAttribute('data-' + key);
      if (v) src.searchParams.set(key, v);
    });
    // The magic link in the email comes back to this page; hand its email/code to the portal
    // (to the first widget only: one sign-in, not one per widget).
    var here = new URLSearchParams(location.search);
    if (frames.length === 0 && here.get('email') && here.get('code')) {
      src.searchParams.set('email', here.get('email'));
      src.searchParams.set('code', here.get('code'));
    }
    var frame = document.createElement('iframe');
    frame.src = src.toString();
    frame.title = el.getAttribute('data-title') || 'Your downloads';
    frame.allow = 'clipboard-write';
    frame.setAttribute('data-min-height', pixels(el, 'min-height', 360));
    frame.setAttribute('data-max-height', pixels(el, 'max-height', 800));
    frame.style.display = 'block';
    frame.style.width = '100%';
    frame.style.border = '0';
    frame.style.height = pixels(el, 'min-height', 360) + 'px';
    el.appendChild(frame);
    frames.push(frame);
  }

  // The portal reports the height its screen needs; only messages from our own frames, from the
  // portal's origin, count. Between the widget's minimum and maximum, past which it scrolls.
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || data.type !== 'continuata:size' || event.origin !== base.origin) return;
    for (var i = 0; i < frames.length; i++) {
      var f = frames[i];
      if (f.contentWindow !== event.source) continue;
      var min = Number(f.getAttribute('data-min-height')),
        max = Number(f.getAttribute('data-max-height'));
      f.style.height = Math.max(min, Math.min(max, Math.round(Number(data.height) || 0))) + 'px';
    }
  });

  function mountAll() {
    var els = document.querySelectorAll('[data-continuata-portal]');
    for (var i = 0; i < els.length; i++) mount(els[i]);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll);
  else mountAll();
})();
