; Method calls X.Put(...) / X.Get() — the pool rules decide whether X is a sync.Pool.
(call_expression
  function: (selector_expression
    operand: (_) @recv
    field: (field_identifier) @method)
  arguments: (argument_list) @args) @call
