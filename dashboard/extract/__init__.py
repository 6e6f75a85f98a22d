"""Article text -> draft events an analyst reviews before anything is saved.

The extractor reads an article the way an analyst skims it: the document first (its
dateline and publication date set the reference every relative date is read against),
then each sentence for *when* (dates.py), *what* (triggers.py), *where* (places.py: the
venue, not the topic) and *who* (actors.py); drafts.py turns the mentions into one draft
per event, each keeping its sentence and the reasoning for its date and place.

Modules: article (document, sentences, reference date), date_words (the grammar's words
and patterns), dates (resolution against the reference), triggers, gazetteer, places,
actors, drafts, duplicates (existing events a draft may repeat), evaluate (the corpus
scorer behind `python -m dashboard extract-eval`), cancel (stopping a run part way).
"""

from .article import MAX_ARTICLE_CHARS, article_text, fold_with_map, language_of, sentences
from .cancel import Cancelled, CancelToken
from .dates import DateMention, find_dates
from .drafts import (
    SUBTYPE_AR,
    SUBTYPE_EN,
    TYPE_AR,
    TYPE_EN,
    Draft,
    drafts_json,
    extract,
)
from .duplicates import duplicates
from .gazetteer import Place, PlaceMention, unambiguous_city

__all__ = [
    "MAX_ARTICLE_CHARS",
    "SUBTYPE_AR",
    "SUBTYPE_EN",
    "TYPE_AR",
    "TYPE_EN",
    "CancelToken",
    "Cancelled",
    "DateMention",
    "Draft",
    "Place",
    "PlaceMention",
    "article_text",
    "drafts_json",
    "duplicates",
    "extract",
    "find_dates",
    "fold_with_map",
    "language_of",
    "sentences",
    "unambiguous_city",
]
