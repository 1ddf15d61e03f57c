/**
 * The layer rule (scripts/eslint-layers.mjs, on in eslint.config.mjs, so `npm run lint` and
 * `npm test` fail on a violation): deliberate violations, linted through ESLint's API with the
 * repository's own configuration as files inside the layers, are reported; allowed imports are not.
 * (The repository itself passing is `npm run lint`.)
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';
import { repoRoot } from '../helpers/fixtures';

const eslint = new ESLint({ cwd: repoRoot });

/** The layer-rule messages ESLint gives `code` as if it were the file `rel` of the repository. */
async function layerErrors(rel: string, code: string): Promise<string[]> {
  const [res] = await eslint.lintText(code, { filePath: path.join(repoRoot, rel) });
  return res.messages.filter((m) => m.ruleId === 'layers/allowed-imports').map((m) => m.message);
}

describe('layers (ESLint rule layers/allowed-imports)', () => {
  test('the client importing the engine fails the lint', async () => {
    const errors = await layerErrors('client/src/violation.ts', "import { renderMarkdownReport } from '../../server/src/engine/checklist/report';\nexport const r = renderMarkdownReport;\n");
    assert.equal(errors.length, 1);
    assert.match(errors[0], /^client must not import engine/);
    // a type import is a dependency too: the client uses the protocol's wire types
    assert.equal((await layerErrors('client/src/checklist/violation.ts', "import type { Finding } from '../../../server/src/engine/types';\nexport type F = Finding;\n")).length, 1);
    assert.deepEqual(await layerErrors('client/src/fine.ts', "import { SETTINGS_SECTION } from '../../server/src/protocol/settings';\nexport const s = SETTINGS_SECTION;\n"), []);
  });

  test('the engine importing the rules, the LSP or VS Code fails the lint', async () => {
    assert.match((await layerErrors('server/src/engine/violation.ts', "import { allRules } from '../../../rules/index.generated';\nexport const n = allRules.length;\n"))[0] ?? '', /^engine must not import rules/);
    assert.match((await layerErrors('server/src/engine/violation.ts', "import { Folders } from '../lsp/folders';\nexport const f = Folders;\n"))[0] ?? '', /^engine must not import lsp/);
    assert.match((await layerErrors('server/src/engine/violation.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n"))[0] ?? '', /must not depend on VS Code/);
    assert.match((await layerErrors('rules/api/violation.ts', "import { runCli } from '../../server/src/cli/run';\nexport const r = runCli;\n"))[0] ?? '', /^rules must not import cli/);
  });

  test('the protocol takes only types from the engine; the CLI starts the language server only through lsp/run', async () => {
    assert.deepEqual(await layerErrors('server/src/protocol/fine.ts', "import type { Severity } from '../engine/types';\nexport type S = Severity;\n"), []);
    assert.match((await layerErrors('server/src/protocol/violation.ts', "import { SEVERITIES } from '../engine/types';\nexport const s = SEVERITIES;\n"))[0] ?? '', /may import only types from engine/);
    assert.deepEqual(await layerErrors('server/src/cli/fine.ts', "export const lsp = () => require('../lsp/run');\n"), []);
    assert.match((await layerErrors('server/src/cli/violation.ts', "import { Folders } from '../lsp/folders';\nexport const f = Folders;\n"))[0] ?? '', /^cli must not import lsp/);
  });
});
