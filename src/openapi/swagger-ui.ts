import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The files of @fastify/swagger-ui's `static/` folder Swagger UI needs (served from the package, never a CDN). */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/** One UI asset: its content type and bytes. */
export interface UiAsset {
  type: string;
  body: Buffer | string;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Swagger UI for a document URL: an HTML page and its assets. Files are read from the installed
 * @fastify/swagger-ui on first request of each and kept; the initializer is a script file (not
 * inline), so a `script-src 'self'` CSP allows the page.
 */
export function swaggerUi(ui: string, documentUrl: string, title: string): { html: string; asset(name: string): UiAsset | undefined } {
  const base = `${ui.replace(/\/+$/, '')}/static`;
  const cache = new Map<string, UiAsset>();
  const initializer = `window.onload = function () {\n  window.ui = SwaggerUIBundle({ url: ${JSON.stringify(documentUrl)}, dom_id: '#swagger-ui', deepLinking: true,\n    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });\n};\n`;
  const html = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>${escapeHtml(title)}</title>
    <link rel="stylesheet" type="text/css" href="${base}/swagger-ui.css" />
    <link rel="stylesheet" type="text/css" href="${base}/index.css" />
    <link rel="icon" type="image/png" href="${base}/favicon-32x32.png" sizes="32x32" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${base}/swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="${base}/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
    <script src="${base}/swagger-initializer.js" charset="UTF-8"></script>
  </body>
</html>
`;
  return {
    html,
    asset(name) {
      if (name === 'swagger-initializer.js') return { type: 'text/javascript; charset=utf-8', body: initializer };
      const type = ASSETS[name];
      if (type === undefined) return undefined;
      let a = cache.get(name);
      if (a === undefined) {
        a = { type, body: readFileSync(join(dirname(require.resolve('@fastify/swagger-ui/package.json')), 'static', name)) };
        cache.set(name, a);
      }
      return a;
    },
  };
}
