/**
 * Where a new item goes in a top-level block list of a YAML file (Dependabot's `updates:`), wherever
 * the key is in the file: after the list's last item (its nested lists and trailing comment on the
 * same line included), before whatever follows (another key, comments), indented like the items.
 * Files YAML cannot read, flow lists (`updates: []`) or anything else are refused with a reason:
 * the caller then offers no fix rather than a wrong one.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';

export type ListInsertion =
  | { ok: true; /** UTF-16 offset of the insertion. */ offset: number; /** Indentation of the items' `-`. */ indent: string; /** A line break must precede the new text (the file ends without one). */ breakBefore: boolean }
  | { ok: false; reason: string };

export function topLevelListEnd(text: string, key: string): ListInsertion {
  if (text.includes('\r') && !text.includes('\n')) return { ok: false, reason: 'the file uses old Mac line breaks' };
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: false });
  } catch {
    return { ok: false, reason: 'the file is not valid YAML' };
  }
  if (doc.errors.length > 0) return { ok: false, reason: 'the file is not valid YAML' };
  if (!isMap(doc.contents)) return { ok: false, reason: 'the file is not a YAML mapping' };
  const pairs = doc.contents.items.filter((p) => isScalar(p.key) && p.key.value === key);
  if (pairs.length !== 1) return { ok: false, reason: pairs.length === 0 ? `the file has no ${key}: key` : `${key}: appears more than once` };
  const value = pairs[0].value;
  if (!isSeq(value) || value.items.length === 0) return { ok: false, reason: `${key}: is not a list with items` };
  if (value.flow) return { ok: false, reason: `${key}: is written as a flow list ([...])` };
  const first = value.items[0] as { range?: [number, number, number] };
  const last = value.items[value.items.length - 1] as { range?: [number, number, number] };
  if (!first.range || !last.range) return { ok: false, reason: `the items of ${key}: have no position` };
  // the indentation of the first item's dash
  const lineStart = text.lastIndexOf('\n', first.range[0] - 1) + 1;
  const lead = text.slice(lineStart, first.range[0]);
  const dash = /^(\s*)-\s+$/.exec(lead);
  if (!dash) return { ok: false, reason: `the first item of ${key}: does not start its line` };
  // after the last item: the end of the line its value ends on
  let offset = last.range[1];
  if (offset > 0 && text[offset - 1] !== '\n') {
    const nl = text.indexOf('\n', offset);
    offset = nl < 0 ? text.length : nl + 1;
  }
  return { ok: true, offset, indent: dash[1], breakBefore: offset === text.length && text.length > 0 && !text.endsWith('\n') };
}
