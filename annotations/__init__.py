"""Annotations: the model, the durable store, the search index, citations and exports."""

from readmark.annotations.word_forms import defer_word_forms

# Before any part of readmark imports Whoosh (every one lives in this package): see word_forms.
defer_word_forms()
