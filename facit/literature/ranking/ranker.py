"""Active-learning ranker: fixed TF-IDF features, a linear model retrained per decision.

The vectoriser is fitted once per review on every record's text (unsupervised, so it
may see unlabelled records), and only the classifier is retrained when a label
arrives. That keeps retrain + rerank on 20,000 records well under a second.

The default model is ASReview LAB 2/3's default "ELAS u4" (TF-IDF word 1–2-grams with
sublinear tf, max_df 0.95; linear SVM, C 0.11; "balanced" sample weights with ratio
9.8; "max" query). It was chosen by leave-one-dataset-out evaluation over the twelve
labelled datasets in ``data/screening`` against ensembles with naive Bayes (rank
averaged, fixed or late-joining), a committee of SVMs with different C, other class
balance ratios, character n-grams and logistic regression: each of those won on some
datasets and lost clearly on others (up to −0.10 WSS@95 on the small ones), so none
was robust. A second round with rules outside the config (title counted twice, a share
of uncertainty queries, an agreement gate on the ensemble, a switch after 20 relevant
records) lost on at least two datasets each (``bench/_screening_variants.py``). See
``bench/bench_screening.py`` and the README. The other models stay
available as options (``classifiers``, ``member_weights``, ``member_features``,
``member_c``, ``nb_min_inclusions``, ``char_ngrams``).
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import joblib
import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from .errors import RankingError

_FEATURES_FILE = "features.npz"
_VECTORISERS_FILE = "vectorisers.joblib"
_CONFIG_FILE = "config.json"
_IDENTITY_FILE = "model.txt"
# Raise when the code that turns texts into features or features into scores changes in
# a way the config does not show: saved features keyed on the old identity then stop
# matching and are fitted afresh.
MODEL_VERSION = 1


@dataclass(frozen=True)
class RankerConfig:
    """Every knob of the model, so a review can record exactly what ranked it."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] | None = None
    char_weight: float = 1.0
    sublinear_tf: bool = True
    min_df: int = 1
    max_df: float = 0.95
    stop_words: str | None = None
    classifiers: tuple[str, ...] = ("svm",)
    member_weights: tuple[float, ...] | None = None
    svm_c: float = 0.11
    logistic_c: float = 1.0
    nb_alpha: float = 1.0
    balance_ratio: float = 9.8
    random_state: int = 0
    # Which feature block each classifier sees: "all" (every block side by side),
    # "word" or "char". None means "all" for every member.
    member_features: tuple[str, ...] | None = None
    # Per-member regularisation (C for "svm"/"logistic"); None keeps svm_c/logistic_c.
    member_c: tuple[float, ...] | None = None
    # A naive Bayes member joins only once this many inclusions are labelled.
    nb_min_inclusions: int = 0

    def __post_init__(self) -> None:
        if not self.classifiers:
            raise RankingError("config.classifiers", "name at least one classifier")
        weights = self.member_weights
        if (
            weights is not None
            and len(self.classifiers) > 1
            and len(weights) != len(self.classifiers)
        ):
            raise RankingError(
                "config.member_weights",
                f"{len(weights)} weights for {len(self.classifiers)} classifiers",
            )
        if self.member_c is not None and len(self.member_c) != len(self.classifiers):
            raise RankingError(
                "config.member_c",
                f"{len(self.member_c)} values for {len(self.classifiers)} classifiers",
            )
        blocks = self.member_features
        if blocks is not None:
            if len(blocks) != len(self.classifiers):
                raise RankingError(
                    "config.member_features",
                    f"{len(blocks)} feature blocks for {len(self.classifiers)} classifiers",
                )
            for block in blocks:
                if block not in ("all", "word", "char"):
                    raise RankingError("config.member_features", f"unknown block {block!r}")
                if block == "char" and self.char_ngrams is None:
                    raise RankingError(
                        "config.member_features", "a 'char' member needs char_ngrams"
                    )

    @classmethod
    def asreview_default(cls) -> RankerConfig:
        """ASReview LAB's ELAS u4 (its default, and facit's): our simulation matches it
        record for record from the same priors."""
        return cls(classifiers=("svm",), member_weights=None)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    def identity(self) -> str:
        """Short digest of everything that decides the model: the config, the model code's
        :data:`MODEL_VERSION` and the scikit-learn version (the saved vectorisers are its
        pickles). Saved features are keyed on it, so a changed model never reuses them."""
        text = json.dumps(
            {"config": asdict(self), "version": MODEL_VERSION, "sklearn": sklearn.__version__},
            sort_keys=True,
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @classmethod
    def from_json(cls, text: str) -> RankerConfig:
        raw = json.loads(text)
        for key in ("word_ngrams", "char_ngrams"):
            if raw.get(key) is not None:
                raw[key] = tuple(raw[key])
        raw["classifiers"] = tuple(raw["classifiers"])
        for key in ("member_weights", "member_features", "member_c"):
            if raw.get(key) is not None:
                raw[key] = tuple(raw[key])
        return cls(**raw)


@dataclass(frozen=True)
class RankResult:
    """Unlabelled record indices, most likely relevant first, and every record's score.

    ``scores`` covers all records (labelled ones too) so the UI can show a relevance
    bar; only ``order`` excludes what is already labelled.
    """

    order: list[int]
    scores: np.ndarray = field(repr=False)


def balanced_sample_weight(y: np.ndarray, *, ratio: float) -> np.ndarray:
    """ASReview's "balanced" weighting: exclusions weigh n1/(ratio·n0), mean weight 1.

    Relevant records are rare; without up-weighting them a linear model learns
    "everything is irrelevant". ``ratio`` says how much more total weight the
    exclusions keep than the inclusions.
    """
    n1 = int(y.sum())
    n0 = len(y) - n1
    weights = np.where(y == 1, 1.0, n1 / (ratio * n0))
    return weights * (len(y) / weights.sum())


def _rank_normalise(values: np.ndarray) -> np.ndarray:
    """Map scores to (0, 1] by rank so members on different scales can be averaged."""
    ranks = np.empty(len(values), dtype=float)
    ranks[np.argsort(values, kind="stable")] = np.arange(1, len(values) + 1)
    return ranks / len(values)


class Ranker:
    """Rank records by predicted relevance from the labels known so far."""

    def __init__(self, config: RankerConfig | None = None) -> None:
        self.config = config or RankerConfig()
        self._vectorisers: list[TfidfVectorizer] = []
        self._matrix: sp.csr_matrix | None = None
        self._blocks: dict[str, sp.csr_matrix] = {}

    # -- features ---------------------------------------------------------------

    def fit_features(self, texts: Sequence[str]) -> None:
        """Fit the vocabulary and IDF on every record once per review."""
        if len(texts) == 0:
            raise RankingError("texts", "a review needs at least one record to rank")
        cleaned = [text or "" for text in texts]
        blocks = []
        self._vectorisers = []
        for vectoriser, weight in self._make_vectorisers():
            try:
                block = vectoriser.fit_transform(cleaned)
            except ValueError as exc:  # empty vocabulary: every text blank or stop words
                raise RankingError("texts", f"no usable words in the records ({exc})") from exc
            self._vectorisers.append(vectoriser)
            blocks.append(block * weight if weight != 1.0 else block)
        self._matrix = sp.hstack(blocks, format="csr", dtype=np.float64)
        self._blocks = {}

    def _block(self, name: str) -> sp.csr_matrix:
        """The columns of one vectoriser ("word" is the first, "char" the second)."""
        if name == "all" or len(self._vectorisers) == 1:
            return self.matrix
        if name not in self._blocks:
            width = len(self._vectorisers[0].vocabulary_)
            columns = slice(0, width) if name == "word" else slice(width, None)
            self._blocks[name] = self.matrix[:, columns].tocsr()
        return self._blocks[name]

    def _make_vectorisers(self) -> list[tuple[TfidfVectorizer, float]]:
        cfg = self.config
        made = [
            (
                TfidfVectorizer(
                    ngram_range=cfg.word_ngrams,
                    sublinear_tf=cfg.sublinear_tf,
                    min_df=cfg.min_df,
                    max_df=cfg.max_df,
                    stop_words=cfg.stop_words,
                    dtype=np.float64,
                ),
                1.0,
            )
        ]
        if cfg.char_ngrams is not None:
            made.append(
                (
                    TfidfVectorizer(
                        analyzer="char_wb",
                        ngram_range=cfg.char_ngrams,
                        sublinear_tf=cfg.sublinear_tf,
                        min_df=max(cfg.min_df, 2),
                        max_df=cfg.max_df,
                        dtype=np.float64,
                    ),
                    cfg.char_weight,
                )
            )
        return made

    @property
    def matrix(self) -> sp.csr_matrix:
        if self._matrix is None:
            raise RankingError("features", "call fit_features() or load() first")
        return self._matrix

    @property
    def n_records(self) -> int:
        return int(self.matrix.shape[0])

    # -- ranking ----------------------------------------------------------------

    def rank(self, labels: Mapping[int, int]) -> RankResult:
        """Retrain on ``labels`` (record index -> 0/1) and order the unlabelled records."""
        indices, y = self._check_labels(labels)
        scores = self.scores(indices, y)
        return RankResult(order=self.order_unlabelled(scores, indices), scores=scores)

    def _check_labels(self, labels: Mapping[int, int]) -> tuple[np.ndarray, np.ndarray]:
        n = self.n_records
        for index, label in labels.items():
            if not 0 <= int(index) < n:
                raise RankingError(f"record {index}", f"index outside 0..{n - 1}")
            if label not in (0, 1):
                raise RankingError(f"record {index}", f"label must be 0 or 1, got {label!r}")
        indices = np.fromiter(labels.keys(), dtype=np.int64, count=len(labels))
        y = np.fromiter(labels.values(), dtype=np.int64, count=len(labels))
        return indices, y

    @staticmethod
    def order_unlabelled(scores: np.ndarray, labelled: np.ndarray) -> list[int]:
        """Unlabelled indices by descending score; ties keep record order (stable)."""
        mask = np.ones(len(scores), dtype=bool)
        mask[labelled] = False
        pool = np.flatnonzero(mask)
        return pool[np.argsort(-scores[pool], kind="stable")].tolist()

    def scores(self, indices: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Relevance score for every record given training rows ``indices`` with ``y``."""
        X = self.matrix
        if len(indices) == 0:
            return np.zeros(X.shape[0])
        if y.min() == y.max():
            return self._similarity_scores(indices, positive=bool(y[0]))
        weights = balanced_sample_weight(y, ratio=self.config.balance_ratio)
        cfg = self.config
        n_members = len(cfg.classifiers)
        blocks = cfg.member_features or ("all",) * n_members
        cs = cfg.member_c or (None,) * n_members
        all_weights = cfg.member_weights or (1.0,) * n_members
        members, member_weights = [], []
        for name, block, c, weight in zip(cfg.classifiers, blocks, cs, all_weights, strict=True):
            if name == "nb" and n_members > 1 and int(y.sum()) < cfg.nb_min_inclusions:
                continue
            members.append(self._member_scores(name, self._block(block), indices, y, weights, c))
            member_weights.append(weight)
        if len(members) == 1:
            return members[0]
        return np.average([_rank_normalise(m) for m in members], axis=0, weights=member_weights)

    def _similarity_scores(self, indices: np.ndarray, *, positive: bool) -> np.ndarray:
        """With one class only, rank by closeness to (or distance from) what is labelled."""
        centroid = np.asarray(self.matrix[indices].mean(axis=0)).ravel()
        similarity = self.matrix @ centroid
        return similarity if positive else -similarity

    def _member_scores(
        self,
        name: str,
        X: sp.csr_matrix,
        indices: np.ndarray,
        y: np.ndarray,
        weights: np.ndarray,
        c: float | None = None,
    ) -> np.ndarray:
        cfg = self.config
        X_train = X[indices]
        if name == "svm":
            model = LinearSVC(C=c or cfg.svm_c, random_state=cfg.random_state)
            model.fit(X_train, y, sample_weight=weights)
            return model.decision_function(X)
        if name == "logistic":
            model = LogisticRegression(C=c or cfg.logistic_c, max_iter=1000)
            model.fit(X_train, y, sample_weight=weights)
            return model.decision_function(X)
        if name == "nb":
            return self._naive_bayes_scores(X, X_train, y, weights)
        raise RankingError("config.classifiers", f"unknown classifier {name!r}")

    def _naive_bayes_scores(
        self, X: sp.csr_matrix, X_train: sp.csr_matrix, y: np.ndarray, weights: np.ndarray
    ) -> np.ndarray:
        """Multinomial naive Bayes log-odds as one sparse product.

        Same model as sklearn's MultinomialNB with weighted counts and uniform class
        prior, but without its dense per-class bookkeeping, which made it ~5x slower
        than the SVM on 200,000 n-gram features.
        """
        alpha = self.config.nb_alpha
        weighted = sp.diags(weights) @ X_train
        counts_pos = np.asarray(weighted[y == 1].sum(axis=0)).ravel() + alpha
        counts_neg = np.asarray(weighted[y == 0].sum(axis=0)).ravel() + alpha
        log_ratio = np.log(counts_pos / counts_pos.sum()) - np.log(counts_neg / counts_neg.sum())
        return X @ log_ratio

    # -- persistence --------------------------------------------------------------

    def save(self, directory: str | Path) -> None:
        """Write the fitted vectorisers and feature matrix so a review can reuse them."""
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        sp.save_npz(path / _FEATURES_FILE, self.matrix)
        joblib.dump(self._vectorisers, path / _VECTORISERS_FILE)
        (path / _CONFIG_FILE).write_text(self.config.to_json(), encoding="utf-8")
        (path / _IDENTITY_FILE).write_text(self.config.identity(), encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path, *, expected: RankerConfig | None = None) -> Ranker:
        """Read what :meth:`save` wrote. Only load directories this application wrote:
        joblib files are pickles.

        With ``expected``, features saved by any other model (another config, model
        version or scikit-learn version, or saved before identities were recorded) are
        refused with :class:`RankingError`, so the caller fits them afresh.
        """
        path = Path(directory)
        try:
            if expected is not None:
                saved = (path / _IDENTITY_FILE).read_text(encoding="utf-8").strip()
                if saved != expected.identity():
                    raise RankingError(
                        str(path), f"saved by model {saved}, not {expected.identity()}"
                    )
            config = RankerConfig.from_json((path / _CONFIG_FILE).read_text(encoding="utf-8"))
            if expected is not None and config != expected:
                raise RankingError(str(path), "saved with another model config")
            ranker = cls(config)
            ranker._matrix = sp.load_npz(path / _FEATURES_FILE).tocsr()
            ranker._vectorisers = joblib.load(path / _VECTORISERS_FILE)
        except (
            OSError,
            ValueError,
            KeyError,
            TypeError,
            EOFError,
            AttributeError,
            ImportError,
            pickle.UnpicklingError,
        ) as exc:
            raise RankingError(str(path), f"cannot load saved features ({exc})") from exc
        return ranker
