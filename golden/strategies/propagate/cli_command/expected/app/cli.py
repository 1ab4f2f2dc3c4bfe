from pathlib import Path

import typer

from app.core import load

app = typer.Typer()


@app.command()
def show(path: Path) -> str:
    text = load(path)
    print(text)
    return text
