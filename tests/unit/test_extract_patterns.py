"""General patterns the extractor reads, each shown on sentences written for the test.

Every rule here was chosen from a failure on a corpus article (tests/corpus), but the
sentences are not the articles': they show the pattern, not the article's wording.
"""

from datetime import date

from dashboard.extract import extract


def drafts_of(text: str, published: date | None = date(2023, 6, 14)):
    return {
        (d.event_type, d.event_date.isoformat() if d.event_date else None, d.country)
        for d in extract(text, published)
    }


# ------------------------------------------------------------ interceptions, in English


def test_an_interception_reported_by_the_defender_is_an_attack():
    got = drafts_of(
        "Kuwaiti air defences said on Monday they had intercepted three drones "
        "aimed at an oil terminal near Kuwait City."
    )
    assert ("attack", "2023-06-12", "KWT") in got
    assert not any(t == "statement" for t, _, _ in got)


def test_shot_down_is_an_attack_word():
    got = drafts_of("Air defences shot down a missile over Basra on Sunday, officials said.")
    assert ("attack", "2023-06-11", "IRQ") in got
