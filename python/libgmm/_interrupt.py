"""_interrupt.py — the library's long calls (fits, k-means, select) from
Python: their progress callback, which reports each EM iteration (the
verbose output) and asks the library to stop, and Ctrl-C, which Python
delivers to the main thread alone.
"""
import signal
import threading

from ._lib import PROGRESS_FN


class Watch:
    """The progress callback of one long library call.

    The library calls it after each EM iteration and polls it during
    k-means; it passes each iteration to `report` (the verbose output) and
    asks the library to stop (returns 1) once `stop` is set or `report`
    has raised. It never lets an exception escape into C.
    """

    def __init__(self, report=None):
        self.report = report
        self.stop = threading.Event()
        self.error = None
        self.function = PROGRESS_FN(self._called)

    def _called(self, progress, _user_data):
        try:
            if self.stop.is_set() or self.error is not None:
                return 1
            if self.report is not None and progress[0].n_iter > 0:
                self.report(progress[0])
            return 0
        except BaseException as error:  # noqa: B036 (re-raised by run)
            self.error = error
            return 1


def run(call, report=None):
    """Return call(watch), the status of a long library call given
    watch.function as its progress callback.

    From the main thread the call runs in a worker thread while the main
    thread waits, so that Ctrl-C, which Python delivers to the main thread
    only, is heard at once: it sets watch.stop, the library stops at its
    next poll (an EM iteration, a k-means iteration or seed) and leaves its
    model as it was, and once it has returned KeyboardInterrupt is raised
    here. From any other thread no signal can arrive, and the call runs in
    place.
    """
    watch = Watch(report)
    if threading.current_thread() is not threading.main_thread():
        status = call(watch)
    else:
        status = _in_worker(call, watch)
    if watch.error is not None:
        raise watch.error
    return status


# How often the waiting main thread wakes to run the signal handlers of a
# signal the kernel gave to another thread (it prefers the main thread).
_WAKE_SECONDS = 0.1


def _in_worker(call, watch):
    # While the library runs, SIGINT has a handler that only asks it to
    # stop; the handler that was there (Python's, raising KeyboardInterrupt)
    # is called once the library has returned. A KeyboardInterrupt raised
    # while the worker is being started or waited for would leave it
    # running on memory its caller then frees; for the same reason the
    # wait is on an Event, not in Thread.join, which in Python 3.11 marks a
    # running thread stopped when Ctrl-C interrupts it (threading's
    # bpo-45274 handler).
    outcome = {}
    done = threading.Event()

    def work():
        try:
            outcome["status"] = call(watch)
        except BaseException as error:  # noqa: B036 (re-raised below)
            outcome["error"] = error
        finally:
            done.set()

    received = []

    def on_sigint(signum, frame):
        watch.stop.set()
        received.append((signum, frame))

    previous = signal.getsignal(signal.SIGINT)
    # SIG_IGN and SIG_DFL (or a handler set from C) are left as they are.
    handled = callable(previous)
    if handled:
        signal.signal(signal.SIGINT, on_sigint)
    interrupted = None
    try:
        threading.Thread(target=work, name="libgmm", daemon=True).start()
        while not done.is_set():
            try:
                done.wait(_WAKE_SECONDS)
            except BaseException as error:  # noqa: B036 (another handler's)
                watch.stop.set()
                interrupted = error
    finally:
        if handled:
            signal.signal(signal.SIGINT, previous)
    if interrupted is not None:
        raise interrupted
    if received:
        previous(*received[0])  # KeyboardInterrupt, as Ctrl-C would raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["status"]
