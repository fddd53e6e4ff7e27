"""The index's parallel writer, for a reindex: Whoosh's, with `IndexSegmentWriter` workers.

A module of its own: only a bulk write imports Whoosh's multiprocessing code.

Whoosh hands documents to its workers in files of 100, each document pickled on its own; here
a file holds 1,000 in one pickle. Pickling them together writes each repeated value (a field
name, a kind, a source) once a file, and a reindex spent about a twelfth of its time on the
pickles and the files.
"""

from __future__ import annotations

import gc
import pickle
from typing import Any

from readmark.annotations.index_writer import IndexSegmentWriter
from whoosh import multiproc
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util import random_name

BATCH = 1_000
"""Documents in each file handed to a worker."""


class _LeanSubWriter(SubWriterTask):
    """One worker of `IndexMpWriter`: Whoosh's worker, writing with `IndexSegmentWriter`."""

    def run(self) -> None:
        # Whoosh's worker makes its writer from this module name; only this worker process
        # sees the change (it runs after the fork, or in a process of its own).
        multiproc.SegmentWriter = IndexSegmentWriter  # type: ignore[misc, assignment]
        # A worker makes millions of postings that live until it ends, and no cycles to speak
        # of: the cyclic collector would walk them again and again for nothing (a tenth of
        # the worker's time). The process ends when its segment is written.
        gc.disable()
        super().run()

    def _process_file(self, filename: str, doc_count: int) -> None:
        writer = self.writer
        storage = writer.temp_storage()
        with storage.open_file(filename).raw_file() as file:
            documents: list[dict[str, Any]] = pickle.load(file)
        for fields in documents:
            writer.add_document(**fields)
        storage.delete_file(filename)


class IndexMpWriter(MpWriter):
    """Whoosh's parallel writer (each worker writes a segment of its own) with lean workers,
    handed documents a thousand at a time."""

    def __init__(self, ix: Any, batchsize: int = BATCH, **kwargs: Any) -> None:
        super().__init__(ix, batchsize=batchsize, **kwargs)

    def _new_task(self) -> SubWriterTask:
        task = _LeanSubWriter(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        task.start()
        return task

    def _enqueue(self) -> None:
        documents = [fields for _, fields in self.docbuffer]
        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as file:
            pickle.dump(documents, file, pickle.HIGHEST_PROTOCOL)
        if len(self.tasks) < self.procs:
            self._new_task()
        self.jobqueue.put((filename, len(documents)))
        self.docbuffer = []
