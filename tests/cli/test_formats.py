"""Every input format gives the same answers: CSV with and without a
header, tab separated, CRLF, .npy (float64, float32, Fortran order, 1-D),
and CSV on standard input; bad files exit with status 3 and a message
naming the file."""
import json
import os

import numpy as np

import clitest as cli
from clitest import expect, ok, run


def write(path, text):
    with open(path, "w", newline="") as f:
        f.write(text)
    return path


def faithful_text():
    with open(cli.FAITHFUL) as f:
        return f.read()


def equivalent_files():
    """Old Faithful in every format the readers take."""
    text = faithful_text()
    header, body = text.split("\n", 1)
    data = cli.read_faithful()
    np.save("c_order.npy", data)
    np.save("fortran_order.npy", np.asfortranarray(data))
    return [
        cli.FAITHFUL,
        write("no_header.csv", body),
        write("tabs.tsv", text.replace(",", "\t")),
        write("crlf.csv", text.replace("\n", "\r\n")),
        write("no_final_newline.csv", text.rstrip("\n")),
        write("blank_lines.csv", text.replace("\n", "\n\n", 3)),
        "c_order.npy",
        "fortran_order.npy",
    ]


def test_all_formats_give_identical_results():
    cli.fit("model.json", "-k", "2")
    expected_scores = ok("score", "model.json", cli.FAITHFUL, "--per-sample")
    expected_labels = ok("predict", "model.json", cli.FAITHFUL)
    expected_model = open("model.json").read()
    for path in equivalent_files():
        assert ok("score", "model.json", path, "--per-sample") == \
            expected_scores, path
        assert ok("predict", "model.json", path) == expected_labels, path
        cli.fit("again.json", "-k", "2", data=path)
        assert open("again.json").read() == expected_model, path


def test_stdin():
    cli.fit("model.json", "-k", "2")
    text = faithful_text()
    assert ok("predict", "model.json", "-", stdin=text) == \
        ok("predict", "model.json", cli.FAITHFUL)
    assert ok("score", "model.json", "-", stdin=text) == \
        ok("score", "model.json", cli.FAITHFUL)
    ok("fit", "-", "-k", "2", "-o", "from_stdin.json", stdin=text)
    assert open("from_stdin.json").read() == open("model.json").read()
    assert ok("kmeans", "-", "-k", "2", stdin=text) == \
        ok("kmeans", cli.FAITHFUL, "-k", "2")


def test_float32_npy_reads_as_its_float64_values():
    data32 = cli.read_faithful().astype(np.float32)
    np.save("f32.npy", data32)
    np.save("f64.npy", data32.astype(np.float64))
    cli.fit("model.json", "-k", "2")
    assert ok("score", "model.json", "f32.npy", "--per-sample") == \
        ok("score", "model.json", "f64.npy", "--per-sample")


def test_one_dimensional_npy_is_one_feature():
    values = cli.read_faithful()[:, 0]
    np.save("one_d.npy", values)
    write("one_col.csv", "".join(f"{v!r}\n" for v in values))
    a = cli.fit("a.json", "-k", "2", data="one_d.npy")
    b = cli.fit("b.json", "-k", "2", data="one_col.csv")
    assert a == b and a["n_features"] == 1


def test_bad_data_files_exit_3_naming_the_file():
    for name, text in [("ragged.csv", "1,2\n3,4\n5\n"),
                       ("letters.csv", "1,2\n3,4\n5,12abc\n"),
                       ("nan.csv", "1,2\n3,nan\n5,6\n"),
                       ("empty.csv", "")]:
        write(name, text)
        for args in [("fit", name, "-k", "1", "-o", "m.json"),
                     ("kmeans", name, "-k", "1", "-o", "c.csv")]:
            expect(run(*args), 3, [f"gmm {args[0]}: ", name])
    write("bad.npy", "\x93NUMPY garbage")
    expect(run("fit", "bad.npy", "-k", "1", "-o", "m.json"), 3, "bad.npy")
    expect(run("fit", "missing.csv", "-k", "1", "-o", "m.json"), 3,
           "missing.csv")
    assert not os.path.exists("m.json") and not os.path.exists("c.csv")


def test_data_width_must_match_model():
    cli.fit("model.json", "-k", "2")
    write("three.csv", "1,2,3\n4,5,6\n")
    for args in [("predict", "model.json", "three.csv"),
                 ("predict", "model.json", "three.csv", "--proba"),
                 ("score", "model.json", "three.csv")]:
        expect(run(*args), 3, "three.csv: 3 columns, but the model has 2 "
               "features")


def test_bad_model_files_exit_3():
    cli.fit("model.json", "-k", "2")
    model = cli.load_json("model.json")
    write("truncated.json", open("model.json").read()[:50])
    model["weights"] = [0.5, 0.6]
    write("weights.json", json.dumps(model))
    write("not_json.json", "hello")
    for path in ["truncated.json", "weights.json", "not_json.json",
                 "missing.json"]:
        for args in [("info", path), ("sample", path, "-n", "3"),
                     ("predict", path, cli.FAITHFUL),
                     ("score", path, cli.FAITHFUL),
                     ("fit", cli.FAITHFUL, "-k", "2", "--init-model", path,
                      "-o", "out.json")]:
            expect(run(*args), 3, [f"gmm {args[0]}: ", path])
    assert not os.path.exists("out.json")


def test_weights_file_shape_is_checked():
    np.save("short.npy", np.ones(10))
    np.save("two_columns.npy", np.ones((272, 2)))
    for path, shape in [("short.npy", "got 10 rows of 1 columns"),
                        ("two_columns.npy", "got 272 rows of 2 columns")]:
        expect(run("fit", cli.FAITHFUL, "-k", "2", "--weights", path,
                   "-o", "m.json"), 3,
               [path, "expected one column of 272 sample weights", shape])
    assert not os.path.exists("m.json")


if __name__ == "__main__":
    cli.main()
