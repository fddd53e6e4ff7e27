"""The reader of Markdown and plain text: notes, articles, clipped pages and pasted transcripts.

`markdown` and `plaintext` (beside this package) are its two formats; `source.read_text_source`
runs the stages, each a module of its own:

1. `front_matter` (Markdown only): YAML or TOML metadata, with `dates` for the many ways dates
   are written;
2. `lines` then `classify`: each line on its own, with `stamps` (times written at the start of a
   line) and `labels` (speaker labels and names); the top of the note: `clipped` (a clipped
   page's header), `glued` (a page's glued channel-date-length line), `book_header` (`Title:`,
   `Author:`);
3. `prose_times` and `turns`: decisions over the whole body (which times are prose, which
   labels are speakers);
4. `body`: lines grouped into `blocks`, with `credits` (a quotation's author and time),
   `title_lines` (lines that read as titles) and `inline` (Markdown markup taken out);
5. `metadata_list` (a `## Metadata` list), `chapter_lists` (chapters listed ahead of a
   transcript), `reading_copy`, `captions`, `timeline`: a transcript written twice, caption
   fragments joined (each keeping its time as a mark), which times are the media's reading order,
   estimates for a turn's later paragraphs and where each block ends;
6. `outline`, then segments and metadata in `source`.
"""
