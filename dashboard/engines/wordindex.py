"""A word index of the folded search text: a term answered from posting lists.

A text term used to read every row's folded text (a substring scan, then a regular
expression for word starts). Here the text is cut at its spaces into tokens once; each
distinct token keeps the sorted list of rows it occurs in. The matching rules do not
change, because a spelling without a space cannot span a space:

- a plain spelling occurs in a row exactly when it occurs inside one of the row's
  tokens, so the rows are the union of the postings of the tokens containing it;
- a word-start spelling (``(?:^|[^a-z0-9])spelling``) occurs in a row exactly when the
  same expression matches one of its tokens: a token starts after a space or at the
  start of the text, both of which the expression accepts as a word start.

So the vocabulary (a few thousand to a few hundred thousand distinct tokens) is searched
with the very same predicates, instead of every row. Only a spelling with a space in it
("al sinaa prison") spans tokens: its candidate rows are those holding a token for each
of its pieces, and the text of those rows alone is read to settle it.

Postings are one numpy array of row numbers grouped by token (CSR layout): four bytes a
(row, token) pair, no per-list overhead, and a union of many lists is one ``concatenate``
and one scatter into a boolean mask. Common tokens keep a bitmap instead (a bit a row),
OR-ed byte-wise before one unpacking. README's performance section compares its size and
speed with the text scan it replaces.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa

from dashboard.aliases import SearchTerm, word_start_pattern

#: Rows tokenised at a time while building (bounds the memory of the exploded tokens).
BUILD_CHUNK = 200_000
_WORD_CHAR = re.compile("[a-z0-9]")
#: A token in more than one row in this many keeps a bitmap of its rows, not a list.
DENSE = 32


class WordIndex:
    """Posting lists of the tokens of ``text`` (row ``i`` is ``text[i]``)."""

    def __init__(self, text: pl.Series, chunk: int = BUILD_CHUNK, dense: int = DENSE):
        self.rows_total = len(text)
        text = text.fill_null("")
        parts = range(0, len(text), chunk)
        # The vocabulary first, sorted, so that a token's number is the same in every chunk.
        vocab = pl.concat(
            [_tokens_of(text.slice(start, chunk))["tok"].unique() for start in parts]
            or [pl.Series("tok", [], dtype=pl.String)]
        )
        vocab = vocab.unique().sort()
        enum = pl.Enum(vocab)
        counts = np.zeros(len(vocab), dtype=np.int64)
        pieces = []
        for start in parts:
            pairs = _tokens_of(text.slice(start, chunk))
            ids = pairs["tok"].cast(enum).to_physical().to_numpy().astype(np.uint32)
            rows = (pairs["row"].to_numpy() + start).astype(np.uint32)
            order = np.argsort(ids, kind="stable")  # rows stay ascending within a token
            ids, rows = ids[order], rows[order]
            keep = np.ones(len(ids), dtype=bool)  # a token twice in a row: once
            keep[1:] = (ids[1:] != ids[:-1]) | (rows[1:] != rows[:-1])
            ids, rows = ids[keep], rows[keep]
            counts += np.bincount(ids, minlength=len(vocab))
            pieces.append((ids, rows))
        starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        listed = np.empty(int(starts[-1]), dtype=np.uint32)
        written = starts[:-1].copy()
        for ids, rows in pieces:  # chunks in row order: each list stays sorted
            first = np.searchsorted(ids, ids)  # each element's offset within its token's run
            listed[written[ids] + np.arange(len(ids)) - first] = rows
            written += np.bincount(ids, minlength=len(vocab))
        self._finish(vocab, listed, counts, dense)

    @classmethod
    def from_postings(
        cls,
        vocab: pl.Series,
        rows: np.ndarray,
        counts: np.ndarray,
        rows_total: int,
        dense: int = DENSE,
    ) -> WordIndex:
        """An index of postings already grouped: token ``i`` (of ``vocab``, sorted) holds
        the next ``counts[i]`` entries of ``rows``."""
        index = cls.__new__(cls)
        index.rows_total = rows_total
        index._finish(vocab, rows.astype(np.uint32, copy=False), counts.astype(np.int64), dense)
        return index

    @classmethod
    def from_read(cls, read: tuple, file_rows: np.ndarray, dense: int = DENSE) -> WordIndex:
        """The index of what :func:`read_store_in_visits` read: made after the visits to the file
        end, so the store is not held while the postings are laid out (seconds at a
        million rows), and a writer or another page's visit does not wait for it."""
        docs, table = read
        file_rows = np.asarray(file_rows, dtype=np.int64)
        doc, rowid = docs["doc"].astype(np.int64), docs["rowid"].astype(np.int64)
        position = np.full(int(doc.max(initial=0)) + 1, -1, dtype=np.int64)
        if np.array_equal(rowid, file_rows):
            position[doc] = np.arange(len(file_rows))
        elif len(file_rows):
            order = np.argsort(file_rows)
            at = order[np.minimum(np.searchsorted(file_rows, rowid, sorter=order), len(order) - 1)]
            mine = file_rows[at] == rowid
            position[doc[mine]] = at[mine]
        tokens = pl.from_arrow(table.column("token")).cast(pl.String)
        lists = table.column("docs").combine_chunks()
        values = lists.flatten().to_numpy(zero_copy_only=False)
        lengths = lists.value_lengths().to_numpy(zero_copy_only=False).astype(np.int64)
        rows = position[np.minimum(values, len(position) - 1)]
        rows[values >= len(position)] = -1
        kept = rows >= 0
        # A token's lists are one run of the (sorted) list rows; its count is how many of
        # its documents are kept.
        run = tokens.rle_id().to_numpy()
        last = np.flatnonzero(np.append(run[1:] != run[:-1], True)) if len(run) else run
        kept_before = np.concatenate([[0], np.cumsum(kept)])
        counts = np.diff(np.concatenate([[0], kept_before[np.cumsum(lengths)[last]]]))
        vocab = tokens.unique(maintain_order=True)
        return cls.from_postings(vocab, rows[kept], counts, len(file_rows), dense)

    def _finish(self, vocab: pl.Series, rows: np.ndarray, counts: np.ndarray, dense: int) -> None:
        #: The distinct tokens; token ``i``'s rows are ``rows[starts[i]:starts[i + 1]]``.
        self.vocab: pl.Series = vocab
        self.starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self.rows = rows
        self._pack_dense(counts, dense)
        self._blob, self._blob_starts = _blob_of(vocab)
        #: The vocabulary as Python strings, in code point order (UTF-8 byte order, as
        #: sorted): prefixes and whole tokens are found by bisection.
        self._sorted: list[str] = vocab.to_list()

    def _pack_dense(self, counts: np.ndarray, share: int) -> None:
        """Tokens in more than one row in ``share`` keep a bitmap instead (a bit a row
        against four bytes a row): in folded news text most (row, token) pairs belong to a
        few hundred common tokens."""
        dense = counts * share > self.rows_total
        #: Token -> its row of :attr:`bits`, or -1 when its rows are listed.
        self.dense_of = np.full(len(counts), -1, dtype=np.int64)
        self.dense_of[dense] = np.arange(int(dense.sum()))
        self.bits = np.zeros((int(dense.sum()), (self.rows_total + 7) // 8), dtype=np.uint8)
        mask = np.zeros(self.rows_total, dtype=bool)
        for token in np.flatnonzero(dense):
            mask[:] = False
            mask[self.rows[self.starts[token] : self.starts[token + 1]]] = True
            self.bits[self.dense_of[token]] = np.packbits(mask)
        kept = np.repeat(~dense, counts)
        self.rows = self.rows[kept]
        self.starts = np.concatenate([[0], np.cumsum(np.where(dense, 0, counts))]).astype(np.int64)

    def nbytes(self) -> int:
        """Memory held: postings, bitmaps, offsets and the vocabulary."""
        return (
            self.rows.nbytes
            + self.starts.nbytes
            + self.bits.nbytes
            + self.dense_of.nbytes
            + int(self.vocab.estimated_size())
            + sum(len(t) + 49 for t in self._sorted)
        )

    def _rows_of(self, tokens: np.ndarray) -> np.ndarray:
        """Rows holding any of these tokens (a boolean mask over all rows)."""
        hits = np.zeros(self.rows_total, dtype=bool)
        packed = self.dense_of[tokens]
        if (packed >= 0).any():
            either = np.bitwise_or.reduce(self.bits[packed[packed >= 0]], axis=0)
            hits |= np.unpackbits(either, count=self.rows_total).view(bool)
            tokens = tokens[packed < 0]
        if len(tokens):
            hits[
                np.concatenate([self.rows[self.starts[t] : self.starts[t + 1]] for t in tokens])
            ] = True
        return hits

    def _tokens(self, plain: list[str], words: list[str]) -> np.ndarray:
        """Tokens holding one of ``plain`` anywhere or one of ``words`` at a word start."""
        found = [self._found(a) for a in plain]
        found += [self._found(w, at_start=True) for w in words]
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)

    def _found(self, piece: str, *, at_start: bool = False, at_end: bool = False) -> np.ndarray:
        """Tokens holding ``piece``: anywhere, or at a word start (``at_start``: at the
        token's start or after a character other than a-z, 0-9), and or at the token's end.

        The vocabulary is one string, a token a line: a literal search through it (the
        fast path of ``re`` for a pattern without alternatives) finds every place the
        piece occurs; the edge conditions are then checked at those few places.
        """
        blob = self._blob
        places = [m.start() for m in re.finditer(re.escape(piece), blob)]
        if at_start:
            places = [p for p in places if p == 0 or not _WORD_CHAR.match(blob[p - 1])]
        if at_end:
            size = len(piece)
            places = [p for p in places if p + size == len(blob) or blob[p + size] == "\n"]
        if not places:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.searchsorted(self._blob_starts, places, side="right") - 1)

    def _exact(self, piece: str, *, prefix: bool = False) -> np.ndarray:
        """Tokens equal to ``piece``, or starting with it (``prefix``): a range of the
        sorted vocabulary."""
        tokens = self._sorted
        low = bisect.bisect_left(tokens, piece)
        high = bisect.bisect_left(tokens, piece + "\U0010ffff") if prefix else low
        if not prefix and low < len(tokens) and tokens[low] == piece:
            high = low + 1
        return np.arange(low, high, dtype=np.int64)

    def term_hits(self, term: SearchTerm, text_of: Callable[[np.ndarray], pl.Series]) -> np.ndarray:
        """Row by row, whether ``term`` matches, as :meth:`SearchTerm.sql` decides.

        ``text_of(rows)`` gives the folded text of those rows, read only to settle a
        spelling with a space in it.
        """
        plain, words = term.split()
        single_plain = [a for a in plain if " " not in a]
        single_words = [a for a in words if " " not in a]
        hits = self._rows_of(self._tokens(single_plain, single_words))
        spanning = [(a, False) for a in plain if " " in a] + [(a, True) for a in words if " " in a]
        for spelling, at_start in spanning:
            candidates = ~hits
            first, *middle, last = spelling.split(" ")
            candidates &= self._rows_of(self._found(first, at_start=at_start, at_end=True))
            for piece in middle:
                candidates &= self._rows_of(self._exact(piece))
            candidates &= self._rows_of(self._exact(last, prefix=True))
            rows = np.flatnonzero(candidates)
            if not len(rows):
                continue
            text = text_of(rows)
            if at_start:
                sure = text.str.contains(word_start_pattern([spelling]))
            else:
                sure = text.str.contains(spelling, literal=True)
            hits[rows[sure.fill_null(False).to_numpy()]] = True
        return hits


