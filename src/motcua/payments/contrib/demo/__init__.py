"""The sandbox gateway: pays on a local page, needs no outside service."""
