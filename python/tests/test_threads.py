"""test_threads.py — the GIL is released during calls into the library, so
Python threads fit models at once, and Ctrl-C stops a long fit at once,
leaving the estimator as it was.

The GIL tests block a library call on a named pipe (the library opens the
file, and open(2) waits for a writer) that only Python code in another
thread can unblock: if the call held the GIL, that code could never run.
They run in a child process, so that such a deadlock is a failed test, not
a hung suite.
"""
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

import libgmm
from conftest import FAITHFUL_CSV
from sklearn_cases import blobs

DEADLOCK_SECONDS = 60


def _child(code, **kwargs):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)],
                          capture_output=True, text=True, **kwargs)


def test_library_calls_release_the_gil(tmp_path, faithful):
    libgmm.GaussianMixture(2, random_state=0).fit(faithful).save(
        tmp_path / "model.json")
    code = f"""
        import os, threading
        import numpy as np
        import libgmm
        fifo = {str(tmp_path / "pipe")!r}
        model_text = open({str(tmp_path / "model.json")!r}).read()
        done = {{}}

        def load():  # blocks inside gmm_model_load until a writer comes
            done["load"] = libgmm.GaussianMixture.load(fifo)

        def fit_npy():  # blocks in the library's open() of the file
            try:
                libgmm.GaussianMixture(2).fit_npy(fifo)
            except OSError as error:  # a pipe is no .npy file
                done["fit_npy"] = error

        # fit_npy's library call opens the pipe, sees it is no regular
        # file and closes it: nothing is written to it.
        for target, text in ((load, model_text), (fit_npy, "")):
            os.mkfifo(fifo)
            thread = threading.Thread(target=target)
            thread.start()
            with open(fifo, "w") as pipe:  # Python, while the call waits
                pipe.write(text)
            thread.join()
            os.unlink(fifo)
        print(done["load"].n_components, type(done["fit_npy"]).__name__)
    """
    result = _child(code, timeout=DEADLOCK_SECONDS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2", "OSError"]


def test_two_threads_fit_two_models_at_once(monkeypatch):
    """Each fit waits, inside its library call (in its progress report),
    until the other has begun: both are in the library at once, and each
    gets the model it gets alone."""
    data = [blobs(seed, 20_000, 3, 3, 3.0) for seed in (1, 2)]
    alone = [libgmm.GaussianMixture(3, random_state=0).fit(X).means_
             for X in data]
    barrier = threading.Barrier(2, timeout=DEADLOCK_SECONDS)
    report = libgmm._mixture._VerboseReport

    class MeetingReport(report):
        def __call__(self, progress):
            if progress.n_iter == 1:
                barrier.wait()

    monkeypatch.setattr(libgmm._mixture, "_VerboseReport", MeetingReport)
    together = [None, None]

    def fit(index):
        together[index] = libgmm.GaussianMixture(
            3, random_state=0, verbose=1).fit(data[index]).means_
    threads = [threading.Thread(target=fit, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for mine, reference in zip(together, alone):
        np.testing.assert_array_equal(mine, reference)


def test_a_fit_from_another_thread_runs_in_that_thread(faithful):
    result = {}
    thread = threading.Thread(target=lambda: result.update(
        model=libgmm.GaussianMixture(2, random_state=0).fit(faithful)))
    thread.start()
    thread.join()
    assert result["model"].converged_


def test_ctrl_c_stops_a_long_fit_and_leaves_the_estimator():
    """SIGINT during a fit that would run for hours: KeyboardInterrupt
    comes once the library has stopped (not while it still runs: the
    second iteration's report is made slow, and has returned by then), and
    every attribute is what the previous fit left."""
    code = f"""
        import time
        import numpy as np
        import libgmm
        from libgmm import _mixture
        events = []

        class SlowReport(_mixture._VerboseReport):
            def __call__(self, progress):
                super().__call__(progress)
                if progress.n_iter == 2:
                    time.sleep(1.0)  # SIGINT comes now
                    events.append("report returned")
        _mixture._VerboseReport = SlowReport

        X = np.loadtxt({FAITHFUL_CSV!r}, delimiter=",", skiprows=1)
        model = libgmm.GaussianMixture(2, random_state=0).fit(X)
        # Never converges; reports every iteration.
        model.set_params(tol=0.0, max_iter=10**9, warm_start=True,
                         verbose=1, verbose_interval=1)
        before = {{k: np.copy(v) for k, v in vars(model).items()}}
        try:
            model.fit(X[::-1])
        except KeyboardInterrupt:
            stopped = time.monotonic()
            same = sorted(vars(model)) == sorted(before) and all(
                np.array_equal(getattr(model, k), v)
                for k, v in before.items())
            print("interrupted", "unchanged" if same else "CHANGED",
                  *events, f"at {{stopped:.6f}}", flush=True)
    """
    child = subprocess.Popen([sys.executable, "-u", "-c",
                              textwrap.dedent(code)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        for line in child.stdout:  # until the fit reports iteration 2
            if line.startswith("  Iteration 2"):
                break
        child.send_signal(signal.SIGINT)
        sent = time.monotonic()
        out, err = child.communicate(timeout=DEADLOCK_SECONDS)
    finally:
        child.kill()
    assert out.startswith("interrupted unchanged report returned at "), \
        (out, err)
    # Not asserted (no timing in tests), reported: the slow report's second
    # and the library's stop at its next iteration.
    print(f"KeyboardInterrupt {float(out.split()[-1]) - sent:.4f} s after "
          "SIGINT")


def _fit_signalled(monkeypatch, faithful, max_iter):
    """A fit whose second iteration's report sends SIGINT to the main
    thread (which waits for the library)."""
    report = libgmm._mixture._VerboseReport

    class SignallingReport(report):
        def __call__(self, progress):
            if progress.n_iter == 2:
                signal.pthread_kill(threading.main_thread().ident,
                                    signal.SIGINT)

    monkeypatch.setattr(libgmm._mixture, "_VerboseReport", SignallingReport)
    return libgmm.GaussianMixture(2, tol=0.0, max_iter=max_iter, verbose=1,
                                  random_state=0).fit(faithful)


def test_ctrl_c_reaches_the_program_s_own_handler(monkeypatch, faithful):
    """A SIGINT handler the program installed is called once, after the
    library has stopped, and is in place again afterwards."""
    calls = []

    def handler(signum, frame):
        calls.append(signum)
    previous = signal.signal(signal.SIGINT, handler)
    try:
        with pytest.raises(KeyboardInterrupt, match="interrupted"):
            _fit_signalled(monkeypatch, faithful, 10**9)
        assert calls == [signal.SIGINT]
        assert signal.getsignal(signal.SIGINT) is handler
    finally:
        signal.signal(signal.SIGINT, previous)


def test_an_ignored_ctrl_c_stays_ignored(monkeypatch, faithful):
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with pytest.warns(ConvergenceWarning):
            model = _fit_signalled(monkeypatch, faithful, 5)
        assert model.n_iter_ == 5
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
