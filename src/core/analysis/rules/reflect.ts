import type { Node } from 'web-tree-sitter';
import type { Rule } from '../engine';
import { localNameOf } from '../fileFacts';
import { REFLECT_TABLE, reflectStatus, type ReflectReceiver } from '../tinygoSupport';

/** Only these names can be findings: checking the name first skips the type inference for every other call. */
const NAMES = new Set(REFLECT_TABLE.map((e) => e.name));
const NAMES_RE = new RegExp(`\\.\\s*(?:${[...NAMES].join('|')})\\b`);
import { ReflectTypes } from './reflectTypes';

function describe(receiver: ReflectReceiver, name: string): string {
  return receiver === 'package' ? `reflect.${name}` : `reflect.${receiver}.${name}`;
}

/** reflect functions and methods TinyGo lacks: compile errors, or panics at run time. */
export const reflectUnsupported: Rule = {
  id: 'reflect-unsupported',
  family: 'unsupported',
  title: 'reflect functions and methods that TinyGo does not implement (they panic at run time or do not compile)',
  defaultSeverity: 'error',
  checkDecl(decl: Node, ctx) {
    const reflectLocal = localNameOf(ctx.file, 'reflect');
    if (!reflectLocal || decl.type === 'import_declaration') return;
    // Every finding needs a reflect value, and every reflect value starts at a `reflect.` in this declaration.
    if (!decl.text.includes(`${reflectLocal}.`)) return;
    // And every finding is a call of one of the names in the table.
    if (!NAMES_RE.test(decl.text)) return;
    const types = new ReflectTypes(reflectLocal);
    for (const m of ctx.query('reflect').matches(decl)) {
      const operand = m.captures.find((c) => c.name === 'operand')?.node;
      const nameNode = m.captures.find((c) => c.name === 'name')?.node;
      if (!operand || !nameNode) continue;
      const name = nameNode.text;
      if (!NAMES.has(name)) continue;
      let receiver: ReflectReceiver | undefined;
      if (operand.type === 'identifier' && operand.text === reflectLocal) receiver = 'package';
      else receiver = types.kindOf(operand);
      if (!receiver) continue;
      const entry = reflectStatus(receiver, name, ctx.target.tinygoVersion);
      if (!entry) continue;
      const what = describe(receiver, name);
      const message = entry.status === 'unimplemented'
        ? `\`${what}\` is not implemented in TinyGo ${ctx.target.tinygoVersion} and panics at run time ` +
          `("unimplemented: ${receiver === 'package' ? what : `(reflect.${receiver}).${name}`}()").`
        : `\`${what}\` does not exist in TinyGo ${ctx.target.tinygoVersion}'s reflect package: the build fails with "undefined".`;
      ctx.report(nameNode, message);
    }
  },
};
