/**
 * Which Python files are test code (the code rules skip them unless include-tests is on): test
 * modules by name, and every file under a folder of tests, including names such as
 * playwright_tests/ or functional_tests/ (kitsune keeps its browser tests in playwright_tests/).
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { isTestDirName, listFiles, MemoryFileSystem } from '../../server/src/engine';
import { analyze, ready } from '../helpers/fixtures';

describe('test files', () => {
  before(ready);

  test('folders of tests by name', () => {
    for (const n of ['tests', 'test', 'Tests', 'playwright_tests', 'functional_tests', 'integration_test', 'tests_e2e', 'test_utils']) assert.ok(isTestDirName(n), n);
    for (const n of ['contests', 'latest', 'testimonials', 'attestation', 'api', 'protests_app']) assert.ok(!isTestDirName(n), n);
  });

  test('files under such a folder are marked as tests; application files are not', () => {
    const mem = new MemoryFileSystem();
    for (const p of ['tests/test_a.py', 'playwright_tests/core/utilities.py', 'shop/functional_tests/helpers.py', 'contests/views.py', 'shop/views.py', 'shop/test_views.py', 'netbox/configuration_testing.py']) mem.write(`/p/${p}`, '');
    const inv = listFiles('/p', mem, { exclude: [] });
    const tests = inv.files.filter((f) => f.isTest).map((f) => f.path.slice(3));
    assert.deepEqual(tests.sort(), ['netbox/configuration_testing.py', 'playwright_tests/core/utilities.py', 'shop/functional_tests/helpers.py', 'shop/test_views.py', 'tests/test_a.py']);
  });

  test('a code rule does not report in playwright_tests/ (DJR608: requests without a timeout)', () => {
    const mem = new MemoryFileSystem();
    mem.write('/p/manage.py', "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n");
    mem.write('/p/mysite/__init__.py', '');
    mem.write('/p/mysite/settings.py', "DEBUG = False\n");
    const code = 'import requests\n\n\ndef fetch(url):\n    return requests.get(url)\n';
    mem.write('/p/playwright_tests/core/utilities.py', code);
    mem.write('/p/shop/client.py', code);
    const found = analyze(mem, '/p').findings.filter((f) => f.code === 'DJR608').map((f) => f.file.slice(3));
    assert.deepEqual(found, ['shop/client.py']);
  });
});
