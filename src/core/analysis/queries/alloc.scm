; Heap-allocation hints (rules/alloc*.ts): one pass per declaration collects every node the alloc rules look at.
; The rule code classifies the captures; the capture name says which handler gets the node.

; Declarations of local names (scopes and simple type inference).
(short_var_declaration) @decl.short
(var_spec) @decl.var
(const_spec) @decl.const
(range_clause) @decl.range

; Address-of: &x, &T{...}, &x.f.
(unary_expression operator: "&") @addr

; Calls: builtins and conversions written as calls, and pkg.Func(...) calls (fmt, log).
(call_expression function: (identifier) @fn
  (#any-of? @fn "make" "new" "append" "string" "any")) @call.builtin
(call_expression function: (selector_expression operand: (identifier) field: (field_identifier))) @call.pkg
(type_conversion_expression) @conv

; Composite literals: map literals, large array literals.
(composite_literal) @complit

; Goroutines and closures.
(go_statement) @go
(func_literal) @funclit

; String concatenation in assignments.
(assignment_statement operator: "+=") @concat
(assignment_statement right: (expression_list (binary_expression operator: "+"))) @concat

; Identifiers in positions where a pointer or closure held by a local variable would escape.
(return_statement (expression_list (identifier) @sink.id))
(send_statement value: (identifier) @sink.id)
(assignment_statement right: (expression_list (identifier) @sink.id))
(literal_element (identifier) @sink.id)
(go_statement (call_expression arguments: (argument_list (identifier) @sink.id)))
