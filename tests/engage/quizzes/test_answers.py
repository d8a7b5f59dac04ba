"""An answer is cleaned to sorted, distinct letters within the question's options, whatever
way it is written; a letter beyond the options is refused."""

import pytest

from xinsheng.engage.quizzes.scoring import answer_clean


@pytest.mark.parametrize(
    ("given", "options", "cleaned"),
    [
        ("B", 4, "B"),
        ("b", 4, "B"),
        ("D", 4, "D"),
        ("ca", 4, "AC"),
        ("A,C", 4, "AC"),
        (["C", "a"], 4, "AC"),
        ("AA", 2, "A"),
        (" ", 4, ""),
        ("", 4, ""),
        (None, 4, ""),
    ],
)
def test_an_answer_is_cleaned_to_sorted_letters(given: object, options: int, cleaned: str) -> None:
    assert answer_clean(given, options) == cleaned


@pytest.mark.parametrize(("given", "options"), [("C", 2), ("c", 2), ("E", 4), ("AE", 4), ("A", 0)])
def test_a_letter_beyond_the_options_is_refused(given: str, options: int) -> None:
    with pytest.raises(ValueError, match=given):
        answer_clean(given, options)
