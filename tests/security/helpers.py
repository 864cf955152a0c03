"""Helpers of the security tests: logging in through the pages as a person would, reading responses."""

import io
import zipfile

from django.urls import reverse


def log_in_with_password(client, email: str, password: str):
    return client.post(reverse("login"), {"username": email, "password": password})


def give_code(client, code: str, next_url: str = "/"):
    return client.post(reverse("two_factor"), {"token": code, "next": next_url})


def text_of(response) -> str:
    return response.content.decode()


def zip_files(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def body(response) -> bytes:
    """The response's bytes; a streamed file is read to its end, which closes it."""
    return b"".join(response.streaming_content) if response.streaming else response.content
