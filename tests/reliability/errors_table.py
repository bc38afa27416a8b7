"""Run errors.table: every row is a use of the gmm command that must not
go wrong (a wrong use, a hostile input, an output that must not be
destroyed), with the exit status and the message fragment it must give,
and the promise that a failing command creates, changes and removes no
file (a succeeding one only the files its row names).

    python3 errors_table.py --gmm build/gmm --table errors.table [--valgrind]
        [CASE...]

With --valgrind every command also runs under memcheck, which must report
no error and no definite leak (CTest label 'memcheck').

Rows that must run as an unprivileged user ([as=nobody]) run, when we are
root, as nobody on a copy of the binary in a folder nobody can reach (the
checkout may be in a folder nobody cannot enter, such as /root); when we
are not root they run as ourselves, who are unprivileged already. Rows
that need root (a device node of their own, made with mknod; a file given
to another owner) are skipped, with the reason, when we are not.
"""
import argparse
import ast
import codecs
import fnmatch
import json
import os
import pwd
import re
import resource
import shlex
import shutil
import signal
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ElementTree

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
CASE_TIMEOUT = 300
VALGRIND_LINE = re.compile(r"==\d+==")


class Skip(Exception):
    """A row that cannot run here; the message says why."""


def nobody():
    """The unprivileged user's uid and gid, or None."""
    try:
        entry = pwd.getpwnam("nobody")
    except KeyError:
        return None
    return entry.pw_uid, entry.pw_gid


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
    if kind == "fifo":
        os.mkfifo(name)
        return
    if kind == "link":
        os.symlink(value, name)
        return
    if kind == "hard":
        os.link(value, name)
        return
    if kind == "socket":
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(name)
        return
    if kind == "chr":
        if os.geteuid() != 0:
            raise Skip("making a device node (mknod) needs root")
        major, minor = map(int, value.split(","))
        os.mknod(name, 0o666 | stat.S_IFCHR, os.makedev(major, minor))
        return
    if kind == "mode":
        os.chmod(name, int(value, 8))
        return
    if kind == "owner":
        if os.geteuid() != 0 or nobody() is None:
            raise Skip("giving a file to nobody (chown) needs root and a "
                       "nobody user")
        os.chown(name, *nobody(), follow_symlinks=False)
        return
    if kind == "text":
        content = unescape(value)
    elif kind == "zeros":
        content = b"\0" * int(value)
    elif kind == "randn":
        rows, cols = map(int, value.split("x"))
        np.save(name, np.random.default_rng(0).normal(size=(rows, cols)))
        return
    elif kind == "npz":
        with open(name, "wb") as f:
            np.savez(f, x=np.ones((3, 2)))
        return
    elif kind == "structured":
        with open(name, "wb") as f:
            np.save(f, np.zeros(3, dtype=[("a", "<f8"), ("b", "<f8")]))
        return
    elif kind == "wide-model":
        # One component of D features: zero means, unit variances.
        covariance_type, d = value.split(":")
        d = int(d)
        covariances = {"diag": [[1.0] * d], "spherical": [1.0]}
        content = json.dumps({
            "covariance_type": covariance_type, "n_components": 1,
            "n_features": d, "weights": [1], "means": [[0.0] * d],
            "covariances": covariances[covariance_type]}).encode()
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
    """Every entry under folder: its type, mode and owner, and its bytes
    (regular files), target (links) or device number (devices). Special
    files are never opened: a FIFO would block, /dev/zero never end."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            info = os.lstat(path)
            entry = [stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode),
                     info.st_uid, info.st_gid]
            if stat.S_ISREG(info.st_mode):
                with open(path, "rb") as f:
                    entry.append(f.read())
            elif stat.S_ISLNK(info.st_mode):
                entry.append(os.readlink(path))
            elif stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
                entry.append(info.st_rdev)
            found[os.path.relpath(path, folder)] = entry
    return found


def compare(before, after, changes, removes):
    """What went wrong with the folder: only the files matching a pattern
    of changes may be created or differ, in their bytes alone (type, mode
    and owner stay), and those in removes must be gone."""
    def may_change(name):
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in changes)

    problems = []
    for name in sorted(set(before) | set(after)):
        if name not in after:
            if name not in removes:
                problems.append(f"{name} was removed")
        elif name in removes:
            problems.append(f"{name} was not removed")
        elif name not in before:
            if not may_change(name):
                problems.append(f"{name} was created")
        elif may_change(name):
            if before[name][:4] != after[name][:4]:
                problems.append(f"{name} changed type, mode or owner: "
                                f"{before[name][:4]} -> {after[name][:4]}")
        elif before[name] != after[name]:
            problems.append(f"{name} was changed")
    for pattern in changes:
        written = [name for name in after if fnmatch.fnmatchcase(name, pattern)
                   and (name not in before or before[name] != after[name]
                        or not stat.S_ISREG(after[name][0]))]
        if not written:
            problems.append(f"nothing matching {pattern} was written")
    return problems


def check_files(settings):
    """What the files written must be: well-formed XML (xml=NAME), or
    without some text (lacks=NAME:TEXT)."""
    problems = []
    if "xml" in settings:
        try:
            ElementTree.parse(settings["xml"])
        except (ElementTree.ParseError, OSError) as error:
            problems.append(f"{settings['xml']} is not well-formed XML: {error}")
    if "ticks" in settings:
        name, _, most = settings["ticks"].partition(":")
        try:
            for group in ElementTree.parse(name).getroot().iter():
                if group.get("class") != "axes":
                    continue
                for text in group.iter():
                    if text.tag.endswith("text") and len(text.text or "") > int(most):
                        problems.append(f"{name}: axis text {text.text!r} is "
                                        f"longer than {most} characters")
        except (ElementTree.ParseError, OSError) as error:
            problems.append(f"cannot read {name}: {error}")
    if "lacks" in settings:
        name, _, text = settings["lacks"].partition(":")
        try:
            with open(name, "rb") as f:
                if text.encode() in f.read():
                    problems.append(f"{name} holds {text!r}")
        except OSError as error:
            problems.append(f"cannot read {name}: {error}")
    return problems


def parse_command(command):
    """Split off the leading [key=value] settings."""
    settings = {}
    # Shell words, but a backslash is the table's escape (\n, \xNN), not
    # the shell's: kept for unescape.
    lexer = shlex.shlex(command, posix=True)
    lexer.whitespace_split = True
    lexer.escape = ""
    words = list(lexer)
    while words and words[0].startswith("[") and words[0].endswith("]"):
        key, _, value = words.pop(0)[1:-1].partition("=")
        settings[key] = value
    # Arguments may hold the table's \xNN escapes (a control character in
    # a title), passed as the bytes they stand for.
    args = [unescape(w) if "\\x" in w else w for w in words]
    return settings, ["out.json" if w == "OUT" else w for w in args]


class Stdin:
    """What the command reads on standard input: nothing (/dev/null), a
    file of the case, a pipe that stays open with nothing in it (stall),
    or a pipe fed the same text for ever (endless:TEXT)."""

    def __init__(self, spec):
        self.spec, self.writer, self.thread = spec, None, None

    def open(self):
        if self.spec is None:
            return subprocess.DEVNULL
        if self.spec == "stall" or self.spec.startswith("endless:"):
            read_end, self.writer = os.pipe()
            if self.spec != "stall":
                text = unescape(self.spec.partition(":")[2]) * 4096
                self.thread = threading.Thread(target=self.feed, args=(text,),
                                               daemon=True)
                self.thread.start()
            return read_end
        return open(self.spec, "rb")

    def feed(self, text):
        try:
            while True:
                os.write(self.writer, text)
        except OSError:
            pass

    def close(self, handle):
        if isinstance(handle, int) and handle >= 0:
            os.close(handle)
        elif hasattr(handle, "close"):
            handle.close()
        if self.writer is not None:
            os.close(self.writer)
            if self.thread:
                self.thread.join(timeout=10)


class Drain:
    """A reader on a FIFO the command writes through (drain=NAME)."""

    def __init__(self, name):
        self.name, self.data = name, b""
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()

    def read(self):
        with open(self.name, "rb") as f:
            self.data = f.read()

    def finish(self):
        # A command that never opened the FIFO leaves the reader waiting
        # for a writer: be that writer, with nothing to say.
        if self.thread.is_alive():
            try:
                os.close(os.open(self.name, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass
        self.thread.join(timeout=10)


def run_case(gmm, as_nobody, case, files, command, valgrind):
    settings, args = parse_command(command)
    if valgrind and "no-valgrind" in settings:
        raise Skip(settings["no-valgrind"])
    if valgrind and "signal" in settings:
        raise Skip("valgrind catches every signal itself, so when the "
                   "command's handler is in place cannot be seen")
    if "unreadable" in settings:
        settings["as"] = "nobody"  # root reads anything
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
            user = None
            if settings.get("as") == "nobody" and os.geteuid() == 0:
                if as_nobody is None:
                    raise Skip("no nobody user, or no folder it can reach "
                               "for a copy of the binary")
                gmm, user = as_nobody
                give_to(folder, user)
            before = snapshot(folder)
            unreadable = settings.get("unreadable")
            if unreadable:
                mode = os.stat(unreadable).st_mode
                os.chmod(unreadable, 0)
            result = execute(gmm, args, settings, valgrind, user)
            if unreadable:
                os.chmod(unreadable, mode)
            after = snapshot(folder)
            changes = [n for n in settings.get("changes", "").split(",") if n]
            removes = [n for n in settings.get("removes", "").split(",") if n]
            problems = compare(before, after, changes, removes)
            problems += check_files(settings)
            return result, problems
        finally:
            os.chdir("/")


def give_to(folder, user):
    """The case's folder and files to nobody, so that it may enter and use
    them as their owner (the permission bits the rows set then apply)."""
    os.chmod(folder, 0o777)
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            os.chown(os.path.join(root, name), *user, follow_symlinks=False)
    os.chown(folder, *user)


def execute(gmm, args, settings, valgrind, user):
    def limits():
        if "fsize" in settings:
            # Past the limit write() fails with EFBIG, as on a full disk,
            # instead of the default SIGXFSZ killing the process.
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            size = int(settings["fsize"])
            resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        if user is not None:
            os.setgroups([])
            os.setgid(user[1])
            os.setuid(user[0])

    stdout = subprocess.PIPE
    if "stdout" in settings:
        stdout = open(settings["stdout"], "wb")
    stdin = Stdin(settings.get("stdin"))
    stdin_handle = stdin.open()
    drain = Drain(settings["drain"]) if "drain" in settings else None
    prefix = VALGRIND if valgrind else []
    process = subprocess.Popen([*prefix, gmm, *args], stdin=stdin_handle,
                               stdout=stdout, stderr=subprocess.PIPE,
                               preexec_fn=limits)
    if "signal" in settings:
        name, _, delay = settings["signal"].partition("@")
        number = getattr(signal, "SIG" + name)
        if settings.get("handler") == "none":
            time.sleep(float(delay))
        else:
            wait_for_handler(process.pid, number, float(delay))
        process.send_signal(number)
    try:
        out, err = process.communicate(timeout=CASE_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        err += f"\n[still running after {CASE_TIMEOUT} s: killed]".encode()
    stdin.close(stdin_handle)
    if drain:
        drain.finish()
    if stdout is not subprocess.PIPE:
        stdout.close()
    if "prints" in settings and unescape(settings["prints"]) not in (out or b""):
        err += f"\n[stdout lacks {settings['prints']!r}: {out[:500]!r}]".encode()
        return None, err, None
    return process.returncode, err, drain.data if drain else None


def wait_for_handler(pid, number, delay):
    """Until the process catches the signal (its handler is in place:
    /proc's SigCgt), but at most a while, since under a load the start can
    take longer than any fixed delay; then delay seconds more, so that it
    is at its read."""
    deadline = time.monotonic() + 30.0
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/status") as f:
                caught = next(int(line.split()[1], 16) for line in f
                              if line.startswith("SigCgt:"))
        except (OSError, StopIteration):
            break
        if caught >> (number - 1) & 1:
            break
        time.sleep(0.05)
    time.sleep(delay)


def check(result, folder_problems, expected_exit, fragment):
    returncode, stderr_bytes, drained = result
    # Valgrind's own lines (==PID== ...) are not the command's.
    stderr = "".join(line for line in
                     stderr_bytes.decode(errors="replace").splitlines(True)
                     if not VALGRIND_LINE.match(line))
    problems = list(folder_problems)
    if returncode is None:
        problems.append("stdout lacks what the row says it prints")
    elif returncode != expected_exit:
        problems.append(f"exit status {returncode}, expected {expected_exit}")
    if fragment == "-" and stderr:
        problems.append("stderr is not empty")
    elif fragment != "-" and fragment not in stderr:
        problems.append(f"stderr lacks {fragment!r}")
    if drained is not None and bool(drained) != (expected_exit == 0):
        problems.append(f"the FIFO received {len(drained)} bytes")
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


def binary_for_nobody(gmm, keep):
    """A copy of gmm that nobody can run, in a folder it can reach, and
    nobody's ids; None when not root or impossible. keep holds the folder
    (a TemporaryDirectory) for the run's length."""
    user = nobody()
    if os.geteuid() != 0 or user is None:
        return None
    folder = tempfile.TemporaryDirectory(prefix="gmm-errors-bin-", dir="/tmp")
    keep.append(folder)
    os.chmod(folder.name, 0o755)
    copy = os.path.join(folder.name, "gmm")
    shutil.copy2(gmm, copy)
    os.chmod(copy, 0o755)
    def drop():
        os.setgroups([])
        os.setgid(user[1])
        os.setuid(user[0])

    probe = subprocess.run([copy, "--version"], capture_output=True,
                           preexec_fn=drop)
    return (copy, user) if probe.returncode == 0 else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gmm", required=True)
    parser.add_argument("--table", required=True)
    parser.add_argument("--valgrind", action="store_true")
    parser.add_argument("only", nargs="*", help="run only these cases")
    options = parser.parse_args()
    gmm = os.path.abspath(options.gmm)
    keep = []
    as_nobody = binary_for_nobody(gmm, keep)
    rows = read_table(options.table)
    rows = [row for row in rows if not options.only or row[1] in options.only]
    failures = skipped = 0
    for number, case, files, command, expected_exit, fragment in rows:
        started = time.monotonic()
        try:
            result, folder_problems = run_case(gmm, as_nobody, case, files,
                                               command, options.valgrind)
        except Skip as reason:
            skipped += 1
            print(f"SKIP {case}: {reason}")
            continue
        problems = check(result, folder_problems, int(expected_exit), fragment)
        took = time.monotonic() - started
        if problems:
            failures += 1
            print(f"FAIL line {number}: {case}: gmm {command}")
            for problem in problems:
                print(f"    {problem}")
        else:
            print(f"PASS {case}" + (f" ({took:.0f} s)" if took >= 2 else ""))
    ran = len(rows) - skipped
    print(f"{ran - failures}/{ran} cases passed, {skipped} skipped")
    sys.exit(1 if failures or not rows else 0)


if __name__ == "__main__":
    main()
