#!/usr/bin/python3
"""`gmm fit --online` on an endless stream holds its memory flat
(bench/RESULTS.md note 28): a generator pipes CSV rows of a 16-component
mixture in 16 dimensions for ever into `gmm fit - -k 16 --online -v`; the
gmm process's resident set (VmRSS, /proc) and the rows fitted so far are
sampled every 5 s for SECONDS, then SIGINT stops it and the model it
writes is checked with `gmm info`.

Usage: online_memory.py GMM [SECONDS] [OUT.json]   (under flock -x
/tmp/libgmm-cpu.lock)
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

GENERATOR = r"""
import sys
import numpy as np
rng = np.random.default_rng(0)
centres = rng.uniform(-5, 5, (16, 16))
out = sys.stdout
try:
    while True:
        labels = rng.integers(0, 16, 20000)
        X = centres[labels] + rng.standard_normal((20000, 16))
        out.write("\n".join(",".join("%.6g" % v for v in row) for row in X))
        out.write("\n")
except BrokenPipeError:
    pass
"""


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def main():
    gmm = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 60
    out = sys.argv[3] if len(sys.argv) > 3 else None
    folder = tempfile.mkdtemp()
    model_path = os.path.join(folder, "live.json")
    generator = subprocess.Popen([sys.executable, "-c", GENERATOR],
                                 stdout=subprocess.PIPE)
    fit = subprocess.Popen([gmm, "fit", "-", "-k", "16", "--online", "-v",
                            "--threads", "1", "-o", model_path],
                           stdin=generator.stdout, stderr=subprocess.PIPE,
                           text=True)
    generator.stdout.close()
    rows = [0]
    lines = []

    def read_progress():
        for line in fit.stderr:
            lines.append(line)
            if line.startswith("  Pass "):
                rows[0] = int(line.split("rows ")[1].split()[0])

    reader = threading.Thread(target=read_progress)
    reader.start()
    samples = []
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        time.sleep(5)
        samples.append(dict(t=round(time.monotonic() - start, 1),
                            rows=rows[0], rss_kib=rss_kib(fit.pid)))
        print(samples[-1], flush=True)
    fit.send_signal(signal.SIGINT)
    fit.wait(timeout=120)
    reader.join()
    generator.wait(timeout=60)
    info = subprocess.run([gmm, "info", model_path], capture_output=True,
                          text=True)
    print("exit", fit.returncode, "".join(lines[-2:]).strip())
    print("gmm info exit", info.returncode)
    if out:
        with open(out, "w") as f:
            json.dump(dict(samples=samples, exit=fit.returncode,
                           info_exit=info.returncode,
                           tail=lines[-2:]), f, indent=1)


if __name__ == "__main__":
    main()
