; Calls of the form X.Name(...): X is the reflect package, a reflect.Value or a reflect.Type.
(call_expression
  function: (selector_expression
    operand: (_) @operand
    field: (field_identifier) @name)) @call
