"""One module per part of the document; each exposes one ``extract_*`` verb taking the working document (a WorkDoc)."""
