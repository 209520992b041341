"""forumctl.suggest: did you mean, for IDs and choices."""

from __future__ import annotations

from forumctl.suggest import close_matches, did_you_mean, did_you_mean_of

IDS = ["sheng-shihao", "yang-kaizhong", "zhang-xueliang", "zhang-xue"]


def test_a_typo_gets_its_neighbour() -> None:
    assert close_matches("sheng-shihoa", IDS) == ["sheng-shihao"]
    assert did_you_mean("yang-kaizong", IDS) == "did you mean 'yang-kaizhong'?"


def test_a_name_as_typed_finds_its_slug_and_case_is_ignored() -> None:
    assert close_matches("Sheng Shihao", IDS) == ["sheng-shihao"]
    assert close_matches("asia/shanghai", ["Asia/Shanghai", "Asia/Singapore"]) == ["Asia/Shanghai"]


def test_the_beginning_of_a_long_id_finds_it() -> None:
    assert close_matches("zhang", IDS) == ["zhang-xueliang", "zhang-xue"]


def test_nothing_close_is_no_suggestion_and_the_word_itself_is_never_one() -> None:
    assert did_you_mean("plenary", IDS) is None
    assert close_matches("sheng-shihao", IDS) == []
    assert did_you_mean_of([]) is None


def test_several_matches_are_offered_best_first() -> None:
    assert did_you_mean("panle", ["panel", "plenary", "paneel"]) == (
        "did you mean 'panel' or 'paneel'?"
    )
