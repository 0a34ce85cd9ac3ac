from facit.core.sentences import sentence, sentences


def test_a_lower_case_phrase_after_a_stop_begins_with_a_capital_and_ends_with_a_stop() -> None:
    assert sentences("Evonhuset Malmö", "från 15 år") == "Evonhuset Malmö. Från 15 år."


def test_a_sentence_that_already_ends_with_a_stop_gets_no_second_one() -> None:
    assert sentence("Öppet dygnet runt!") == "Öppet dygnet runt!"
    assert sentence("(se ovan.)") == "(Se ovan.)"


def test_only_a_leading_letter_changes_and_empty_parts_are_left_out() -> None:
    assert sentences("", "  ", "via BRIS chatt") == "Via BRIS chatt."
    assert sentence("  ") == ""
    assert sentence("15–25 år, hbtqi") == "15–25 år, hbtqi."
