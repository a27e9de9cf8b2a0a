"""Significance tests for a groups x 2 table of counts, written out so they are cheap to load.

- Fisher's exact test for 2 x 2 tables: two-sided, summing the hypergeometric
  probabilities of every table with the observed margins that is no more probable than
  the observed one (the definition R's fisher.test and SciPy use).
- Pearson's chi-square test of independence, p from the chi-square survival function
  in closed form for whole degrees of freedom.
- The Fisher-Freeman-Halton exact test for larger tables, its p estimated by Monte
  Carlo from random tables with the observed margins (fixed seed: same data, same p).
- Cramér's V from the uncorrected chi-square statistic.

SciPy computes the same quantities (tests/analysis/test_significance.py checks them
against it when installed); importing scipy.stats would cost the CLI about a second.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

RELATIVE_TOLERANCE = 1 + 1e-7  # tables this close to the observed probability count as "as extreme"


def _log_factorials(n: int) -> np.ndarray:
    """log(k!) for k = 0..n."""
    return np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, n + 1, dtype=np.float64)))])


def fisher_2x2(table: Sequence[Sequence[int]]) -> float:
    """Two-sided p of Fisher's exact test for [[a, b], [c, d]] (log-space, fast for large counts)."""
    (a, b), (c, d) = table
    n, row1, col1 = a + b + c + d, a + b, a + c
    lf = _log_factorials(n)
    k = np.arange(max(0, row1 + col1 - n), min(row1, col1) + 1)
    # log P(k) = log C(col1, k) + log C(n - col1, row1 - k) - log C(n, row1)
    log_p = (
        lf[col1]
        - lf[k]
        - lf[col1 - k]
        + lf[n - col1]
        - lf[row1 - k]
        - lf[n - col1 - row1 + k]
        - (lf[n] - lf[row1] - lf[n - row1])
    )
    observed = log_p[a - k[0]]
    return float(min(1.0, np.exp(log_p[log_p <= observed + math.log(RELATIVE_TOLERANCE)]).sum()))


def expected_counts(table: np.ndarray) -> np.ndarray:
    total = table.sum()
    return np.outer(table.sum(axis=1), table.sum(axis=0)) / total


def chi_square(table: np.ndarray) -> tuple[float, int]:
    """Pearson's chi-square statistic (no continuity correction) and its degrees of freedom."""
    expected = expected_counts(table)
    statistic = float(((table - expected) ** 2 / expected).sum())
    dof = (table.shape[0] - 1) * (table.shape[1] - 1)
    return statistic, dof


def chi_square_sf(x: float, dof: int) -> float:
    """P(X >= x) for a chi-square variable with whole `dof` degrees of freedom."""
    if x <= 0:
        return 1.0
    y = x / 2
    if dof % 2 == 0:
        term, total = 1.0, 1.0
        for i in range(1, dof // 2):
            term *= y / i
            total += term
        return min(1.0, math.exp(-y) * total)
    total = math.erfc(math.sqrt(y))
    term = math.sqrt(y) / math.gamma(1.5)
    for j in range(1, (dof + 1) // 2):
        total += math.exp(-y) * term
        term *= y / (j + 0.5)
    return min(1.0, total)


def cramers_v(table: np.ndarray) -> float:
    statistic, _ = chi_square(table)
    return math.sqrt(statistic / (table.sum() * (min(table.shape) - 1)))


def freeman_halton_monte_carlo(table: np.ndarray, resamples: int, seed: int) -> float:
    """Monte Carlo p of the Fisher-Freeman-Halton test for a groups x 2 table.

    Random tables keep both margins (column A is a multivariate hypergeometric draw
    from the row totals); a table counts as extreme when its probability is at most
    the observed one. p = (extreme + 1) / (resamples + 1).
    """
    rows = table.sum(axis=1)
    col_a = int(table[:, 0].sum())
    n = int(rows.sum())
    log_factorial = _log_factorials(n)

    def log_prob(a: np.ndarray) -> np.ndarray:
        return -(log_factorial[a] + log_factorial[rows - a]).sum(axis=-1)

    observed = log_prob(table[:, 0])
    rng = np.random.default_rng(seed)
    draws = rng.multivariate_hypergeometric(rows, col_a, size=resamples, method="marginals")
    extreme = int((log_prob(draws) <= observed + 1e-7).sum())
    return (extreme + 1) / (resamples + 1)
