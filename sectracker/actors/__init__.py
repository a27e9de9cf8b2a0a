"""The curated list of Chinese actors: services, agencies, firms, ships and officials."""

from sectracker.actors.loader import Actor, load_actors, parse_actors

__all__ = ["Actor", "load_actors", "parse_actors"]