#: The layout of a saved index (:func:`save`); a file of another layout is rebuilt.
SAVED_LAYOUT = 1
_SAVED_ARRAYS = ("starts", "rows", "dense_of", "bits")


def _digest(arrays: dict) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for name in sorted(arrays):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(arrays[name]).view(np.uint8).reshape(-1))
    return digest.hexdigest()


def _arrays_of(index: WordIndex) -> dict:
    tokens = [t.encode() for t in index._sorted]
    lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    return {
        **{name: getattr(index, name) for name in _SAVED_ARRAYS},
        "vocab_bytes": np.frombuffer(b"".join(tokens), dtype=np.uint8),
        "vocab_lengths": lengths,
    }


def save(index: WordIndex, path: Path, key: dict) -> None:
    """Keep ``index`` in the file ``path`` for the next start of the same ``key`` (the
    store's identity, version and row order), with a digest of its arrays: written to
    a temporary file beside it and renamed over it, so a reader finds the old file or
    the whole new one."""
    arrays = _arrays_of(index)
    head = {"layout": SAVED_LAYOUT, "key": key, "rows_total": index.rows_total}
    head["digest"] = _digest(arrays)
    path = Path(path)
    handle, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            np.savez(out, head=np.frombuffer(json.dumps(head).encode(), dtype=np.uint8), **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(path: Path, key: dict) -> WordIndex | None:
    """The index :func:`save` kept at ``path`` for this ``key``, or None: no file, a file
    of another store, version or row order, or one whose arrays do not match their
    digest (cut short, or damaged)."""
    try:
        with np.load(Path(path), allow_pickle=False) as saved:
            head = json.loads(saved["head"].tobytes())
            if head.get("layout") != SAVED_LAYOUT or head.get("key") != key:
                return None
            arrays = {
                name: saved[name] for name in (*_SAVED_ARRAYS, "vocab_bytes", "vocab_lengths")
            }
    except (OSError, ValueError, KeyError, EOFError, json.JSONDecodeError, zipfile_error()):
        return None
    if _digest(arrays) != head.get("digest"):
        return None
    blob = arrays["vocab_bytes"].tobytes()
    ends = np.cumsum(arrays["vocab_lengths"])
    tokens = [
        blob[a:b].decode() for a, b in zip(np.concatenate([[0], ends[:-1]]), ends, strict=True)
    ]
    index = WordIndex.__new__(WordIndex)
    index.rows_total = int(head["rows_total"])
    index.vocab = pl.Series("tok", tokens, dtype=pl.String)
    for name in _SAVED_ARRAYS:
        setattr(index, name, arrays[name])
    index._blob, index._blob_starts = _blob_of(index.vocab)
    index._sorted = tokens
    return index


def zipfile_error() -> type[Exception]:
    import zipfile

    return zipfile.BadZipFile


#: Postings (document numbers) read in one visit to the file by
#: :func:`read_store_in_visits`: a page or a writer waits for a visit to end, and a cold
#: start of five million events reads about a billion bytes of them.
VISIT_POSTINGS = 20_000_000

_POSTINGS = (
    "SELECT t.token, p.docs FROM word_postings p JOIN word_tokens t USING (token_id) "
    "WHERE t.token >= $low AND ($high IS NULL OR t.token < $high) ORDER BY t.token, p.segment"
)


def read_store_in_visits(path, version: str, per_visit: int = VISIT_POSTINGS) -> tuple | None:
    """What an index of the store's postings is made from: each row's document number and
    every token's lists, in token order; None when the store keeps no current index.

    Read in short visits to the file of ``version`` (each checks the version:
    :class:`dashboard.store.StoreChanged` if a writer came between), the postings cut
    into ranges of tokens of about ``per_visit`` documents. Between visits, other pages
    and writers open the file: read in one visit, the postings of five million events
    held it longer than a page waits for it."""
    from dashboard import store, wordstore

    with store.same_version(path, version) as con:
        if not wordstore.current(con):
            return None
        docs = con.execute("SELECT rowid, doc FROM events WHERE doc IS NOT NULL").fetchnumpy()
        sizes = con.execute(
            "SELECT t.token, sum(len(p.docs)) FROM word_postings p "
            "JOIN word_tokens t USING (token_id) GROUP BY t.token ORDER BY t.token"
        ).fetchall()
    starts, held = [], per_visit
    for token, size in sizes:
        if held + int(size) > per_visit and (not starts or held):
            starts.append(token)
            held = 0
        held += int(size)
    starts = starts or [""]  # no token: one visit reads the (empty) postings
    parts = []
    for low, high in zip(starts, [*starts[1:], None], strict=True):
        with store.same_version(path, version) as con:
            parts.append(con.sql(_POSTINGS, params={"low": low, "high": high}).to_arrow_table())
    return docs, pa.concat_tables(parts)


def _tokens_of(text: pl.Series) -> pl.DataFrame:
    """(row within ``text``, token) for every token, empty ones dropped."""
    rows = pl.int_range(0, len(text), dtype=pl.UInt32, eager=True)
    return (
        pl.DataFrame({"row": rows, "tok": text.str.split(" ")})
        .explode("tok")
        .filter(pl.col("tok").str.len_bytes() > 0)
    )


def _blob_of(vocab: pl.Series) -> tuple[str, np.ndarray]:
    """The vocabulary as one string, a token a line, and where each token starts in it."""
    tokens = vocab.to_list()
    lengths = np.fromiter((len(t) + 1 for t in tokens), dtype=np.int64, count=len(tokens))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if len(tokens) else lengths
    return "\n".join(tokens), starts
