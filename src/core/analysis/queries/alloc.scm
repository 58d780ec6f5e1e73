; Heap-allocation hints (rules/alloc*.ts): one pass per function declaration collects every candidate node of the
; alloc rules; the rule code classifies them. Local declarations (allocDecls.scm) and the identifiers through which
; a pointer held in a local escapes (allocSinks.scm) are queried only when a candidate needs them.

; Address-of: &x, &T{...}, &x.f.
(unary_expression operator: "&") @addr

; Builtins and conversions written as calls.
(call_expression function: (identifier) @fn
  (#any-of? @fn "make" "new" "append" "string" "any")) @call.builtin

; pkg.F(...) calls of fmt/log functions whose parameters are `...any` (the package is checked in code, so
; renamed imports work).
(call_expression
  function: (selector_expression
    operand: (identifier)
    field: (field_identifier) @field
    (#any-of? @field "Print" "Println" "Printf" "Sprint" "Sprintln" "Sprintf" "Errorf" "Fprint" "Fprintln" "Fprintf"
      "Append" "Appendln" "Appendf" "Fatal" "Fatalln" "Fatalf" "Panic" "Panicln" "Panicf"))) @call.pkg

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
