"""Go 1.19 encoding/json for declared Go types: ``unmarshal`` (``json.Unmarshal(data, &v)``) and
``marshal`` (``json.Marshal(&v)``), byte for byte and error text for error text.

Modules, one concept each: `types` (the type vocabulary and struct declaration), `parse` (syntax
check and parse tree), `scanner` (Go's scanner, for syntax error texts), `fold` (key folding),
`base64std` (Go's base64 for []byte), `decode`, `encode`.
"""

from reference.gojson.decode import unmarshal
from reference.gojson.encode import marshal

__all__ = ["marshal", "unmarshal"]
