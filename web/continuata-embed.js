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
  var OPTIONS = ['api', 'org', 'lang', 'theme', 'accent', 'logo', 'name', 'radius'];
  var frames = [];

  function mount(el) {
    if (el.getAttribute('data-continuata-mounted')) return;
    el.setAttribute('data-continuata-mounted', '1');
    var src = new URL('index.html', base);
    OPTIONS.forEach(function (key) {
      var v = el.getAttribute('data-' + key);
      if (v) src.searchParams.set(key, v);
    });
    // The magic link in the email comes back to this page; hand its email/code to the portal.
    var here = new URLSearchParams(location.search);
    ['email', 'code'].forEach(function (key) {
      if (here.get(key)) src.searchParams.set(key, here.get(key));
    });
    src.searchParams.set('embed', '1');
    var frame = document.createElement('iframe');
    frame.src = src.toString();
    frame.title = el.getAttribute('data-title') || 'Your downloads';
    frame.allow = 'clipboard-write';
    frame.style.cssText = 'display:block;width:100%;border:0;min-height:' +
      (el.getAttribute('data-min-height') || '420') + 'px;height:' + (el.getAttribute('data-height') || '560') + 'px';
    el.appendChild(frame);
    frames.push(frame);
  }

  // The portal reports its content height; only messages from our own frames and origin count.
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || data.type !== 'continuata:size' || event.origin !== base.origin) return;
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        var h = Math.max(200, Math.min(4000, Math.round(Number(data.height) || 0)));
        frames[i].style.height = h + 'px';
      }
    }
  });

  function mountAll() {
    var els = document.querySelectorAll('[data-continuata-portal]');
    for (var i = 0; i < els.length; i++) mount(els[i]);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll);
  else mountAll();
})();
