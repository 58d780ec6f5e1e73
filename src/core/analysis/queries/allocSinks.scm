; Identifiers in positions where a pointer or closure held in a local variable escapes (rules/allocAnalysis.ts):
; queried only in functions where such a local exists.
(return_statement (expression_list (identifier) @id))
(send_statement value: (identifier) @id)
(assignment_statement right: (expression_list (identifier) @id))
(literal_element (identifier) @id)
(go_statement (call_expression arguments: (argument_list (identifier) @id)))
(call_expression function: (identifier) @append (#eq? @append "append") arguments: (argument_list (identifier) @id))
