// nginx (Debian package) on a free loopback port, serving a folder as any static host would:
// its own prefix and config in a temporary folder, Debian's mime.types, extra response headers
// (a Content-Security-Policy, say). Stopped by stop().
// It is set up as the README's "Deploy to a static host" says a host should be: the build's
// precompressed copies sent as they are (gzip_static, and brotli_static from Debian's
// libnginx-mod-http-brotli-static) with Vary: Accept-Encoding, content-hashed names cached as
// immutable, everything else (index.html, portal.config.json, the embed loader) no-cache and
// revalidated by ETag.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, chmodSync, readdirSync, statSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopProcess } from './harness.mjs';

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Writes a deployment's portal.config.json with fresh brotli and gzip copies beside it, as the
// build makes them: gzip_static/brotli_static would otherwise send the build's copies of the old file.
export function writePortalConfig(folder, config) {
  const bytes = Buffer.from(JSON.stringify(config));
  writeFileSync(join(folder, 'portal.config.json'), bytes);
  writeFileSync(
    join(folder, 'portal.config.json.br'),
    brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }),
  );
  writeFileSync(join(folder, 'portal.config.json.gz'), gzipSync(bytes, { level: 9 }));
}

// nginx's workers run as an unprivileged user: everything they serve must be world-readable.
function openUp(path) {
  const dir = statSync(path).isDirectory();
  chmodSync(path, dir ? 0o755 : 0o644);
  if (dir) for (const name of readdirSync(path)) openUp(join(path, name));
}

export async function startNginx(root, { port, headers = {} } = {}) {
  port ??= await freePort();
  const prefix = mkdtempSync(join(tmpdir(), 'continuata-nginx-'));
  openUp(root);
  // add_header in a location replaces the server's, so each location repeats the extra headers.
  const addHeaders = Object.entries(headers)
    .map(([k, v]) => `      add_header ${k} "${v}" always;`)
    .join('\n');
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `
load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log ${prefix}/access.log;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  gzip_static on;
  brotli_static on;
  gzip_vary on;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location ~ "\\.[0-9a-f]{10}\\.(js|css|wasm|woff2)$" {
      add_header Cache-Control "public, max-age=31536000, immutable";
${addHeaders}
    }
    location / {
      add_header Cache-Control "no-cache";
${addHeaders}
    }
  }
}
`,
  );
  const child = spawn('nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    try {
      await fetch(`${url}/`);
      break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async stop() {
      await stopProcess(child);
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
