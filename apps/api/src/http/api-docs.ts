import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorBodyDto } from './api-answers.js';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>Rectify (整改通) API</title>
  <link rel="icon" href="/api/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/api/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: '/api/docs-json',
      dom_id: '#swagger-ui',
      deepLinking: true,
      persistAuthorization: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: 'StandaloneLayout',
    });
  </script>
</body>
</html>`;

/**
 * OpenAPI at /api/docs-json (and -yaml) from Nest's metadata, and the Swagger UI at /api/docs,
 * its few assets read from swagger-ui-dist (no static-file plugin needed).
 */
export function mountApiDocs(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Rectify (整改通) API')
    .setDescription(
      'Inspection rectification (督察整改): org units and users, sign-in, batches and rectification items through their ' +
        'workflow, evidence, the work calendar, notifications and messages, statistics and exports, key projects. ' +
        'Every error has the shape {code, message, details}. Sign in at POST /api/auth/login and send the access token ' +
        'as "Authorization: Bearer <token>"; the web app asks for the refresh token in an HttpOnly cookie (refreshIn: cookie).',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  const document = completeErrorAnswers(
    SwaggerModule.createDocument(app, config, {
      extraModels: [ErrorBodyDto],
      operationIdFactory: (controller, method) =>
        `${controller.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase())}_${method}`,
    }),
  );
  SwaggerModule.setup('api/docs', app, document, {
    ui: false,
    jsonDocumentUrl: 'api/docs-json',
    yamlDocumentUrl: 'api/docs-yaml',
    useGlobalPrefix: false,
  });

  const assetDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/api/docs', (_req, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
  fastify.get<{ Params: { file: string } }>('/api/docs/assets/:file', async (req, reply) => {
    const type = ASSETS[req.params.file];
    if (!type) return reply.status(404).send({ code: 'NOT_FOUND', message: 'No such documentation asset', details: null });
    const body = await readFile(path.join(assetDir, req.params.file));
    return reply.type(type).header('cache-control', 'public, max-age=86400').send(body);
  });
}

const ERROR_ANSWERS: Record<string, string> = {
  '400': 'Invalid request: details.fields names each problem',
  '401': 'Not signed in, or the session ended',
  '403': 'Your roles do not allow this',
  '404': 'Not found, or outside what you may read',
  '503': 'The database is busy or unreachable; Retry-After says when to try again',
};

/**
 * Adds the answers every operation can give, in the one error shape: 400 and 503 everywhere, 401 and
 * 403 where a token is needed, 404 where the path names something. Answers documented on the
 * operation itself are kept; any of its 4xx/5xx without a body gets the error schema.
 */
function completeErrorAnswers(document: OpenAPIObject): OpenAPIObject {
  const content = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBodyDto' } } };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const op of Object.values(
      item as Record<string, { responses?: Record<string, { description: string; content?: unknown }>; security?: unknown[] }>,
    )) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      const responses = (op.responses ??= {});
      const wanted = ['400', '503', ...(op.security?.length ? ['401', '403'] : []), ...(path.includes('{') ? ['404'] : [])];
      for (const code of wanted) responses[code] ??= { description: ERROR_ANSWERS[code] };
      for (const [code, answer] of Object.entries(responses)) {
        if (/^[45]/.test(code) && !answer.content) answer.content = content;
      }
    }
  }
  return document;
}
