"""The index's parallel writer, for a reindex: Whoosh's, with `IndexSegmentWriter` workers.

A module of its own: only a bulk write imports Whoosh's multiprocessing code.
"""

from __future__ import annotations

import gc

from readmark.annotations.index_writer import IndexSegmentWriter
from whoosh import multiproc
from whoosh.multiproc import MpWriter, SubWriterTask


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


class IndexMpWriter(MpWriter):
    """Whoosh's parallel writer (each worker writes a segment of its own) with lean workers."""

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
