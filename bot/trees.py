"""A fitted forest of gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier, exported by
benchmarks/fit.py), evaluated here without scikit-learn: a few hundred small trees over named features."""

from __future__ import annotations

import math
from dataclasses import dataclass

Node = tuple[int, float, int, int, float, bool]  # feature, threshold, left, right, value, missing goes left


@dataclass(frozen=True)
class Forest:
    features: tuple[str, ...]
    trees: tuple[tuple[Node, ...], ...]  # node 0 is the root; a leaf has left == -1
    baseline: float

    def raw(self, f: dict[str, float]) -> float:
        x = [f[name] for name in self.features]
        total = self.baseline
        for tree in self.trees:
            node = tree[0]
            while node[2] >= 0:
                value = x[node[0]]
                left = node[5] if math.isnan(value) else value <= node[1]
                node = tree[node[2] if left else node[3]]
            total += node[4]
        return total

    def probability(self, f: dict[str, float]) -> float:
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, self.raw(f)))))

    def check(self, expected: tuple[str, ...], what: str) -> None:
        from bot.scoring import ScoringError

        if tuple(self.features) != expected:
            raise ScoringError(f"scoring file: the {what} model's features differ from the answerer's; "
                               "rerun benchmarks/fit.py")
        for tree in self.trees:
            for node in tree:
                if node[2] >= len(tree) or node[3] >= len(tree) or not 0 <= node[0] < len(self.features):
                    raise ScoringError(f"scoring file: the {what} model has a malformed tree")


def from_sklearn(model, features: tuple[str, ...]) -> Forest:  # type: ignore[no-untyped-def]
    """Export a fitted binary HistGradientBoostingClassifier (its trees are in the private `_predictors`; the
    export is checked against the model's own decision_function by the caller)."""
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        trees.append(tuple(
            (int(n["feature_idx"]), float(n["num_threshold"]), -1 if n["is_leaf"] else int(n["left"]),
             -1 if n["is_leaf"] else int(n["right"]), float(n["value"]), bool(n["missing_go_to_left"]))
            for n in nodes))
    baseline = float(model._baseline_prediction.ravel()[0])
    return Forest(tuple(features), tuple(trees), baseline)
