import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './electron/csp';

const root = import.meta.dirname;

/**
 * One source for the page's CSP: the same string the Electron session sends as a header is
 * written into index.html as a meta tag, so the page is as strict when `visionbench serve`
 * serves it to a browser and when Electron loads it from a file (file:// has no headers).
 */
function injectCsp(): Plugin {
  return {
    name: 'visionbench:csp-meta',
    transformIndexHtml: (html) => html.replace('%VISIONBENCH_CSP%', contentSecurityPolicy()),
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rolldownOptions: { input: { index: resolve(root, 'electron/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // A sandboxed preload cannot `require` anything but a few Electron modules, so zod and
      // the contract are bundled in, and the output is a single CommonJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    // Relative asset URLs: the page works from file:// (Electron) and from `/` (the bridge).
    base: './',
    plugins: [react(), injectCsp()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
