"""Format readers: modules offering `FORMAT`, `sniff(name, head)` and `read(text, id, stem)`;
`library.formats` says which module reads which format."""
