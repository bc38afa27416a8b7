"""Every subcommand, and an error path of each kind, runs clean under
valgrind's memcheck: no invalid access, no use of uninitialized memory, no
definite leak. (OpenMP's thread pool keeps its memory until exit, which
memcheck counts as "possibly lost"; that kind is not an error here.)"""
import shutil
import subprocess

import clitest as cli

VALGRIND = ["valgrind", "--quiet", "--error-exitcode=99", "--leak-check=full",
            "--errors-for-leak-kinds=definite", "--track-origins=yes"]


def memcheck(*args, code=0):
    result = subprocess.run([*VALGRIND, cli.GMM, *map(str, args)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == code, \
        f"gmm {' '.join(map(str, args))}: status {result.returncode}\n" \
        f"{result.stderr[-4000:]}"


def test_memcheck_every_subcommand():
    assert shutil.which("valgrind"), "valgrind is not installed"
    f = cli.FAITHFUL
    memcheck("fit", f, "-k", "2", "-v", "--n-init", "2", "-o", "m.json")
    memcheck("fit", f, "-k", "2", "--covariance", "diag", "--init-model",
             "m.json", "-o", "x.json", code=2)
    memcheck("predict", "m.json", f, "--proba")
    memcheck("score", "m.json", f, "--bic")
    memcheck("score", "m.json", f, "--per-sample")
    memcheck("sample", "m.json", "-n", "50")
    memcheck("kmeans", f, "-k", "2", "-o", "c.csv")
    memcheck("info", "m.json")
    memcheck("info", "missing.json", code=3)
    memcheck("fit", f, "-k", "12abc", "-o", "m.json", code=2)
    memcheck("select", f, "--k", "1..3", "--threads", "2", "-o", "b.json",
             "--plot", "bic.svg")
    memcheck("plot", "b.json", f, "-o", "fit.svg")
    memcheck("plot", "b.json", f, "--pca", "--x", "1", "-o", "x.svg", code=2)
    memcheck("fit", f, "-k", "2", "--n-init", "2", "--trace", "trace", "-o",
             "t.json")


if __name__ == "__main__":
    cli.main()
