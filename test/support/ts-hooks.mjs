// Module hooks that let a child Node process run the TypeScript sources, as Jest does: "#lib"
// imports resolve to the sources (package.json "imports", "types" entry), "./x.js" to "./x.ts"
// when that exists, and .ts files are compiled with SWC using the same options as jest.config.js.
// Registered by ts-register.mjs (`node --import ./test/support/ts-register.mjs apps/…/main.ts`).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformSync } from '@swc/core';

const root = new URL('../../', import.meta.url);
const imports = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).imports;

export async function resolve(specifier, context, next) {
  const mapped = imports[specifier]?.types;
  if (mapped) return { url: new URL(mapped, root).href, shortCircuit: true };
  if (/^\.{1,2}\//.test(specifier) && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(ts)) return { url: ts.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const filename = fileURLToPath(url);
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    swcrc: false,
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  });
  return { format: 'module', source: code, shortCircuit: true };
}
