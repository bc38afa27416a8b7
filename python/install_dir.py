#!/usr/bin/python3
"""Print the folder under PREFIX where this Python looks for packages, for
`cmake --install` to put the libgmm package in.

    install_dir.py PREFIX

The first of this interpreter's package folders (sys.path's dist-packages
and site-packages, and the user's site folder even before it exists) that
lies in PREFIX's lib/: /usr gives Debian's /usr/lib/python3/dist-packages,
/usr/local /usr/local/lib/python3.X/dist-packages, ~/.local the user's
site-packages. Any other prefix gets the standard PREFIX/lib/python3.X/
site-packages, which Python reads once it is on PYTHONPATH.
"""
import os
import site
import sys
import sysconfig


def package_folder(prefix):
    lib = os.path.join(os.path.abspath(prefix), "lib") + os.sep
    candidates = [path for path in sys.path
                  if os.path.basename(path) in ("dist-packages", "site-packages")]
    candidates.append(site.getusersitepackages())
    for path in candidates:
        if os.path.abspath(path).startswith(lib):
            return path
    return sysconfig.get_path("purelib", "posix_prefix",
                              vars={"base": prefix, "platbase": prefix})


if __name__ == "__main__":
    print(package_folder(sys.argv[1]))
