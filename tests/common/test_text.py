from common.text import counted


def test_counted_says_one_in_the_singular_and_every_other_number_in_the_plural():
    assert counted(1, "line") == "1 line"
    assert counted(2, "line") == "2 lines"
    assert counted(0, "figure") == "0 figures"
    assert counted(1, "monthly figure") == "1 monthly figure"
    assert counted(3, "entry", "entries") == "3 entries"
