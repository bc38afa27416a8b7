"""gmm fit, predict and score --missing marginalize, and gmm impute: CSV
spellings of a missing value, .npy NaN, output in DATA's format, the
numbers against the per-row reference (tests/reference/missing_em.py),
and the errors (an all-missing row named, Inf, the option absent)."""
import io
import os
import sys

import numpy as np

import clitest as cli
from clitest import expect, numbers, ok, run


def holes(seed=0):
    """Old Faithful with a column of noise, about 15% of entries missing
    (never a whole row)."""
    rng = np.random.RandomState(seed)
    data = cli.read_faithful()
    data = np.column_stack([data, data[:, 0] * 3 + rng.standard_normal(len(data))])
    mask = rng.uniform(size=data.shape) < 0.15
    mask[mask.all(axis=1), 0] = False
    out = data.copy()
    out[mask] = np.nan
    return out


SPELLINGS = ["", "NA", "NaN", "nan"]


def write_csv(path, X, header=True):
    """X as CSV, each missing entry spelled in turn as empty, NA, NaN, nan."""
    n = 0
    with open(path, "w") as f:
        if header:
            f.write("eruptions,waiting,noise\n")
        for row in X:
            fields = []
            for value in row:
                if np.isnan(value):
                    fields.append(SPELLINGS[n % len(SPELLINGS)])
                    n += 1
                else:
                    fields.append(repr(float(value)))
            f.write(",".join(fields) + "\n")


def reference():
    sys.path.insert(0, os.path.join(cli.SOURCE_DIR, "tests", "reference"))
    import missing_em
    return missing_em


def test_fit_reads_every_spelling_and_npy_alike():
    X = holes()
    write_csv("holes.csv", X)
    np.save("holes.npy", X)
    args = ("-k", "2", "--missing", "marginalize", "--seed", "1")
    from_csv = cli.fit("csv.json", *args, data="holes.csv")
    from_npy = cli.fit("npy.json", *args, data="holes.npy")
    assert from_csv == from_npy
    assert from_csv["n_features"] == 3
    # Without the option the reader's error stays.
    expect(run("fit", "holes.csv", "-k", "2", "-o", "x.json"), 3,
           "expected a number, found an empty field")
    expect(run("fit", "holes.npy", "-k", "2", "-o", "x.json"), 3,
           "found NaN")
    assert not os.path.exists("x.json")


def test_predict_score_and_impute_against_reference():
    ref = reference()
    X = holes(1)
    write_csv("holes.csv", X)
    model = cli.fit("m.json", "-k", "2", "--missing", "marginalize",
                    data="holes.csv")
    weights, means = np.array(model["weights"]), np.array(model["means"])
    covs = np.array(model["covariances"])
    lp = ref.log_prob(X, weights, means, covs)
    top = lp.max(axis=1, keepdims=True)
    log_norm = top[:, 0] + np.log(np.exp(lp - top).sum(axis=1))
    proba = np.exp(lp - log_norm[:, None])
    per_sample = np.array(numbers(ok("score", "m.json", "holes.csv",
                                     "--per-sample", "--missing",
                                     "marginalize")))[:, 0]
    np.testing.assert_allclose(per_sample, log_norm, rtol=1e-12)
    got = np.array(numbers(ok("predict", "m.json", "holes.csv", "--proba",
                              "--missing", "marginalize")))
    np.testing.assert_allclose(got, proba, rtol=1e-10, atol=1e-13)
    labels = [int(x) for x in ok("predict", "m.json", "holes.csv",
                                 "--missing", "marginalize").split()]
    assert labels == lp.argmax(axis=1).tolist()
    expected = np.array([sum(p * ref.conditional(x, means[k], covs[k])[0]
                             for k, p in enumerate(row))
                         for x, row in zip(X, proba)])
    text = ok("impute", "m.json", "holes.csv")
    assert text.splitlines()[0] == "eruptions,waiting,noise"
    np.testing.assert_allclose(np.array(numbers("\n".join(
        text.splitlines()[1:]))), expected, rtol=1e-10)
    expect(run("score", "m.json", "holes.csv"), 3, "empty field")


def test_impute_writes_data_s_format_and_draws():
    X = holes(2)
    write_csv("plain.csv", X, header=False)
    np.save("holes.npy", X)
    cli.fit("m.json", "-k", "2", "--missing", "marginalize", data="holes.npy")
    ok("impute", "m.json", "holes.npy", "-o", "filled.npy")
    filled = np.load("filled.npy")
    observed = ~np.isnan(X)
    assert filled.shape == X.shape and not np.isnan(filled).any()
    assert (filled[observed] == X[observed]).all()
    from_csv = np.array(numbers(ok("impute", "m.json", "plain.csv")))
    np.testing.assert_array_equal(from_csv, filled)
    ok("impute", "m.json", "holes.npy", "--draws", "3", "--seed", "4",
       "-o", "draws.npy")
    draws = np.load("draws.npy")
    assert draws.shape == (3 * len(X), 3)
    for d in range(3):
        block = draws[d * len(X):(d + 1) * len(X)]
        assert (block[observed] == X[observed]).all()
    assert not (draws[:len(X)] == draws[len(X):2 * len(X)]).all()
    again = np.load(io.BytesIO(run_bytes("impute", "m.json", "holes.npy",
                                         "--draws", "3", "--seed", "4")))
    np.testing.assert_array_equal(again, draws)


def run_bytes(*args):
    import subprocess
    done = subprocess.run([cli.GMM, *args], capture_output=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_errors():
    write_csv("holes.csv", holes(3))
    cli.fit("m.json", "-k", "2", "--missing", "marginalize", data="holes.csv")
    with open("bad.csv", "w") as f:
        f.write("1,2,3\n4,NA,6\nNA,,nan\n7,8,9\n")
    for command in (["fit", "bad.csv", "-k", "1", "-o", "x.json"],
                    ["predict", "m.json", "bad.csv"],
                    ["score", "m.json", "bad.csv"]):
        expect(run(*command, "--missing", "marginalize"), 3,
               "row 2 (counted from 0) has every feature missing")
    expect(run("impute", "m.json", "bad.csv", "-o", "x.csv"), 3,
           "row 2 (counted from 0) has every feature missing")
    with open("inf.csv", "w") as f:
        f.write("1,2,3\n4,inf,\n7,8,9\n")
    expect(run("fit", "inf.csv", "-k", "1", "-o", "x.json", "--missing",
               "marginalize"), 3, "infinity is not allowed")
    expect(run("impute", "m.json", "inf.csv"), 3, "infinity is not allowed")
    expect(run("fit", "holes.csv", "-k", "1", "-o", "x.json", "--missing",
               "drop"), 2, "--missing: expected error or marginalize")
    expect(run("fit", "holes.csv", "-k", "1", "-o", "x.json", "--missing",
               "marginalize", "--online"), 2, "not with --online")
    assert not os.path.exists("x.json") and not os.path.exists("x.csv")


if __name__ == "__main__":
    cli.main()
