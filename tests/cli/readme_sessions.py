"""The shell sessions shown in README.md ("$ command" lines followed by the
output), replayed against the gmm just built, so that what the README shows
is what the command prints.

    python3 readme_sessions.py --gmm build/gmm --source .   rewrites README.md
                                                            with fresh outputs
test_docs.py uses it to check the README instead.
"""
import argparse
import os
import re
import shutil
import subprocess
import tempfile

FENCE = re.compile(r"^```[a-z]*\n(.*?)^```\n", re.MULTILINE | re.DOTALL)


def sessions(readme):
    """(command, shown output, start, end of that output in readme) for every
    "$ " line in a fenced block, in order."""
    found = []
    for block in FENCE.finditer(readme):
        body, offset = block.group(1), block.start(1)
        prompts = [m for m in re.finditer(r"^\$ (.*)\n", body, re.MULTILINE)]
        for i, prompt in enumerate(prompts):
            end = prompts[i + 1].start() if i + 1 < len(prompts) else len(body)
            found.append((prompt.group(1), body[prompt.end():end],
                          offset + prompt.end(), offset + end))
    return found


def is_replayed(command):
    """Compiling needs an installed library (cli.install covers it), mpirun
    needs MPI (cli.mpi covers it), and the measured runs (/usr/bin/time) a
    file of hundreds of MiB (cli.memory covers streaming): those sessions
    are shown, not run."""
    return not command.startswith(("cc ", "mpirun ", "/usr/bin/time "))


def is_checked(command):
    """Timings vary: those sessions are run but their output not
    compared."""
    return is_replayed(command) and \
        not re.search(r"\bgmm fit .* -v\b", command)


def replay(readme, gmm, source):
    """Run every session in order in a fresh folder holding faithful.csv
    and faithful_poor_start.json (the start of the --trace example);
    yield (command, shown output, actual output, start, end)."""
    with tempfile.TemporaryDirectory(prefix="gmm-readme-") as folder:
        shutil.copy(os.path.join(source, "data", "faithful.csv"), folder)
        shutil.copy(os.path.join(source, "examples", "faithful_poor_start.json"),
                    folder)
        env = dict(os.environ,
                   PATH=os.path.dirname(gmm) + os.pathsep + os.environ["PATH"])
        for command, shown, start, end in sessions(readme):
            run = command
            if command == "scripts/demo.sh":
                run = (f"{source}/examples/faithful_demo.sh {gmm} build/demo"
                       f" && echo && {source}/examples/means_only.sh {gmm}"
                       " build/demo")
            if not is_replayed(command):
                actual = shown
            else:
                actual = subprocess.run(["bash", "-c", run + " 2>&1"],
                                        cwd=folder, env=env, text=True,
                                        capture_output=True).stdout
            yield command, shown, actual, start, end


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gmm", required=True)
    parser.add_argument("--source", required=True)
    options = parser.parse_args()
    gmm = os.path.abspath(options.gmm)
    path = os.path.join(options.source, "README.md")
    with open(path) as f:
        readme = f.read()
    pieces, last = [], 0
    for _, _, actual, start, end in replay(readme, gmm,
                                           os.path.abspath(options.source)):
        pieces += [readme[last:start], actual]
        last = end
    with open(path, "w") as f:
        f.write("".join(pieces) + readme[last:])


if __name__ == "__main__":
    main()
