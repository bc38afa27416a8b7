"""SIGINT and SIGTERM while an output file is being written (raised inside
fsync by the signal_on_write shim, after the bytes and before the rename):
no partial or temporary file is left, an existing file keeps its bytes, and
the exit status is 128 + the signal (every command defers signals while
it writes its outputs). gmm fit --trace is interrupted while a picture is
written: neither the model nor the trace folder is left.
cli.interrupt covers signals during a fit and during k-means.

    python3 test_interrupt_write.py --gmm build/gmm --shim libsignal_on_write.so
"""
import argparse
import os
import signal
import subprocess
import sys
import tempfile

DATA = "".join(f"{i % 7},{(i * 3) % 11}\n" for i in range(50))
OLD = b"old bytes\n"


def run_with_signal(gmm, shim, signal_number, args, nth):
    env = dict(os.environ, LD_PRELOAD=shim,
               GMM_TEST_SIGNAL_ON_FSYNC=str(int(signal_number)),
               GMM_TEST_SIGNAL_ON_FSYNC_NTH=str(nth),
               # ASan wants to be first; the shim only wraps fsync.
               ASAN_OPTIONS="verify_asan_link_order=0")
    return subprocess.run([gmm, *args], env=env, capture_output=True,
                          text=True, timeout=120)


def check(gmm, shim, signal_number, args, output, expected_exit,
          existing, nth=1):
    if existing:
        with open(output, "wb") as f:
            f.write(OLD)
    result = run_with_signal(gmm, shim, signal_number, args, nth)
    problems = []
    if result.returncode != expected_exit:
        problems.append(f"exit {result.returncode}, expected {expected_exit}")
    if existing and open(output, "rb").read() != OLD:
        problems.append(f"{output} was modified")
    if not existing and os.path.exists(output):
        problems.append(f"{output} was created")
    left = sorted(set(os.listdir(".")) - {"d.csv", output})
    if left:
        problems.append(f"files left: {left}")
    if expected_exit > 0 and "interrupted by signal" not in result.stderr:
        problems.append("no message")
    if os.path.exists(output):
        os.remove(output)
    return problems + ([f"stderr: {result.stderr}"] if problems else [])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gmm", required=True)
    parser.add_argument("--shim", required=True)
    options = parser.parse_args()
    gmm, shim = os.path.abspath(options.gmm), os.path.abspath(options.shim)
    failures = total = 0
    with tempfile.TemporaryDirectory(prefix="gmm-interrupt-") as folder:
        os.chdir(folder)
        with open("d.csv", "w") as f:
            f.write(DATA)
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            for existing in (False, True):
                # fit --trace: the signal comes while a picture is
                # written, after the model was (in its temporary file):
                # neither the model nor a trace folder is left.
                cases = [
                    ("fit", ["fit", "d.csv", "-k", "2", "-o", "m.json"],
                     "m.json", 128 + signal_number, 1),
                    ("kmeans", ["kmeans", "d.csv", "-k", "2", "-o", "c.csv"],
                     "c.csv", 128 + signal_number, 1),
                    ("fit --trace", ["fit", "d.csv", "-k", "2", "--trace",
                                     "t", "-o", "m.json"],
                     "m.json", 128 + signal_number, 3),
                ]
                for name, args, output, expected, nth in cases:
                    total += 1
                    problems = check(gmm, shim, signal_number, args, output,
                                     expected, existing, nth)
                    label = (f"{name}, {signal.Signals(signal_number).name}, "
                             f"{'existing' if existing else 'new'} file")
                    print(("FAIL " if problems else "PASS ") + label)
                    for problem in problems:
                        print(f"    {problem}")
                    failures += bool(problems)
        os.chdir("/")
    print(f"{total - failures}/{total} passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
