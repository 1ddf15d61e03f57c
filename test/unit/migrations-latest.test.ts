/**
 * DJR711 judges each app's most recent migration only: which one that is depends on the other
 * files of the migrations folder, so adding a migration must drop the cached result of the
 * previous latest one (Analyzer.invalidateFolder, called by the language server's watcher).
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { MemoryFileSystem } from '../../server/src/engine';
import { analyzerFor, config, ready } from '../helpers/fixtures';

const IRREVERSIBLE = 'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.RunPython(lambda apps, schema_editor: None),\n    ]\n';

before(ready);

test('a new migration makes the previous one old: its DJR711 goes once the folder is invalidated', () => {
  const mem = new MemoryFileSystem({
    'manage.py': '',
    'mysite/settings.py': 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\n',
    'shop/migrations/__init__.py': '',
    'shop/migrations/0001_initial.py': IRREVERSIBLE,
  }, '/p');
  const an = analyzerFor(mem);
  const djr711 = () => an.analyze('/p', config()).findings.filter((f) => f.code === 'DJR711').map((f) => f.file.slice('/p/'.length)).sort();
  assert.deepEqual(djr711(), ['shop/migrations/0001_initial.py']);
  mem.write('/p/shop/migrations/0002_more.py', IRREVERSIBLE);
  an.invalidateFolder('/p/shop/migrations');
  assert.deepEqual(djr711(), ['shop/migrations/0002_more.py']);
});
