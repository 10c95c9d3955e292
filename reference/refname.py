"""containers/image `docker/reference.ParseNamed`, as cri-o vendored it in 2017.

Ported from the copy Debian ships (`/usr/share/gocode/src/github.com/containers/image/docker/
reference/{normalize,reference,regexp}.go`), which the oracle compiles and which TYPES.md found
to behave like the vendored one, with digests validated by go-digest v1.0.0-rc0
(`reference.digest`). The original only looks at whether ParseNamed errs and at `String()`.

Python's `re` backtracks where Go's RE2 does not, so two expressions are written in an
equivalent unambiguous form (see `_NAME_COMPONENT`); the languages they accept are unchanged
and, as argued there, so are the captured groups this module uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from reference import digest
from reference.errors import GoError

__all__ = [
    "NAME_TOTAL_LENGTH_MAX",
    "NormalizedName",
    "parse_named",
    "parse_normalized_named",
    "verbose_name",
]

NAME_TOTAL_LENGTH_MAX: Final = 255

_LEGACY_DEFAULT_DOMAIN: Final = "index.docker.io"
_DEFAULT_DOMAIN: Final = "docker.io"
_OFFICIAL_REPO_NAME: Final = "library"

# Go: alphaNumericRegexp `[a-z0-9]+`, separatorRegexp `(?:[._]|__|[-]*)`, and nameComponentRegexp
# = alphaNumeric (separator alphaNumeric)* . The separator may be EMPTY, which makes the Go
# expression ambiguous ("(a+)*"): harmless for RE2, exponential for Python's backtracking on a
# long run of letters followed by a bad character. An empty separator only glues two runs of
# [a-z0-9] together, so dropping it (and requiring at least one dash) accepts exactly the same
# strings, with every run of [a-z0-9] now maximal and nothing left to backtrack into.
_NAME_COMPONENT: Final = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
# Go: domainComponentRegexp, unchanged.
_DOMAIN_COMPONENT: Final = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
# Go: DomainRegexp = component (\. component)* (:[0-9]+)?
_DOMAIN: Final = _DOMAIN_COMPONENT + r"(?:\." + _DOMAIN_COMPONENT + r")*(?::[0-9]+)?"
# Go: TagRegexp `[\w][\w.-]{0,127}`; Go's \w is ASCII only.
_TAG: Final = r"[0-9A-Za-z_][0-9A-Za-z_.\-]{0,127}"
# Go: DigestRegexp; [[:xdigit:]] is [0-9A-Fa-f].
_DIGEST: Final = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}"
# Go: NameRegexp = (domain /)? component (/ component)*
_NAME: Final = r"(?:" + _DOMAIN + r"/)?" + _NAME_COMPONENT + r"(?:/" + _NAME_COMPONENT + r")*"

# Go: ReferenceRegexp = ^(name)(?::(tag))?(?:@(digest))?$ . Anchoring is done with fullmatch
# (Go's `$` is the end of the text; Python's would also accept a final newline). The groups are
# unique whatever the engine's preferences: `@` occurs only before the digest, a tag contains
# neither `/` nor `:`, and a `:` inside the name is a port, always followed by `/`.
_REFERENCE: Final = re.compile(r"(" + _NAME + r")(?::(" + _TAG + r"))?(?:@(" + _DIGEST + r"))?")
# Go: anchoredIdentifierRegexp ^([a-f0-9]{64})$
_IDENTIFIER: Final = re.compile(r"[a-f0-9]{64}")


def _split_docker_domain(name: str) -> tuple[str, str]:
    """Go's `splitDockerDomain`: (domain, remainder), with docker.io and library/ defaults."""
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


# The package's error texts (they reach users through the original's wrapped errors, e.g.
# `error parsing reference to image "X": repository name must be lowercase`).
_ERR_INVALID_FORMAT: Final = "invalid reference format"
_ERR_NAME_CONTAINS_UPPERCASE: Final = "repository name must be lowercase"
_ERR_NAME_EMPTY: Final = "repository name must have at least one component"
_ERR_NAME_TOO_LONG: Final = (
    f"repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters"
)


@dataclass(frozen=True)
class NormalizedName:
    """A parsed reference: ``name`` is ``Name()`` (domain/path), then the optional parts."""

    name: str
    tag: str | None
    digest: str | None

    def __str__(self) -> str:
        """Go's `String()`: name, `:`tag and `@`digest joined back."""
        text = self.name
        if self.tag is not None:
            text += ":" + self.tag
        if self.digest is not None:
            text += "@" + self.digest
        return text


def _parse(s: str) -> NormalizedName:
    """Go's `reference.Parse(s)`; raises GoError with the package's texts."""
    m = _REFERENCE.fullmatch(s)
    if m is None:
        if s == "":
            raise GoError(_ERR_NAME_EMPTY)
        if _REFERENCE.fullmatch(s.lower()) is not None:
            raise GoError(_ERR_NAME_CONTAINS_UPPERCASE)
        raise GoError(_ERR_INVALID_FORMAT)
    name, tag, dgst = m.group(1), m.group(2), m.group(3)
    if len(name) > NAME_TOTAL_LENGTH_MAX:  # ASCII only, so characters = Go's bytes
        raise GoError(_ERR_NAME_TOO_LONG)
    if dgst is not None:
        digest.parse(dgst)  # the go-digest (rc0) error
    # Parse's result always has a name here (the expression needs a path component), so the
    # "has no name" branch of the original cannot be taken.
    return NormalizedName(name=name, tag=tag, digest=dgst)


def parse_normalized_named(s: str) -> NormalizedName:
    """Go's `ParseNormalizedNamed(s)`; raises GoError with the package's texts.

    For ParseNamed's outcome the identifier and lower-case checks never decide anything (a
    64-hex name normalizes to docker.io/library/<hex> and fails the canonical check; an
    upper-case letter before the first `:` fails the expression or rc0's algorithm check), but
    their texts reach users through FindImage, so they are kept step by step."""
    if _IDENTIFIER.fullmatch(s) is not None:
        raise GoError(f"invalid repository name ({s}), cannot specify 64-byte hexadecimal strings")
    domain, remainder = _split_docker_domain(s)
    tag_sep = remainder.find(":")
    remote_name = remainder[:tag_sep] if tag_sep > -1 else remainder
    # Go's strings.ToLower is Unicode-aware like str.lower(); they may differ on some non-ASCII
    # letters, but any non-ASCII character makes Parse fail below, so the outcome is the same.
    if remote_name.lower() != remote_name:
        raise GoError("invalid reference format: " + _ERR_NAME_CONTAINS_UPPERCASE)
    return _parse(domain + "/" + remainder)


def parse_named(s: str) -> str | None:
    """`reference.ParseNamed(s)`: the parsed reference's `String()`, or None where it errs
    (the original ignores the error). Only canonical names pass: `docker.io/library/busybox`,
    not `busybox`."""
    try:
        named = str(parse_normalized_named(s))
    except GoError:
        return None
    return named if named == s else None  # ErrNameNotCanonical when named != s


def verbose_name(name: NormalizedName) -> str:
    """c/image storage's ``verboseName(TagNameOnly(name))``: name plus tag, digest dropped."""
    tag = name.tag
    if tag is None and name.digest is None:
        tag = "latest"  # reference.TagNameOnly
    return name.name + (":" + tag if tag is not None else "")
