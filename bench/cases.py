"""The benchmark cases: one table shared by the generator, the peers and run.sh.

Each case is (name, n_rows, n_features, n_components, covariance_type,
iterations). Every implementation runs exactly `iterations` EM iterations
(tol 0) from the same initial parameters, on the same data.
"""

# name, N, D, K, covariance, iterations
CASES = [
    ("faithful_full", 272, 2, 2, "full", 100),      # Old Faithful itself
    ("n100k_d2_k3_full", 100_000, 2, 3, "full", 10),
    ("n1m_d16_k16_full", 1_000_000, 16, 16, "full", 3),
    ("n1m_d16_k16_diag", 1_000_000, 16, 16, "diag", 3),
    ("n200k_d64_k32_diag", 200_000, 64, 32, "diag", 3),
    ("n200k_d64_k32_full", 200_000, 64, 32, "full", 2),
    ("n500k_d8_k8_tied", 500_000, 8, 8, "tied", 5),
    ("n500k_d8_k8_spherical", 500_000, 8, 8, "spherical", 5),
]

# --quick: one mid-sized case, few iterations, finishes in well under a minute.
QUICK = [("n200k_d16_k16_full", 200_000, 16, 16, "full", 3)]


def case_files(data_dir, name):
    """The case's data and initial parameters in data_dir (DATA.npy,
    DATA.init.json), written by gen_data.py the first time."""
    import os
    import subprocess
    here = os.path.dirname(os.path.abspath(__file__))
    data = os.path.join(data_dir, name + ".npy")
    init = os.path.join(data_dir, name + ".init.json")
    if not os.path.exists(data):
        subprocess.run(["/usr/bin/python3", os.path.join(here, "gen_data.py"),
                        data_dir, name,
                        os.path.join(here, "..", "data", "faithful.csv")],
                       check=True)
    return data, init


def by_name(name):
    for case in CASES + QUICK:
        if case[0] == name:
            return case
    raise KeyError(name)
