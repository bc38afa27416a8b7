"""Usage errors exit with status 2, name the offending flag, and create no
output file; --help works everywhere. Most of these never reach the data."""
import os

import clitest as cli
from clitest import expect, run

SUBCOMMANDS = ["fit", "predict", "score", "sample", "kmeans", "info", "select",
               "plot"]


def test_no_arguments_is_usage_error():
    result = expect(run(), 2, "Usage: gmm COMMAND")
    assert result.stdout == ""


def test_top_level_help_lists_commands_and_exit_codes():
    for flag in ["--help", "-h", "help"]:
        result = expect(run(flag), 0)
        for name in SUBCOMMANDS:
            assert f"  {name} " in result.stdout, name
        assert "Exit status:" in result.stdout
        assert "130" in result.stdout


def test_version():
    assert expect(run("--version"), 0).stdout.startswith("gmm ")


def test_unknown_command():
    expect(run("frobnicate"), 2, "gmm: unknown command 'frobnicate'")


def test_every_subcommand_has_help():
    for name in SUBCOMMANDS:
        result = expect(run(name, "--help"), 0)
        assert result.stdout.startswith(f"Usage: gmm {name}"), result.stdout
        assert "Exit status:" in result.stdout
        assert result.stderr == ""
        assert expect(run(name, "-h"), 0).stdout == result.stdout


def fit_args(*extra):
    return ["fit", cli.FAITHFUL, "-k", "2", "-o", "out.json", *extra]


def check_fit_usage(extra, message):
    """A bad fit command line: status 2, the message, and no model file."""
    expect(run(*fit_args(*extra)), 2, ["gmm fit: ", message,
                                       "Try 'gmm fit --help'."])
    assert not os.path.exists("out.json")


def test_fit_missing_arguments():
    expect(run("fit"), 2, "gmm fit: missing DATA argument")
    expect(run("fit", cli.FAITHFUL, "-o", "m.json"), 2,
           "missing required option -k")
    expect(run("fit", cli.FAITHFUL, "-k", "2"), 2,
           "missing required option -o")
    expect(run("fit", cli.FAITHFUL, "-k"), 2, "option -k needs a value")
    assert not os.path.exists("m.json")


def test_fit_strict_integers():
    for flag, value in [("-k", "12abc"), ("-k", "-2"), ("-k", "0"),
                        ("-k", "2.5"), ("-k", ""), ("-k", " 2"), ("-k", "+2"),
                        ("--max-iter", "1e3"), ("--max-iter", "-1"),
                        ("--n-init", "0"), ("--threads", "-1"),
                        ("--max-iter", "99999999999"),
                        ("--seed", "-1"), ("--seed", "18446744073709551616"),
                        ("--seed", "0x10")]:
        options = {"-k": "2", "-o": "out.json", flag: value}
        args = [item for pair in options.items() for item in pair]
        expect(run("fit", cli.FAITHFUL, *args), 2,
               [f"{flag}: expected an integer", f"got {value!r}"])
        assert not os.path.exists("out.json")


def test_fit_strict_reals():
    for flag, value in [("--tol", "abc"), ("--tol", "1e-3x"), ("--tol", "-1"),
                        ("--tol", "nan"), ("--tol", "inf"),
                        ("--reg-covar", "-1e-6"), ("--reg-covar", "")]:
        check_fit_usage([flag, value], f"{flag}: expected a number >= 0")


def test_fit_memory_sizes():
    # A size is digits and at most one binary suffix; 0 would mean "no
    # limit", which is leaving --memory out.
    for value in ["0", "", "-1M", "1.5G", "64MB", "64 M", " 64M", "M", "1KK",
                  "0x100", "+1M", "16E", "99999999999999999999",
                  "18014398509481984K", "17179869184G"]:
        check_fit_usage(["--memory", value],
                        f"--memory: expected a size in bytes such as 512M or "
                        f"2G (suffixes K, M, G, T: powers of 1024), at least "
                        f"1, got {value!r}")
    check_fit_usage(["--memory"], "option --memory needs a value")
    check_fit_usage(["--memory=1M", "--memory", "2M"],
                    "option --memory given twice")


def test_fit_values_in_equals_form():
    check_fit_usage(["--tol=abc"], "--tol: expected a number >= 0, got 'abc'")
    check_fit_usage(["--verbose=1"], "option --verbose takes no value")


def test_fit_choices():
    check_fit_usage(["--covariance", "ful"],
                    "--covariance: expected full, tied, diag, spherical or "
                    "one of mclust's EII, VII, EEI")
    check_fit_usage(["--init", "kmeans+"], "--init: expected kmeans, "
                    "k-means++, random or random_from_data")


def test_fit_unknown_repeated_and_extra():
    check_fit_usage(["--frobnicate"], "unknown option '--frobnicate'")
    check_fit_usage(["-x"], "unknown option '-x'")
    check_fit_usage(["-k", "3"], "option -k given twice")
    check_fit_usage(["--n-components", "3"], "option --n-components given twice")
    check_fit_usage(["extra.csv"], "unexpected argument 'extra.csv'")


def test_predict_and_score_usage():
    expect(run("predict"), 2, "gmm predict: missing MODEL argument")
    expect(run("predict", "m.json"), 2, "missing DATA argument")
    expect(run("predict", "m.json", "d.csv", "--probe"), 2,
           "unknown option '--probe'")
    expect(run("predict", "m.json", "d.csv", "--proba=yes"), 2,
           "option --proba takes no value")
    expect(run("score", "m.json"), 2, "gmm score: missing DATA argument")
    for pair in [("--bic", "--aic"), ("--per-sample", "--bic"),
                 ("--aic", "--per-sample")]:
        expect(run("score", "m.json", "d.csv", *pair), 2, "exclude each other")


def test_sample_usage():
    expect(run("sample", "m.json"), 2, "missing required option -n")
    expect(run("sample", "m.json", "-n", "0"), 2,
           "-n: expected an integer >= 1, got '0'")
    expect(run("sample", "m.json", "-n", "10x"), 2, "-n: expected an integer")
    expect(run("sample", "m.json", "-n", "5", "--seed", "x"), 2,
           "--seed: expected an integer from 0 to 18446744073709551615")
    expect(run("sample", "-n", "5"), 2, "missing MODEL argument")


def test_kmeans_usage():
    expect(run("kmeans", cli.FAITHFUL), 2, "missing required option -k")
    for extra, message in [(["--init", "kmeans"], "--init: expected k-means++ "
                             "or random, got 'kmeans'"),
                           (["--max-iter", "0"], "--max-iter: expected an "
                            "integer from 1"),
                           (["--tol", "x"], "--tol: expected a number"),
                           (["--n-init", "0"], "--n-init")]:
        expect(run("kmeans", cli.FAITHFUL, "-k", "2", "-o", "c.csv", *extra),
               2, ["gmm kmeans: ", message])
        assert not os.path.exists("c.csv")


def test_info_usage():
    expect(run("info"), 2, "gmm info: missing MODEL argument")
    expect(run("info", "a.json", "b.json"), 2, "unexpected argument 'b.json'")


def test_double_dash_ends_options():
    # "--" lets a file name start with "-".
    expect(run("info", "--", "-not-a-flag.json"), 3, "-not-a-flag.json")


if __name__ == "__main__":
    cli.main()
