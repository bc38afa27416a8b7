"""gmm select: the choice agrees with R mclust's Mclust on Old Faithful in
the families both have (live when Rscript and mclust are installed, else
from tests/select/mclust_faithful_bic.csv, which tests/select/regenerate.sh
rewrites); each pair's model is gmm fit's; threads change nothing; the
BIC plot is a well-formed SVG with a line per covariance type."""
import csv
import io
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import clitest as cli
from clitest import expect, load_json, ok, run

SVG = "{http://www.w3.org/2000/svg}"
# mclust's names of our covariance types.
MCLUST = {"VVV": "full", "EEE": "tied", "VVI": "diag", "VII": "spherical"}


def mclust_table():
    """mclust's BIC per K and model on Old Faithful, as CSV text."""
    script = os.path.join(cli.SOURCE_DIR, "tests", "select", "mclust_bic.R")
    if shutil.which("Rscript"):
        result = subprocess.run(["Rscript", script, cli.FAITHFUL, "9"],
                                capture_output=True, text=True, timeout=300)
        if result.returncode == 0:
            return result.stdout
        assert "mclust" in result.stderr, result.stderr  # only a missing package
    with open(os.path.join(cli.SOURCE_DIR, "tests", "select",
                           "mclust_faithful_bic.csv")) as f:
        return f.read()


def mclust_choice():
    """(covariance type, K) with mclust's highest BIC."""
    rows = list(csv.DictReader(io.StringIO(mclust_table())))
    return max(((MCLUST[m], int(r["K"]), float(r[m]))
                for r in rows for m in MCLUST), key=lambda c: c[2])[:2]


def parse_table(text):
    """{(type, K): score} and the starred pair from gmm select's table."""
    lines = text.splitlines()
    types = lines[1].split()[1:]
    scores, best = {}, None
    for line in lines[2:]:
        if line.startswith("Best:"):
            break
        fields = line.split()
        for t, field in zip(types, fields[1:]):
            if field != "failed":
                scores[(t, int(fields[0]))] = float(field.rstrip("*"))
            if field.endswith("*"):
                best = (t, int(fields[0]))
    return scores, best


def test_choice_agrees_with_mclust():
    out = ok("select", cli.FAITHFUL, "--k", "1..9", "-o", "best.json")
    scores, best = parse_table(out)
    assert len(scores) == 36
    assert best == mclust_choice() == ("tied", 3), (best, mclust_choice())
    assert best == min(scores, key=scores.get)
    assert "Best: tied covariance, 3 components" in out
    model = load_json("best.json")
    assert (model["covariance_type"], model["n_components"]) == best
    # Where our fit and mclust's reach the same optimum the BICs agree in
    # magnitude (mclust's has the other sign and stops at its own tol).
    mclust = {(MCLUST[m], int(r["K"])): -float(r[m])
              for r in csv.DictReader(io.StringIO(mclust_table())) for m in MCLUST}
    for pair in [("full", 1), ("full", 2), ("tied", 2), ("tied", 3)]:
        assert abs(scores[pair] - mclust[pair]) < 0.05, (pair, scores[pair])


def test_best_model_is_gmm_fit():
    ok("select", cli.FAITHFUL, "--k", "2..3", "--covariance", "tied,full",
       "--seed", "7", "-o", "best.json")
    ok("fit", cli.FAITHFUL, "-k", "3", "--covariance", "tied", "--seed", "7",
       "--tol", "1e-6", "--max-iter", "1000", "-o", "fit.json")
    with open("best.json") as a, open("fit.json") as b:
        assert a.read() == b.read()


def test_threads_change_nothing():
    outs = []
    for threads in ["1", "4"]:
        outs.append(ok("select", cli.FAITHFUL, "--k", "1..5", "--threads",
                       threads, "--criterion", "aic", "-o", f"{threads}.json"))
        with open(f"{threads}.json") as f:
            outs.append(f.read())
    assert outs[0] == outs[2] and outs[1] == outs[3]
    assert outs[0].startswith("AIC per number of components")


