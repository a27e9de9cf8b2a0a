"""The hand-written tests against textbook values, exact enumeration and (when present) SciPy."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sectracker.analysis import significance as sig


def test_fisher_tea_tasting() -> None:
    # Fisher's lady tasting tea: [[3, 1], [1, 3]], two-sided p = 34/70.
    assert sig.fisher_2x2([[3, 1], [1, 3]]) == pytest.approx(34 / 70)
    assert sig.fisher_2x2([[4, 0], [0, 4]]) == pytest.approx(2 / 70)
    assert sig.fisher_2x2([[2, 2], [2, 2]]) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("x", "dof", "p"),
    [
        (3.841459, 1, 0.05),
        (5.991465, 2, 0.05),
        (7.814728, 3, 0.05),
        (9.487729, 4, 0.05),
        (11.0705, 5, 0.05),
        (6.634897, 1, 0.01),
    ],
)
def test_chi_square_critical_values(x: float, dof: int, p: float) -> None:
    assert sig.chi_square_sf(x, dof) == pytest.approx(p, rel=1e-5)


def _exact_freeman_halton(table: list[list[int]]) -> float:
    rows = [a + b for a, b in table]
    col_a = sum(a for a, _ in table)

    def prob(first: list[int]) -> float:
        return math.prod(math.comb(r, a) for r, a in zip(rows, first, strict=True)) / math.comb(sum(rows), col_a)

    observed = prob([a for a, _ in table])
    total = 0.0
    for a0 in range(rows[0] + 1):
        for a1 in range(rows[1] + 1):
            a2 = col_a - a0 - a1
            if 0 <= a2 <= rows[2] and (p := prob([a0, a1, a2])) <= observed * (1 + 1e-7):
                total += p
    return total


def test_freeman_halton_monte_carlo_is_close_to_exact() -> None:
    table = [[4, 0], [0, 1], [9, 5]]
    exact = _exact_freeman_halton(table)
    estimate = sig.freeman_halton_monte_carlo(np.array(table), 19_999, seed=7)
    assert estimate == pytest.approx(exact, abs=0.01)
    assert sig.freeman_halton_monte_carlo(np.array(table), 19_999, seed=7) == estimate


def test_agrees_with_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    assert sig.fisher_2x2([[1, 9], [11, 3]]) == pytest.approx(stats.fisher_exact([[1, 9], [11, 3]]).pvalue)
    table = np.array([[12, 5], [9, 14], [3, 11]])
    chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
    assert sig.chi_square(table) == (pytest.approx(chi2), dof)
    assert sig.chi_square_sf(chi2, dof) == pytest.approx(p)
    for dof in range(1, 9):
        assert sig.chi_square_sf(4.2, dof) == pytest.approx(stats.chi2.sf(4.2, dof))
