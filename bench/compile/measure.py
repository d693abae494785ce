#!/usr/bin/env python3
"""Compile time and compiler memory of theon against expression size.

For each size n, writes a translation unit holding a random expression of n
operations over four variables (fixed seed), and compiles it with g++ in one
of three modes:
  simplify  the type of simplify(e)                 (-fsyntax-only)
  grad      the type of simplify(grad(sum(e), x))   (-fsyntax-only)
  function  function(e) called once                (-O2, object file)
and prints one line per run: mode, n, seconds, peak compiler memory (MiB).
With --svg, also draws both against n, one line per mode (docs/images/compile_time.svg).

With --cases, compiles the models in bench/compile/cases/ instead (each a
whole program as a user writes it, -O2, one object file; the Black-Scholes
greeks are examples/black_scholes.cpp), at the sizes of
CASES below or those given as NAME=SIZE,SIZE (the size is the macro STEPS):
a compile over --timeout seconds or --memory MiB is reported as such.

  python3 bench/compile/measure.py                  # the default sizes and modes
  python3 bench/compile/measure.py --sizes 50 200 --modes simplify --seed 7
  python3 bench/compile/measure.py --svg docs/images/compile_time.svg
  python3 bench/compile/measure.py --cases                        # every case at its sizes
  python3 bench/compile/measure.py --cases shared_chain=10,20 black_scholes
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

UNARY = ["theon::exp({})", "theon::log({})", "theon::sin({})", "theon::sqrt({})", "theon::tanh({})",
         "theon::sigmoid({})", "-({})", "theon::pow({}, 2_c)", "theon::log(1_c + theon::exp({}))"]
BINARY = ["({} + {})", "({} - {})", "({} * {})", "({} / {})", "({} * 3_c + {})"]
LEAVES = ["x", "y", "z", "a", "2_c", "0.5_c"]


def expression(n, rng):
    """Text of a random expression with n operations (leaves not counted)."""
    if n == 0:
        return rng.choice(LEAVES)
    if rng.random() < 0.4:
        return rng.choice(UNARY).format(expression(n - 1, rng))
    left = rng.randint(0, n - 1)
    return rng.choice(BINARY).format(expression(left, rng), expression(n - 1 - left, rng))


def source(n, mode, seed):
    e = expression(n, random.Random(seed * 1000 + n))
    body = {
        "simplify": "using simplified = decltype(theon::simplify(e));\nstatic_assert(theon::is_node_v<simplified> || theon::is_var_v<simplified> || theon::is_lit_v<simplified>);",
        "grad": "using gradient = decltype(theon::simplify(theon::grad(theon::sum(e), x)));\nstatic_assert(theon::rank_v<gradient> == 1);",
        "function": "double run(const xt::xtensor<double, 1>& xs) {\n"
                    "  auto f = theon::function(theon::sum(e));\n"
                    "  return f(x = xs, y = xs, z = xs, a = 0.5);\n}",
    }[mode]
    return ("#include <theon/theon.hpp>\nusing namespace theon::literals;\n"
            "constexpr theon::vector<\"x\"> x;\nconstexpr theon::vector<\"y\"> y;\n"
            "constexpr theon::vector<\"z\"> z;\nconstexpr theon::scalar<\"a\"> a;\n"
            f"constexpr auto e = {e};\n{body}\n")


def measure(n, mode, seed, compiler):
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "expr.cpp")
        with open(src, "w") as f:
            f.write(source(n, mode, seed))
        flags = ["-fsyntax-only"] if mode != "function" else ["-O2", "-c", "-o", os.path.join(tmp, "expr.o")]
        cmd = ["/usr/bin/time", "-f", "%e %M", compiler, "-std=c++20", "-I" + os.path.join(ROOT, "include"),
               "-ftemplate-depth=4096", *flags, src]
        r = subprocess.run(cmd, capture_output=True, text=True)
        last = r.stderr.strip().splitlines()[-1]
        if r.returncode != 0:
            sys.stderr.write(r.stderr[-3000:])
            return None
        seconds, kib = last.split()
        return float(seconds), int(kib) / 1024


# The models of bench/compile/cases/ (and examples/ where one is the model)
# and the sizes (STEPS) each is measured at; None: the case has no size.
CASES = {
    "shared_chain": [10, 14, 20, 30, 50, 100],
    "second_order_chain": [5, 10, 20],
    "lotka_volterra": [2, 5, 10, 20],
    "black_scholes": [None],
}
SOURCES = {"black_scholes": os.path.join("examples", "black_scholes.cpp")}


def measure_case(name, steps, compiler, timeout, memory_mib):
    """(seconds, MiB), or a word saying why the compile did not finish."""
    src = os.path.join(ROOT, SOURCES.get(name, os.path.join("bench", "compile", "cases", name + ".cpp")))
    with tempfile.TemporaryDirectory() as tmp:
        size = [] if steps is None else [f"-DSTEPS={steps}"]
        cmd = ["/usr/bin/time", "-f", "%e %M", compiler, "-std=c++20", "-O2", "-I" + os.path.join(ROOT, "include"),
               *size, "-c", "-o", os.path.join(tmp, "case.o"), src]
        limit = f"ulimit -v {memory_mib * 1024}; " if memory_mib else ""
        try:
            r = subprocess.run(["bash", "-c", limit + 'exec "$@"', "bash", *cmd], capture_output=True, text=True,
                               timeout=timeout)
        except subprocess.TimeoutExpired:
            return f"over {timeout} s"
        if r.returncode != 0:
            out_of_memory = "memory" in r.stderr or "bad_alloc" in r.stderr
            if not out_of_memory:
                sys.stderr.write(r.stderr[-3000:])
            return f"over {memory_mib} MiB" if out_of_memory else "failed"
        seconds, kib = r.stderr.strip().splitlines()[-1].split()
        return float(seconds), int(kib) / 1024


def run_cases(requests, compiler, timeout, memory_mib):
    chosen = {}
    for request in requests or CASES:
        name, _, sizes = request.partition("=")
        if name not in CASES:
            sys.exit(f"measure.py: no case '{name}' (cases: {', '.join(CASES)})")
        chosen[name] = [int(s) for s in sizes.split(",")] if sizes else CASES[name]
    print(f"{'case':<20}{'steps':>6}{'seconds':>12}{'MiB':>8}")
    for name, sizes in chosen.items():
        for steps in sizes:
            m = measure_case(name, steps, compiler, timeout, memory_mib)
            shown = "-" if steps is None else steps
            if isinstance(m, str):
                print(f"{name:<20}{shown:>6}  {m}", flush=True)
            else:
                print(f"{name:<20}{shown:>6}{m[0]:>12.2f}{m[1]:>8.0f}", flush=True)


COLOURS = {"simplify": "#1b9e77", "grad": "#d95f02", "function": "#7570b3"}


def chart(results, path):
    """Two panels, seconds and MiB against nodes; results: {mode: [(n, seconds, MiB)]}."""
    width, height, pad = 360, 260, 50
    parts = []
    sizes = sorted({n for rows in results.values() for n, _, _ in rows})
    for panel, (column, label) in enumerate([(1, "seconds"), (2, "peak MiB")]):
        x0 = panel * (width + 20)
        top = max(row[column] for rows in results.values() for row in rows) * 1.1
        sx = lambda n: x0 + pad + (n - sizes[0]) / max(sizes[-1] - sizes[0], 1) * (width - pad - 10)
        sy = lambda v: height - pad + 10 - v / top * (height - pad - 10)
        parts.append(f'<line x1="{x0 + pad}" y1="{sy(0)}" x2="{x0 + width - 10}" y2="{sy(0)}" stroke="black"/>')
        parts.append(f'<line x1="{x0 + pad}" y1="{sy(0)}" x2="{x0 + pad}" y2="10" stroke="black"/>')
        for k in range(5):
            v = top * k / 4
            parts.append(f'<text x="{x0 + pad - 6}" y="{sy(v) + 4}" text-anchor="end" font-size="10">{v:.0f}</text>')
        for n in sizes:
            parts.append(f'<text x="{sx(n)}" y="{sy(0) + 14}" text-anchor="middle" font-size="10">{n}</text>')
        parts.append(f'<text x="{x0 + width / 2 + 20}" y="{height - 8}" text-anchor="middle" font-size="11">operations in the expression</text>')
        parts.append(f'<text x="{x0 + 12}" y="{height / 2}" font-size="11" transform="rotate(-90 {x0 + 12} {height / 2})" text-anchor="middle">{label}</text>')
        for mode, rows in results.items():
            points = " ".join(f"{sx(row[0]):.1f},{sy(row[column]):.1f}" for row in rows)
            parts.append(f'<polyline fill="none" stroke="{COLOURS.get(mode, "black")}" stroke-width="2" points="{points}"/>')
    for i, mode in enumerate(results):
        parts.append(f'<text x="{pad + 10 + i * 90}" y="22" font-size="12" fill="{COLOURS.get(mode, "black")}">{mode}</text>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * width + 20}" height="{height}" font-family="sans-serif">'
           '<rect width="100%" height="100%" fill="white"/>' + "".join(parts) + "</svg>\n")
    with open(path, "w") as f:
        f.write(svg)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100, 200, 400])
    p.add_argument("--modes", nargs="+", default=["simplify", "grad", "function"])
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--compiler", default="g++")
    p.add_argument("--svg", help="also write a chart of the results to this file")
    p.add_argument("--cases", nargs="*", metavar="NAME[=STEPS,...]", help="measure the models in bench/compile/cases/")
    p.add_argument("--timeout", type=int, default=300, help="seconds a case may compile (--cases)")
    p.add_argument("--memory", type=int, default=8192, help="MiB of memory a case may use (--cases; 0: no limit)")
    args = p.parse_args()
    if args.cases is not None:
        run_cases(args.cases, args.compiler, args.timeout, args.memory)
        return
    print(f"{'mode':<10}{'nodes':>7}{'seconds':>10}{'MiB':>8}")
    results = {}
    for mode in args.modes:
        for n in args.sizes:
            m = measure(n, mode, args.seed, args.compiler)
            if m is None:
                print(f"{mode:<10}{n:>7}{'failed':>10}")
            else:
                print(f"{mode:<10}{n:>7}{m[0]:>10.2f}{m[1]:>8.0f}", flush=True)
                results.setdefault(mode, []).append((n, *m))
    if args.svg and results:
        chart(results, args.svg)


if __name__ == "__main__":
    main()
