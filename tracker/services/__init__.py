"""Use cases: plain functions over the database session. Services flush; callers commit."""
