/** package.json contributions of the checklist view agree with the code (ids, menus, context values). */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { CHECKLIST_COMMANDS, CONTEXT_KEYS, VIEW_CONTAINER_ID, VIEW_ID } from '../../client/src/checklist/ids';
import { ChecklistTreeModel, type ChecklistNode } from '../../client/src/checklist/tree';
import { buildChecklist, emptyManualState, type AnalysisResult } from '../../server/src/engine';
import { repoRoot } from '../helpers/fixtures';

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const contributes = pkg.contributes;

test('the view container, the view and the welcome content are contributed', () => {
  const container = contributes.viewsContainers.activitybar.find((c: { id: string }) => c.id === VIEW_CONTAINER_ID);
  assert.ok(container);
  assert.equal(container.title, 'Production Readiness');
  assert.ok(fs.existsSync(path.join(repoRoot, container.icon)), container.icon);
  assert.ok(contributes.views[VIEW_CONTAINER_ID].some((v: { id: string }) => v.id === VIEW_ID));
  const welcome = contributes.viewsWelcome.filter((w: { view: string }) => w.view === VIEW_ID);
  // a folder is open but holds no Django project: say so, and offer no "Open Folder" button
  const noProject = welcome.find((w: { when: string }) => w.when === `${CONTEXT_KEYS.state} == no-project && workbenchState != empty`);
  assert.ok(noProject && /No Django project/.test(noProject.contents));
  assert.doesNotMatch(noProject.contents, /openFolder|Open Folder/);
  // no folder at all: the button is there
  assert.ok(welcome.some((w: { when: string; contents: string }) => w.when === 'workbenchState == empty' && /command:vscode\.openFolder/.test(w.contents)));
});

test('export, refresh and the filters are disabled unless a checklist is shown', () => {
  for (const id of [CHECKLIST_COMMANDS.refresh, CHECKLIST_COMMANDS.exportReport, CHECKLIST_COMMANDS.showOnlyFailing, CHECKLIST_COMMANDS.showAll]) {
    const c = contributes.commands.find((x: { command: string }) => x.command === id);
    assert.equal(c.enablement, `${CONTEXT_KEYS.state} == ready`, id);
  }
});

test('every checklist command is contributed with a title, and every menu entry names a command', () => {
  const commands = new Map<string, { title: string; category?: string }>(contributes.commands.map((c: { command: string; title: string; category?: string }) => [c.command, c]));
  for (const id of Object.values(CHECKLIST_COMMANDS)) {
    assert.ok(commands.get(id)?.title, id);
    assert.equal(commands.get(id)?.category, 'Django Readiness');
  }
  for (const [menu, entries] of Object.entries(contributes.menus as Record<string, MenuEntry[]>)) {
    for (const e of entries) assert.ok(commands.has(e.command), `${menu}: ${e.command} is not a contributed command`);
  }
  const title = (contributes.menus['view/title'] as MenuEntry[]).filter((e) => e.when?.includes(`view == ${VIEW_ID}`)).map((e) => e.command);
  for (const id of [CHECKLIST_COMMANDS.refresh, CHECKLIST_COMMANDS.exportReport, CHECKLIST_COMMANDS.showOnlyFailing, CHECKLIST_COMMANDS.showAll]) assert.ok(title.includes(id), `${id} in the view title`);
});

test('the item menus match context values the tree really produces', () => {
  const result: AnalysisResult = {
    root: '/ws',
    projects: [{ root: '/ws', productionModule: '/ws/s.py', productionReason: 'x', settingsModules: [], packages: [], djangoVersion: [5, 2], djangoVersionPinned: true }],
    findings: [{ code: 'DJR101', name: 'hardcoded-secret-key', severity: 'error', file: '/ws/s.py', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'm', fixes: [{ id: 'DJR101@/ws/s.py:1:1#fix', title: 't', applicability: 'safe', edits: [] }] }],
    notes: [],
    applicability: { DJR101: true, DJR102: true },
    stats: { filesFound: 0, pythonFiles: 0, parsed: 0, skippedByPrefilter: 0, skippedLargeOrBinary: 0, ms: 0 },
  };
  const ticks = emptyManualState();
  ticks.items['database.backups'] = { done: true };
  const rules = [{ meta: { code: 'DJR101', name: 'hardcoded-secret-key', category: 'secrets', severity: 'error', kind: 'settings', seeds: ['000'], message: 'm', fix: 'safe', docs: { what: '', why: '', example: '', instead: '', references: [] } } }] as never;
  const model = new ChecklistTreeModel();
  model.setFolder({ uri: 'file:///ws', name: 'ws', report: buildChecklist(result, ticks, rules) });
  const values: string[] = [];
  const walk = (nodes: ChecklistNode[]) => {
    for (const n of nodes) {
      const v = model.treeItem(n).contextValue;
      if (v) values.push(v);
      walk(model.children(n));
    }
  };
  walk(model.children());
  const itemMenus = (contributes.menus['view/item/context'] as MenuEntry[]).filter((e) => e.when?.includes(`view == ${VIEW_ID}`));
  assert.ok(itemMenus.length >= 4);
  for (const e of itemMenus) {
    const m = /viewItem =~ \/(.+)\/$/.exec(e.when ?? '');
    assert.ok(m, `${e.command}: expected a viewItem =~ /.../ clause`);
    const re = new RegExp(m[1]);
    assert.ok(values.some((v) => re.test(v)), `${e.command}: /${m[1]}/ matches no context value (${[...new Set(values)].join(' | ')})`);
  }
  // and the manual actions never show on rule verdicts
  assert.ok(!values.some((v) => /\bmanualOpen\b/.test(v) && /\bfailed\b/.test(v)));
});
