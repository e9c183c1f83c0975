"""Per-header results, reused while nothing they were computed from changed.

An entry is found by the arch, the compiler's predefined macros, the tool's
own code, and the header's path in its tree; it holds every path #include
looked at (found or not) with its content digest, and the header's facts.
It is used only if each of those paths still has that digest, so a changed
include, a new file that would now be found first, or a changed tool all
miss. A header keeps up to four such variants, in one row: a line of
entries (context, path, probes), then a line of facts for each, the JSON
text a -j worker sends with the tree's root and uapicheck's own include
folder marked (so v7.2 and v7.3 share what did not change, and a hit is
that text, not facts decoded, relocated and encoded again).
The rows are in one SQLite database, not a file each: a cold run stores
one for each header and arch (8,200 for eight arches), and on a disk that
has seen many files deleted each new file cost ext4 a scan for a free
inode. A corrupt or foreign entry is a miss and gets rewritten; a damaged
database is started again; one locked by another run past a few seconds is
not written to for the rest of the run.

Beside the entries: Marks, answers about files kept by their content (and
packaged.py keeps uapicheck's TOML files parsed here).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from functools import lru_cache
from typing import cast
from weakref import WeakKeyDictionary

from . import jsonfile, packaged
from .facts import Json, only_paths_in, quoted
from .sources import Source, builtin_include_dir

FORMAT = "uapicheck-cache/4"
VARIANTS = 4
DATABASE = "entries-4.sqlite"
# the entry of what the C library's headers define (program.Providers), beside
# the headers' entries: read once per arch and tree, not once per -j worker
PROVIDERS = "<providers>"


@lru_cache(maxsize=1)
def tool_digest() -> str:
    """A digest of uapicheck's own code and data: any change, any version."""
    h = hashlib.sha256(FORMAT.encode())

    def walk(folder: str, prefix: str) -> None:
        for item in sorted(os.scandir(folder), key=lambda x: x.name):
            name = prefix + item.name
            if item.is_dir():
                if item.name != "__pycache__":
                    walk(item.path, name + "/")
            elif item.name.endswith((".py", ".toml", ".h")):
                with open(item.path, "rb") as f:
                    h.update(name.encode() + b"\0" + f.read() + b"\0")

    walk(packaged.FOLDER, "")
    return h.hexdigest()


# each tree's files digested once a run (by path relative to its root): each
# arch's cache, and each build of a git-mode run, probes the same few hundred
_DIGESTS: WeakKeyDictionary[object, dict[str, dict[str, str | None]]] = WeakKeyDictionary()
# and each probe of them as an entry's JSON holds it, by path and whether it was found
_PROBE_TEXTS: WeakKeyDictionary[object, dict[str, dict[tuple[str, bool], str]]] = WeakKeyDictionary()


