"""``python -m asyncify``: the same command line as the ``asyncify`` script."""

from asyncify.cli import main

if __name__ == "__main__":
    main()
