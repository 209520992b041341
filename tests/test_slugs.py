"""IDs from titles and names: readable ASCII slugs, also from Chinese and accented text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slugify import slugify

from forumctl.slugs import is_slug, make_slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Sheng Shihao", "sheng-shihao"),
        ("盛世豪", "sheng-shi-hao"),
        ("长三角一体化", "chang-san-jiao-yi-ti-hua"),
        ("Lü Xiǎomíng", "lu-xiaoming"),
        ("José Núñez-García", "jose-nunez-garcia"),
        ("Keynote speeches: 2020 (Day 1)", "keynote-speeches-2020-day-1"),
    ],
)
def test_make_slug(text: str, slug: str) -> None:
    assert make_slug(text) == slug
    assert is_slug(slug)


@pytest.mark.parametrize("text", ["Upper", "two--hyphens", "-leading", "trailing-", "", "a_b"])
def test_is_slug_refuses(text: str) -> None:
    assert not is_slug(text)


@given(st.text(alphabet="aZz09 -", max_size=30))
def test_plain_text_slugs_as_python_slugify_makes_them(text: str) -> None:
    """Letters, digits, spaces and hyphens are slugged without python-slugify, the same."""
    assert make_slug(text) == slugify(text)
