import { fileURLToPath } from 'node:url';
import { extractStyle } from '@ant-design/static-style-extract';
import react from '@vitejs/plugin-react';
import { ConfigProvider } from 'antd';
import { createElement } from 'react';
import { defineConfig, type Plugin } from 'vite';
import { THEME } from './src/layout/theme.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * `import 'virtual:antd.css'`: the CSS of every antd component for the app's theme, rendered once in
 * Node at build time (the theme is zero-runtime, so the browser builds none).
 */
function antdStaticCss(): Plugin {
  const id = 'virtual:antd.css';
  const resolved = '\0antd-static.css';
  let css: string | undefined;
  return {
    name: 'antd-static-css',
    resolveId: (source) => (source === id ? resolved : undefined),
    load(source) {
      if (source !== resolved) return undefined;
      css ??= extractStyle((node) => createElement(ConfigProvider, { theme: { ...THEME, zeroRuntime: false } }, node));
      return css;
    },
  };
}

// `npm run web:dev`: Vite's dev server with /api proxied to the api (API_URL, default the api's own port).
export default defineConfig({
  root,
  plugins: [react(), antdStaticCss()],
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    modulePreload: { polyfill: false },
    manifest: true,
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: process.env.API_URL ?? 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
