import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

const APP = './src/app';
const FEATURES = ['map', 'summary', 'table', 'analysis', 'share', 'input', 'timeline'];
const TOP = `${APP}/*.{ts,tsx}`;
// Pure map geometry on its way to src/lib/view (issue 11): the view on screen (state/view.ts) and
// the table and analysis actions use it until it lands there.
/** The import direction inside src/app, as no-restricted-paths zones. */
function appZones() {
  const feature = (f) => `${APP}/${f}/**`;
  const features = FEATURES.map(feature);
  return [
    { target: [`${APP}/base/**`, `${APP}/worker/**`], from: [`${APP}/state/**`, `${APP}/ui/**`, ...features, TOP], message: 'base/ and worker/ are the bottom of src/app: they import only src/lib.' },
    { target: `${APP}/state/**`, from: [`${APP}/ui/**`, ...features, TOP], message: 'The store may not import a feature, ui/ or an orchestrator: move what it needs down.' },
    { target: `${APP}/ui/**`, from: [...features, TOP], message: 'ui/ holds widgets shared by features: it may import the store, base/ and src/lib only.' },
    ...FEATURES.map((f) => ({
      target: feature(f),
      from: [...features.filter((g) => g !== feature(f)), TOP],
      message: 'A feature imports only the store (state/), ui/, base/, worker/ and src/lib: not another feature nor an orchestrator. Move what two features share down.',
    })),
  ];
}

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'bench/out'] },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2022, globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // No runtime import cycle anywhere in src (type-only imports do not count: they vanish at build).
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // src/app points one way (src/README.md): base/ and worker/ at the bottom, then the store
    // (state/), then shared widgets (ui/), then the features, which may not import one another,
    // and on top the orchestrators at app/'s root (App, Header, boot, load, testHook). Type-only
    // imports count too. An arrow that runs back up fails the lint.
    files: ['src/app/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: appZones() }] },
  },
  {
    files: ['src/**/*.tsx', 'src/app/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // src/lib is pure TypeScript: it runs in the browser, a Web Worker, Node and Vitest alike.
    files: ['src/lib/**/*.ts'],
    // Tests and their helpers read fixtures from disk; the library itself never does.
    ignores: ['src/lib/**/*.test.ts', 'src/lib/testing/**'],
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['react', 'react-dom', 'react/*', 'react-dom/*', 'zustand', 'zustand/*'], message: 'src/lib must stay free of React and app state.' },
          { group: ['d3-selection', 'd3-transition', 'd3-zoom', 'd3-drag', 'd3-brush', 'd3-axis', 'd3'], message: 'src/lib may use only DOM-free d3 modules (d3-scale, d3-format, d3-array).' },
          { group: ['node:*', 'fs', 'path', 'os', 'child_process'], message: 'src/lib must not depend on Node; do I/O in src/cli or bench.' },
          { group: ['../app/*', '../cli/*', '../../app/*', '../../cli/*'], message: 'src/lib is the bottom layer; nothing below it.' },
        ],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'process'],
    },
  },
);
