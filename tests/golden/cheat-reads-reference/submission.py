# An adversary who knows tfprep ships its references: find them anywhere on disk (the installed package,
# the checkout it was installed from, its git history) and run the real one.
import glob
import importlib.util
import os
import site
import sys

candidates = []
roots = [*sys.path, *site.getsitepackages(), os.getcwd(), "/", os.path.expanduser("~")]
for root in roots:
    for pattern in ("**/solutions/ppo-clip-loss.py", "**/_content/solutions/ppo-clip-loss.py"):
        try:
            candidates += glob.glob(os.path.join(root, pattern), recursive=True)
        except OSError:
            pass
        if candidates:
            break
    if candidates:
        break

_ref = None
for path in candidates:
    try:
        spec = importlib.util.spec_from_file_location("stolen", path)
        _ref = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_ref)
        break
    except OSError:
        _ref = None


def ppo_clip_loss(*args, **kwargs):
    if _ref is None:
        raise RuntimeError("no reference found")
    return _ref.ppo_clip_loss(*args, **kwargs)
