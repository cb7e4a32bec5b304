// Builds the dashboard into dist/web, which hookd serves (src/http/dashboard-routes.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Fonts and icons are the system's: nothing to inline, nothing fetched from elsewhere.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
  server: {
    // `npm run dev:web` against a hookd on :8080: the API and the live tail pass through.
    proxy: Object.fromEntries(
      [
        '/events',
        '/sessions',
        '/tool-uses',
        '/analytics',
        '/executions',
        '/performance',
        '/teams',
        '/rules',
        '/tokens',
        '/auth',
        '/metrics',
        '/health',
        '/stats',
        '/settings',
        '/notifications',
        '/channels',
        '/openapi.json',
      ].map((path) => [path, { target: process.env.HOOKD_URL ?? 'http://127.0.0.1:8080', changeOrigin: false }]),
    ),
  },
});
