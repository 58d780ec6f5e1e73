import type { Node } from 'web-tree-sitter';
import type { Rule, RuleContext } from '../engine';
import { ALLOC_ANALYSIS } from './allocAnalysis';
import { ALLOC_IDS, type AllocRuleId } from './allocCandidates';

function allocRule(id: AllocRuleId, title: string): Rule {
  return {
    id,
    family: 'alloc',
    title,
    defaultSeverity: 'information',
    checkDecl(_decl: Node, ctx: RuleContext) {
      for (const c of ctx.shared(ALLOC_ANALYSIS).out.get(id) ?? []) ctx.report(c.at, c.message, c.fixes ? { fixes: c.fixes } : undefined);
    },
  };
}

/** Heap-allocation hints, modelled on TinyGo's allocator (transform/allocs.go); see docs/rules.md "Heap allocations". */
export const allocRules: readonly Rule[] = [
  allocRule(ALLOC_IDS.escape, 'Address of a local that is returned, stored or sent, so TinyGo keeps it on the heap'),
  allocRule(ALLOC_IDS.goroutine, 'Starting a goroutine allocates its stack on the heap'),
  allocRule(ALLOC_IDS.closure, 'Closure that outlives its call: captured variables move to the heap'),
  allocRule(ALLOC_IDS.box, 'Value larger than a pointer boxed into an interface (fmt, log, any(...))'),
  allocRule(ALLOC_IDS.makeNonConst, 'make with a size that is not a constant always allocates on the heap in TinyGo'),
  allocRule(ALLOC_IDS.large, 'Object or local array larger than TinyGo\'s MaxStackAlloc goes on the heap'),
  allocRule(ALLOC_IDS.appendLoop, 'append in a loop may reallocate the backing array'),
  allocRule(ALLOC_IDS.concatLoop, 'String concatenation in a loop allocates on every iteration'),
  allocRule(ALLOC_IDS.conversion, 'string <-> []byte conversion that is not read-only copies onto the heap'),
  allocRule(ALLOC_IDS.map, 'Creating a map allocates on the heap'),
];
