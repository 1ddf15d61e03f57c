/**
 * The VS Code client's logic that needs no VS Code: the settings payload built from inspect()
 * results, the status item's text, the production-module choices, and package.json's
 * contributions checked against the code.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { CATEGORY, COMMAND_TITLES, COMMANDS } from '../../client/src/commandIds';
import { DOCUMENT_SELECTOR, documentSelector } from '../../client/src/selector';
import { buildSettingsPayload, explicitValue, type InspectResult } from '../../client/src/settingsPayload';
import { presentStatus, productionChoices, statusFor } from '../../client/src/statusModel';
import { DEFAULT_THRESHOLDS, mergeConfig } from '../../server/src/engine';
import type { StatusParams } from '../../server/src/protocol/messages';
import { resolveSettings, SETTING_KEYS } from '../../server/src/protocol/settings';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string; title: string; category?: string }[]; configuration: { properties: Record<string, { default?: unknown; scope?: string }> } };
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: boolean } };
};

describe('client: settings payload from inspect()', () => {
  test('only explicitly set values are sent; defaults never are', () => {
    const inspected: Record<string, InspectResult> = {
      enable: { defaultValue: true },
      'rules.select': { defaultValue: [], workspaceValue: ['DJR1'] },
      'rules.severity': { defaultValue: {}, globalValue: { DJR101: 'warning', DJR201: 'info' }, workspaceFolderValue: { DJR201: 'off' } },
      'hsts.minSeconds': { defaultValue: 31536000, globalValue: 600, workspaceValue: 3600 },
      run: { defaultValue: 'onType' },
      productionSettingsModule: { defaultValue: '', workspaceFolderValue: 'mysite.settings.prod' },
    };
    const payload = buildSettingsPayload((k) => inspected[k]);
    assert.deepEqual(payload, {
      rules: { select: ['DJR1'], severity: { DJR101: 'warning', DJR201: 'off' } },
      hsts: { minSeconds: 3600 },
      productionSettingsModule: 'mysite.settings.prod',
    });
    // and the server turns it into the editor's part of the configuration
    const { config } = resolveSettings(payload);
    const merged = mergeConfig({ select: ['DJR9'], severity: { DJR101: 'error', DJR301: 'hint' }, thresholds: { hstsMinSeconds: 60, passwordMinLength: 20 } }, config);
    assert.deepEqual(merged.select, ['DJR1']);
    assert.deepEqual(merged.severity, { DJR101: 'warning', DJR201: 'off', DJR301: 'hint' });
    assert.equal(merged.thresholds.hstsMinSeconds, 3600, 'set in the editor: wins');
    assert.equal(merged.thresholds.passwordMinLength, 20, 'only in pyproject.toml: pyproject decides');
    assert.equal(merged.thresholds.jwtAccessTokenMaxMinutes, 15, 'nowhere: default');
  });

  test('nothing set: an empty payload; inspect failures are ignored', () => {
    assert.deepEqual(buildSettingsPayload(() => ({ defaultValue: 1 })), {});
    assert.deepEqual(
      buildSettingsPayload(() => {
        throw new Error('no');
      }),
      {},
    );
    assert.equal(explicitValue(undefined, 'value'), undefined);
    assert.equal(explicitValue({ globalValue: false }, 'value'), false, 'false is a value');
  });
});

describe('client: status item and production module choices', () => {
  const status = (over: Partial<StatusParams> = {}): StatusParams => ({
    uri: 'file:///w/a',
    enabled: true,
    projects: [
      {
        root: '/w/a',
        productionModule: '/w/a/mysite/settings/production.py',
        productionDotted: 'mysite.settings.production',
        productionReason: 'named like production',
        settingsModules: [
          { path: '/w/a/mysite/settings/base.py', dotted: 'mysite.settings.base', role: 'base' },
          { path: '/w/a/mysite/settings/production.py', dotted: 'mysite.settings.production', role: 'production' },
        ],
      },
    ],
    counts: { error: 2, warning: 1, info: 0, hint: 0 },
    hasDjangoProject: true,
    files: 1,
    ms: 3,
    ...over,
  });

  test('the status shows the production module and the Problems panel counts; the reason goes in the action tooltip', () => {
    const p = presentStatus(status());
    assert.equal(p.text, '$(shield) mysite.settings.production');
    assert.equal(p.detail, '2 errors, 1 warning');
    assert.equal(p.reason, 'named like production');
    assert.equal(p.severity, 'error');
    assert.equal(presentStatus(status({ counts: { error: 5, warning: 17, info: 5, hint: 1 } })).detail, '5 errors, 17 warnings, 5 info');
    assert.equal(presentStatus(undefined).detail, 'analysing…');
    assert.match(presentStatus(status({ enabled: false })).detail, /disabled/);
    assert.equal(presentStatus(status({ projects: [] })).text, '$(question) No production settings');
    // a file the module loads that the analysis could not read (a gitignored local.py) is said in the tooltip
    const base = status().projects[0];
    const unread = presentStatus(status({ projects: [{ ...base, unread: [{ file: '/w/a/mysite/settings/local.py', from: base.productionModule as string, line: 12, kind: 'star-import', state: 'missing', ignored: true }] }] }));
    assert.equal(unread.reason, 'named like production; it also loads local.py, not read (not in the repository or exec\'d): the settings it may set are unknown');
  });

  test('the status says when production is unknown (with the candidates) or the configured module matches nothing', () => {
    const unknown = presentStatus(status({ projects: [{ root: '/w/a', productionReason: 'unknown: 2 candidate modules and nothing says which one runs in production', candidates: ['s.qa', 's.staging'], settingsModules: [] }] }));
    assert.equal(unknown.text, '$(question) No production settings');
    assert.equal(unknown.detail, 'unknown: 2 candidate modules and nothing says which one runs in production (s.qa, s.staging) · 2 errors, 1 warning');
    assert.equal(unknown.severity, 'warning');
    const missing = presentStatus(status({ projects: [{ root: '/w/a', productionReason: 'the configured production settings module s.nope is not a settings module of this project', configuredMissing: 's.nope', candidates: ['s.settings'], settingsModules: [] }] }));
    assert.equal(missing.text, '$(error) Production settings not found');
    assert.equal(missing.severity, 'error');
  });

  test('outside a Django project the status stays neutral', () => {
    const p = presentStatus(status({ hasDjangoProject: false, projects: [{ root: '/w/a', productionReason: 'no Django project found', settingsModules: [] }], counts: { error: 0, warning: 0, info: 0, hint: 0 } }));
    assert.equal(p.text, '$(circle-slash) No Django project');
    assert.equal(p.severity, 'info');
  });

  test('the status of the active file’s folder (deepest first)', () => {
    const a = status();
    const b = status({ uri: 'file:///w/a/sub', counts: { error: 0, warning: 0, info: 0, hint: 0 } });
    const fsPath = (u: string) => u.replace('file://', '');
    assert.equal(statusFor([a, b], fsPath, '/w/a/sub/x.py'), b);
    assert.equal(statusFor([a, b], fsPath, '/w/a/x.py'), a);
    assert.equal(statusFor([a, b], fsPath, '/elsewhere/x.py'), a);
  });

  test('choices: automatic detection, then every discovered module', () => {
    const ch = productionChoices([status()], () => 'a');
    assert.deepEqual(
      ch.map((c) => [c.label, c.value, c.current]),
      [
        ['$(sync) Automatic detection', undefined, true],
        ['mysite.settings.base', 'mysite.settings.base', false],
        ['mysite.settings.production', 'mysite.settings.production', false],
      ],
    );
    assert.equal(ch[2].description, 'production · detected');
    const configured = status();
    configured.projects[0].productionReason = 'configured';
    const ch2 = productionChoices([configured, status({ uri: 'file:///w/b' })], (u) => u.slice(-1));
    assert.equal(ch2[0].label, 'a: $(sync) Automatic detection');
    assert.equal(ch2[0].current, false);
    assert.equal(ch2.find((c) => c.value === 'mysite.settings.production' && c.folderUri === 'file:///w/a')?.current, true);
  });
});

describe('client: package.json contributions', () => {
  test('every command of the table is contributed with its title and category', () => {
    for (const [name, id] of Object.entries(COMMANDS)) {
      const c = pkg.contributes.commands.find((x) => x.command === id);
      assert.ok(c, `${id} missing from contributes.commands`);
      assert.equal(c.title, COMMAND_TITLES[name as keyof typeof COMMANDS]);
      assert.equal(c.category, CATEGORY);
    }
  });

  test('every setting the client sends is contributed, with the engine defaults', () => {
    const props = pkg.contributes.configuration.properties;
    for (const { key } of SETTING_KEYS) assert.ok(props[`djangoReadiness.${key}`], `djangoReadiness.${key} not contributed`);
    assert.equal(props['djangoReadiness.jwt.accessTokenMaxMinutes'].default, DEFAULT_THRESHOLDS.jwtAccessTokenMaxMinutes);
    assert.equal(props['djangoReadiness.jwt.refreshTokenMaxDays'].default, DEFAULT_THRESHOLDS.jwtRefreshTokenMaxDays);
    assert.equal(props['djangoReadiness.hsts.minSeconds'].default, DEFAULT_THRESHOLDS.hstsMinSeconds);
    assert.equal(props['djangoReadiness.passwords.minLength'].default, DEFAULT_THRESHOLDS.passwordMinLength);
    assert.equal(props['djangoReadiness.trace.server'].scope, 'window');
  });

  test('activation, untrusted workspaces and the document selector', () => {
    assert.ok(pkg.activationEvents.includes('workspaceContains:**/manage.py'));
    assert.ok(pkg.activationEvents.includes('onLanguage:python'));
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
    assert.ok(DOCUMENT_SELECTOR.some((f) => f.language === 'python'));
    assert.ok(DOCUMENT_SELECTOR.some((f) => f.pattern?.includes('Procfile')));
    assert.ok(DOCUMENT_SELECTOR.some((f) => f.pattern?.includes('requirements')));
    assert.ok(DOCUMENT_SELECTOR.every((f) => f.scheme === 'file'));
  });

  test('templates are synced in Django workspaces only: django-html, html, .djhtml; never jinja-html', () => {
    const langs = (s: { language?: string; pattern?: string }[]) => s.map((f) => f.language ?? f.pattern);
    assert.deepEqual(documentSelector(false), DOCUMENT_SELECTOR);
    assert.ok(!langs(DOCUMENT_SELECTOR).some((l) => /html/.test(l ?? '')));
    const django = langs(documentSelector(true));
    for (const l of ['django-html', 'html', '**/*.djhtml', 'python']) assert.ok(django.includes(l), l);
    assert.ok(!django.includes('jinja-html'));
  });
});
