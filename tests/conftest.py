import os
import tempfile

# the tests' own cache, never the user's
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="uapicheck-test-cache-")
