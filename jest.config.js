/**
 * Jest runs the ESM build of Nest 12 only in VM-modules mode (see package.json scripts).
 * "#lib" imports resolve to TypeScript sources here, to compiled files at run time.
 */
const swc = [
  '@swc/jest',
  {
    swcrc: false, // .swcrc excludes tests from the build
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const libs = [
  'domain',
  'config',
  'logging',
  'persistence',
  'audit',
  'org',
  'redis',
  'queue',
  'files',
  'workflow',
  'items',
  'calendar',
  'notifications',
  'statistics',
  'projects',
  'office',
  'intake',
  'complaints',
];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    ...Object.fromEntries(libs.map((l) => [`^#${l}$`, `<rootDir>/libs/${l}/src/index.ts`])),
    '^#migrations$': '<rootDir>/migrations/index.ts',
    '^content-disposition$': '<rootDir>/test/support/content-disposition.cjs',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/support/env.ts'],
};

export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,apps}/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], slowTestThreshold: 15 },
    // Chromium against the built app: `npm run build` first (each file stops with a message saying so
    // when dist/web is missing); `npm run test:browser` runs these alone.
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/web/**/*.browser-spec.ts'] },
  ],
  testTimeout: 30000,
};
