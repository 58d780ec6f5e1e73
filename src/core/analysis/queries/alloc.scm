; Heap-allocation hints (rules/alloc*.ts): one pass per function declaration collects every candidate node of the
; alloc rules and the local declarations for their name resolution (rules/allocScope.ts); the rule code classifies
; them. Names (builtins, fmt/log functions) are checked in code, on the source text: a text predicate here would be
; evaluated in JavaScript on every call in the function, through the tree. The identifiers through which a pointer
; held in a local escapes (allocSinks.scm) are queried only when a candidate needs them.

; Address-of: &x, &T{...}, &x.f.
(unary_expression operator: "&") @addr

; Builtins and conversions written as calls (make, new, append, string, any: checked in code).
(call_expression function: (identifier)) @call.builtin

; pkg.F(...) calls of fmt/log functions whose parameters are `...any` (function names and the package are checked in
; code, so renamed imports work).
(call_expression
  function: (selector_expression
    operand: (identifier)
    field: (field_identifier))) @call.pkg

; Conversions: []byte(s), []rune(s), interface{}(x).
(type_conversion_expression) @conv

; Map, array (large ones) and slice literals (escaping ones).
(composite_literal type: [(map_type) (array_type) (slice_type)]) @complit

; Local array variables (large ones).
(var_spec type: (array_type)) @decl.var

; Loop bodies (append and concatenation in loops).
(for_statement body: (block) @loop)

; Goroutines and closures.
(go_statement) @go
(func_literal) @funclit

; String concatenation in assignments.
(assignment_statement operator: "+=") @concat
(assignment_statement right: (expression_list (binary_expression operator: "+"))) @concat

; Local declarations.
(short_var_declaration) @decl
(var_spec) @decl
(const_spec) @decl
(range_clause) @decl
