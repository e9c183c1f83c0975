import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
# the tests' own cache, never the user's
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="uapicheck-test-cache-")
