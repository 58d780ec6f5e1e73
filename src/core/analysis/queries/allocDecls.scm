; Local declarations for the alloc rules' name resolution (rules/allocScope.ts), queried once per function that
; has a candidate.
(short_var_declaration) @decl
(var_spec) @decl
(const_spec) @decl
(range_clause) @decl
