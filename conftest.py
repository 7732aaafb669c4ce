"""Root pytest configuration (applies to tests/ and to `--nbval notebooks/`).

Notebooks validated by nbval call `figures.save`; their figures go to a throwaway folder so a
test run never rewrites the committed figures/.
"""

import os
import tempfile

os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OPENTRENDS_FIGURES", tempfile.mkdtemp(prefix="opentrends-nbval-figures-"))
