"""The protocol's vocabulary as the kit's own tests read it from ``../shared/spec/PROTOCOL.md``.

The tests' independent reading of the spec, declared once for them: the product keeps its own
list (``conformance/vocabulary.py``), which the tests deliberately do not import, so that a
mistake there cannot be copied into what checks it.
"""

from __future__ import annotations

from typing import Final

#: The ops an implementation answers (besides ``describe``), in the order PROTOCOL.md lists them.
OPS: Final[tuple[str, ...]] = (
    "import_image",
    "import_container",
    "open",
    "make_oci",
    "make_docker_v2s2",
    "make_docker_v2s1",
    "make_image_ref",
    "roundtrip",
)

#: The type names ``roundtrip`` accepts, in PROTOCOL.md's order (the order matters: generators
#: pick from it by index and by seeded choice).
ROUNDTRIP_TYPES: Final[tuple[str, ...]] = (
    "CopyData",
    "*CopyData",
    "docker.V2Image",
    "docker.V1Image",
    "docker.Config",
    "docker.HealthConfig",
    "docker.V2S2RootFS",
    "docker.V2S2History",
    "docker.V2S1Manifest",
    "docker.V1Compatibility",
    "ociv1.Image",
    "ociv1.ImageConfig",
    "ociv1.RootFS",
    "ociv1.History",
    "ociv1.Manifest",
)
