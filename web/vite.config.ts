// The analyst's web UI: Preact through Vite's built-in JSX transform (oxc), built into
// dist/web, which `warren serve` answers at / (index.html for every non-API path).
// Run from the package root: `vite build --config web/vite.config.ts`.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: '../dist/web', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
