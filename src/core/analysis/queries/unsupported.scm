; What the unsupported-* rules look at in a declaration, in one pass.
(go_statement) @go
(call_expression function: (identifier) @fn) @call
(call_expression
  function: (selector_expression
    operand: (identifier) @pkg
    field: (field_identifier) @sel)) @pcall
(qualified_type package: (package_identifier) @tpkg name: (type_identifier) @tname) @qtype
