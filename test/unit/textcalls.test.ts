/**
 * Calls read from Python text without parsing it (engine/textcalls.ts), for prefilters: every
 * call tree-sitter would see is found or the scan says it is unsure.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allRules } from '../../rules/index.generated';
import { dottedCall, maskPython, scanCalls, unwrap } from '../../server/src/engine';

const RUN = new Set(['RunPython', 'RunSQL']);
const RE = /\bRun(?:Python|SQL)\b/;
const rule = (code: string) => {
  const r = allRules.find((x) => x.meta.code === code);
  assert.ok(r?.prefilter);
  return r.prefilter;
};

describe('calls read from the text', () => {
  test('masking blanks comments and string contents, keeps offsets and quotes', () => {
    const src = 'x = "a(b" # c)\ny = f\'{RunPython(1)}\'\nz = """\n)\n"""\n';
    const m = maskPython(src);
    assert.equal(m.masked.length, src.length);
    assert.equal(m.masked.split('\n')[0], 'x = "   "     ');
    assert.equal(m.fstrings.length, 1);
    assert.ok(!m.masked.includes(')\n"""'));
  });

  test('arguments: positional, keywords, splats, nested brackets and strings with commas', () => {
    const s = scanCalls('migrations.RunPython(forward, reverse_code=f(a, b), hints={"x": [1, 2]},)\nRunSQL("a, b", *rest)\n', RUN, RE);
    assert.equal(s.unsure, false);
    assert.deepEqual(
      s.calls.map((c) => [c.name, c.args.map((a) => `${a.keyword ?? ''}${a.splat ? '*' : ''}=${a.value.replace(/\s+/g, '')}`)]),
      [
        ['RunPython', ['=forward', 'reverse_code=f(a,b)', 'hints={"":[1,2]}']],
        ['RunSQL', ['=""', '*=*rest']],
      ],
    );
  });

  test('references that are no call of the name are harmless; aliases, passed references, f-strings and chained calls are unsure', () => {
    assert.equal(scanCalls('from django.db.migrations import RunPython, RunSQL\nx = migrations.RunPython.noop\n# RunPython\n"RunSQL"\n', RUN, RE).unsure, false);
    assert.equal(scanCalls('from django.db.migrations import (\n    RunPython,\n    RunSQL,\n)\n', RUN, RE).unsure, false);
    for (const src of ['from django.db.migrations import RunPython as RP\n', 'op = migrations.RunPython\n', 'x = f"{migrations.RunPython(f)}"\n', 'migrations.RunPython(f, g)(h)\n', 'migrations.RunPython(f, g\n', 'ops = [(migrations.RunPython)(f)]\n']) {
      assert.equal(scanCalls(src, RUN, RE).unsure, true, src);
    }
  });

  test('unwrap and dotted calls', () => {
    assert.equal(unwrap(' ((None)) '), 'None');
    assert.equal(unwrap('(a)(b)'), '(a)(b)');
    const c = dottedCall('(models.CharField(max_length=3, null=True))');
    assert.ok(c && c !== 'other');
    assert.equal(c.name, 'CharField');
    assert.equal(c.dotted, true);
    assert.deepEqual(c.args.map((a) => a.keyword), ['max_length', 'null']);
    assert.equal(dottedCall('field_factory()(x)'), 'other');
    assert.equal(dottedCall('some_field'), undefined);
  });
});

describe('migration prefilters read the calls', () => {
  test('DJR711: only a RunPython/RunSQL call without a reverse (or with None), or a use it cannot read', () => {
    const p = rule('DJR711');
    assert.equal(p.test('ops = [migrations.RunPython(f, g), migrations.RunSQL("x", reverse_sql="y"), migrations.RunPython(f, reverse_code=migrations.RunPython.noop)]'), false);
    assert.equal(p.test('ops = [migrations.RunPython(**kw)]'), false);
    assert.equal(p.test('ops = [migrations.RunPython(f)]'), true);
    // a lambda's parameters are no arguments of the call
    assert.equal(p.test('ops = [migrations.RunPython(lambda apps, schema_editor: None)]'), true);
    assert.equal(p.test('ops = [migrations.RunPython(lambda apps, schema_editor: None, lambda a, b: None)]'), false);
    assert.equal(p.test('ops = [migrations.RunPython(lambda a=lambda: 0, b=1: None)]'), true);
    assert.equal(p.test('ops = [migrations.RunPython(f, None)]'), true);
    assert.equal(p.test('ops = [migrations.RunSQL("x", reverse_sql=(None))]'), true);
    assert.equal(p.test('ops = [migrations.RunSQL("x", reverse_code="y")]'), true);
    assert.equal(p.test('from django.db.migrations import RunPython as RP\nops = [RP(f, g)]'), true);
  });

  test('DJR712: only an AddField whose field can be NOT NULL without a default, or a use it cannot read', () => {
    const p = rule('DJR712');
    const add = (field: string) => `ops = [migrations.AddField(model_name="a", name="b", field=${field})]`;
    assert.equal(p.test(add('models.CharField(max_length=3, null=True)')), false);
    assert.equal(p.test(add('models.IntegerField(default=0)')), false);
    assert.equal(p.test(add('models.ManyToManyField(to="x")')), false);
    assert.equal(p.test(add('models.CharField(max_length=3, blank=True)')), false);
    assert.equal(p.test(add('models.DateTimeField(auto_now_add=True)')), false);
    assert.equal(p.test(add('some_field')), false);
    assert.equal(p.test(add('models.CharField(max_length=3)')), true);
    assert.equal(p.test(add('models.IntegerField(null=False)')), true);
    assert.equal(p.test(add('ManyToManyField(to="x")')), true); // a bare name may be an alias
    assert.equal(p.test(add('make_field()(x)')), true);
    assert.equal(p.test('ops = [migrations.AddField("a", "b", models.TextField())]'), true);
    assert.equal(p.test('ops = [migrations.AddField("a", "b", models.TextField(null=True))]'), false);
  });
});
