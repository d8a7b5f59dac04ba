"""Near-duplicate index of texts: MinHash signatures of character shingles, banded LSH.

A text is normalised (``normalize``), stripped of punctuation and spaces, and cut into
overlapping character shingles of ``shingle`` characters. Its MinHash signature holds, for each of
``num_perm`` hash functions, the smallest hash of its shingles; two texts agree on one position
with a probability equal to the Jaccard similarity of their shingle sets.

The signature is cut into ``bands`` bands of ``num_perm / bands`` rows; texts that agree on a whole
band become candidates (banded LSH), and candidates are ranked by the share of signature
positions they agree on (the Jaccard estimate). With 128 permutations in 32 bands of 4 rows, a pair
at Jaccard 0.5 is a candidate with probability 0.87, at 0.6 with 0.99, at 0.3 with 0.23.

Storage is made for a million texts in memory and for lookups in a few milliseconds:

- per text: the low 16 bits of each signature value (enough to estimate agreement; a chance
  collision is 1 in 65,536) and one 32-bit hash per band;
- the band index: one sorted array of ``band << 32 | band hash`` keys with their slots, searched
  with a binary search, plus a small dictionary for texts added since the array was last built.
  The array is rebuilt when the dictionary grows past an eighth of it, so adding is amortised
  cheap and a lookup stays a handful of binary searches.

A lookup weighs at most ``MAX_CANDIDATES`` candidates (those sharing the most bands), so that a
phrase many texts share cannot make it slow.

``SimilarIndex.to_bytes()`` writes the keys, signatures and band hashes as a NumPy ``.npz``
archive (no pickle; about 390 bytes per text), and ``SimilarIndex.from_bytes()`` reads them back
and sorts the band index again (a few seconds for a million texts).
"""

import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from xinsheng.core.normalize import normalize

_MASK32 = np.uint64(0xFFFFFFFF)
_SHIFT32 = np.uint64(32)
_NOT_TEXT = re.compile(r"[\W_]+")
_FORMAT = 2
MAX_CANDIDATES = 5000  # bounds a lookup's work when many texts share a band

U64 = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class Match:
    """A text of the index that resembles the query, with its estimated Jaccard similarity."""

    key: int
    similarity: float


