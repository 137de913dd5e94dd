import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
// The console imports the server's pure-TS validators and error messages from here (see web/tsconfig.json
// "paths"): one implementation, so the console shows exactly the server's rules and wording.
// Only browser-safe modules may be imported through it (no node:* imports).
const shared = fileURLToPath(new URL('../src/platform', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const apiTarget = process.env.CARDFLOW_DEV_API ?? 'http://127.0.0.1:3000';
const proxied = ['/api', '/docs', '/openapi.json', '/healthz', '/readyz'];

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  resolve: {
    alias: { '@shared': shared },
  },
  // no public/ folder: everything the console needs is bundled, nothing comes from the network
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom|cookie|set-cookie-parser)[\\/]/, priority: 40 },
            { name: 'antd-icons', test: /node_modules[\\/]@ant-design[\\/]icons/, priority: 35 },
            { name: 'antd-core', test: /node_modules[\\/](@ant-design[\\/](cssinjs|cssinjs-utils|colors|fast-color)|@emotion|stylis|@babel[\\/]runtime)[\\/]/, priority: 30 },
            { name: 'rc', test: /node_modules[\\/](@rc-component|rc-[\w-]+|dayjs|classnames|clsx)[\\/]/, priority: 25 },
            { name: 'antd', test: /node_modules[\\/]antd[\\/]/, priority: 20 },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: false,
    // the dev server must be allowed to read ../src/platform (the @shared alias)
    fs: { allow: [repoRoot] },
    proxy: Object.fromEntries(proxied.map((p) => [p, { target: apiTarget, changeOrigin: false }])),
  },
  preview: {
    proxy: Object.fromEntries(proxied.map((p) => [p, { target: apiTarget, changeOrigin: false }])),
  },
});
