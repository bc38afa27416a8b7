#!/usr/bin/python3
"""test_exports.py — libgmm.so exports exactly the functions gmm.h declares.

The library is compiled with hidden visibility and GMM_API marks each
public declaration; this test keeps the two lists equal, so no internal
name leaks into the ABI and no public function is missing from it. It also
checks the soname, which programs record when they link.
    test_exports.py LIBGMM_SO GMM_H
"""
import re
import subprocess
import sys


def main():
    library, header = sys.argv[1], sys.argv[2]
    with open(header) as f:
        text = f.read()
    declared = set(re.findall(r"^GMM_API\b[^(;]*?\b(gmm_\w+)\s*\(", text, re.M))
    nm = subprocess.run(["nm", "-D", "--defined-only", library],
                        capture_output=True, text=True, check=True).stdout
    exported = {line.split()[-1] for line in nm.splitlines() if line.strip()}
    failures = []
    for name in sorted(exported - declared):
        failures.append(f"exported but not in gmm.h: {name}")
    for name in sorted(declared - exported):
        failures.append(f"declared in gmm.h but not exported: {name}")
    if len(declared) < 40:
        failures.append(f"only {len(declared)} GMM_API declarations parsed")
    dynamic = subprocess.run(["readelf", "-d", library], capture_output=True,
                             text=True, check=True).stdout
    if "Library soname: [libgmm.so.0]" not in dynamic:
        failures.append("soname is not libgmm.so.0")
    for line in failures:
        print(line)
    print(f"{len(declared)} functions declared, {len(exported)} exported")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
