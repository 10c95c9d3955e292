"""The protocol's vocabulary as the kit knows it (spec/PROTOCOL.md), declared once.

No imports: the plugin reads it at pytest start-up. The kit keeps its own list rather than
asking the reference, because it judges implementations, the reference included.
"""

from __future__ import annotations

from typing import Final

#: The ops, in the order of PROTOCOL.md (also the summary's row order).
OPS: Final = (
    "import_image",
    "import_container",
    "open",
    "make_oci",
    "make_docker_v2s2",
    "make_docker_v2s1",
    "make_image_ref",
    "roundtrip",
)

#: The type names `roundtrip` accepts.
ROUNDTRIP_TYPES: Final = (
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
