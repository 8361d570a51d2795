from pathlib import Path

from archive.blobs import BlobStore, sha256_bytes


def test_put_bytes_is_content_addressed_and_written_once(tmp_path: Path):
    store = BlobStore(tmp_path / "blobs")
    sha, new = store.put_bytes(b"hello")
    assert sha == sha256_bytes(b"hello")
    assert new is True
    assert store.path_for(sha) == tmp_path / "blobs" / sha[:2] / sha[2:4] / sha
    assert store.read(sha) == b"hello"
    mtime = store.path_for(sha).stat().st_mtime_ns
    sha2, new2 = store.put_bytes(b"hello")
    assert (sha2, new2) == (sha, False)
    assert store.path_for(sha).stat().st_mtime_ns == mtime  # never overwritten


def test_put_file_streams_and_leaves_no_temp_files(tmp_path: Path):
    src = tmp_path / "big.bin"
    src.write_bytes(b"x" * (3 << 20))
    store = BlobStore(tmp_path / "blobs")
    sha, new = store.put_file(src)
    assert new and store.read(sha) == src.read_bytes()
    assert not list((tmp_path / "blobs").glob("??/??/.tmp-*")) and not list((tmp_path / "blobs").glob(".tmp/.tmp-*"))
    assert list(store.iter_shas()) == [sha]


def test_clean_temp_files_only_removes_old_ones(tmp_path: Path):
    import os
    import time

    store = BlobStore(tmp_path / "blobs")
    d = tmp_path / "blobs" / ".tmp"
    d.mkdir(parents=True)
    old, young = d / ".tmp-old.part", d / ".tmp-young.part"
    old.write_bytes(b"half")
    young.write_bytes(b"half")
    past = time.time() - 7200
    os.utime(old, (past, past))
    assert store.clean_temp_files() == 1
    assert not old.exists() and young.exists()


def test_temporary_files_of_the_older_layout_are_cleaned_once_then_only_the_temp_folder_is_read(tmp_path: Path,
                                                                                                monkeypatch):
    """Writers before the temporary folder left ``ab/cd/.tmp-*``: the first prepare() searches the
    tree for them; later ones read the one folder (an archive of 1.5 M blobs has 65,536 to search)."""
    import os
    import time

    root = tmp_path / "blobs"
    store = BlobStore(root)
    sha, _ = store.put_bytes(b"a document")
    left = root / sha[:2] / sha[2:4] / ".tmp-killed.part"
    left.write_bytes(b"half")
    past = time.time() - 7200
    os.utime(left, (past, past))
    store.prepare()
    assert not left.exists() and store.read(sha) == b"a document"
    searched = []
    real_glob = Path.glob
    monkeypatch.setattr(Path, "glob", lambda self, pattern: searched.append((self, pattern)) or real_glob(self, pattern))
    store.prepare()
    assert searched == [(root / ".tmp", ".tmp-*")]
    assert list(store.iter_shas()) == [sha]


def test_iter_shas_lists_the_blobs_and_nothing_beside_them(tmp_path: Path):
    store = BlobStore(tmp_path / "blobs")
    shas = sorted(store.put_bytes(f"document {i}".encode())[0] for i in range(40))
    root = store.root
    (root / shas[0][:2] / shas[0][2:4] / ".tmp-abc.part").write_bytes(b"a writer's temp file")
    (root / shas[0][:2] / shas[0][2:4] / "folder").mkdir()  # not a file
    (root / "README").write_text("a file at the top")
    (root / "odd").mkdir()  # not a two-character folder
    (root / "odd" / "xy").mkdir()
    (root / "odd" / "xy" / ("f" * 64)).write_bytes(b"outside the layout")
    (root / "ab").mkdir(exist_ok=True)
    (root / "ab" / "stray").write_bytes(b"a file one level up")
    assert sorted(store.iter_shas()) == shas
    assert list(BlobStore(tmp_path / "none").iter_shas()) == []
