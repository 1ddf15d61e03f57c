/**
 * Rule patterns in the configuration: select / ignore / severity keys accept codes, prefixes
 * (DJR3) and wildcards (DJR3*, DJR30?); for severities the most specific key wins.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { codeMatches, MemoryFileSystem, mergeConfig, parsePyprojectConfig, ruleEnabled, severityOverride } from '../../server/src/engine';
import { analyze, ready } from '../helpers/fixtures';

before(ready);

test('codeMatches: codes, prefixes, * and ? wildcards, ALL', () => {
  assert.ok(codeMatches('DJR304', 'DJR304'));
  assert.ok(codeMatches('DJR3', 'DJR304'));
  assert.ok(codeMatches('DJR3*', 'DJR304'));
  assert.ok(codeMatches('djr30?', 'DJR304'));
  assert.ok(!codeMatches('DJR30?', 'DJR314'));
  assert.ok(!codeMatches('DJR3*', 'DJR404'));
  assert.ok(codeMatches('ALL', 'DJR404'));
  assert.ok(codeMatches('*', 'DJR404'));
});

test('severity overrides: wildcards, the most specific key wins, off disables', () => {
  const c = mergeConfig({ severity: { 'DJR3*': 'hint', 'DJR30*': 'info', DJR304: 'error', 'DJR9*': 'off' } });
  assert.equal(severityOverride(c, 'DJR304'), 'error');
  assert.equal(severityOverride(c, 'DJR305'), 'info');
  assert.equal(severityOverride(c, 'DJR314'), 'hint');
  assert.equal(severityOverride(c, 'DJR101'), undefined);
  assert.equal(ruleEnabled(c, 'DJR909'), false);
  assert.equal(ruleEnabled(c, 'DJR314'), true);
  assert.equal(ruleEnabled(mergeConfig({ ignore: ['DJR3*'] }), 'DJR301'), false);
  assert.equal(ruleEnabled(mergeConfig({ select: ['DJR1*'] }), 'DJR301'), false);
});

test('pyproject.toml severity keys with wildcards reach the findings', () => {
  const cfg = parsePyprojectConfig('/p/pyproject.toml', '[tool.django-readiness]\nseverity = { "DJR3*" = "hint", DJR301 = "error" }\n');
  assert.deepEqual(cfg.severity, { 'DJR3*': 'hint', DJR301: 'error' });
  const mem = new MemoryFileSystem({
    'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
    'mysite/__init__.py': '',
    'mysite/settings.py': "import os\nSECRET_KEY = os.environ['K']\nDEBUG = False\nALLOWED_HOSTS = ['a.example']\nMIDDLEWARE = ['django.middleware.security.SecurityMiddleware']\n",
  }, '/p');
  const res = analyze(mem, '/p', cfg);
  const sev = (code: string) => res.findings.find((f) => f.code === code)?.severity;
  assert.equal(sev('DJR301'), 'error');
  assert.equal(sev('DJR304'), 'hint');
});
