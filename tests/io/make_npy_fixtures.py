"""Write the .npy files test_npy reads, with numpy itself, so that the
reader is checked against the real writer: every supported dtype, byte order
and memory order, format versions 1.0, 2.0 and 3.0, and files it must
refuse. Usage: make_npy_fixtures.py OUTPUT_DIR"""
import os
import sys

import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

# Values exact in float32 too: X[i, j] = 10 i + j + 0.5 (test_npy.c knows).
X = np.array([[10 * i + j + 0.5 for j in range(3)] for i in range(5)])


def save(name, array, version=None):
    with open(os.path.join(out, name), "wb") as f:
        np.lib.format.write_array(f, array, version=version, allow_pickle=True)


for dtype in ("<f8", ">f8", "<f4", ">f4"):
    tag = dtype.replace("<", "le_").replace(">", "be_")
    save("c_" + tag + ".npy", X.astype(dtype))
    save("fortran_" + tag + ".npy", np.asfortranarray(X.astype(dtype)))
save("vector.npy", X[:, 0].copy())
save("version2.npy", X, version=(2, 0))
save("version3.npy", X, version=(3, 0))

save("bad_int64.npy", X.astype(np.int64))
save("bad_object.npy", np.array([1.0, "a"], dtype=object))
save("bad_complex.npy", X.astype(np.complex128))
save("bad_3d.npy", np.zeros((2, 2, 2)))
save("bad_scalar.npy", np.float64(1.0))
save("bad_empty.npy", np.zeros((0, 3)))
nan = X.copy()
nan[3, 1] = np.nan
save("bad_nan.npy", nan)
inf = X.astype(">f4")
inf[0, 2] = -np.inf
save("bad_inf.npy", inf)

# The same random data as .npy and as a "%.17g" CSV must read identically.
rng = np.random.default_rng(1)
R = rng.standard_normal((200, 4)) * 10.0 ** rng.integers(-30, 30, (200, 4))
save("random.npy", R)
np.savetxt(os.path.join(out, "random.csv"), R, fmt="%.17g", delimiter=",",
           header="a,b,c,d", comments="")

# Files larger than the readers' pieces and than a column block of Fortran
# order (65536 rows), so that conversion across boundaries is exercised:
# B[i, j] = 3 i + j + 0.25, exact in float32 too (test_npy.c knows).
B = np.arange(70001 * 3, dtype=np.float64).reshape(70001, 3) + 0.25
for dtype in ("<f8", ">f8", "<f4", ">f4"):
    tag = dtype.replace("<", "le_").replace(">", "be_")
    save("big_c_" + tag + ".npy", B.astype(dtype))
    save("big_fortran_" + tag + ".npy", np.asfortranarray(B.astype(dtype)))
# The first non-finite value in row-major order, as numpy counts, is
# [66000, 2], though in a Fortran file [69000, 0] comes first.
bad = B.copy()
bad[69000, 0] = np.inf
bad[66000, 2] = np.nan
save("big_bad_c_be_f4.npy", bad.astype(">f4"))
save("big_bad_fortran_le_f8.npy", np.asfortranarray(bad))
