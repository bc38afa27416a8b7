"""SIGINT and SIGTERM stop a running fit after the current iteration (or,
during its k-means initialization, after the current Lloyd iteration or
k-means++ seed), and `gmm kmeans` and `gmm select` likewise: exit status
128 + the signal, a message on stderr, and no output file (neither a new
one nor a temporary one; an existing one is left untouched)."""
import os
import signal
import subprocess
import time

import numpy as np

import clitest as cli


def start_long_fit():
    """A fit that would run for minutes, reporting every iteration."""
    rng = np.random.default_rng(0)
    np.save("big.npy", rng.normal(size=(100000, 8)))
    return subprocess.Popen([cli.GMM, "fit", "big.npy", "-k", "6", "--tol",
                             "0", "--max-iter", "100000", "-v", "-o",
                             "m.json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def interrupt_after_two_iterations(signal_number):
    process = start_long_fit()
    seen = []
    for line in process.stderr:
        seen.append(line)
        if line.startswith("  Iteration 2\t"):
            break
    process.send_signal(signal_number)
    stdout, stderr = process.communicate(timeout=60)
    return process.returncode, "".join(seen) + stderr


def check_interrupted(signal_number):
    with open("m.json", "w") as f:
        f.write("old model")
    code, stderr = interrupt_after_two_iterations(signal_number)
    assert code == 128 + signal_number, (code, stderr)
    assert f"gmm fit: interrupted by signal {signal_number}" in stderr, stderr
    assert open("m.json").read() == "old model"
    assert sorted(os.listdir(".")) == ["big.npy", "m.json"]


def test_sigint_stops_fit():
    check_interrupted(signal.SIGINT)


def test_sigterm_stops_fit():
    check_interrupted(signal.SIGTERM)


def test_sigint_while_reading_stdin():
    process = subprocess.Popen([cli.GMM, "fit", "-", "-k", "2", "-o",
                                "m.json"], stdin=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    process.stdin.write("1,2\n3,4\n")
    process.stdin.flush()
    # Data is still coming (stdin open): the signal ends the wait.
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, (process.returncode, stderr)
    assert "interrupted" in stderr
    assert not os.path.exists("m.json")


def sigint_and_wait(process, name, timeout):
    """SIGINT to a running process; its (stdout, stderr) and the seconds it
    took to end, failing if it had ended before or goes on past timeout."""
    assert process.poll() is None, process.communicate()
    process.send_signal(signal.SIGINT)
    sent = time.monotonic()
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise AssertionError(f"{name} went on for {timeout} s after SIGINT")
    return stdout, stderr, time.monotonic() - sent


def test_sigint_during_select_kmeans_runs():
    """gmm select runs the k-means initializations once per (K, start)
    before any fit, shared by the covariance types: here hundreds of runs,
    a minute or more of work. Ctrl-C there stops it within the runs under
    way (each well under a second), not after all of them."""
    rng = np.random.default_rng(1)
    np.save("select.npy", rng.normal(size=(20000, 8)))
    process = subprocess.Popen([cli.GMM, "select", "select.npy", "--k",
                                "1..12", "--n-init", "8", "--threads", "2",
                                "-o", "best.json", "--plot", "bic.svg"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    time.sleep(1.5)  # the data are read, the k-means runs under way
    stdout, stderr, waited = sigint_and_wait(process, "gmm select", 30)
    assert process.returncode == 130, (process.returncode, stderr)
    assert "gmm select: interrupted by signal 2" in stderr, stderr
    assert stdout == "", stdout
    assert waited < 15, waited
    assert sorted(os.listdir(".")) == ["select.npy"], os.listdir(".")


def interrupt_during_kmeans(command, output):
    """SIGINT 1.5 s into a command whose k-means alone (100 clusters on
    100000 x 16 rows: k-means++ seeding, then up to 300 Lloyd iterations)
    takes tens of seconds: it stops at the next k-means++ seed or Lloyd
    iteration, a fraction of a second later, not after k-means."""
    rng = np.random.default_rng(2)
    np.save("kmeans.npy", rng.normal(size=(100000, 16)))
    process = subprocess.Popen([cli.GMM, command, "kmeans.npy", "-k", "100",
                                "-o", output],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    time.sleep(1.5)  # the data are read, k-means under way
    stdout, stderr, waited = sigint_and_wait(process, f"gmm {command}", 10)
    assert process.returncode == 130, (process.returncode, stderr)
    assert f"gmm {command}: interrupted by signal 2" in stderr, stderr
    assert stdout == "", stdout[:200]
    assert waited < 2, waited
    assert sorted(os.listdir(".")) == ["kmeans.npy"], os.listdir(".")


def test_sigint_during_fit_kmeans_init():
    interrupt_during_kmeans("fit", "m.json")


def test_sigint_during_kmeans():
    interrupt_during_kmeans("kmeans", "centers.csv")


if __name__ == "__main__":
    cli.main()
