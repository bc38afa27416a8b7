"""gmm fit --online: DATA read batch by batch, one step of online EM per
batch (gmm_partial_fit): CSV from a file or standard input and .npy give
the same model; a short stream is fitted on what arrived, one shorter
than K fails; a malformed line fails naming it and writes nothing;
--passes reads DATA again; -v reports each batch; an endless stream
piped in and stopped by SIGINT or SIGTERM writes a valid model; what
cannot be combined with --online is refused."""
import json
import os
import signal
import subprocess
import sys

import numpy as np

import clitest as cli


def write_data(n=6000):
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(0, 1, (n // 2, 2)),
                        rng.normal(5, 1, (n // 2, 2))])
    rng.shuffle(X)
    np.savetxt("d.csv", X, delimiter=",", fmt="%.17g")
    np.save("d.npy", X)
    return X


def fit(data, *more, stdin=None):
    cli.expect(cli.run("fit", data, "-k", 2, "--online", "--batch-size",
                       1000, *more, "-o", "m.json", stdin=stdin), 0)
    with open("m.json") as f:
        return f.read()


def test_csv_npy_and_stdin_give_one_model():
    write_data()
    from_csv = fit("d.csv")
    assert fit("d.npy") == from_csv
    with open("d.csv") as f:
        assert fit("-", stdin=f.read()) == from_csv
    model = json.loads(from_csv)
    assert model["n_iter"] == 6 and model["converged"] is False
    means = sorted(model["means"])
    assert np.allclose(means, [[0, 0], [5, 5]], atol=0.1), means


def test_close_to_the_batch_fit():
    write_data()
    fit("d.csv")
    online = float(cli.ok("score", "m.json", "d.csv"))
    cli.ok("fit", "d.csv", "-k", 2, "-o", "b.json")
    batch = float(cli.ok("score", "b.json", "d.csv"))
    assert abs(online - batch) < 1e-2, (online, batch)


def test_passes_read_the_data_again():
    write_data()
    model = json.loads(fit("d.npy", "--passes", 3))
    assert model["n_iter"] == 18


def test_verbose_reports_every_batch():
    write_data()
    result = cli.expect(cli.run("fit", "d.csv", "-k", 2, "--online",
                                "--batch-size", 2500, "-v", "-o", "m.json"), 0)
    lines = [l for l in result.stderr.splitlines() if "Pass 1 batch" in l]
    assert len(lines) == 3 and "rows 6000" in lines[-1], result.stderr
    assert "online to 6000 rows x 2 features in 3 batches" in result.stderr


def test_short_stream_is_fitted_on_what_arrived():
    write_data(600)
    model = json.loads(fit("d.csv"))
    assert model["n_iter"] == 1


def test_fewer_rows_than_components_fails():
    write_data(4)
    result = cli.expect(cli.run("fit", "d.csv", "-k", 5, "--online", "-o",
                                "m.json"), 3,
                        "needs at least n_components = 5 rows; it has 4")
    assert not os.path.exists("m.json"), result.stderr


def test_malformed_line_mid_stream_writes_nothing():
    write_data()
    with open("d.csv") as f:
        lines = f.readlines()
    lines[3500] = "1.5,oops\n"
    with open("m.json", "w") as f:
        f.write("old")
    cli.expect(cli.run("fit", "-", "-k", 2, "--online", "--batch-size", 1000,
                       "-o", "m.json", stdin="".join(lines)), 3,
               "<stdin>: line 3501")
    assert open("m.json").read() == "old"


GENERATOR = """
import random, sys
r = random.Random(0)
out = sys.stdout
try:
    while True:
        out.write("".join("%r,%r\\n" % (r.gauss(0, 1), r.gauss(5 * r.randint(0, 1), 1))
                          for _ in range(1000)))
except BrokenPipeError:
    pass
"""


def interrupt_endless_stream(signal_number):
    generator = subprocess.Popen([sys.executable, "-c", GENERATOR],
                                 stdout=subprocess.PIPE)
    gmm = subprocess.Popen([cli.GMM, "fit", "-", "-k", "2", "--online",
                            "--batch-size", "1000", "-v", "-o", "m.json"],
                           stdin=generator.stdout, stderr=subprocess.PIPE,
                           text=True)
    generator.stdout.close()
    seen = []
    for line in gmm.stderr:
        seen.append(line)
        if "batch 5\t" in line:
            break
    gmm.send_signal(signal_number)
    _, stderr = gmm.communicate(timeout=60)
    generator.wait(timeout=60)
    stderr = "".join(seen) + stderr
    assert gmm.returncode == 0, (gmm.returncode, stderr)
    assert f"stopped by signal {signal_number}" in stderr, stderr
    model = json.loads(open("m.json").read())
    assert model["n_iter"] >= 5
    cli.ok("info", "m.json")


def test_sigint_ends_an_endless_stream_with_its_model():
    interrupt_endless_stream(signal.SIGINT)


def test_sigterm_ends_an_endless_stream_with_its_model():
    interrupt_endless_stream(signal.SIGTERM)


def test_what_cannot_go_with_online_is_refused():
    write_data()
    with open("w.csv", "w") as f:
        f.write("1\n" * 6000)
    for more, message in [(["--memory", "1M"], "with --memory"),
                          (["--trace", "t"], "with --trace"),
                          (["--weights", "w.csv"], "with --weights"),
                          (["--batch-size", 1], "at least 2 rows"),
                          ]:
        cli.expect(cli.run("fit", "d.npy", "-k", 2, "--online", *more, "-o",
                           "m.json"), 2, message)
    cli.expect(cli.run("fit", "-", "-k", 2, "--online", "--passes", 2, "-o",
                       "m.json", stdin=""), 2, "must be a file")
    assert not os.path.exists("m.json")


if __name__ == "__main__":
    cli.main()