def shingle_hashes(text: str, *, size: int = 3) -> U64:
    """Return 64-bit hashes of the character shingles of ``text`` (already normalised).

    Punctuation and spaces are left out, so that ``食堂饭菜,太咸`` and ``食堂饭菜太咸`` agree.
    A text shorter than ``size`` is one shingle; an empty text has none.
    """
    letters = _NOT_TEXT.sub("", text.lower())
    if not letters:
        return np.zeros(0, dtype=np.uint64)
    points = np.frombuffer(letters.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    width = min(size, len(points))
    count = len(points) - width + 1
    hashes = np.zeros(count, dtype=np.uint64)
    for offset in range(width):
        hashes = (hashes ^ points[offset : offset + count]) * np.uint64(0x100000001B3)
    hashes ^= hashes >> np.uint64(29)
    hashes *= np.uint64(0xBF58476D1CE4E5B9)
    hashes ^= hashes >> np.uint64(32)
    return hashes


class SimilarIndex:
    """Find the texts that say nearly the same thing as a query; add and remove as cases change.

    Keys are the caller's integer ids (case ids). Adding a key again replaces its text.
    """

    def __init__(
        self, *, num_perm: int = 128, bands: int = 32, shingle: int = 3, seed: int = 1
    ) -> None:
        if num_perm % bands:
            raise ValueError("num_perm must be a multiple of bands")
        self.num_perm = num_perm
        self.bands = bands
        self.rows = num_perm // bands
        self.shingle = shingle
        self.seed = seed
        rng = np.random.default_rng(seed)
        # Multiply-shift hashing: h(x) = (a·x + b) mod 2^64 >> 32, with a odd.
        self._a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
        self._b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
        self._band_mix = rng.integers(1, 2**63, size=self.rows, dtype=np.uint64) | np.uint64(1)
        self._size = 0
        self._keys = np.zeros(0, dtype=np.int64)
        self._alive = np.zeros(0, dtype=bool)
        self._sigs = np.zeros((0, num_perm), dtype=np.uint16)
        self._band_hashes = np.zeros((0, bands), dtype=np.uint32)
        self._slot_of: dict[int, int] = {}
        self._sorted_keys = np.zeros(0, dtype=np.uint64)
        self._sorted_slots = np.zeros(0, dtype=np.int32)
        self._recent: defaultdict[int, list[int]] = defaultdict(list)
        self._recent_count = 0

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, key: object) -> bool:
        return key in self._slot_of

    # Signatures

    def signature(self, text: str) -> npt.NDArray[np.uint32]:
        """Return the MinHash signature of ``text`` (normalised here) as 32-bit values."""
        return np.asarray(self.signatures([text])[0], dtype=np.uint32)

    def signatures(self, texts: Sequence[str]) -> npt.NDArray[np.uint32]:
        """Return the MinHash signatures of ``texts``, one row each, computed in one pass."""
        shingles = [shingle_hashes(normalize(text), size=self.shingle) for text in texts]
        sigs = np.full((len(texts), self.num_perm), 0xFFFFFFFF, dtype=np.uint32)
        lengths = np.array([len(s) for s in shingles], dtype=np.int64)
        filled = np.flatnonzero(lengths)
        if not len(filled):
            return sigs
        flat = np.concatenate([shingles[i] for i in filled])
        starts = np.concatenate(([0], np.cumsum(lengths[filled])[:-1]))
        # (num_perm, total shingles) hashed values, reduced to a minimum per text.
        hashed = (self._a[:, None] * flat[None, :] + self._b[:, None]) >> _SHIFT32
        sigs[filled] = np.minimum.reduceat(hashed, starts, axis=1).T.astype(np.uint32)
        return sigs

    def _bands_of(self, sigs: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
        """Return one 32-bit hash per band of each signature."""
        grouped = sigs.astype(np.uint64).reshape(len(sigs), self.bands, self.rows)
        mixed = (grouped * self._band_mix).sum(axis=2, dtype=np.uint64)
        mixed ^= mixed >> np.uint64(31)
        mixed *= np.uint64(0x94D049BB133111EB)
        return np.asarray(mixed >> _SHIFT32, dtype=np.uint32)

    def _band_keys(self, band_hashes: npt.NDArray[np.uint32]) -> U64:
        band_numbers = np.arange(self.bands, dtype=np.uint64) << _SHIFT32
        return band_hashes.astype(np.uint64) | band_numbers

    # Changes

    def add(self, key: int, text: str) -> None:
        """Index ``text`` under ``key`` (replacing what ``key`` had)."""
        self.add_many([(key, text)])

    def add_many(self, items: Iterable[tuple[int, str]], *, batch: int = 2000) -> None:
        """Index many ``(key, text)`` pairs; much faster than adding them one at a time."""
        added: list[range] = []
        chunk: list[tuple[int, str]] = []
        for item in items:
            chunk.append(item)
            if len(chunk) >= batch:
                added.append(self._store(chunk))
                chunk = []
        if chunk:
            added.append(self._store(chunk))
        count = sum(len(slots) for slots in added)
        if self._recent_count + count > max(10_000, len(self._sorted_slots) // self.bands // 8):
            self.rebuild()
            return
        for slots in added:
            rows = self._band_keys(self._band_hashes[slots.start : slots.stop]).tolist()
            for slot, row in zip(slots, rows, strict=True):
                for band_key in row:
                    self._recent[band_key].append(slot)
        self._recent_count += count

    def _store(self, chunk: list[tuple[int, str]]) -> range:
        """Append the signatures of ``chunk`` and return their slots."""
        sigs = self.signatures([text for _, text in chunk])
        for key, _ in chunk:
            self.remove(key)
        first = self._size
        self._reserve(first + len(chunk))
        end = first + len(chunk)
        self._keys[first:end] = [key for key, _ in chunk]
        self._alive[first:end] = True
        self._sigs[first:end] = sigs.astype(np.uint16)
        self._band_hashes[first:end] = self._bands_of(sigs)
        self._size = end
        for slot, (key, _) in enumerate(chunk, start=first):
            if key in self._slot_of:  # the same key twice in one chunk: the last one wins
                self._alive[self._slot_of[key]] = False
            self._slot_of[key] = slot
        return range(first, end)

    def remove(self, key: int) -> None:
        """Forget ``key``; unknown keys are ignored."""
        slot = self._slot_of.pop(key, None)
        if slot is not None:
            self._alive[slot] = False

    def _reserve(self, size: int) -> None:
        if size <= len(self._keys):
            return
        capacity = max(size, 2 * len(self._keys), 1024)
        extra = capacity - len(self._keys)
        self._keys = np.concatenate([self._keys, np.zeros(extra, dtype=np.int64)])
        self._alive = np.concatenate([self._alive, np.zeros(extra, dtype=bool)])
        self._sigs = np.concatenate([self._sigs, np.zeros((extra, self.num_perm), np.uint16)])
        self._band_hashes = np.concatenate(
            [self._band_hashes, np.zeros((extra, self.bands), np.uint32)]
        )

    def rebuild(self) -> None:
        """Drop removed texts and fold recent additions into the sorted band index."""
        alive = np.flatnonzero(self._alive[: self._size])
        size = len(alive)
        # Room for a quarter more, so that the next additions do not copy everything at once.
        capacity = max(1024, size + size // 4)
        own_keys = np.zeros(capacity, dtype=np.int64)
        own_keys[:size] = self._keys[alive]
        sigs = np.zeros((capacity, self.num_perm), dtype=np.uint16)
        sigs[:size] = self._sigs[alive]
        band_hashes = np.zeros((capacity, self.bands), dtype=np.uint32)
        band_hashes[:size] = self._band_hashes[alive]
        self._keys, self._sigs, self._band_hashes = own_keys, sigs, band_hashes
        self._alive = np.zeros(capacity, dtype=bool)
        self._alive[:size] = True
        self._size = size
        self._slot_of = {int(key): slot for slot, key in enumerate(self._keys[:size].tolist())}
        band_keys = self._band_keys(self._band_hashes[:size]).ravel()
        slots = np.repeat(np.arange(self._size, dtype=np.int32), self.bands)
        order = np.argsort(band_keys, kind="stable")
        self._sorted_keys = band_keys[order]
        self._sorted_slots = slots[order]
        self._recent = defaultdict(list)
        self._recent_count = 0

    # Lookup

    def query(
        self, text: str, *, k: int = 5, threshold: float = 0.5, exclude: int | None = None
    ) -> list[Match]:
        """Return up to ``k`` indexed texts whose estimated Jaccard similarity is ≥ ``threshold``.

        The best come first; ``exclude`` leaves out one key (the case being looked at).
        """
        sig = self.signature(text)
        if (sig == 0xFFFFFFFF).all():
            return []
        band_keys = self._band_keys(self._bands_of(sig[None, :]))[0]
        left = np.searchsorted(self._sorted_keys, band_keys, side="left")
        right = np.searchsorted(self._sorted_keys, band_keys, side="right")
        found = [self._sorted_slots[lo:hi] for lo, hi in zip(left, right, strict=True) if hi > lo]
        recent = [self._recent[key] for key in band_keys.tolist() if key in self._recent]
        if recent:
            found.append(np.array([slot for slots in recent for slot in slots], dtype=np.int32))
        if not found:
            return []
        candidates, collisions = np.unique(np.concatenate(found), return_counts=True)
        alive = self._alive[candidates]
        candidates, collisions = candidates[alive], collisions[alive]
        if len(candidates) > MAX_CANDIDATES:  # common phrasing: keep those sharing most bands
            best = np.argpartition(-collisions, MAX_CANDIDATES)[:MAX_CANDIDATES]
            candidates = candidates[best]
        agree = (self._sigs[candidates] == sig.astype(np.uint16)).mean(axis=1)
        order = np.argsort(-agree, kind="stable")
        matches: list[Match] = []
        for index in order:
            similarity = float(agree[index])
            if similarity < threshold:
                break
            key = int(self._keys[candidates[index]])
            if key != exclude:
                matches.append(Match(key=key, similarity=round(similarity, 3)))
                if len(matches) == k:
                    break
        return matches

    # Storage

    def to_bytes(self) -> bytes:
        """Return the index as bytes (a NumPy ``.npz`` archive without pickled objects)."""
        params = {
            "format": _FORMAT,
            "num_perm": self.num_perm,
            "bands": self.bands,
            "shingle": self.shingle,
            "seed": self.seed,
        }
        alive = np.flatnonzero(self._alive[: self._size])
        buffer = io.BytesIO()
        np.savez(
            buffer,
            params=np.frombuffer(json.dumps(params).encode(), dtype=np.uint8),
            keys=self._keys[alive],
            sigs=self._sigs[alive],
            band_hashes=self._band_hashes[alive],
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "SimilarIndex":
        """Return the index that ``to_bytes`` wrote."""
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            params = json.loads(archive["params"].tobytes())
            if params.pop("format") != _FORMAT:
                raise ValueError("unknown similar-index format")
            index = cls(**params)
            index._keys = archive["keys"]
            index._sigs = archive["sigs"]
            index._band_hashes = archive["band_hashes"]
        index._size = len(index._keys)
        index._alive = np.ones(index._size, dtype=bool)
        index.rebuild()
        return index
