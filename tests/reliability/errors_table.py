"""Run errors.table: every row is a wrong use of the gmm command, with the
exit status and the message fragment it must give, and the promise that a
failing command creates, changes and removes no file.

    python3 errors_table.py --gmm build/gmm --table errors.table [--valgrind]
        [CASE...]

With --valgrind every command also runs under memcheck, which must report
no error and no definite leak (CTest label 'memcheck').
"""
import argparse
import ast
import codecs
import json
import os
import resource
import shlex
import signal
import struct
import subprocess
import sys
import tempfile

import numpy as np

# Always present: 4 rows x 2 features, and a valid model of that width.
DATA_CSV = "1,2\n3,4\n5,7\n2,2\n"
BASE_MODEL = {
    "covariance_type": "full", "n_components": 1, "n_features": 2,
    "weights": [1], "means": [[2.75, 3.75]],
    "covariances": [[[2.1875, 2.9375], [2.9375, 4.1875]]],
    "converged": True, "n_iter": 2, "lower_bound": -2.5,
}
SENTINELS = {"out.json": b"sentinel model\n", "out.csv": b"sentinel,centers\n"}
VALGRIND = ["valgrind", "--quiet", "--vgdb=no", "--error-exitcode=99",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite"]
# Who runs a command that must find a file unreadable when we are root
# (root reads anything): nobody.
NOBODY = 65534


def unescape(text):
    """The table's \\n, \\t and \\xNN escapes, as bytes."""
    return codecs.escape_decode(text.encode())[0]


def npy_bytes(descr, shape, n_data_bytes):
    """A version 1.0 .npy file with this header, true or not."""
    header = (f"{{'descr': '{descr}', 'fortran_order': False, "
              f"'shape': {shape}, }}").encode()
    header += b" " * (63 - (10 + len(header)) % 64) + b"\n"
    return (b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header
            + b"\0" * n_data_bytes)


def write_file(name, spec):
    kind, _, value = spec.partition(":")
    if kind == "dir":
        os.mkdir(name)
        return
    if kind == "text":
        content = unescape(value)
    elif kind == "npy":
        descr, shape, rest = value.split(":", 2)
        size, _, trailer = rest.partition(" ")
        content = npy_bytes(descr, shape, int(size)) + trailer.encode()
    elif kind == "array":
        literal = value.replace("nan", "None").replace("inf", "1e999")
        array = np.array(ast.literal_eval(literal), dtype=float)
        with open(name, "wb") as f:
            np.save(f, array)
        return
    elif kind == "model":
        model = dict(BASE_MODEL)
        for key, field in json.loads(value).items():
            if field is None:
                del model[key]
            else:
                model[key] = field
        content = json.dumps(model).encode()
    else:
        raise ValueError(f"unknown file spec {spec!r}")
    with open(name, "wb") as f:
        f.write(content)


def snapshot(folder):
    """Every file under folder with its bytes (folders as None)."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            found[os.path.relpath(os.path.join(root, name), folder)] = None
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                found[os.path.relpath(path, folder)] = f.read()
    return found


def parse_command(command):
    """Split off the leading [key=value] settings."""
    settings = {}
    words = shlex.split(command)
    while words and words[0].startswith("[") and words[0].endswith("]"):
        key, _, value = words.pop(0)[1:-1].partition("=")
        settings[key] = value
    return settings, ["out.json" if w == "OUT" else w for w in words]


def run_case(gmm, case, files, command, valgrind):
    settings, args = parse_command(command)
    with tempfile.TemporaryDirectory(prefix="gmm-errors-") as folder:
        os.chdir(folder)
        try:
            write_file("d.csv", "text:" + DATA_CSV)
            write_file("m.json", "model:{}")
            for name, content in SENTINELS.items():
                with open(name, "wb") as f:
                    f.write(content)
            for item in files.split(" ; ") if files != "-" else []:
                name, _, spec = item.partition("=")
                write_file(name, spec)
            unreadable = settings.get("unreadable")
            if unreadable:
                os.chmod(unreadable, 0)
                os.chmod(folder, 0o777)
            before = snapshot(folder)
            return execute(gmm, args, settings, valgrind, folder, before)
        finally:
            os.chdir("/")


def execute(gmm, args, settings, valgrind, folder, before):
    def limits():
        if "fsize" in settings:
            # Past the limit write() fails with EFBIG, as on a full disk,
            # instead of the default SIGXFSZ killing the process.
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            size = int(settings["fsize"])
            resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        if "unreadable" in settings and os.geteuid() == 0:
            os.setgid(NOBODY)
            os.setuid(NOBODY)

    stdout = subprocess.PIPE
    if "stdout" in settings:
        stdout = open(settings["stdout"], "wb")
    prefix = VALGRIND if valgrind else []
    result = subprocess.run([*prefix, gmm, *args], stdin=subprocess.DEVNULL,
                            stdout=stdout, stderr=subprocess.PIPE,
                            preexec_fn=limits, timeout=600)
    if stdout is not subprocess.PIPE:
        stdout.close()
    if "unreadable" in settings:
        os.chmod(settings["unreadable"], 0o600)
    return result, snapshot(folder) == before


def check(result, unchanged, expected_exit, fragment):
    stderr = result.stderr.decode(errors="replace")
    problems = []
    if result.returncode != expected_exit:
        problems.append(f"exit status {result.returncode}, expected "
                        f"{expected_exit}")
    if fragment not in stderr:
        problems.append(f"stderr lacks {fragment!r}")
    if not unchanged:
        problems.append("a file was created, changed or removed")
    if problems:
        problems.append(f"stderr: {stderr[-3000:]}")
    return problems


def read_table(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = [field.strip() for field in line.split(" | ")]
            if len(fields) != 5:
                sys.exit(f"{path}:{number}: expected 5 columns, found "
                         f"{len(fields)}")
            rows.append((number, *fields))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gmm", required=True)
    parser.add_argument("--table", required=True)
    parser.add_argument("--valgrind", action="store_true")
    parser.add_argument("only", nargs="*", help="run only these cases")
    options = parser.parse_args()
    gmm = os.path.abspath(options.gmm)
    rows = read_table(options.table)
    rows = [row for row in rows if not options.only or row[1] in options.only]
    failures = 0
    for number, case, files, command, expected_exit, fragment in rows:
        result, unchanged = run_case(gmm, case, files, command,
                                     options.valgrind)
        problems = check(result, unchanged, int(expected_exit), fragment)
        if problems:
            failures += 1
            print(f"FAIL line {number}: {case}: gmm {command}")
            for problem in problems:
                print(f"    {problem}")
        else:
            print(f"PASS {case}")
    print(f"{len(rows) - failures}/{len(rows)} cases passed")
    sys.exit(1 if failures or not rows else 0)


if __name__ == "__main__":
    main()
