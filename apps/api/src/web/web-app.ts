import { stat } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Headers of every page and asset of the web application (no inline script anywhere). */
export const WEB_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
    "connect-src 'self'; frame-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;
/** A top-level file of the build (favicon.ico, robots.txt…), as opposed to a route of the app. */
const TOP_LEVEL_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.[A-Za-z0-9]+$/;

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>整改通</title></head>
<body><h1>网页端尚未构建</h1><p>The web application is not built: run <code>npm run build</code>. The API is at <a href="/api">/api</a>.</p></body></html>`;

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Paths the api answers itself: anything under /api, and /health. */
const isApiPath = (url: string): boolean => /^\/(api|health)(\/|\?|$)/.test(url);

/**
 * Serves the built web application from `distDir` at /: hashed files under /assets/ cached for a
 * year, index.html (never cached) for every other GET that is not the api's, so the app's own
 * routes (/items/<id> from an e-mail link) open the app. A missing build answers a short page
 * saying so. The api's routes, /health and the api's 404s are untouched.
 */
export async function serveWebApp(app: NestFastifyApplication, distDir: string): Promise<void> {
  const root = path.resolve(distDir);
  await app.register(fastifyStatic, { root, serve: false, index: false });
  const fastify = app.getHttpAdapter().getInstance();

  const page = async (req: FastifyRequest, reply: FastifyReply, file: string): Promise<unknown> => {
    void reply.headers(WEB_SECURITY_HEADERS);
    if (file !== 'index.html') return reply.header('cache-control', 'no-cache').sendFile(file, { cacheControl: false });
    if (!(await isFile(path.join(root, 'index.html')))) {
      return reply.status(404).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    }
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html', { cacheControl: false });
  };

  fastify.get<{ Params: { '*': string } }>('/assets/*', (req, reply) => {
    void reply.headers(WEB_SECURITY_HEADERS);
    return reply.sendFile(`assets/${req.params['*']}`, { maxAge: ONE_YEAR_MS, immutable: true });
  });
  fastify.get('/', (req, reply) => page(req, reply, 'index.html'));
  fastify.get<{ Params: { '*': string } }>('/*', async (req, reply) => {
    if (isApiPath(req.url)) return reply.callNotFound();
    const rest = req.params['*'];
    if (TOP_LEVEL_FILE.test(rest) && (await isFile(path.join(root, rest)))) return page(req, reply, rest);
    return page(req, reply, 'index.html');
  });
}
