"""gmm fit --memory: the rows of a .npy file are streamed under the limit,
and the model file is byte for byte the in-memory fit's; what a streamed
fit cannot take is refused with a clear message and no model file."""
import os

import clitest as cli
from clitest import expect, run

# 2 threads x one chunk of 256 rows x 3 float64 features: the smallest
# limit the library accepts for this data (it says so when refused).
THREADS = "2"
ONE_CHUNK_EACH = 2 * 256 * 3 * 8


def write_data(path="data.npy", n_rows=6001):
    """Three clusters in 3 dimensions, far from the origin; n_rows not a
    multiple of any window, so the last window is short."""
    import numpy as np
    rng = np.random.default_rng(5)
    centers = np.array([[100.0, 0.0, 5.0], [104.0, 3.0, 5.0], [100.0, 4.0, 9.0]])
    X = centers[rng.integers(0, 3, n_rows)] + rng.normal(size=(n_rows, 3))
    np.save(path, X)
    return path


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def fit_both(*options, memory=str(ONE_CHUNK_EACH)):
    """The model files of the in-memory and the streamed fit, as bytes."""
    data = write_data()
    common = ["-k", "3", "--threads", THREADS, *options]
    cli.fit("memory.json", *common, data=data)
    cli.fit("streamed.json", *common, "--memory", memory, data=data)
    return read_bytes("memory.json"), read_bytes("streamed.json")


def test_streamed_model_file_is_byte_identical():
    for covariance in ["full", "diag", "tied", "spherical"]:
        in_memory, streamed = fit_both("--covariance", covariance)
        assert in_memory == streamed, covariance


def test_float32_streams_identically():
    in_memory, streamed = fit_both("--dtype", "float32")
    assert in_memory == streamed


def test_every_initializer_streams_identically():
    for init in ["k-means++", "random", "random_from_data"]:
        in_memory, streamed = fit_both("--covariance", "diag", "--init", init,
                                       "--n-init", "2")
        assert in_memory == streamed, init


def write_holes(path="holes.npy", n_rows=6001, seed=7):
    """write_data's rows with about 20% of entries missing (NaN) at random
    and a block of rows missing their first two features (never a whole
    row), in every window."""
    import numpy as np
    write_data(path, n_rows)
    X = np.load(path)
    rng = np.random.default_rng(seed)
    mask = rng.uniform(size=X.shape) < 0.2
    mask[1000:1300, :2] = True
    mask[mask.all(axis=1), 2] = False
    X[mask] = np.nan
    np.save(path, X)
    return path


def test_missing_entries_stream_byte_identical():
    """--missing marginalize streamed: the file is arranged by pattern
    where it lies, and the model file is the in-memory fit's byte for byte,
    for every covariance type, initializer and window size; so is a start
    from responsibilities, which follow the file's rows."""
    import numpy as np
    data = write_holes()
    rng = np.random.default_rng(3)
    resp = rng.dirichlet(np.ones(3), size=6001)
    np.save("resp.npy", resp)
    cases = [("--covariance", covariance) for covariance in
             ["full", "diag", "tied", "spherical"]]
    cases += [("--init", init, "--n-init", "2") for init in
              ["k-means++", "random", "random_from_data"]]
    cases += [("--dtype", "float32"), ("--init-resp", "resp.npy")]
    for options in cases:
        common = ["-k", "3", "--threads", THREADS, "--missing", "marginalize",
                  *options]
        cli.fit("memory.json", *common, data=data)
        for memory in [str(ONE_CHUNK_EACH), "1M"]:
            cli.fit("streamed.json", *common, "--memory", memory, data=data)
            assert read_bytes("memory.json") == read_bytes("streamed.json"), \
                (options, memory)
    # Without the option the NaN stay an error, streamed as in memory.
    expect(run("fit", data, "-k", "3", "--memory", "1M", "-o", "x.json"), 3,
           "is nan; expected a finite number")
    assert not os.path.exists("x.json")


def test_missing_entries_errors_streamed():
    import numpy as np
    data = write_holes()
    X = np.load(data)
    X[4321] = np.nan
    np.save("all_missing.npy", X)
    expect(run("fit", "all_missing.npy", "-k", "3", "--memory", "64K",
               "--missing", "marginalize", "-o", "x.json"), 3,
           "row 4321 (counted from 0) has every feature missing")
    X = np.load(data)
    X[5000, 1] = np.inf
    np.save("inf.npy", X)
    expect(run("fit", "inf.npy", "-k", "3", "--memory", "64K",
               "--missing", "marginalize", "-o", "x.json"), 3,
           "row 5000, column 1 is inf")
    assert not os.path.exists("x.json")


def test_size_suffixes_and_larger_limits():
    for memory in ["64K", "64k", "1M", "1g", str(10**9)]:
        in_memory, streamed = fit_both(memory=memory)
        assert in_memory == streamed, memory


def test_init_model_streams_and_its_width_is_checked():
    start = cli.fit("start.json", "-k", "3", "--max-iter", "1",
                    data=write_data())
    assert start["n_features"] == 3
    in_memory, streamed = fit_both("--init-model", "start.json")
    assert in_memory == streamed
    cli.fit("two.json", "-k", "3")  # Old Faithful: 2 features
    expect(run("fit", "data.npy", "-k", "3", "--memory", "1M",
               "--init-model", "two.json", "-o", "m.json"),
           3, "two.json has 2 features, but data.npy has 3 columns")
    assert not os.path.exists("m.json")


def test_verbose_says_the_rows_were_streamed():
    result = expect(run("fit", write_data(), "-k", "3", "--memory", "1M", "-v",
                        "-o", "m.json"), 0)
    assert "to 6001 rows x 3 features (streamed, at most 1048576 bytes of " \
        "rows in memory)" in result.stderr, result.stderr


def check_refused(args, code, message):
    expect(run("fit", *args, "-k", "2", "-o", "m.json"), code,
           ["gmm fit: ", message])
    assert not os.path.exists("m.json")


def test_below_the_minimum_the_library_names_it():
    data = write_data()
    check_refused([data, "--threads", THREADS, "--memory",
                   str(ONE_CHUNK_EACH - 1)], 2,
                  f"a memory limit of {ONE_CHUNK_EACH - 1} bytes is too small:"
                  f" 2 threads need at least 256 rows of 3 features each "
                  f"({ONE_CHUNK_EACH} bytes)")
    cli.fit("m.json", "-k", "2", "--threads", THREADS, "--memory",
            str(ONE_CHUNK_EACH), data=data)


def test_what_cannot_be_streamed_is_refused():
    data = write_data()
    check_refused([cli.FAITHFUL, "--memory", "1M"], 3,
                  "DATA must be a NumPy .npy file with --memory (CSV is read "
                  "whole; numpy.save converts it): ")
    check_refused(["-", "--memory", "1M"], 2,
                  "DATA must be a .npy file with --memory, not standard input")
    with open("w.csv", "w") as f:
        f.write("1\n" * 6001)
    check_refused([data, "--memory", "1M", "--weights", "w.csv"], 2,
                  "--weights is not supported with --memory")
    check_refused([data, "--memory", "1M", "--trace", "trace"], 2,
                  "--trace is not supported with --memory")
    assert not os.path.exists("trace")
    check_refused(["missing.npy", "--memory", "1M"], 3,
                  "missing.npy: cannot open")


if __name__ == "__main__":
    cli.main()
