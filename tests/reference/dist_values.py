#!/usr/bin/env python3
"""Reference values for tests/ops_dist.cpp: each density from its textbook
definition (not from theon's formulas), in mpmath at 40 digits, printed as the
C++ rows of the test's tables.

  python3 tests/reference/dist_values.py
"""
from mpmath import mp, mpf, log, exp, gamma, beta, binomial, npdf, pi, sqrt, inf, matrix, inverse, det

mp.dps = 40


def lg(p):
    return -inf if p == 0 else log(p)


def student_t(x, nu, mu, s):
    z = (x - mu) / s
    return gamma((nu + 1) / 2) / (gamma(nu / 2) * sqrt(nu * pi) * s) * (1 + z * z / nu) ** (-(nu + 1) / 2)


CASES = {
    "normal": (lambda x, mu, s: npdf(x, mu, s),
               [(0.3, -1.2, 0.7), (1e3, 0, 1), (-2, 5, 1e-3)]),
    "lognormal": (lambda x, mu, s: npdf(log(x), mu, s) / x if x > 0 else 0,
                  [(2.5, 0.3, 0.8), (1e-5, 0, 2), (-1, 0, 1)]),
    "student_t": (student_t, [(0.5, 3, 0, 1), (100, 1.5, 2, 0.5), (-3, 30, 1, 2)]),
    "cauchy": (lambda x, mu, s: 1 / (pi * s * (1 + ((x - mu) / s) ** 2)),
               [(0.5, 0, 1), (1e8, 1, 3), (-2, 1, 0.25)]),
    "laplace": (lambda x, mu, b: exp(-abs(x - mu) / b) / (2 * b),
                [(0.5, 0, 1), (-7, 2, 0.3), (3, 3, 2)]),
    "exponential": (lambda x, lam: lam * exp(-lam * x) if x >= 0 else 0,
                    [(0.5, 2), (100, 0.1), (0, 3), (-1, 2)]),
    "gamma": (lambda x, a, b: b ** a * x ** (a - 1) * exp(-b * x) / gamma(a) if x >= 0 else 0,
              [(2, 3, 1.5), (1e-3, 0.5, 2), (0, 1, 2.5), (50, 20, 0.4), (-1, 2, 2)]),
    "inverse_gamma": (lambda x, a, b: b ** a * x ** (-a - 1) * exp(-b / x) / gamma(a),
                      [(0.5, 3, 2), (10, 1.5, 0.7), (1e-3, 4, 0.01)]),
    "beta": (lambda x, a, b: x ** (a - 1) * (1 - x) ** (b - 1) / beta(a, b) if 0 <= x <= 1 else 0,
             [(0.3, 2, 5), (0.999, 0.5, 0.5), (0, 1, 3), (1.5, 2, 2)]),
    "poisson": (lambda k, lam: lam ** k * exp(-lam) / gamma(k + 1) if k >= 0 else 0,
                [(0, 2.5), (3, 2.5), (100, 80), (-1, 1)]),
    "binomial": (lambda k, n, p: binomial(n, k) * p ** k * (1 - p) ** (n - k) if 0 <= k <= n else 0,
                 [(3, 10, 0.4), (0, 5, 0.1), (50, 50, 0.99), (6, 5, 0.5)]),
    "neg_binomial": (lambda k, a, b: binomial(k + a - 1, k) * (b / (1 + b)) ** a * (1 / (1 + b)) ** k,
                     [(0, 2, 0.5), (7, 3.5, 0.8), (200, 10, 0.05)]),
    "neg_binomial_2": (lambda k, mu, phi: binomial(k + phi - 1, k) * (mu / (mu + phi)) ** k * (phi / (mu + phi)) ** phi,
                       [(0, 3, 2), (7, 4.5, 10), (150, 100, 0.7)]),
    "bernoulli_logit": (lambda y, a: 1 / (1 + exp(-a)) if y == 1 else 1 / (1 + exp(a)),
                        [(1, 2), (0, 2), (1, -800), (0, 800)]),
}


def dirichlet(x, alpha):
    p = gamma(sum(alpha))
    for xi, ai in zip(x, alpha):
        p *= xi ** (ai - 1) / gamma(ai)
    return p


for name, (density, rows) in CASES.items():
    print(f"// {name}")
    for row in rows:
        args = [mpf(v) for v in row]
        value = lg(density(*args))
        text = "-inf" if value == -inf else mp.nstr(value, 20, min_fixed=-4, max_fixed=6)
        print("{" + ", ".join(repr(v) for v in row) + ", " + text + "},")
alpha = [mpf("1.5"), mpf(2), mpf("0.7")]
print("// dirichlet, alpha = 1.5, 2, 0.7")
for x in ([mpf("0.2"), mpf("0.3"), mpf("0.5")], [mpf("0.01"), mpf("0.01"), mpf("0.98")]):
    print(mp.nstr(log(dirichlet(x, alpha)), 20))
sigma = matrix([[4, 2, mpf(0.4)], [2, 5, 1], [mpf(0.4), 1, 3]])
mu = matrix([mpf(0.5), -1, 2])
print("// multi_normal_cholesky, Sigma = (4 2 0.4; 2 5 1; 0.4 1 3), mu = (0.5, -1, 2)")
for y in (matrix([1, 2, 3]), matrix([0, 0, 0])):
    d = y - mu
    quadratic = (d.T * inverse(sigma) * d)[0]
    print(mp.nstr(-quadratic / 2 - log(det(sigma)) / 2 - 3 * log(2 * pi) / 2, 20))
