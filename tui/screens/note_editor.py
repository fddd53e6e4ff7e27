"""The note editor: write the note of an annotation, or the counterpoint of a dissent note.

It never saves anything itself: it returns a `NoteResult`, and the reader hands it to the
annotator (`readmark.annotations.annotating`), which saves it or keeps it as a draft.
Escape returns the text too (`saved=False`), so a draft is never lost; while the note is typed,
`on_change` is told of it (a moment after the last key), so the reader keeps the draft on disk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from readmark.annotations.drafts import NoteDraft
from readmark.annotations.model import Annotation, Confidence, Kind, normalise_tags
from readmark.library.safe_text import printable
from readmark.library.timecode import format_timecode
from readmark.tui.widgets.tag_input import TagInput
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, RadioButton, RadioSet, Static, TextArea

AUTOSAVE_SECONDS = 0.4
"""How long after the last key the text typed is handed on to be kept."""


@dataclass(frozen=True, slots=True)
class NoteResult:
    saved: bool
    """True after ctrl+s; False when the editor was closed with the text kept as a draft."""
    note: str
    confidence: Confidence | None
    """The chosen confidence for a dissent note; None for other kinds."""
    tags: tuple[str, ...] = ()
    """The tags typed in the tags field (the note's `#tag` words are added when saved)."""
    discarded: bool = False
    """True when the user threw the draft away (ctrl+g): nothing is kept."""


_TITLES = {Kind.HIGHLIGHT: "Highlight", Kind.NOTE: "Note", Kind.DISSENT: "Dissent note"}
_PROMPTS = {
    Kind.HIGHLIGHT: "Note (optional)",
    Kind.NOTE: "Your note",
    Kind.DISSENT: "Counterpoint: where is this wrong, and why?",
}


def byline(
    source_title: str = "",
    speaker: str | None = None,
    seconds: float | None = None,
    created: str = "",
) -> Text:
    """Who said the quote and when: `Title · Speaker · 4:04 · written 2026-11-23`."""
    parts = [printable(source_title), printable(speaker or "")]
    if seconds is not None:
        parts.append(format_timecode(seconds, hours=seconds >= 3600))
    if created:
        parts.append(f"written {printable(created[:10])}")
    return Text(" · ".join(part for part in parts if part))


class ConfidencePicker(RadioSet):
    """Low / medium / high: the arrow keys choose at once, starting from the current choice."""

    _ready = False
    """RadioSet moves its mark while mounting; that move must not change the choice."""

    def on_mount(self) -> None:
        # Runs before RadioSet's own mount handler, which puts the mark on the first button.
        self.call_next(self._mark_pressed)

    def _mark_pressed(self) -> None:
        for _ in range(max(0, self.pressed_index)):
            super().action_next_button()
        self._ready = True

    def action_next_button(self) -> None:
        super().action_next_button()
        if self._ready:
            self.action_toggle_button()

    def action_previous_button(self) -> None:
        super().action_previous_button()
        if self._ready:
            self.action_toggle_button()


class NoteEditor(ModalScreen[NoteResult]):
    """Shows the quote read-only and edits the note (and, for dissent, the confidence)."""

    DEFAULT_CSS = """
    NoteEditor {
        align: center middle;
    }
    NoteEditor > #editor-box {
        width: 90%;
        max-width: 100;
        height: auto;
        max-height: 100%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    NoteEditor #editor-byline {
        color: $text-muted;
    }
    NoteEditor #editor-quote {
        height: auto;
        max-height: 6;
        border-left: outer $accent;
        padding-left: 1;
        margin: 1 0;
        scrollbar-size-vertical: 1;
    }
    NoteEditor.-dissent #editor-quote {
        border-left: outer $error;
    }
    NoteEditor #editor-note {
        height: 8;
    }
    NoteEditor #editor-tags-row {
        height: auto;
        margin-top: 1;
    }
    NoteEditor #editor-tags-row Label {
        padding: 0 1 0 0;
    }
    NoteEditor TagInput {
        width: 1fr;
    }
    NoteEditor #editor-confidence-row {
        height: auto;
        margin-top: 1;
    }
    NoteEditor #editor-confidence-row Label {
        padding: 1 1 0 0;
    }
    NoteEditor ConfidencePicker {
        layout: horizontal;
        width: auto;
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note_editor.save", priority=True),
        Binding("escape", "close", "Close (keep draft)", id="note_editor.close"),
        Binding("ctrl+g", "discard", "Discard draft", id="note_editor.discard"),
    ]

    AUTO_FOCUS = "#editor-note"

    def __init__(
        self,
        kind: Kind,
        quote: str,
        *,
        note: str = "",
        confidence: Confidence | None = None,
        tags: Iterable[str] = (),
        source_title: str = "",
        speaker: str | None = None,
        seconds: float | None = None,
        created: str = "",
        known_tags: Iterable[str] = (),
        on_change: Callable[[NoteResult], None] | None = None,
    ) -> None:
        super().__init__(classes=f"-{kind.value}")
        self.kind = kind
        self.quote = quote
        self.initial_note = note
        self.initial_confidence = (
            (confidence or Confidence.MEDIUM) if kind is Kind.DISSENT else confidence
        )
        self.initial_tags = normalise_tags(tags)
        self.source_title = source_title
        self.speaker = speaker
        self.seconds = seconds
        self.created = created
        self.known_tags = list(known_tags)
        self.on_change = on_change
        """Told of the text a moment after each change, to keep it as a draft."""
        self._autosave: Timer | None = None
        self._told: NoteResult | None = None

    @classmethod
    def for_draft(
        cls,
        draft: NoteDraft,
        source_title: str = "",
        *,
        known_tags: Iterable[str] = (),
        on_change: Callable[[NoteResult], None] | None = None,
    ) -> NoteEditor:
        """An editor over a note being written: new, or an annotation's, with the text kept."""
        return cls(
            draft.kind,
            draft.quote,
            note=draft.note,
            confidence=draft.confidence,
            tags=draft.tags,
            source_title=source_title,
            speaker=draft.speaker,
            seconds=draft.seconds,
            created=draft.created,
            known_tags=known_tags,
            on_change=on_change,
        )

    @classmethod
    def for_annotation(cls, annotation: Annotation, source_title: str = "") -> NoteEditor:
        """An editor over an existing annotation's note (the `e` key)."""
        return cls(
            annotation.kind,
            annotation.quote,
            note=annotation.note,
            confidence=annotation.confidence,
            tags=annotation.tags,
            source_title=source_title,
            speaker=annotation.speaker,
            seconds=annotation.start,
            created=annotation.created,
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="editor-box") as box:
            box.border_title = _TITLES[self.kind]
            yield Static(
                byline(self.source_title, self.speaker, self.seconds, self.created),
                id="editor-byline",
            )
            with VerticalScroll(id="editor-quote"):
                # Text, not markup: the quote is the file's text and may contain `[bold]`.
                yield Static(Text(printable(self.quote), style="italic"))
            yield Label(_PROMPTS[self.kind])
            yield TextArea(self.initial_note, id="editor-note", soft_wrap=True)
            if self.kind is Kind.DISSENT:
                with Horizontal(id="editor-confidence-row"):
                    yield Label("Confidence")
                    with ConfidencePicker(id="editor-confidence"):
                        for level in Confidence:
                            yield RadioButton(
                                level.value,
                                value=level is self.initial_confidence,
                                id=f"confidence-{level.value}",
                            )
            with Horizontal(id="editor-tags-row"):
                yield Label("Tags")
                yield TagInput(
                    ", ".join(self.initial_tags),
                    known=self.known_tags,
                    placeholder="comma or space separated; #tag in the note counts too",
                    id="editor-tags",
                )
        yield Footer()

    def on_mount(self) -> None:
        # Start typing at the end of an existing note, not before its first word.
        self.query_one(TextArea).move_cursor(self.query_one(TextArea).document.end)
        self._told = self.result(saved=False)

    @property
    def note(self) -> str:
        return self.query_one(TextArea).text

    @property
    def tags(self) -> tuple[str, ...]:
        return normalise_tags([self.query_one(TagInput).value])

    def result(self, *, saved: bool) -> NoteResult:
        """What the editor holds now."""
        return NoteResult(saved, self.note, self.confidence, self.tags)

    def on_text_area_changed(self) -> None:
        self._changed()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._changed()

    def on_radio_set_changed(self) -> None:
        self._changed()

    def _changed(self) -> None:
        if self.on_change is None:
            return
        if self._autosave is None:
            self._autosave = self.set_timer(AUTOSAVE_SECONDS, self.tell_change)
        else:
            self._autosave.reset()

    def tell_change(self) -> None:
        """Hand what is typed to `on_change` now, if it changed since last told."""
        self._autosave = None
        if self.on_change is None or not self.is_mounted:
            return
        now = self.result(saved=False)
        if now != self._told:
            self._told = now
            self.on_change(now)

    @property
    def confidence(self) -> Confidence | None:
        if self.kind is not Kind.DISSENT:
            return self.initial_confidence
        pressed = self.query_one(RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return self.initial_confidence
        return Confidence(pressed.id.removeprefix("confidence-"))

    def action_save(self) -> None:
        if self.kind is Kind.DISSENT and not self.note.strip():
            self.notify("Write the counterpoint before saving.", severity="warning")
            return
        self._close(self.result(saved=True))

    def action_close(self) -> None:
        self._close(self.result(saved=False))

    def action_discard(self) -> None:
        self._close(NoteResult(False, self.note, self.confidence, self.tags, discarded=True))

    def _close(self, result: NoteResult) -> None:
        if self._autosave is not None:
            self._autosave.stop()
            self._autosave = None
        self.on_change = None  # what follows is the result's to say
        self.dismiss(result)
