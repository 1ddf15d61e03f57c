// The layers of django-readiness and the imports allowed between them, as an ESLint rule
// (`layers/allowed-imports`, on in eslint.config.mjs; `npm run lint` fails on a violation).
//
//   client   (client/src)          -> protocol, options; vscode, vscode-languageclient
//   protocol (server/src/protocol) -> options; engine for types only (import type)
//   lsp      (server/src/lsp)      -> protocol, options, engine, rules (the registry); vscode-languageserver
//   cli      (server/src/cli)      -> options, engine, rules; lsp/run only (`django-readiness server`)
//   worker   (server/src/worker)   -> engine, rules
//   engine   (server/src/engine)   -> options
//   rules    (rules)               -> engine
//   options  (server/src/options.ts) -> nothing
//
// A layer may always import its own files. Only the client and the language server may import
// vscode* packages. Files outside the layers (tests, scripts, bench) are not constrained.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Layer name -> repo-relative folder or file (`/` separators). */
export const LAYERS = {
  client: 'client/src',
  protocol: 'server/src/protocol',
  lsp: 'server/src/lsp',
  cli: 'server/src/cli',
  worker: 'server/src/worker',
  engine: 'server/src/engine',
  rules: 'rules',
  options: 'server/src/options.ts',
};

/** Layer -> the other layers it may import (values and types), the ones it may import types from, single files it may import. */
export const ALLOWED = {
  client: { imports: ['protocol', 'options'], types: [] },
  protocol: { imports: ['options'], types: ['engine'] },
  lsp: { imports: ['protocol', 'options', 'engine', 'rules'], types: [] },
  cli: { imports: ['options', 'engine', 'rules'], types: [], files: ['server/src/lsp/run'] },
  worker: { imports: ['engine', 'rules'], types: [] },
  engine: { imports: ['options'], types: [] },
  rules: { imports: ['engine'], types: [] },
  options: { imports: [], types: [] },
};

/** Layers that may import vscode* packages. */
const VSCODE = new Set(['client', 'lsp']);

export function layerOf(absPath) {
  const rel = path.relative(repo, absPath).split(path.sep).join('/');
  for (const [name, where] of Object.entries(LAYERS)) if (rel === where || `${rel}.ts` === where || rel.startsWith(`${where}/`)) return name;
  return undefined;
}

const allowedImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports between the layers (client, protocol, lsp, cli, worker, engine, rules, options) follow scripts/eslint-layers.mjs' },
    schema: [],
    messages: {
      layer: '{{from}} must not import {{to}} ({{source}}): {{from}} may import {{allowed}}. See scripts/eslint-layers.mjs.',
      typesOnly: '{{from}} may import only types from {{to}} ({{source}}): use `import type`.',
      vscode: '{{from}} must not depend on VS Code or LSP packages ({{source}}).',
    },
  },
  create(context) {
    const filename = context.filename ?? context.getFilename();
    const from = layerOf(filename);
    if (!from) return {};
    const check = (node, source, typeOnly) => {
      if (typeof source !== 'string') return;
      if (!source.startsWith('.')) {
        if (/^vscode($|[-/])/.test(source) && !VSCODE.has(from)) context.report({ node, messageId: 'vscode', data: { from, source } });
        return;
      }
      const target = path.resolve(path.dirname(filename), source);
      const to = layerOf(target);
      if (!to || to === from) return;
      const rule = ALLOWED[from];
      if (rule.imports.includes(to)) return;
      if (rule.files?.includes(path.relative(repo, target).split(path.sep).join('/').replace(/\.ts$/, ''))) return;
      if (rule.types.includes(to)) {
        if (!typeOnly) context.report({ node, messageId: 'typesOnly', data: { from, to, source } });
        return;
      }
      context.report({ node, messageId: 'layer', data: { from, to, source, allowed: rule.imports.concat(rule.types.map((t) => `${t} (types)`)).join(', ') || 'nothing' } });
    };
    const allTypes = (node) => node.importKind === 'type' || (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));
    return {
      ImportDeclaration: (node) => check(node, node.source.value, allTypes(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node, node.source.value, node.exportKind === 'type'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value, false),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') check(node, node.arguments[0].value, false);
      },
    };
  },
};

export default { meta: { name: 'django-readiness-layers' }, rules: { 'allowed-imports': allowedImports } };
