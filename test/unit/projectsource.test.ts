/** Other project modules read as text: definitions and class members that are literals. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classLiteral, definitionText } from '../../server/src/engine';

const source = [
  'import enum',
  '',
  '',
  'class NotifyLevel(enum.IntEnum):',
  '    """Levels."""',
  '',
  '    involved = 1',
  '    none = 3',
  '    label: str = "Level"',
  '    twice = "a"',
  '    twice = "b"',
  '    computed = make()',
  '',
  '    def method(self):',
  '        hidden = 5',
  '        return hidden',
  '',
  '',
  'OTHER = 1',
  '',
].join('\n');

describe('classLiteral', () => {
  const cls = definitionText(source, ['NotifyLevel']) ?? '';

  test('a member set once to a number or a string, annotated or not', () => {
    assert.equal(classLiteral(cls, 'none'), true);
    assert.equal(classLiteral(cls, 'involved'), true);
    assert.equal(classLiteral(cls, 'label'), true);
  });

  test('not: assigned twice, computed, a local of a method, absent, outside the class', () => {
    assert.equal(classLiteral(cls, 'twice'), false);
    assert.equal(classLiteral(cls, 'computed'), false);
    assert.equal(classLiteral(cls, 'hidden'), false);
    assert.equal(classLiteral(cls, 'missing'), false);
    assert.equal(classLiteral(cls, 'OTHER'), false);
  });
});
