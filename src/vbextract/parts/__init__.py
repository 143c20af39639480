"""One module per part of the document; each exposes one ``extract_*`` verb taking a Doc."""
