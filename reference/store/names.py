"""Image-name handling of the 2017 vendored ``containers/image`` ``docker/reference`` package.

``FindImage`` (cri-o ``libpod/images``) first runs ``is.Transport.ParseStoreReference(store,
image)``, which normalizes a plain name with ``reference.ParseNormalizedNamed`` and then looks the
image up under ``verboseName(name)`` (``TagNameOnly`` adds ``:latest``; a digest is dropped). Only
when that fails does it try the raw string. This module restates exactly the parts needed for that
lookup, with the package's error texts (they end up in the original's error messages, e.g.
``error parsing reference to image "X": repository name must be lowercase``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import GoError

__all__ = ["NormalizedName", "parse_normalized_named", "verbose_name"]

# docker/reference regexp.go (2017), spelled out as in Go so a reader can compare.
_ALPHANUMERIC = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]*)"
_NAME_COMPONENT = _ALPHANUMERIC + r"(?:" + _SEPARATOR + _ALPHANUMERIC + r")*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = _DOMAIN_COMPONENT + r"(?:\." + _DOMAIN_COMPONENT + r")*(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}"
_NAME = r"(?:" + _DOMAIN + r"/)?" + _NAME_COMPONENT + r"(?:/" + _NAME_COMPONENT + r")*"
_REFERENCE = re.compile(
    r"^(" + _NAME + r")(?::(" + _TAG + r"))?(?:@(" + _DIGEST + r"))?$", re.ASCII
)
_ANCHORED_IDENTIFIER = re.compile(r"^[a-f0-9]{64}$")

_NAME_TOTAL_LENGTH_MAX = 255
_DEFAULT_DOMAIN = "docker.io"
_LEGACY_DEFAULT_DOMAIN = "index.docker.io"
_OFFICIAL_REPO_NAME = "library"

# The package's sentinel errors.
_ERR_INVALID_FORMAT = "invalid reference format"
_ERR_UPPERCASE = "invalid reference format: repository name must be lowercase"
_ERR_NAME_EMPTY = "repository name must have at least one component"
_ERR_NAME_TOO_LONG = "repository name must not be more than 255 characters"


@dataclass(frozen=True)
class NormalizedName:
    """A parsed, normalized reference: ``name`` is ``Name()`` (domain/path)."""

    name: str
    tag: str | None
    digest: str | None


def _split_docker_domain(name: str) -> tuple[str, str]:
    i = name.find("/")
    if i == -1 or (not any(c in name[:i] for c in ".:") and name[:i] != "localhost"):
        domain, remainder = _DEFAULT_DOMAIN, name
    else:
        domain, remainder = name[:i], name[i + 1 :]
    if domain == _LEGACY_DEFAULT_DOMAIN:
        domain = _DEFAULT_DOMAIN
    if domain == _DEFAULT_DOMAIN and "/" not in remainder:
        remainder = _OFFICIAL_REPO_NAME + "/" + remainder
    return domain, remainder


def _parse(s: str) -> NormalizedName:
    """``reference.Parse``: the grammar check with the package's error texts."""
    m = _REFERENCE.match(s)
    if m is None:
        if s == "":
            raise GoError(_ERR_NAME_EMPTY)
        if _REFERENCE.match(s.lower()) is not None:
            # Parse's own ErrNameContainsUppercase text.
            raise GoError("repository name must be lowercase")
        raise GoError(_ERR_INVALID_FORMAT)
    name, tag, digest = m.group(1), m.group(2), m.group(3)
    if len(name) > _NAME_TOTAL_LENGTH_MAX:
        raise GoError(_ERR_NAME_TOO_LONG)
    if digest is not None:
        # digest.Parse on a string the regexp accepted can only fail on an unknown algorithm
        # or a wrong length; both are reported with go-digest's texts.
        from .. import digest as godigest

        godigest.parse(digest)
    return NormalizedName(name=name, tag=tag, digest=digest)


def parse_normalized_named(s: str) -> NormalizedName:
    """``reference.ParseNormalizedNamed(s)``; raises GoError with the package's texts."""
    if _ANCHORED_IDENTIFIER.match(s):
        raise GoError(f"invalid repository name ({s}), cannot specify 64-byte hexadecimal strings")
    domain, remainder = _split_docker_domain(s)
    tag_sep = remainder.find(":")
    remote_name = remainder[:tag_sep] if tag_sep > -1 else remainder
    if remote_name.lower() != remote_name:
        raise GoError(_ERR_UPPERCASE)
    return _parse(domain + "/" + remainder)


def verbose_name(name: NormalizedName) -> str:
    """c/image storage's ``verboseName(TagNameOnly(name))``: name plus tag, digest dropped."""
    tag = name.tag
    if tag is None and name.digest is None:
        tag = "latest"  # reference.TagNameOnly
    return name.name + (":" + tag if tag is not None else "")
