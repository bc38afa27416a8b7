"""README.md stays true to the command: it shows the example program
verbatim, every exit status, every option of every subcommand, and the
real output of the commands it shows."""
import os
import re

import clitest as cli
import readme_sessions
from clitest import ok

SUBCOMMANDS = ["fit", "predict", "score", "sample", "impute", "kmeans", "info",
               "select", "plot"]


def readme():
    with open(os.path.join(cli.SOURCE_DIR, "README.md")) as f:
        return f.read()


def test_readme_shows_the_example_program_verbatim():
    with open(os.path.join(cli.SOURCE_DIR, "examples", "faithful.c")) as f:
        assert f.read() in readme()


def test_readme_lists_every_exit_status():
    text = readme()
    help_text = ok("--help")
    codes = re.findall(r"^  (\d+) ", help_text.split("Exit status:")[1],
                       re.MULTILINE)
    assert codes == ["0", "1", "2", "3", "4", "5", "130"], codes
    for code in codes:
        assert re.search(rf"^\| *{code} *\|", text, re.MULTILINE), code


def test_readme_documents_every_option():
    text = readme()
    for name in SUBCOMMANDS:
        assert f"gmm {name}" in text, name
        for option in re.findall(r"^  (?:-\w, )?(--[\w-]+)",
                                 ok(name, "--help"), re.MULTILINE):
            if option != "--help":
                assert option in text, (name, option)


NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def same_output(shown, actual):
    """Equal text, with numbers equal to a relative 1e-9: the last digits of
    a %.17g number depend on the exp() the kernels use (vectorised on CPUs
    with AVX2, libm's elsewhere), not on anything the README teaches."""
    if NUMBER.sub("#", shown) != NUMBER.sub("#", actual):
        return False
    for a, b in zip(NUMBER.findall(shown), NUMBER.findall(actual)):
        x, y = float(a), float(b)
        if abs(x - y) > 1e-9 * max(abs(x), abs(y), 1e-300):
            return False
    return True


def test_readme_sessions_show_real_output():
    # Update with: python3 tests/cli/readme_sessions.py --gmm build/gmm --source .
    replayed = list(readme_sessions.replay(readme(), cli.GMM, cli.SOURCE_DIR))
    assert len(replayed) >= 10
    for command, shown, actual, _, _ in replayed:
        if readme_sessions.is_checked(command):
            assert same_output(shown, actual), f"$ {command}\nREADME:\n{shown}\n" \
                                    f"actual:\n{actual}"


if __name__ == "__main__":
    cli.main()
