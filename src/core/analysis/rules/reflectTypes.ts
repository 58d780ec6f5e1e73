import type { Node } from 'web-tree-sitter';
import { enclosingFunction } from '../syntax';

export type ReflectKind = 'Value' | 'Type';

/** reflect package functions and what they return. */
const PKG_RESULT: Record<string, ReflectKind> = {
  ValueOf: 'Value', New: 'Value', Zero: 'Value', Indirect: 'Value', Append: 'Value', AppendSlice: 'Value',
  MakeSlice: 'Value', MakeMap: 'Value', MakeMapWithSize: 'Value', MakeFunc: 'Value', NewAt: 'Value',
  TypeOf: 'Type', PointerTo: 'Type', PtrTo: 'Type', SliceOf: 'Type', MapOf: 'Type', ArrayOf: 'Type', StructOf: 'Type', FuncOf: 'Type', ChanOf: 'Type',
};
/** Methods that keep or change the kind of their receiver. */
const VALUE_TO_VALUE = new Set(['Elem', 'Field', 'FieldByName', 'FieldByIndex', 'Index', 'MapIndex', 'Addr', 'Slice', 'Slice3', 'Convert', 'Method', 'MethodByName']);
const VALUE_TO_TYPE = new Set(['Type']);
const TYPE_TO_TYPE = new Set(['Elem', 'Key', 'In', 'Out']);

/**
 * A small, flow-insensitive type inference for reflect values inside one function: enough to tell that `m` in
 * `v := reflect.ValueOf(x); m := v.MethodByName("F")` is a reflect.Value, without a type checker.
 */
export class ReflectTypes {
  private readonly byFunction = new Map<number, Map<string, ReflectKind>>();
  constructor(private readonly reflectLocal: string) {}

  kindOf(expr: Node | null): ReflectKind | undefined {
    if (!expr) return undefined;
    switch (expr.type) {
      case 'parenthesized_expression':
        return this.kindOf(expr.namedChildren[0]);
      case 'identifier': {
        for (let fn = enclosingFunction(expr); fn; fn = enclosingFunction(fn)) {
          // A function whose text never names the reflect package declares no reflect-typed local.
          if (!fn.text.includes(`${this.reflectLocal}.`)) continue;
          const k = this.locals(fn).get(expr.text);
          if (k) return k;
        }
        return undefined;
      }
      case 'call_expression': {
        const callee = expr.childForFieldName('function');
        if (callee?.type !== 'selector_expression') return undefined;
        const operand = callee.childForFieldName('operand');
        const name = callee.childForFieldName('field')?.text ?? '';
        if (operand?.type === 'identifier' && operand.text === this.reflectLocal) return PKG_RESULT[name];
        const recv = this.kindOf(operand);
        if (recv === 'Value') return VALUE_TO_VALUE.has(name) ? 'Value' : VALUE_TO_TYPE.has(name) ? 'Type' : undefined;
        if (recv === 'Type') return TYPE_TO_TYPE.has(name) ? 'Type' : undefined;
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private typeKind(t: Node | null): ReflectKind | undefined {
    if (t?.type !== 'qualified_type') return undefined;
    if (t.childForFieldName('package')?.text !== this.reflectLocal) return undefined;
    const name = t.childForFieldName('name')?.text;
    return name === 'Value' ? 'Value' : name === 'Type' ? 'Type' : undefined;
  }

  private locals(fn: Node): Map<string, ReflectKind> {
    let m = this.byFunction.get(fn.id);
    if (m) return m;
    m = new Map();
    this.byFunction.set(fn.id, m);
    for (const p of fn.descendantsOfType(['parameter_declaration', 'var_spec', 'short_var_declaration', 'assignment_statement'])) {
      if (!p || enclosingFunction(p)?.id !== fn.id) continue;
      if (p.type === 'parameter_declaration' || p.type === 'var_spec') {
        const k = this.typeKind(p.childForFieldName('type'));
        const values = p.childForFieldName('value')?.namedChildren ?? [];
        p.childrenForFieldName('name').forEach((n, i) => {
          const kind = k ?? this.kindOf(values[i] ?? null);
          if (n && kind) m!.set(n.text, kind);
        });
      } else {
        const left = p.childForFieldName('left')?.namedChildren ?? [];
        const right = p.childForFieldName('right')?.namedChildren ?? [];
        if (left.length !== right.length) continue;
        left.forEach((n, i) => {
          if (n?.type !== 'identifier') return;
          const kind = this.kindOf(right[i] ?? null);
          if (kind) m!.set(n.text, kind);
        });
      }
    }
    return m;
  }
}
