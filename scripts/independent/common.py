"""Shared helpers for the independent-client checks (standard library + requests)."""

import os
from pathlib import Path
import sys

import requests

ROOT = Path(__file__).resolve().parents[2]
REST = os.environ["EMU_REST"].rstrip("/")
SOAP = os.environ["EMU_SOAP"]
CLIENT_ID = os.environ["MARKETO_EMULATOR_CLIENT_ID"]
CLIENT_SECRET = os.environ["MARKETO_EMULATOR_CLIENT_SECRET"]
USER_ID = os.environ["MARKETO_EMULATOR_USER_ID"]
ENCRYPTION_KEY = os.environ["MARKETO_EMULATOR_ENCRYPTION_KEY"]


def check(condition, what):
    """Print one result line; exit non-zero on the first failure."""
    if condition:
        print(f"  ok   {what}")
    else:
        print(f"  FAIL {what}")
        sys.exit(1)


def token():
    r = requests.get(
        f"{REST}/identity/oauth/token",
        params={
            "grant_type": "client_credentials",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        },
        timeout=10,
    )
    r.raise_for_status()
    return r.json()["access_token"]


def rest_get(path, **params):
    r = requests.get(
        f"{REST}{path}",
        params=params,
        headers={"Authorization": f"Bearer {token()}"},
        timeout=10,
    )
    r.raise_for_status()
    return r.json()
