// GET /api/v1/docs: a readable API reference, one self-contained page (no external scripts,
// fonts or styles) that reads /api/v1/openapi.json and lists every path and method with its
// summary, parameters, body and responses. Text from the document is only ever set as
// textContent, and the Content-Security-Policy allows this page's own script (by hash) and
// fetching from this origin, nothing else.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem 4rem; color: #1d2330; }
h1 { margin-bottom: 0.2rem; } .muted { color: #5b6475; }
nav { columns: 2; font-size: 13px; margin: 1rem 0 2rem; } nav a { display: block; text-decoration: none; }
section { border-top: 1px solid #d8dce3; padding: 0.8rem 0; }
h2 { font-size: 16px; margin: 0 0 0.3rem; font-family: ui-monospace, monospace; }
.m { display: inline-block; min-width: 4.2rem; padding: 0 0.4rem; margin-right: 0.5rem; border-radius: 3px; color: #fff; text-align: center; }
.get { background: #2f6fb5; } .post { background: #2f8f5b; } .put { background: #a8741a; } .delete { background: #b53b2f; } .patch { background: #6b4fb5; }
table { border-collapse: collapse; margin: 0.4rem 0; font-size: 13px; } td, th { border: 1px solid #d8dce3; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
pre { background: #f4f6f9; padding: 0.5rem; overflow-x: auto; font-size: 12px; margin: 0.3rem 0; }
h3 { font-size: 13px; margin: 0.6rem 0 0.1rem; text-transform: uppercase; letter-spacing: 0.04em; color: #5b6475; }
`;

// Plain ES2017 for any browser; no template literals with ${} so the TypeScript string stays literal.
const SCRIPT = `
(function () {
  var main = document.getElementById('main');
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e; }
  function resolve(doc, s) {
    var seen = 0;
    while (s && typeof s.$ref === 'string' && s.$ref.indexOf('#/') === 0 && seen++ < 20) {
      var parts = s.$ref.slice(2).split('/'), v = doc;
      for (var i = 0; i < parts.length && v; i++) v = v[parts[i]];
      s = v;
    }
    return s || {};
  }
  function typeOf(s) {
    if (!s) return '';
    var t = Array.isArray(s.type) ? s.type.join(' | ') : (s.type || '');
    if (s.enum) t += ' (' + s.enum.join(', ') + ')';
    if (s.items && s.items.type) t += ' of ' + (Array.isArray(s.items.type) ? s.items.type.join(' | ') : s.items.type);
    var limits = [];
    if (s.minimum !== undefined) limits.push('min ' + s.minimum);
    if (s.maximum !== undefined) limits.push('max ' + s.maximum);
    if (s.maxLength !== undefined) limits.push('max length ' + s.maxLength);
    if (s.maxItems !== undefined) limits.push('max items ' + s.maxItems);
    if (s.default !== undefined) limits.push('default ' + JSON.stringify(s.default));
    return t + (limits.length ? '; ' + limits.join(', ') : '');
  }
  function table(rows, head) {
    var t = el('table'), tr = el('tr');
    head.forEach(function (h) { tr.appendChild(el('th', h)); });
    t.appendChild(tr);
    rows.forEach(function (r) { var row = el('tr'); r.forEach(function (c) { row.appendChild(el('td', c)); }); t.appendChild(row); });
    return t;
  }
  function schemaBlock(doc, content) {
    var out = document.createDocumentFragment();
    Object.keys(content || {}).forEach(function (type) {
      out.appendChild(el('div', type, 'muted'));
      out.appendChild(el('pre', JSON.stringify(resolve(doc, content[type].schema), null, 2)));
    });
    return out;
  }
  function render(doc) {
    document.title = (doc.info && doc.info.title || 'API') + ' reference';
    main.textContent = '';
    main.appendChild(el('h1', document.title));
    main.appendChild(el('p', (doc.info && doc.info.description || '') + ' Version ' + (doc.info && doc.info.version || '?') + '.', 'muted'));
    var nav = el('nav'), list = el('div');
    var n = 0;
    Object.keys(doc.paths || {}).sort().forEach(function (path) {
      var item = doc.paths[path];
      ['get', 'put', 'post', 'patch', 'delete'].forEach(function (method) {
        var op = item[method];
        if (!op) return;
        var id = 'op' + (n++);
        var a = el('a', method.toUpperCase() + ' ' + path); a.href = '#' + id; nav.appendChild(a);
        var s = el('section'); s.id = id;
        var h = el('h2'); h.appendChild(el('span', method.toUpperCase(), 'm ' + method)); h.appendChild(document.createTextNode(path)); s.appendChild(h);
        if (op.summary) s.appendChild(el('div', op.summary));
        if (op.description) s.appendChild(el('p', op.description, 'muted'));
        if (op.tags) s.appendChild(el('div', 'tags: ' + op.tags.join(', '), 'muted'));
        if (op.security && op.security.length === 0) s.appendChild(el('div', 'no credentials needed', 'muted'));
        var params = (op.parameters || []).concat(item.parameters || []).map(function (p) { return resolve(doc, p); });
        if (params.length) {
          s.appendChild(el('h3', 'Parameters'));
          s.appendChild(table(params.map(function (p) {
            var sch = resolve(doc, p.schema);
            return [p.name, p['in'], p.required ? 'yes' : '', typeOf(sch), p.description || sch.description || ''];
          }), ['name', 'in', 'required', 'type', 'description']));
        }
        if (op.requestBody) {
          var body = resolve(doc, op.requestBody);
          s.appendChild(el('h3', 'Body' + (body.required ? ' (required)' : '')));
          s.appendChild(schemaBlock(doc, body.content));
        }
        var codes = Object.keys(op.responses || {});
        if (codes.length) {
          var d = el('details'); d.appendChild(el('summary', 'Responses: ' + codes.join(', ')));
          codes.forEach(function (code) {
            var r = resolve(doc, op.responses[code]);
            d.appendChild(el('div', code + ' ' + (r.description || '')));
            d.appendChild(schemaBlock(doc, r.content));
          });
          s.appendChild(d);
        }
        list.appendChild(s);
      });
    });
    main.appendChild(el('p', n + ' operations. Errors are {"error": {"code", "message", "details"}}.', 'muted'));
    main.appendChild(nav);
    main.appendChild(list);
  }
  fetch(new URL('openapi.json', location.href).href, { credentials: 'same-origin' })
    .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
    .then(render)
    .catch(function (e) { main.textContent = 'Could not load the OpenAPI document: ' + e.message; });
})();
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Warren API reference</title>
<style>${STYLE}</style>
</head>
<body>
<main id="main"><p>Loading the API description…</p><noscript>This page reads <a href="openapi.json">openapi.json</a> with JavaScript.</noscript></main>
<script>${SCRIPT}</script>
</body>
</html>
`;

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

const CSP = [
  "default-src 'none'",
  `script-src ${hash(SCRIPT)}`,
  `style-src ${hash(STYLE)}`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function registerDocs(app: FastifyInstance): void {
  app.get('/docs', { config: { auth: 'none' }, schema: { hide: true } }, (_request, reply) => {
    void reply.type('text/html; charset=utf-8').header('content-security-policy', CSP).header('x-content-type-options', 'nosniff');
    return Promise.resolve(PAGE);
  });
}
