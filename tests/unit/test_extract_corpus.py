"""The extractor on real articles it was not written for, and on articles built to hurt it.

The corpus (tests/corpus, see its README) holds published articles with the events an
analyst recorded from them, annotated before the rules were written. These tests print
the evaluation table (run pytest with -s or -rP to see it) and fail if the totals drop
below what the extractor reached when this test was written.
"""

import time
from datetime import date
from pathlib import Path

import pytest

from dashboard import cli, synthetic
from dashboard.extract import MAX_ARTICLE_CHARS, evaluate, extract

REPO = Path(__file__).resolve().parents[2]
DEV = REPO / "tests" / "corpus" / "dev"
HELDOUT = REPO / "tests" / "corpus" / "heldout"
HELDOUT2 = REPO / "tests" / "corpus" / "heldout2"
HELDOUT3 = REPO / "tests" / "corpus" / "heldout3"
HELDOUT4 = REPO / "tests" / "corpus" / "heldout4"
HELDOUT5 = REPO / "tests" / "corpus" / "heldout5"
HELDOUT6 = REPO / "tests" / "corpus" / "heldout6"
SEED = REPO.parent / "shared" / "seed" / "000_8279783cd2d21695.txt"

#: The figures reached on the development articles with their publication dates; a change
#: that lowers them fails here. Raise them when the extractor gets better.
DEV_RECALL = 0.90  # 57 of 63 events
DEV_PRECISION = 0.95  # 57 of 60 drafts
#: The held-out articles were never read while writing rules: scored, not tuned. These
#: floors are what the finished rules scored on them, first time.
HELDOUT_RECALL = 0.90  # 19 of 21 events (first scored: 16)
HELDOUT_PRECISION = 0.90  # 19 of 21 drafts (first scored: 16 of 24)
#: A second held-out set (10 articles from outlets not otherwise in the corpus), annotated
#: before the extractor was run on it. First scored at 47 % recall and 41 % precision; the
#: general rules written after reading its failures (each with its own unit test on
#: sentences written for it) brought it here.
HELDOUT2_RECALL = 0.89  # 17 of 19 events
HELDOUT2_PRECISION = 0.89  # 17 of 19 drafts
#: A third held-out set (16 articles, 11 Arabic), annotated before the extractor was run on
#: it and never used to choose a rule: 52 % recall and 55 % precision first (16 of 31
#: events, 16 of 29 drafts); the rules drawn from the other sets' failures brought it here.
HELDOUT3_RECALL = 0.87  # 27 of 31 events
HELDOUT3_PRECISION = 0.87  # 27 of 31 drafts
#: A fourth held-out set (15 articles, 12 Arabic, 15 outlets not otherwise in the corpus),
#: annotated before the extractor was run on it. First scored at 55 % recall and 53 %
#: precision (16 of 29 events, 16 of 30 drafts); the general rules written after reading
#: the failures of all sets (each tested on sentences written for it) brought it here.
HELDOUT4_RECALL = 0.86  # 25 of 29 events
HELDOUT4_PRECISION = 0.86  # 25 of 29 drafts
#: A fifth held-out set (9 articles, 8 Arabic, 9 outlets not otherwise in the corpus),
#: annotated and committed before the extractor was run on it. First scored at 53 % recall
#: and 41 % precision (9 of 17 events, 9 of 22 drafts) with one wrong year; the general
#: rules written after (each tested on sentences written for it) brought it here.
HELDOUT5_RECALL = 0.88  # 15 of 17 events
HELDOUT5_PRECISION = 0.93  # 15 of 16 drafts
#: A sixth held-out set (12 articles, 10 Arabic, 12 outlets not otherwise in the corpus),
#: annotated and committed before the extractor was run on it. First scored at 39 % recall
#: and 39 % precision (11 of 28 events, 11 of 28 drafts) with three wrong years; the
#: general rules written after (each tested on sentences written for it) brought it here.
HELDOUT6_RECALL = 0.92  # 26 of 28 events
HELDOUT6_PRECISION = 1.0  # 26 of 26 drafts


@pytest.fixture(scope="module")
def scores():
    out = {}
    for folder in (DEV, HELDOUT, HELDOUT2, HELDOUT3, HELDOUT4, HELDOUT5, HELDOUT6):
        for with_published in (True, False):
            result = evaluate.evaluate(folder, with_published=with_published)
            print("\n" + evaluate.table(result))
            out[(folder.name, with_published)] = result["total"]
    return out


