"""Meters and usage: meters, their events (one at a time, streamed, or imported from
files), cancellations, and the summaries that add them up."""
