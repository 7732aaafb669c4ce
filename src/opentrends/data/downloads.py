"""Download one URL into a file atomically (progress bar on a terminal), optionally from an overriding host.

`OPENTRENDS_URL_HOST_OVERRIDE=http://127.0.0.1:8000` replaces the scheme and host of every URL
passed to `download` (the path is kept), so the same code can be pointed at a local server that
serves the upstream layout.
"""

from __future__ import annotations

import http.client
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from opentrends.core.atomic import atomic_path
from opentrends.core.errors import OpenTrendsError, UsageError

CHUNK = 1 << 20
USER_AGENT = "opentrends (+https://github.com/opentrends/opentrends)"
URL_HOST_OVERRIDE_ENV = "OPENTRENDS_URL_HOST_OVERRIDE"


class DownloadError(OpenTrendsError, RuntimeError):
    """A download that failed or was cut short; nothing partial was kept."""


def effective_url(url: str) -> str:
    """`url`, or the same path on the host named by OPENTRENDS_URL_HOST_OVERRIDE (scheme://host[:port])."""
    override = os.environ.get(URL_HOST_OVERRIDE_ENV, "").strip()
    if not override:
        return url
    base = urllib.parse.urlsplit(override)
    if base.scheme not in ("http", "https") or not base.netloc:
        raise UsageError(
            f"{URL_HOST_OVERRIDE_ENV}={override!r}: expected scheme://host[:port], e.g. http://127.0.0.1:8000. "
            f"Fix: correct it, or unset it to use the registered hosts."
        )
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((base.scheme, base.netloc, base.path.rstrip("/") + parts.path, parts.query, ""))


def _progress(total: int | None, label: str):
    from tqdm.auto import tqdm

    return tqdm(
        total=total,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc=label,
        leave=False,
        disable=not sys.stderr.isatty(),
        file=sys.stderr,
    )


def download(url: str, target: Path, label: str, expected_size: int | None = None) -> None:
    """Stream `url` into `target` atomically, with a progress bar on a terminal.

    The host is replaced when OPENTRENDS_URL_HOST_OVERRIDE is set (see the module docstring).
    A connection that closes before Content-Length bytes arrived raises; the partial
    file is removed. The target's folder must be writable (checked by the caller).
    """
    url = effective_url(url)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    received, length = 0, None
    try:
        with (
            atomic_path(target) as tmp,
            urllib.request.urlopen(request, timeout=60) as response,
            open(tmp, "wb") as out,
        ):
            length = response.headers.get("Content-Length")
            total = int(length) if length else expected_size
            with _progress(total, label) as bar:
                while chunk := response.read(CHUNK):
                    out.write(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
            if length and received != int(length):
                raise http.client.IncompleteRead(b"", int(length) - received)
    except http.client.IncompleteRead as exc:
        raise DownloadError(
            f"download of {url} was interrupted after {received} of {length} bytes; no partial file was kept"
        ) from exc
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"download of {url} failed: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        reason = getattr(exc.reason, "strerror", None) or exc.reason
        raise DownloadError(f"download of {url} failed: {str(reason).lower()}") from exc
    except (http.client.HTTPException, OSError) as exc:
        raise DownloadError(f"download of {url} failed: {exc}") from exc
