"""Checks of identifiers defined by outside standards: BCP 47 language tags (against the
IANA subtag registry, through langcodes), SPDX license identifiers (through
license-expression's copy of the SPDX list), ORCID iDs (their check digit), DOIs and colours.

Each check is cached per value (an archive repeats the same few tags thousands of times)
and imports its library only when a value is checked, so that start-up stays fast.
"""

from __future__ import annotations

import re
from functools import cache

from forumctl.schema import ORCID_PATTERN

# A DOI is "10.", a registrant code of 4 to 9 digits, "/", and a suffix without spaces
# (the DOI Handbook; Crossref's recommended pattern is narrower than what is registered).
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:")
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_ORCID = re.compile(ORCID_PATTERN)


@cache
def language_problem(tag: str) -> str | None:
    """None for a valid BCP 47 tag; else what is wrong with it, with the likely tag."""
    import langcodes

    if "_" not in tag and langcodes.tag_is_valid(tag):
        return None
    hyphenated = tag.replace("_", "-")
    if hyphenated != tag and langcodes.tag_is_valid(hyphenated):
        return f"BCP 47 separates subtags with '-': write {langcodes.standardize_tag(hyphenated)!r}"
    return "not a BCP 47 language tag in the IANA registry (e.g. 'en', 'zh-Hans', 'pt-BR')"


@cache
def same_language(first: str, second: str) -> bool:
    """Whether two valid tags name one language variety ('EN-us' and 'en-US' do; 'zh' and
    'zh-Hans' do not: a translation into a script of one's own language is a translation)."""
    import langcodes

    return bool(langcodes.standardize_tag(first) == langcodes.standardize_tag(second))


@cache
def license_problem(expression: str) -> str | None:
    """None for an SPDX license identifier or expression ('CC-BY-4.0', 'MIT OR Apache-2.0');
    else what is wrong."""
    if expression.lower() in _spdx_identifiers():
        return None
    if " " in expression or "(" in expression:  # an expression: the full parser (0.6 s)
        from license_expression import get_spdx_licensing

        if not get_spdx_licensing().validate(expression).errors:
            return None
    return "not an SPDX license identifier (e.g. 'CC-BY-4.0', 'CC0-1.0', 'MIT')"


@cache
def _spdx_identifiers() -> frozenset[str]:
    """The SPDX license identifiers, lower case (SPDX matches them case-insensitively),
    from license-expression's index: 0.2 s, against 0.6 s for its expression parser."""
    from license_expression import get_license_index

    found: set[str] = set()
    for entry in get_license_index():
        for key in (entry.get("spdx_license_key"), *(entry.get("other_spdx_license_keys") or ())):
            if key and not key.startswith("LicenseRef-"):
                found.add(key.lower())
    return frozenset(found)


def doi_url(doi: str) -> str:
    """A DOI's address at the DOI resolver: what pages link to and JSON-LD names."""
    return f"https://doi.org/{doi}"


def doi_problem(value: str) -> str | None:
    """None for a DOI written bare ('10.1000/182'); else what to write instead."""
    if _DOI.fullmatch(value):
        return None
    for prefix in _DOI_PREFIXES:
        if value.lower().startswith(prefix) and _DOI.fullmatch(value[len(prefix) :]):
            return f"write the DOI without {prefix!r}: {value[len(prefix) :]!r}"
    return "not a DOI (10.<registrant>/<suffix>, e.g. '10.18653/v1/2020.acl-main.1')"


def color_problem(value: str) -> str | None:
    return None if _COLOR.fullmatch(value) else "not a colour as #rrggbb (e.g. '#1f77b4')"


def orcid_check_digit(digits: str) -> str:
    """The last character of an ORCID iD from the 15 digits before it (ISO 7064 MOD 11-2)."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def orcid_checksum_ok(orcid: str) -> bool:
    digits = orcid.replace("-", "")
    return digits[-1] == orcid_check_digit(digits[:-1])


@cache  # both the format check and the duplicate check ask, for every speaker
def orcid_id(value: str) -> str | None:
    """The bare iD of a well-formed ORCID value (with a valid check digit), else None."""
    match = _ORCID.match(value)
    if match is None or not orcid_checksum_ok(match.group(1)):
        return None
    return match.group(1)
