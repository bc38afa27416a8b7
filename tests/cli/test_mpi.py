"""mpirun -np P gmm fit: every rank fits its share of the rows, the model
agrees with the one-process fit to 1e-12 relative (only the order of the
sums differs), one model file is written, one report is printed, and a
failure on any rank makes every rank exit non-zero, with rank 0 saying
what went wrong on the rank that failed, and without any rank left
waiting, even when the failure is on one rank alone (its file, its
options, its memory limit). Skipped, saying why, when mpirun is missing or
gmm was built without MPI."""
import json
import os
import shutil
import subprocess

import clitest as cli
from clitest import expect
from test_memory import write_data, write_holes

TOLERANCE = 1e-12


def mpirun_command(n_ranks):
    """mpirun with what Open MPI needs in CI: --allow-run-as-root (CI runs
    as root) and --oversubscribe (3 ranks on 2 cores); CTest also sets
    their environment variables (tests/cli/CMakeLists.txt)."""
    mpirun = os.environ.get("GMM_MPIEXEC") or shutil.which("mpirun")
    if not mpirun:
        raise cli.Skip("mpirun not found")
    version = subprocess.run([mpirun, "--version"], capture_output=True,
                             text=True, stdin=subprocess.DEVNULL).stdout
    flags = []
    if "Open MPI" in version:
        flags = ["--oversubscribe"]
        if os.geteuid() == 0:
            flags.append("--allow-run-as-root")
    return [mpirun, "-np", str(n_ranks), *flags]


def mpirun(n_ranks, *args, gmm=None):
    """gmm (or any command) under mpirun, with no standard input, as CI."""
    command = [*mpirun_command(n_ranks), *(gmm or [cli.GMM]), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)


def need_mpi_build():
    result = mpirun(1, "--version")
    if result.returncode != 0 and "built without MPI" in result.stderr:
        raise cli.Skip("this gmm was built without MPI")
    expect(result, 0)


def relative_difference(a, b):
    """Largest difference over the largest magnitude, per parameter, as
    tests/scale/test_mpi.c measures."""
    import numpy as np
    worst = 0.0
    for name in ["weights", "means", "covariances", "lower_bound"]:
        x, y = np.ravel(a[name]), np.ravel(b[name])
        worst = max(worst, np.max(np.abs(x - y)) / np.max(np.abs(y)))
    return worst


def check_matches_single(n_ranks, *options, tolerance=TOLERANCE, data=None):
    data = data or write_data()
    args = ["-k", "3", "--threads", "1", *options]
    single = cli.fit("single.json", *args, data=data)
    os.makedirs("out", exist_ok=True)
    result = mpirun(n_ranks, "fit", data, *args, "-o", "out/model.json")
    expect(result, 0)
    assert result.stdout == "" and result.stderr == "", result
    assert os.listdir("out") == ["model.json"], os.listdir("out")
    spread = cli.load_json("out/model.json")
    for name in ["n_iter", "converged", "covariance_type", "n_features"]:
        assert spread[name] == single[name], (name, spread, single)
    difference = relative_difference(spread, single)
    assert difference <= tolerance, (n_ranks, options, difference)


def test_one_two_three_ranks_match_one_process():
    need_mpi_build()
    for n_ranks in [1, 2, 3]:
        for covariance in ["full", "diag"]:
            check_matches_single(n_ranks, "--covariance", covariance)


def test_other_types_initializers_and_streaming():
    need_mpi_build()
    check_matches_single(2, "--covariance", "tied", "--init", "k-means++")
    check_matches_single(3, "--covariance", "spherical", "--init", "random")
    check_matches_single(3, "--memory", "12K")
    # float32 sums rows within chunks of 256, which start at each rank's
    # first row: other chunks than one process's, so float's rounding
    # (~1e-7), not double's, bounds the difference.
    check_matches_single(2, "--dtype", "float32", tolerance=1e-6)


