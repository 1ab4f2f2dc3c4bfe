"""Module-level clients other modules import."""

import requests

http = requests.Session()


def fetch_price(sku: str) -> float:
    return float(http.get(f"https://prices.example.com/{sku}").text)
