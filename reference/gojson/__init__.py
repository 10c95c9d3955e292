"""Go 1.19 encoding/json for declared Go types: ``unmarshal`` (``json.Unmarshal(data, &v)``),
``marshal`` (``json.Marshal(&v)``) and ``Decoder`` (``json.NewDecoder(bytes.NewReader(data))``),
byte for byte and error text for error text.

Modules, one concept each: `types` (the type vocabulary and struct declaration), `parse` (syntax
check and parse tree), `scanner` (Go's scanner, for syntax error texts, in Unmarshal's and in
Decoder's way), `fold` (key folding), `base64std` (Go's base64 for []byte), `decode`, `encode`,
`stream` (the Decoder).
"""

from reference.gojson.decode import unmarshal
from reference.gojson.encode import marshal
from reference.gojson.stream import Decoder

__all__ = ["Decoder", "marshal", "unmarshal"]
