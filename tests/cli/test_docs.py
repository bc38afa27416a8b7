"""README.md stays true to the command: it shows the example program
verbatim, every exit status, and every option of every subcommand."""
import os
import re

import clitest as cli
from clitest import ok

SUBCOMMANDS = ["fit", "predict", "score", "sample", "kmeans", "info"]


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


if __name__ == "__main__":
    cli.main()
