// Serves the benchmark page from the bridge's own HTTP server, so the page has the bridge's origin and its stream
// connection passes the Origin check. The player comes from the ES modules that `npm run build` writes into
// packages/*/dist, resolved in the browser through an import map, so nothing is bundled for the benchmark.
import { readFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** URL prefix to folder: the benchmark's own modules and the dist folders of the two player packages. */
const FOLDERS = new Map([
  ['/bench/', fileURLToPath(new URL('./', import.meta.url))],
  ['/modules/stream-client/', resolve(repositoryRoot, 'packages/stream-client/dist')],
  ['/modules/stream-protocol/', resolve(repositoryRoot, 'packages/stream-protocol/dist')],
]);

const PAGE = `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<script type="importmap">
{ "imports": {
  "@deskvm/stream-client": "/modules/stream-client/index.js",
  "@deskvm/stream-protocol": "/modules/stream-protocol/index.js"
} }
</script>
<script type="module" src="/bench/page.mjs"></script>
</head>
<body style="margin: 0; background: black"></body>
</html>
`;

/** Returns the file under `folder` that `relativePath` names, or undefined when it is not a module inside it. */
function moduleFile(folder, relativePath) {
  const file = resolve(folder, relativePath);
  const inside = file.startsWith(folder.endsWith(sep) ? folder : folder + sep);
  return inside && /\.m?js$/.test(file) ? file : undefined;
}

/**
 * Handles the bridge's requests that it does not serve itself: `/` (the page) and the modules it imports. Returns true
 * when it sent a response.
 *
 * @type {import('@deskvm/desktop-bridge').RequestHandler}
 */
export function servePageFiles(request, response, path) {
  if (path === '/') {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(PAGE);
    return true;
  }

  for (const [prefix, folder] of FOLDERS) {
    if (!path.startsWith(prefix)) {
      continue;
    }
    const file = moduleFile(folder, path.slice(prefix.length));
    if (file === undefined) {
      return false;
    }
    let body;
    try {
      body = readFileSync(file);
    } catch {
      return false;
    }
    response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
    response.end(body);
    return true;
  }

  return false;
}
