"""``make bench``: citybrief against the naive ``wikipedia`` + TextBlob way (see README.md)."""
