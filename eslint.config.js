// Lint, including the layering of DESIGN.md §2: each layer is a folder, and imports across
// layers that the design forbids are errors.
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'url', 'worker_threads', 'stream'];

const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((p) => ({ ...p, allowTypeImports: p.allowTypeImports ?? false })) }],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'tests/e2e/artifacts/**', 'build/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // main/core is isomorphic and pure: no Node, Electron, React, or TF.js at run time, and nothing
  // from outside main/core (a relative path one level deeper than the file's depth leaves it).
  ...[
    ['main/core/*.ts', '../*'],
    ['main/core/*/*.ts', '../../*'],
    ['main/core/*/*/*.ts', '../../../*'],
  ].map(([files, outside]) => ({
    files: [files],
    rules: restrict([
      { group: NODE_BUILTINS, message: 'main/core is isomorphic: no Node built-ins.' },
      { group: ['electron', 'react', 'react-dom', '@xyflow/*', 'three'], message: 'main/core must not depend on UI or Electron.' },
      { group: ['@tensorflow/*'], allowTypeImports: true, message: 'main/core receives TF.js by injection; type imports only.' },
      { group: [outside, `${outside.slice(0, -1)}../*`], message: 'main/core imports nothing outside main/core.' },
    ]),
  })),
  {
    // The renderer talks to the engine only through a Host; from main/ it may use main/core only.
    files: ['renderer/**/*.{ts,tsx}'],
    rules: restrict([
      { regex: '(^|/)main/(?!core(/|$))', message: 'renderer may import main/core only.' },
      { group: ['electron', 'better-sqlite3', 'sharp', '@tensorflow/*'], message: 'renderer must not import engine or Electron modules.' },
    ]),
  },
  {
    // The engine is plain Node: it never imports Electron or UI code.
    files: ['main/**/*.ts'],
    ignores: ['main/core/**'],
    rules: restrict([
      { group: ['electron', 'electron/*'], message: 'main/ never imports electron.' },
      { regex: '(^|/)renderer(/|$)', message: 'main/ never imports UI code.' },
      { group: ['react', 'react-dom', '@xyflow/*'], message: 'main/ never imports UI code.' },
    ]),
  },
  {
    // The desktop shell uses main/ but no UI code.
    files: ['electron/**/*.{ts,mts,mjs}'],
    rules: restrict([
      { regex: '(^|/)renderer(/|$)', message: 'electron/ must not import UI code.' },
      { group: ['react', 'react-dom', '@xyflow/*'], message: 'electron/ must not import UI code.' },
    ]),
  },
);