class Cache:
    def __init__(self, folder: str, source: Source, arch: str, predefined: dict[str, str], schema: str,
                 dirs: list[str], libc: str) -> None:
        self.folder = folder
        self.source = source
        self.root = os.path.normpath(source.root)
        self.rels: dict[str, str] = {}
        self.builtin = builtin_include_dir()
        extra = sorted(getattr(source, "generated", {}).items())
        # where a path in the facts starts with these folders: marked in what is
        # stored, put back when read, so that a copy of the tree elsewhere shares
        # it; a root that is "." (a git tree's: its paths are relative) or not
        # spelled normally ("a//b", "./a": the paths of one header spell it two
        # ways) is not marked, its entries read only by a tree spelled the same
        inside = os.path.join(source.root, "")
        marked = inside == os.path.join(self.root, "") and self.root != "."
        folders = [(os.path.join(self.builtin, ""), '"<builtin>/')] + ([(inside, '"<root>/')] if marked else [])
        # (folder, the start of a JSON string of a path in it, its mark)
        self.marks = [(folder, quoted(folder), mark) for folder, mark in folders]
        # by its digest: every entry holds it, and the predefined macros are 10 kB; with
        # the include path and the C library (--libc), which the probes alone do not
        # tell apart (a path another C library would have put first was not probed)
        self.context = hashlib.sha256(json.dumps([FORMAT, schema, tool_digest(), arch, sorted(predefined.items()),
                                                  type(source).__name__, [(k, sorted(v)) for k, v in extra],
                                                  None if marked else source.root, [self._rel(d) for d in dirs],
                                                  libc]).encode()).hexdigest()
        self.digests = _DIGESTS.setdefault(source.fs, {}).setdefault(self.root, {})
        self.probe_text = _PROBE_TEXTS.setdefault(source.fs, {}).setdefault(self.root, {})
        # the row of the last path get() found nothing valid in: what put() adds to
        self.missed: tuple[str, list[tuple[Json, str]]] | None = None

    def _rel(self, path: str) -> str:
        """Paths in the tree relative to it (so revisions share entries);
        uapicheck's own headers marked. Each path made once a run: the probes
        of every entry are mostly the same few hundred paths."""
        rel = self.rels.get(path)
        if rel is None:
            if path.startswith(self.builtin + os.sep):
                rel = "<builtin>/" + path[len(self.builtin) + 1:]
            elif os.path.isabs(path) and not os.path.isabs(self.root):
                rel = path  # the C library's, beside a relative tree (a git tree's)
            else:
                rel = os.path.relpath(path, self.root)
            self.rels[path] = rel
        return rel

    def _abs(self, rel: str) -> str:
        if rel.startswith("<builtin>/"):
            return os.path.join(self.builtin, rel[len("<builtin>/"):])
        return os.path.normpath(os.path.join(self.root, rel))

    def _digest(self, rel: str) -> str | None:
        if rel not in self.digests:
            path, fs = self._abs(rel), self.source.fs
            self.digests[rel] = fs.digest(path) if fs.is_file(path) else None
        return self.digests[rel]

    def _probe(self, probe: tuple[str, bool]) -> str:
        text = self.probe_text.get(probe)
        if text is None:
            rel = self._rel(probe[0])
            text = self.probe_text[probe] = jsonfile.compact([rel, self._digest(rel) if probe[1] else None])
        return text

    def _key(self, rel: str) -> str:
        return hashlib.sha256((self.context + "\0" + rel).encode()).hexdigest()

    def _entries(self, rel: str) -> list[tuple[Json, str]]:
        """The entries of rel's row (context, path, probes), each with its
        facts still as text: a row is a line of entries, then a line of
        facts for each, so that only the facts used are decoded (a diff's
        two trees keep a variant each, and facts are most of a row)."""
        db = _database(self.folder)
        try:
            row = db.execute("SELECT body FROM entries WHERE key = ?", (self._key(rel),)).fetchone() if db else None
            if row is None or not isinstance(row[0], str):
                return []
            head, *facts = row[0].split("\n")
            data = json.loads(head)
            if data["format"] == FORMAT and isinstance(data["entries"], list) and len(data["entries"]) == len(facts):
                return [(e, text) for e, text in zip(data["entries"], facts) if isinstance(e, dict)]
        except sqlite3.OperationalError:
            pass
        except sqlite3.DatabaseError:
            _start_again(self.folder)
        except (ValueError, KeyError, TypeError):
            pass
        return []

    def get(self, path: str) -> str | None:
        """The facts stored for path (the JSON text of one header's), if still valid."""
        text = self._valid(self._rel(path))
        if text is not None:
            for _, spelled, mark in self.marks:
                text = text.replace(mark, spelled)
        return text

    def put(self, path: str, probed: tuple[tuple[str, bool], ...], paths: list[str], text: str) -> None:
        """Store path's facts, text their JSON (paths: every path it holds,
        HeaderFacts.paths()), with what was probed for them."""
        for folder, spelled, mark in self.marks:
            # each path under folder is a string starting so; any other would be
            # read back under another tree's folder: such a header is not stored
            if mark in text or not only_paths_in(text, paths, folder):
                return
            text = text.replace(spelled, mark)
        self._store(self._rel(path), probed if (path, True) in probed else (*probed, (path, True)), text)

    def providers(self) -> tuple[dict[str, str], tuple[tuple[str, bool], ...]] | None:
        """What program.Providers read of the C library on this arch, if still valid."""
        text = self._valid(PROVIDERS)
        try:
            data = json.loads(text) if text is not None else None
            if data is None:
                return None
            return ({str(n): str(h) for n, h in data["names"].items()},
                    tuple((self._abs(p), bool(found)) for p, found in data["probed"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def keep_providers(self, names: dict[str, str], probed: tuple[tuple[str, bool], ...]) -> None:
        self._store(PROVIDERS, probed,
                    jsonfile.compact({"names": names, "probed": [[self._rel(p), f] for p, f in probed]}))

    def _valid(self, rel: str) -> str | None:
        """The text of rel's entry for this context whose probes all still hold."""
        entries = self._entries(rel)
        for entry, text in entries:
            try:
                if entry["context"] != self.context or entry["path"] != rel:
                    continue
                if all(p.startswith("<builtin>/") or self._digest(p) == digest
                       for p, digest in entry["probes"]):  # <builtin>: part of the tool, in the context
                    return text
            except (KeyError, TypeError, ValueError, AttributeError):
                continue
        self.missed = (rel, entries)
        return None

    def _store(self, rel: str, probed: tuple[tuple[str, bool], ...], text: str) -> None:
        if self.folder in _UNWRITABLE:
            return
        texts = list(map(self.probe_text.get, probed))  # most made already: found without a call each
        if None in texts:
            texts = [self._probe(p) for p in probed]
        probes = "[" + ",".join(cast(list[str], texts)) + "]"
        entry = f'{{"context":"{self.context}","path":{json.dumps(rel)},"probes":{probes}}}'
        # a few variants per header, newest first: two trees diffed against
        # each other (v7.2, v7.3) each keep theirs instead of evicting the other's
        row = self.missed[1] if self.missed is not None and self.missed[0] == rel else self._entries(rel)
        self.missed = None
        compact = jsonfile.compact
        others = [(e, other) for e, other in row if compact(e.get("probes")) != probes][:VARIANTS - 1]
        head = f'{{"format":"{FORMAT}","entries":[' + ",".join([entry, *(compact(e) for e, _ in others)]) + "]}"
        body = "\n".join([head, text, *(other for _, other in others)])
        db = _database(self.folder)
        try:
            if db:
                db.execute("INSERT OR REPLACE INTO entries VALUES (?, ?)", (self._key(rel), body))
        except sqlite3.OperationalError:  # locked past the timeout (another run stopped mid-write), full, read-only
            _UNWRITABLE.add(self.folder)  # only slower: no more waits this run
        except sqlite3.DatabaseError:
            _start_again(self.folder)


# this process's connection to each cache folder's database, with the pid that
# opened it: a forked worker opens its own (SQLite's connections do not cross a fork)
_OPEN: dict[str, tuple[int, sqlite3.Connection | None]] = {}


def _database(folder: str) -> sqlite3.Connection | None:
    known = _OPEN.get(folder)
    if known is None or known[0] != os.getpid():
        known = _OPEN[folder] = (os.getpid(), _connect(os.path.join(folder, DATABASE)))
    return known[1]


_UNWRITABLE: set[str] = set()  # folders whose database a write of this run found locked or read-only


def _connect(path: str) -> sqlite3.Connection | None:
    for attempt in range(2):
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            # autocommit, each statement its own transaction (a write takes
            # a millisecond: another run or -j worker waits for it)
            db = sqlite3.connect(path, timeout=5, isolation_level=None)
            # readers never wait for writers; no fsync: after a power cut a row
            # lost or a database damaged is a miss or a cache started again
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = OFF")
            db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, body TEXT NOT NULL)")
            return db
        except sqlite3.OperationalError:
            return None  # cannot be opened or created (read-only, locked too long): no cache
        except sqlite3.DatabaseError:  # not a database
            if attempt:
                return None
            _remove(path)
        except OSError:
            return None
    return None


def _remove(path: str) -> None:
    for name in (path, path + "-wal", path + "-shm"):
        try:
            os.unlink(name)
        except OSError:
            pass


def _start_again(folder: str) -> None:
    """A database found damaged while in use: removed, made anew at the next use."""
    _, db = _OPEN.pop(folder, (0, None))
    if db is not None:
        db.close()
    _remove(os.path.join(folder, DATABASE))


def release() -> None:
    """Close this process's databases, as a process about to fork must."""
    for folder, (pid, db) in list(_OPEN.items()):
        if pid == os.getpid() and db is not None:
            db.close()
    _OPEN.clear()


class Marks:
    """Answers to one question about files (reach.py: does this header define
    a flag family's member?) by their content, kept in one file per question
    and tool: most of a tree is the same from one run to the next, and a
    whole tree is read to answer it."""

    LIMIT = 100_000  # answers kept, the newest

    def __init__(self, folder: str | None, question: str) -> None:
        key = hashlib.sha256(f"{FORMAT}\0{tool_digest()}\0{question}".encode()).hexdigest()
        self.path = os.path.join(folder, "marks", key + ".json") if folder else None
        self.known: dict[str, bool] = {}
        try:
            if self.path:
                with open(self.path, encoding="utf-8") as f:
                    data = json.load(f)
                if data["format"] == FORMAT and isinstance(data["marks"], dict):
                    self.known = {k: v for k, v in data["marks"].items() if isinstance(v, bool)}
        except (OSError, ValueError, KeyError, TypeError):
            pass  # none yet, or damaged: answered again
        self.stored = len(self.known)

    def save(self) -> None:
        if self.path is None or len(self.known) == self.stored:
            return
        marks = dict(list(self.known.items())[-self.LIMIT:])
        try:
            jsonfile.write_atomic(self.path, lambda f: json.dump({"format": FORMAT, "marks": marks}, f,
                                                                 separators=(",", ":")))
        except OSError:
            pass
