/**
 * Reading files as the programs that run them do (issue 17, point 7, reading side): PEP 263
 * `coding:` declarations and byte order marks decide how bytes become text; what is not valid
 * UTF-8 is read as Latin-1 byte for byte (so the same bytes can be written back); a settings
 * module with CR-only line breaks (Python runs it) is analysed like its LF twin.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import { Analyzer, codingDeclaration, decodeBytes, encodeText, MemoryFileSystem, NodeFileSystem, normalizeEncodingName } from '../../server/src/engine';
import { config, fixturesRoot, loadFolder, ready } from '../helpers/fixtures';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('decoding: PEP 263 and byte order marks', () => {
  test('a coding declaration on line 1 or 2 decides', () => {
    const latin = bytes('# -*- coding: latin-1 -*-\nNAME = "caf', [0xe9], '"\n');
    const d = decodeBytes(latin, { python: true });
    assert.equal(d.encoding, 'latin-1');
    assert.equal(d.source, 'declaration');
    assert.ok(d.text.includes('NAME = "café"'));
    // line 2 after a shebang
    assert.equal(codingDeclaration(bytes('#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-15 :\n')), 'iso-8859-15');
    // line 2 counts only when line 1 is blank or a comment (Python's rule)
    assert.equal(codingDeclaration(bytes('import os\n# coding: latin-1\n')), undefined);
    assert.equal(codingDeclaration(bytes('\n# coding=cp1252\n')), 'cp1252');
    // bytes that are valid UTF-8 are still read as the declaration says (Python does)
    assert.equal(decodeBytes(bytes('# coding: latin-1\nX = "', [0xc3, 0xa9], '"\n'), { python: true }).text, '# coding: latin-1\nX = "Ã©"\n');
    // not for files other than Python
    assert.equal(decodeBytes(bytes('# coding: latin-1\nX=', [0xc3, 0xa9], '\n')).text, '# coding: latin-1\nX=é\n');
  });

  test('Python spellings of encoding names', () => {
    for (const n of ['latin-1', 'Latin1', 'ISO-8859-1', 'iso_8859_1', 'l1', 'latin-1-unix', 'iso-latin-1']) assert.equal(normalizeEncodingName(n), 'latin-1', n);
    for (const n of ['utf-8', 'UTF8', 'utf_8', 'utf-8-unix', 'u8']) assert.equal(normalizeEncodingName(n), 'utf-8', n);
    assert.equal(normalizeEncodingName('cp1252'), 'windows-1252');
    assert.equal(normalizeEncodingName('iso-8859-15'), 'iso-8859-15');
    assert.equal(normalizeEncodingName('no-such-codec'), undefined);
  });

  test('cp1252 is not Latin-1: 0x80 is the euro sign in one and U+0080 in the other', () => {
    assert.equal(decodeBytes(bytes('# coding: cp1252\nX = "', [0x80], '"\n'), { python: true }).text.includes('X = "€"'), true);
    const fallback = decodeBytes(bytes('X = "', [0x80], '"\n'));
    assert.equal(fallback.encoding, 'latin-1');
    assert.equal(fallback.source, 'fallback');
    assert.equal(fallback.text, 'X = "\u0080"\n');
  });

  test('byte order marks: UTF-8 stripped, UTF-16 and UTF-32 decoded (pip reads requirements files so)', () => {
    const u8 = decodeBytes(bytes([0xef, 0xbb, 0xbf], 'django==5.0\n'));
    assert.deepEqual([u8.text, u8.encoding, u8.bom], ['django==5.0\n', 'utf-8', true]);
    const u16 = decodeBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('django==5.0\r\n', 'utf16le')]));
    assert.deepEqual([u16.text, u16.encoding, u16.bom], ['django==5.0\r\n', 'utf-16le', true]);
    const be = Buffer.from('gunicorn\n', 'utf16le').swap16();
    assert.equal(decodeBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), be])).text, 'gunicorn\n');
    const u32 = decodeBytes(Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from([0x41, 0, 0, 0, 0x0a, 0, 0, 0])]));
    assert.deepEqual([u32.text, u32.encoding], ['A\n', 'utf-32le']);
  });

  test('an unknown declared codec is recorded; the text is still read', () => {
    const d = decodeBytes(bytes('# coding: klingon\nX = 1\n'), { python: true });
    assert.equal(d.unknownDeclaration, 'klingon');
    assert.equal(d.text, '# coding: klingon\nX = 1\n');
  });

  test('encodeText gives back the same bytes, or refuses a character the encoding cannot hold', () => {
    const cases: Buffer[] = [
      bytes('# -*- coding: latin-1 -*-\nX = "', [0xe9, 0x80, 0xff], '"\n'),
      bytes('# coding: cp1252\nX = "', [0x80, 0x99], '"\n'),
      bytes([0xef, 0xbb, 0xbf], 'X = "é"\n'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('X = "é"\n', 'utf16le')]),
      bytes('X = "', [0xff, 0xfe], '"\n'), // not UTF-8: Latin-1 byte for byte
    ];
    for (const b of cases) {
      const d = decodeBytes(b, { python: true });
      assert.deepEqual(Buffer.from(encodeText(d.text, d) ?? []), b, d.encoding);
    }
    assert.equal(encodeText('€', { encoding: 'latin-1', bom: false }), undefined);
    assert.equal(encodeText('é', { encoding: 'ascii', bom: false }), undefined);
    assert.equal(encodeText('\ud800', { encoding: 'utf-8', bom: false }), undefined);
    assert.deepEqual([...(encodeText('€', { encoding: 'windows-1252', bom: false }) ?? [])], [0x80]);
  });

  test('NodeFileSystem decodes a Python file by its declaration', () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'djr-enc-')));
    try {
      const file = path.join(dir, 'settings.py');
      fs.writeFileSync(file, bytes('# -*- coding: latin-1 -*-\nX = "', [0xc3, 0xa9], '"\n'));
      assert.equal(new NodeFileSystem({ roots: [dir] }).readFile(file), '# -*- coding: latin-1 -*-\nX = "Ã©"\n');
      const req = path.join(dir, 'requirements.txt');
      fs.writeFileSync(req, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('django==4.2\n', 'utf16le')]));
      assert.equal(new NodeFileSystem({ roots: [dir] }).readFile(req), 'django==4.2\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CR-only line breaks', () => {
  before(ready);

  test('a CR-only project is analysed like its LF twin (same findings, same positions)', () => {
    const lf = loadFolder(path.join(fixturesRoot, 'projects', 'tutorial'), '/p');
    const cr = new MemoryFileSystem();
    for (const [p, t] of lf.files) cr.write(p, t.replace(/\r?\n/g, '\r'));
    const sig = (fsys: MemoryFileSystem) =>
      new Analyzer({ rules: allRules, fs: fsys })
        .analyze('/p', config())
        .findings.map((f) => `${f.code} ${f.file} ${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`);
    const a = sig(lf);
    assert.ok(a.some((x) => x.startsWith('DJR101 /p/mysite/settings.py')));
    assert.deepEqual(sig(cr), a);
  });

  test('a module mixing CR, LF and CRLF has no syntax error', () => {
    const fsys = new MemoryFileSystem({ 'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n", 'mysite/__init__.py': '', 'mysite/settings.py': "import os\rDEBUG = False\r\nSECRET_KEY = 'abc-not-a-real-key-but-long-enough-0123456789'\nALLOWED_HOSTS = [\r    'example.com',\r]\r" }, '/m');
    const r = new Analyzer({ rules: allRules, fs: fsys }).analyze('/m', config());
    assert.ok(!r.notes.some((n) => n.kind === 'syntax-error'), JSON.stringify(r.notes));
    const key = r.findings.find((f) => f.code === 'DJR101');
    assert.equal(key?.range.start.line, 2);
  });
});
