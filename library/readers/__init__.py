"""Format readers: each module offers `FORMAT`, `sniff(name, head)` and `read(text, source_id, stem)`."""