def test_table_scores_are_gmm_score():
    out = ok("select", cli.FAITHFUL, "--k", "2", "--covariance", "diag")
    scores, _ = parse_table(out)
    ok("fit", cli.FAITHFUL, "-k", "2", "--covariance", "diag", "--tol",
       "1e-6", "--max-iter", "1000", "-o", "m.json")
    bic = float(ok("score", "m.json", cli.FAITHFUL, "--bic"))
    assert f"{bic:.3f}" == f"{scores[('diag', 2)]:.3f}"


def test_failed_pairs_are_reported_not_fatal():
    rows = "\n".join(f"{x},{x % 3}" for x in range(6)) + "\n"
    with open("small.csv", "w") as f:
        f.write(rows)
    # Without reg_covar, two or more components on six rows collapse.
    result = expect(run("select", "small.csv", "--k", "1..6", "--covariance",
                        "full", "--reg-covar", "0"), 0,
                    "full, K = 6 could not be fitted: numerical failure")
    assert result.stdout.count("failed") == 5


def test_more_components_than_rows_is_one_error():
    """K > n_samples cannot be fitted for any covariance type: one message
    before any fit, not a failed pair (and a warning) per type and K."""
    rows = "\n".join(f"{x},{x % 3}" for x in range(5)) + "\n"
    with open("small.csv", "w") as f:
        f.write(rows)
    result = expect(run("select", "small.csv", "--k", "1..1000"), 3,
                    "small.csv: expected n_samples >= n_components but got "
                    "n_components = 1000")
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr


def test_plot_of_the_criterion():
    ok("select", cli.FAITHFUL, "--k", "1..6", "--covariance", "all", "--plot",
       "bic.svg")
    root = ET.parse("bic.svg").getroot()
    lines = root.findall(f".//{SVG}g[@class='criterion']")
    assert [g.get("data-covariance") for g in lines] == \
        ["full", "tied", "diag", "spherical"]
    for g in lines:
        assert len(g.findall(f"{SVG}circle")) == 6
        assert len(g.findall(f"{SVG}polyline")) == 1
    assert len(root.findall(f".//{SVG}circle[@class='ring']")) == 2  # plot, legend
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "best: tied, K = 3" in texts and "BIC (lower is better)" in texts


def test_usage_errors():
    for args, message in [
            (["--k", "0"], "--k: expected values >= 1"),
            (["--k", "3..1"], "--k: expected"),
            (["--k", "1..x"], "--k: expected"),
            (["--k", "2,,3"], "--k: expected"),
            (["--covariance", "full,bogus"], "--covariance: expected"),
            (["--criterion", "icl"], "--criterion: expected bic or aic")]:
        expect(run("select", cli.FAITHFUL, *args), 2, message)
    expect(run("select", "missing.csv"), 3, "missing.csv")


if __name__ == "__main__":
    cli.main()


def test_covariance_mclust_lists_the_fourteen_in_mclust_s_order():
    out = ok("select", cli.FAITHFUL, "--k", "1..3", "--covariance", "mclust")
    lines = out.splitlines()
    assert lines[1].split() == ["K", "EII", "VII", "EEI", "VEI", "EVI", "VVI",
                                "EEE", "VEE", "EVE", "VVE", "EEV", "VEV",
                                "EVV", "VVV"]
    assert lines[-1] == ("mclust's BIC (2 logL - p log n, higher is better) "
                         "is minus these values.")
    scores, best = parse_table(out)
    # mclust's aliases are scikit-learn's types: the same fits.
    four = parse_table(ok("select", cli.FAITHFUL, "--k", "1..3"))[0]
    for mclust, ours in MCLUST.items():
        for k in (1, 2, 3):
            assert scores[(mclust, k)] == four[(ours, k)]
    # At K = 1 every model with the same covariance family ties.
    assert abs(scores[("VEV", 1)] - scores[("VVV", 1)]) < 1e-9 * abs(
        scores[("VVV", 1)])