def test_missing_entries_match_one_process():
    """--missing marginalize: each rank arranges its own rows by pattern,
    the initializers read the file's rows in its order on every rank, and
    the model is the one-process fit's to 1e-12, streamed too."""
    need_mpi_build()
    holes = write_holes()
    for n_ranks in [1, 2, 3]:
        for covariance in ["full", "diag", "tied", "spherical"]:
            check_matches_single(n_ranks, "--covariance", covariance,
                                 "--missing", "marginalize", data=holes)
    check_matches_single(3, "--init", "k-means++", "--n-init", "2",
                         "--missing", "marginalize", data=holes)
    check_matches_single(2, "--init", "random", "--memory", "12K",
                         "--missing", "marginalize", data=holes)
    # A row with every entry missing on the last rank alone stops them all.
    import numpy as np
    X = np.load(holes)
    X[5000] = np.nan
    np.save("bad.npy", X)
    result, statuses = exit_statuses(3, "bad.npy", "-k", "2", "--missing",
                                     "marginalize", "-o", "m.json")
    assert set(statuses.values()) == {"3"}, statuses
    assert result.stderr.count("data row 5000 (counted from 0) has every "
                               "feature missing") == 1, result.stderr
    assert not os.path.exists("m.json")


def test_rank_zero_alone_reports():
    need_mpi_build()
    result = expect(mpirun(3, "fit", write_data(), "-k", "3", "--threads", "1",
                           "--tol", "0", "--max-iter", "2", "-v",
                           "-o", "m.json"), 0)
    assert result.stderr.count("Initialization 0\n") == 1, result.stderr
    assert result.stderr.count("  Iteration 2\t") == 1, result.stderr
    assert result.stderr.count(cli.NOT_CONVERGED) == 1, result.stderr
    assert "6001 rows x 3 features on 3 MPI ranks" in result.stderr


def status_script():
    """sh -c arguments that run "$@" and append the rank's exit status to a
    file, which read_statuses reads."""
    script = (f'"$@"; echo "$OMPI_COMM_WORLD_RANK$PMI_RANK $?" >> '
              f'{os.path.abspath("statuses")}')
    return ["sh", "-c", script, "sh"]


def read_statuses(n_ranks):
    with open("statuses") as f:
        statuses = dict(line.split() for line in f)
    os.remove("statuses")
    assert len(statuses) == n_ranks, statuses
    return statuses


def exit_statuses(n_ranks, *args):
    """Every rank's exit status (each rank's shell appends it to a file)."""
    result = mpirun(n_ranks, "fit", *args, gmm=[*status_script(), cli.GMM])
    return result, read_statuses(n_ranks)


# A job whose ranks wait for each other for ever must fail, not hang CI.
PATIENCE = 60


def mpirun_each(*per_rank):
    """gmm fit under mpirun with each rank's own arguments (MPMD: "-np 1
    gmm fit A : -np 1 gmm fit B"), as when a file differs from node to
    node, and every rank's exit status. A job still running after PATIENCE
    seconds fails the test; mpirun, told to stop, ends its ranks."""
    launch = mpirun_command(1)
    mpirun_path, flags = launch[0], launch[3:]
    command = [mpirun_path, *flags]
    for args in per_rank:
        if len(command) > 1 + len(flags):
            command.append(":")
        command += ["-np", "1", *status_script(), cli.GMM, "fit",
                    *map(str, args)]
    job = subprocess.Popen(command, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True,
                           stdin=subprocess.DEVNULL)
    try:
        stdout, stderr = job.communicate(timeout=PATIENCE)
    except subprocess.TimeoutExpired:
        job.terminate()
        try:
            job.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            job.kill()
            job.communicate()
        raise AssertionError(f"ranks still waiting after {PATIENCE} s: "
                             f"{' '.join(command)}")
    result = subprocess.CompletedProcess(command, job.returncode, stdout,
                                         stderr)
    return result, read_statuses(len(per_rank))


def check_one_rank_fails(rank_0, rank_1, codes, message):
    """Rank 1 fails where rank 0 would not: every rank exits non-zero
    (codes: rank 0's and rank 1's exit statuses), rank 0 prints rank 1's
    message once, as "MPI rank 1 failed: ...", and no model is written."""
    result, statuses = mpirun_each(rank_0, rank_1)
    assert (statuses["0"], statuses["1"]) == tuple(map(str, codes)), \
        (statuses, result.stderr)
    said = f"gmm fit: MPI rank 1 failed: {message}"
    assert result.stderr.count(said) == 1, (said, result.stderr)
    assert result.stderr.count("gmm fit: ") == 1, result.stderr
    assert not os.path.exists("m.json")


