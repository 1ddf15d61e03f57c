import type { Node } from 'web-tree-sitter';
import { field, defineRule, stringContent, unparen } from '../../server/src/engine';

/** DRF's model serializers (and a project's own base class named like one). */
const MODEL_SERIALIZER = /(^|\.)(ModelSerializer|HyperlinkedModelSerializer)$/;

export default defineRule({
  meta: {
    code: 'DJR612',
    name: 'serializer-all-fields',
    category: 'api',
    severity: 'warning',
    kind: 'code',
    seeds: ['001', '003'],
    message: "A model serializer exposes every field (Meta.fields = '__all__')",
    fix: 'none',
    docs: {
      what: "Flags DRF `ModelSerializer` / `HyperlinkedModelSerializer` subclasses (resolved through the imports and the classes of the file; a base class of the project named like them counts) whose `Meta` says `fields = '__all__'` (or `serializers.ALL_FIELDS`). When the file uses the serializer only as a nested read-only field (`history = HistorySerializer(read_only=True, many=True)`) the message says that every field is shown to readers, not that it takes writes (a use in another file, a view's `serializer_class`, is not seen from here).",
      why: "`'__all__'` makes every model field readable and writable through the API, including the ones added later: a new `is_staff`, `owner`, `price` or `password` column becomes writable by any client that can call the endpoint (mass assignment) and readable by everyone who can list it. Listing the fields makes each exposure a decision in review.",
      example: "class ProfileSerializer(serializers.ModelSerializer):\n    class Meta:\n        model = Profile\n        fields = '__all__'",
      instead: "class ProfileSerializer(serializers.ModelSerializer):\n    class Meta:\n        model = Profile\n        fields = ['id', 'display_name', 'bio']\n        read_only_fields = ['id']",
      references: [
        'https://www.django-rest-framework.org/api-guide/serializers/#specifying-which-fields-to-include',
        'https://owasp.org/API-Security/editions/2023/en/0xa3-broken-object-property-level-authorization/',
        'https://cheatsheetseries.owasp.org/cheatsheets/Mass_Assignment_Cheat_Sheet.html',
      ],
    },
  },
  prefilter: /fields\s*=\s*\(?\s*["']__all__["']|ALL_FIELDS/,
  create(ctx) {
    const model = ctx.semantic;
    const found: { node: Node; name: string | undefined }[] = [];
    /** Per class name, its calls with read_only=True in this file (nested fields that only read). */
    const readOnlyCalls = new Map<string, number>();
    /**
     * Whether every use of the serializer in this file is a read-only nested field: its name
     * appears nowhere else than in its `class` line and those calls (a use in another file is
     * not seen: the message says "in this file").
     */
    const onlyReadOnly = (name: string) => {
      const calls = readOnlyCalls.get(name) ?? 0;
      if (calls === 0) return false;
      const mentions = ctx.module.text.match(new RegExp(`(?<!\\w)${name}(?!\\w)`, 'g'))?.length ?? 0;
      return mentions === calls + 1;
    };
    return {
      class_definition(cls) {
        // the inner `class Meta:` of a serializer
        if (field(cls, 'name')?.text !== 'Meta') return;
        const outer = model.enclosingClass(cls);
        if (!outer || model.scopeOf(cls) !== outer) return;
        const isSerializer = model.ancestors(outer.node).some((a) => MODEL_SERIALIZER.test(a.qualified ?? a.text));
        if (!isSerializer) return;
        const fields = model.scopeFor(cls)?.bindings.get('fields') ?? [];
        for (const b of fields) {
          if (b.kind !== 'assignment' || !b.value) continue;
          const v = unparen(b.value);
          const all = (v.type === 'string' && stringContent(v) === '__all__') || model.qualifiedName(v) === 'rest_framework.serializers.ALL_FIELDS';
          if (all) found.push({ node: b.node as Node, name: outer.name });
        }
      },
      call(n) {
        // `XSerializer(read_only=True, many=True)`: a nested field that only reads
        const fn = field(n, 'function');
        if (fn?.type !== 'identifier') return;
        const args = field(n, 'arguments')?.namedChildren ?? [];
        if (args.some((a) => a?.type === 'keyword_argument' && field(a, 'name')?.text === 'read_only' && field(a, 'value')?.text === 'True')) readOnlyCalls.set(fn.text, (readOnlyCalls.get(fn.text) ?? 0) + 1);
      },
      'module:exit'() {
        for (const f of found) {
          const readOnly = f.name !== undefined && onlyReadOnly(f.name);
          ctx.reportNode(f.node, {
            message: readOnly
              ? `${f.name} exposes every field of its model, present and future (Meta.fields = '__all__'): it is nested read-only in this file, so a column added later, like a password hash or an internal note, is shown to every client that can read it; list the fields`
              : `${f.name ?? 'This serializer'} exposes every field of its model, present and future, for reading and writing (Meta.fields = '__all__'): a column added later, or one like is_staff or owner, is open to mass assignment; list the fields`,
          });
        }
      },
    };
  },
});
