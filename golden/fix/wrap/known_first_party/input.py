"""`json` here is the project's own package (known-first-party): a new stdlib block."""

from requests import Session

from json import decoder


async def fetch(session: Session, url: str):
    return decoder.decode(session.get(url).text)