def test_a_failure_on_one_rank_alone_stops_every_rank():
    need_mpi_build()
    data = write_data()
    common = ["-k", "3", "--threads", "1", "-o", "m.json"]
    # A bad command line on one rank: it returns before the fit starts,
    # and meets the others where they agree to start it.
    check_one_rank_fails([data, *common], [data, *common, "--bogus"], (1, 2),
                         "unknown option '--bogus'")
    # The data file missing on rank 1's node.
    check_one_rank_fails([data, *common], ["nowhere.npy", *common], (1, 3),
                         "nowhere.npy: cannot open: No such file or directory")
    # Another file at the same path on rank 1's node: the ranks' sums
    # would differ in size. Every rank exits as the failing one does.
    write_data("short.npy", n_rows=4000)
    check_one_rank_fails([data, *common], ["short.npy", *common], (3, 3),
                         "short.npy has 4000 rows x 3 columns here, but 6001 "
                         "x 3 on MPI rank 0: every rank must read the same "
                         "file")
    # More threads on rank 1's node make the limit too small there alone;
    # found inside the library, before any sum.
    streamed = [data, "-k", "3", "--memory", "6K", "-o", "m.json"]
    check_one_rank_fails([*streamed, "--threads", "1"],
                         [*streamed, "--threads", "2"], (2, 2), "a memory limit of 6144 bytes is too small: "
                         "2 threads need at least 256 rows")
    # An init model missing, or another one, on rank 1's node.
    expect(cli.run("fit", data, "-k", "3", "--max-iter", "1", "-o",
                   "init.json"), 0)
    init = cli.load_json("init.json")
    init["means"][0][0] += 1.0
    with open("other.json", "w") as f:
        json.dump(init, f)
    check_one_rank_fails([data, *common, "--init-model", "init.json"],
                         [data, *common, "--init-model", "gone.json"], (1, 3),
                         "gone.json")
    check_one_rank_fails([data, *common, "--init-model", "init.json"],
                         [data, *common, "--init-model", "other.json"], (2, 2),
                         "initial parameters (a checksum) is")
    # Missing entries marginalized on rank 0 alone.
    check_one_rank_fails([data, *common, "--missing", "marginalize"],
                         [data, *common], (2, 2),
                         "missing is 0 here, but 1 on MPI rank 0")


def test_a_failure_on_any_rank_stops_every_rank():
    need_mpi_build()
    import numpy as np
    X = np.load(write_data())
    X[5000, 1] = np.nan  # in the last rank's rows
    np.save("nan.npy", X)
    result, statuses = exit_statuses(3, "nan.npy", "-k", "2", "-o", "m.json")
    assert set(statuses.values()) == {"3"}, statuses
    assert result.stderr.count(
        "gmm fit: nan.npy: data row 5000, column 1 is nan") == 1, result.stderr
    assert not os.path.exists("m.json")
    # Rank 0 alone writes the model; when it cannot, no rank succeeds.
    result, statuses = exit_statuses(2, "data.npy", "-k", "2", "-o",
                                     "missing/m.json")
    assert statuses["0"] == "3" and statuses["1"] == "1", statuses
    assert result.stderr.count("gmm fit: ") == 1, result.stderr


def test_what_cannot_be_distributed_is_refused():
    need_mpi_build()
    data = write_data()
    with open("w.csv", "w") as f:
        f.write("1\n" * 6001)
    for args, code, message in [
            ([cli.FAITHFUL], 3, "DATA must be a NumPy .npy file under mpirun"),
            ([data, "--weights", "w.csv"], 2,
             "--weights is not supported under mpirun"),
            ([data, "--trace", "t"], 2, "--trace is not supported under mpirun")]:
        result = expect(mpirun(2, "fit", *args, "-k", "2", "-o", "m.json"),
                        code, message)
        assert result.stderr.count(message) == 1, result.stderr
        assert not os.path.exists("m.json")
    result = expect(mpirun(2, "info", "m.json"), 2,
                    "gmm info: runs as one process; of the subcommands only "
                    "'gmm fit' shares its work over mpirun's ranks")


if __name__ == "__main__":
    cli.main()
