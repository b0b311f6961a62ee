// Builds the client into dist/ with content-hashed assets (kaiwa serves /assets/* as immutable).
// The dev server proxies the API to a kaiwa on KAIWA_URL (default http://127.0.0.1:8080).
import { defineConfig } from 'vitest/config';

const target = process.env.KAIWA_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The polyfill is not needed by the browsers we target, and nothing inline may run (CSP).
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/v2': { target, changeOrigin: false },
      '/kaiwa': { target, changeOrigin: false, ws: true },
      '/files': { target, changeOrigin: false }, // signed download links
    },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
  },
});
