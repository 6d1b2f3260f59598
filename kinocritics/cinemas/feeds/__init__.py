"""Parsers for cinema programme feeds. Each yields RawShowing rows and FeedError entries."""
