"""`opentrends hub capture top|tree`: the command-line side of `hub_capture` (kept apart so the CLI starts fast)."""

from __future__ import annotations

import argparse

# Kept here (not imported from hub_capture) so building the parser imports neither yaml nor huggingface_hub.
SORTS = ("likes", "downloads")
TOP_SOURCE = "hf-hub-api-top"
TREE_SOURCE = "hf-hub-api-trees"


def _cmd_top(args: argparse.Namespace) -> int:
    from opentrends.capture.hub_capture import capture_top

    _report(capture_top(args.sort or ["likes"], args.limit, args.date))
    return 0


def _cmd_tree(args: argparse.Namespace) -> int:
    from opentrends.capture.hub_capture import capture_tree

    _report(capture_tree(args.base_model, args.date, depth=args.depth))
    return 0


def _report(snap) -> None:
    for pinned in snap.files:
        print(f"  {pinned.path}: {pinned.size} bytes, sha256 {pinned.sha256[:12]}")
    print(
        f"pinned {snap.ref} in the registry; commit data/sources/{snap.source_id}.yaml, and give the files a "
        f"durable copy with `opentrends snapshot push {snap.ref} --repo-id ORG/NAME`"
    )


def add_hub_parser(sub) -> None:
    """Add `hub capture top` and `hub capture tree` to the CLI's subparsers."""
    hub = sub.add_parser("hub", help="capture Hugging Face Hub records (needs network)")
    actions = hub.add_subparsers(dest="hub_action", required=True)
    capture = actions.add_parser("capture", help="capture Hub API records into a new pinned snapshot")
    kinds = capture.add_subparsers(dest="capture_kind", required=True)

    p = kinds.add_parser("top", help=f"top models by likes or downloads (pinned under {TOP_SOURCE})")
    p.add_argument(
        "--sort",
        action="append",
        choices=SORTS,
        metavar="|".join(SORTS),
        help="rank by this; repeat for both (default: likes)",
    )
    p.add_argument("--limit", type=int, default=300, help="models per sort (default 300, as in the recorded captures)")
    p.add_argument("--date", help="snapshot date YYYY-MM-DD (default: today, UTC)")
    p.set_defaults(func=_cmd_top)

    p = kinds.add_parser("tree", help=f"derivatives of base models (pinned under {TREE_SOURCE})")
    p.add_argument("base_model", nargs="+", metavar="BASE_MODEL", help="Hub model id ORG/NAME")
    p.add_argument("--depth", type=int, default=1, choices=(1, 2), help="1: direct derivatives; 2: theirs too")
    p.add_argument("--date", help="snapshot date YYYY-MM-DD (default: today, UTC)")
    p.set_defaults(func=_cmd_tree)
