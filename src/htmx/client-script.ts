// The browser side of Lokstra's HTMX pages, served at /_lokstra/htmx/lokstra-htmx.js. It sends the
// current layout with every htmx request (LS-Layout), keeps <title> and the description in sync
// after partial swaps, and reloads the whole page when a page answer comes back in another layout.
export const CLIENT_SCRIPT = `(function () {
  function meta(name) { return document.querySelector('meta[name="' + name + '"]'); }
  function layout() { var m = meta('ls-layout'); return m ? m.getAttribute('content') : ''; }
  document.addEventListener('htmx:configRequest', function (e) { e.detail.headers['LS-Layout'] = layout(); });
  document.addEventListener('htmx:beforeSwap', function (e) {
    var xhr = e.detail.xhr;
    if (!xhr || !xhr.getResponseHeader('LS-Page')) return;
    if (xhr.getResponseHeader('HX-Partial') !== 'true') {
      e.detail.shouldSwap = false;
      window.location.assign(xhr.responseURL || e.detail.pathInfo.requestPath);
    }
  });
  document.addEventListener('htmx:afterSwap', function (e) {
    var xhr = e.detail.xhr;
    if (!xhr) return;
    var title = xhr.getResponseHeader('LS-Title');
    if (title !== null) document.title = decodeURIComponent(title);
    var description = xhr.getResponseHeader('LS-Description');
    var m = meta('description');
    if (description !== null && m) m.setAttribute('content', decodeURIComponent(description));
  });
})();
`;