def test_the_corpus_is_what_the_readme_says():
    folders = (DEV, HELDOUT, HELDOUT2, HELDOUT3, HELDOUT4, HELDOUT5, HELDOUT6)
    articles = [a for f in folders for a in evaluate.read_corpus(f)]
    assert len(articles) >= 40
    assert sum(a.meta["language"] == "ar" for a in articles) >= 25
    assert len({a.meta["outlet"] for a in articles}) >= 12
    years = {a.published.year for a in articles if a.published}
    assert min(years) <= 2015 and max(years) >= 2024
    types = {e["type"] for a in articles for e in a.events}
    assert {"meeting", "statement", "attack", "resolution", "agreement"} <= types
    bad = []
    for a in articles:
        assert a.meta["url"].startswith("http"), a.name
        text = " ".join(a.text.split())
        for e in a.events:
            # every annotation quotes the text it stands on (ellipses join two places)
            for piece in e["phrase"].split(" ... "):
                if " ".join(piece.split()) not in text:
                    bad.append((a.name, piece))
    assert not bad


def test_dev_totals_hold(scores):
    total = scores[("dev", True)]
    assert total["recall"] >= DEV_RECALL, total
    assert total["precision"] >= DEV_PRECISION, total


def test_heldout_totals_hold(scores):
    total = scores[("heldout", True)]
    assert total["recall"] >= HELDOUT_RECALL, total
    assert total["precision"] >= HELDOUT_PRECISION, total


def test_heldout2_totals_hold(scores):
    total = scores[("heldout2", True)]
    assert total["recall"] >= HELDOUT2_RECALL, total
    assert total["precision"] >= HELDOUT2_PRECISION, total


def test_heldout3_totals_hold(scores):
    total = scores[("heldout3", True)]
    assert total["recall"] >= HELDOUT3_RECALL, total
    assert total["precision"] >= HELDOUT3_PRECISION, total


def test_heldout4_totals_hold(scores):
    total = scores[("heldout4", True)]
    assert total["recall"] >= HELDOUT4_RECALL, total
    assert total["precision"] >= HELDOUT4_PRECISION, total


def test_heldout5_totals_hold(scores):
    total = scores[("heldout5", True)]
    assert total["recall"] >= HELDOUT5_RECALL, total
    assert total["precision"] >= HELDOUT5_PRECISION, total


def test_heldout6_totals_hold(scores):
    total = scores[("heldout6", True)]
    assert total["recall"] >= HELDOUT6_RECALL, total
    assert total["precision"] >= HELDOUT6_PRECISION, total


@pytest.mark.parametrize(
    "folder", ["dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6"]
)
@pytest.mark.parametrize("with_published", [True, False])
def test_no_wrong_year(scores, folder, with_published):
    assert scores[(folder, with_published)]["wrong_years"] == 0


def test_extract_eval_command_prints_the_table_and_json(capsys):
    assert cli.main(["extract-eval", str(HELDOUT), "--published", "with"]) == 0
    out = capsys.readouterr().out
    assert "TOTAL" in out and "recall" in out and "h01_sarmady_brussels_ministerial_ar" in out
    assert cli.main(["extract-eval", str(HELDOUT), "--json"]) == 0
    import json

    both = json.loads(capsys.readouterr().out)
    assert [r["with_published"] for r in both] == [True, False]
    assert both[0]["total"]["events"] == sum(a["events"] for a in both[0]["articles"])
    assert cli.main(["extract-eval", str(REPO / "no-such-folder")]) == 2


# ------------------------------------------------------------------- the seed article


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is not next to the repository")
def test_seed_without_a_publication_date_invents_no_year():
    drafts = extract(SEED.read_text(encoding="utf-8"))
    dated = {(d.event_type, d.event_date, d.date_precision) for d in drafts if d.event_date}
    # only what the article writes in full: June 2021 (Rome)
    assert dated == {("meeting", date(2021, 6, 1), "month")}
    undated = [d for d in drafts if d.event_date is None]
    assert undated, "the 11 May meeting is kept, without a year"
    for d in undated:
        assert "no publication date" in d.reasoning["date"]
        assert d.date_text  # the words the analyst will date by hand
        assert d.to_record()["event_date"] is None


# --------------------------------------------------------------------- bounded work

BUDGET_SECONDS = synthetic.EXTRACT_BUDGET_SECONDS
KINDS = list(synthetic.ARTICLE_KINDS)


def _hostile(kind: str) -> str:
    seed = SEED.read_text(encoding="utf-8") if SEED.exists() else None
    return synthetic.long_article(kind, MAX_ARTICLE_CHARS, seed)


@pytest.mark.parametrize("kind", KINDS)
def test_a_long_article_is_drafted_within_budget(kind):
    text = _hostile(kind)
    extract("اجتماع في مراكش في 11 أيار 2022.", date(2022, 5, 12))  # load the gazetteer first
    started = time.perf_counter()
    drafts = extract(text, date(2022, 5, 12))
    seconds = time.perf_counter() - started
    print(f"\n{kind}: {len(text):,} characters, {len(drafts)} drafts, {seconds:.1f} s")
    assert seconds < BUDGET_SECONDS
    # and past the cap nothing is read
    assert all(d.sentence in text for d in drafts)
